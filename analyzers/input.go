package analyzers

import (
	"slices"
	"strings"
	"unicode"
)

// inputMethod is a way of typing Vietnamese on a plain keyboard: extra keys
// after the letters add the vowel marks, đ and the tone.
type inputMethod int

const (
	telex inputMethod = iota // aa â, aw ă, ee ê, oo ô, ow ơ, uw ư, dd đ; s f r x j tones
	vni                      // 6 â ê ô, 7 ơ ư, 8 ă, 9 đ; 1-5 tones
)

// keyKind is what one keystroke does.
type keyKind int

const (
	keyLetter     keyKind = iota // types itself
	keyTone                      // sets the tone
	keyCircumflex                // â ê ô
	keyHorn                      // ơ ư
	keyBreve                     // ă
	keyHornBreve                 // Telex w: ơ ư or ă, whichever the vowels take
	keyStroke                    // đ
	keyInvalid                   // cannot be part of a word in this method
)

// telexTones and vniTones hold each method's tone keys, indexed by Tone;
// z and 0 clear the tone.
const (
	telexTones = "zfsrxj"
	vniTones   = "021345"
)

// key says what keystroke c (lower case) does after the letters out.
func (m inputMethod) key(c byte, out []rune) (keyKind, Tone) {
	last := rune(0)
	if len(out) > 0 {
		last = out[len(out)-1]
	}
	switch m {
	case telex:
		// A tone key is a letter until a vowel is typed: s in "sao".
		if t := strings.IndexByte(telexTones, c); t >= 0 && slices.ContainsFunc(out, isVowel) {
			return keyTone, Tone(t)
		}
		switch {
		case (c == 'a' || c == 'e' || c == 'o') && last == rune(c):
			return keyCircumflex, 0
		case c == 'w':
			return keyHornBreve, 0
		case c == 'd' && last == 'd':
			return keyStroke, 0
		case 'a' <= c && c <= 'z':
			return keyLetter, 0
		}
	case vni:
		if t := strings.IndexByte(vniTones, c); t >= 0 {
			return keyTone, Tone(t)
		}
		switch {
		case c == '6':
			return keyCircumflex, 0
		case c == '7':
			return keyHorn, 0
		case c == '8':
			return keyBreve, 0
		case c == '9':
			return keyStroke, 0
		case 'a' <= c && c <= 'z':
			return keyLetter, 0
		}
	}
	return keyInvalid, 0
}

// DecodeTelex reads word as typed with the Telex input method and returns
// the syllable it spells, the tone placed in the canonical style:
// "Ddinhj" → "Định", "Vieejt" → "Việt", "hoaf" → "hòa", "nguowif" →
// "người". The case of the first letter is kept, and of every letter when
// word is all capitals. It reports false, returning word unchanged, when
// word uses no Telex key or does not decode to a valid syllable
// (ValidSyllable): "ISO", "English", "9001". Note that some real words are
// valid both ways ("xoong" is also Telex for "xông"); InputAlternatives
// leaves those alone. It is safe for concurrent use.
func DecodeTelex(word string) (string, bool) {
	return telex.decode(word)
}

// DecodeVNI reads word as typed with the VNI input method and returns the
// syllable it spells, the tone placed in the canonical style: "Vie6t5" →
// "Việt", "D9i5nh" → "Định", "nguo72i" → "người". Case is kept as by
// DecodeTelex. It reports false, returning word unchanged, when word uses no
// VNI key, does not decode to a valid syllable, or is a code in capitals
// with digits ("F1", "U23", "A4"). It is safe for concurrent use.
func DecodeVNI(word string) (string, bool) {
	return vni.decode(word)
}

// maxKeystrokes bounds a typed word: the longest syllable with all its keys
// ("nghieeng" with a tone key) is well under it.
const maxKeystrokes = 16

func (m inputMethod) decode(word string) (string, bool) {
	if word == "" || len(word) > maxKeystrokes || !isASCIILetter(word[0]) {
		return word, false
	}
	upper, lower := 0, 0
	for i := 0; i < len(word); i++ {
		switch c := word[i]; {
		case 'A' <= c && c <= 'Z':
			upper++
		case 'a' <= c && c <= 'z':
			lower++
		}
	}
	allCaps := upper > 1 && lower == 0
	if m == vni && lower == 0 {
		return word, false // a code such as F1 or U23
	}
	var buf [maxKeystrokes]rune
	out := buf[:0]
	tone, toned, keyed := ToneLevel, false, false
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		kind, t := m.key(c, out)
		switch kind {
		case keyInvalid:
			return word, false
		case keyLetter:
			out = append(out, rune(c))
			continue
		case keyTone:
			if toned && t != ToneLevel {
				return word, false // a second tone: typed to undo, or not a word
			}
			tone, toned = t, t != ToneLevel
		default:
			if !mark(out, kind) {
				if kind != keyHornBreve {
					return word, false
				}
				out = append(out, 'ư') // Telex w alone types ư: "tw" is tư
			}
		}
		keyed = true
	}
	if n := len(out); n >= 2 && out[n-2] == 'ư' && out[n-1] == 'ơ' {
		out[n-2] = 'u' // ươ is never open: "thuowr" is thuở
	}
	if !keyed || tone != ToneLevel && !placeTone(out, tone) {
		return word, false
	}
	decoded := string(out)
	if !ValidSyllable(decoded) {
		return word, false
	}
	switch {
	case allCaps:
		decoded = strings.ToUpper(decoded)
	case 'A' <= word[0] && word[0] <= 'Z':
		decoded = string(unicode.ToUpper(out[0])) + string(out[1:])
	}
	return decoded, true
}

// mark applies a vowel-mark or đ key to the syllable typed so far in out,
// in place, and reports false when nothing there takes it. The key may come
// after the final consonant, as input methods allow ("tuongw", "viet6").
func mark(out []rune, kind keyKind) bool {
	if kind == keyStroke {
		for i, r := range out {
			if r == 'd' {
				out[i] = 'đ'
				return true
			}
		}
		return false
	}
	// The vowels of the syllable: skip the final consonants, then take the
	// vowel run before them.
	end := len(out)
	for end > 0 && !isVowel(out[end-1]) {
		end--
	}
	start := end
	for start > 0 && isVowel(out[start-1]) {
		start--
	}
	if start > 0 && out[start-1] == 'q' {
		start++ // the u of qu is part of the consonant
	}
	find := func(targets string) int {
		for i := end - 1; i >= start; i-- {
			if strings.ContainsRune(targets, out[i]) {
				return i
			}
		}
		return -1
	}
	at := -1
	switch kind {
	case keyCircumflex:
		at = find("aeo")
	case keyBreve:
		at = find("a")
	case keyHorn, keyHornBreve:
		// uo takes the horn on both (ươ), wherever the key comes.
		for i := start; i+1 < end; i++ {
			if out[i] == 'u' && out[i+1] == 'o' {
				at = i + 1
			}
		}
		if at >= 0 {
			break
		}
		if kind == keyHorn {
			at = find("ou")
		} else {
			at = find("oua")
		}
	}
	if at < 0 {
		return false
	}
	out[at] = marked(out[at], kind)
	if out[at] == 'ơ' && at > start && out[at-1] == 'u' {
		out[at-1] = 'ư'
	}
	return true
}

// marked returns plain vowel v with the mark of kind.
func marked(v rune, kind keyKind) rune {
	switch {
	case kind == keyCircumflex && v == 'a':
		return 'â'
	case kind == keyCircumflex && v == 'e':
		return 'ê'
	case kind == keyCircumflex:
		return 'ô'
	case v == 'a':
		return 'ă'
	case v == 'o':
		return 'ơ'
	}
	return 'ư'
}

func isASCIILetter(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// InputAlternatives returns the query with each word typed in Telex or VNI
// decoded ("Nam Ddinhj" → "Nam Định", "Vie6t5 Nam" → "Việt Nam", "hoaf
// binhf" → "hòa bình"), or nil when no word is. A word is rewritten only
// when it decodes to a valid syllable and is not one already as written, so
// "ISO 9001", "COVID-19", "English", "Nam", "the" and "xoong" stay as typed.
// Quotes, brackets and sentence punctuation around a word are kept. The
// result is a slice so that more than one reading can be offered later;
// today it holds at most one. It is safe for concurrent use.
func InputAlternatives(query string) []string {
	var b strings.Builder
	changed := false
	for i := 0; i < len(query); {
		if isSpaceByte(query[i]) {
			b.WriteByte(query[i])
			i++
			continue
		}
		j := i
		for j < len(query) && !isSpaceByte(query[j]) {
			j++
		}
		field := query[i:j]
		i = j
		word := strings.TrimRight(strings.TrimLeft(field, openingPunct), closingPunct)
		if !isASCIIWord(word) || ValidSyllable(word) {
			b.WriteString(field)
			continue
		}
		decoded, ok := DecodeTelex(word)
		if !ok {
			decoded, ok = DecodeVNI(word)
		}
		if !ok {
			b.WriteString(field)
			continue
		}
		changed = true
		at := strings.Index(field, word)
		b.WriteString(field[:at] + decoded + field[at+len(word):])
	}
	if !changed {
		return nil
	}
	return []string{b.String()}
}

// Punctuation that may stand before and after a typed word in a query.
const (
	openingPunct = "\"'([{"
	closingPunct = "\"'.,;:!?)]}"
)

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || isDigitByte(c) }

// isASCIIWord reports whether s is a non-empty run of ASCII letters and
// digits, the only thing a plain keyboard types.
func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIIAlnum(s[i]) {
			return false
		}
	}
	return s != ""
}

// isSpaceByte reports whether c separates query words. Only ASCII space
// matters: a typed word is ASCII, and a multi-byte space is never split.
func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
