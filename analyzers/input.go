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
	switch m {
	case telex:
		// A tone key is a letter until a vowel is typed: s in "sao".
		if t := strings.IndexByte(telexTones, c); t >= 0 && slices.ContainsFunc(out, isVowel) {
			return keyTone, Tone(t)
		}
		switch {
		case (c == 'a' || c == 'e' || c == 'o') && seats(out, keyCircumflex, rune(c)) != nil:
			return keyCircumflex, 0
		case c == 'w':
			return keyHornBreve, 0
		case c == 'd' && len(out) > 0 && out[len(out)-1] == 'd':
			return keyStroke, 0
		case 'a' <= c && c <= 'z':
			return keyLetter, 0
		}
	case vni:
		if t := strings.IndexByte(vniTones, c); t >= 0 {
			if !slices.ContainsFunc(out, isVowel) {
				return keyInvalid, 0 // a digit before the vowels: H2O, B52
			}
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
// "người". It reads the habits input methods accept: mark keys after the
// final consonant ("tuongw", "vietej"), a doubled vowel typed apart from
// its partner ("vieste" → "viết"), the short forms of ươ ("nguwoif",
// "twong" → "tương"), and w on ưu and an open ưa ("luuw" → "lưu", "muaw" →
// "mưa"). The case of the first letter is kept, and of every letter when
// word is all capitals. It reports false, returning word unchanged, when
// word uses no Telex key or does not decode to a valid syllable
// (ValidSyllable): "ISO", "English", "9001", "Wong". A vowel doubled apart
// with no other key and in a one-vowel rhyme stays as typed, since names
// are spelt so ("Ana", "Congo"). Note that some real words are valid both
// ways ("xoong" is also Telex for "xông"); InputAlternatives leaves those
// alone. It is safe for concurrent use.
func DecodeTelex(word string) (string, bool) {
	return telex.decode(word)
}

// DecodeVNI reads word as typed with the VNI input method and returns the
// syllable it spells, the tone placed in the canonical style: "Vie6t5" →
// "Việt", "D9i5nh" → "Định", "nguo72i" → "người", "luu7" → "lưu",
// "VIE65T" → "VIỆT". Case is kept as by DecodeTelex. It reports false,
// returning word unchanged, when word uses no VNI key, does not decode to
// a valid syllable, or reads as a code (isVNICode): "F1", "U23", "A4",
// "CO2", "H5N1". It is safe for concurrent use.
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
	if m == vni && isVNICode(word, upper+lower, lower == 0) {
		return word, false
	}
	out, ok := m.read(word, 0, typing{})
	if !ok {
		return word, false
	}
	switch {
	case upper > 1 && lower == 0:
		out = []rune(strings.ToUpper(string(out)))
	case 'A' <= word[0] && word[0] <= 'Z':
		out[0] = unicode.ToUpper(out[0])
	}
	return string(out), true
}

// isVNICode reports whether word, with letters letters, is a code rather
// than a word typed in VNI: a letter and a tone key ("A4", "F1", "E5"), or in
// capitals a word that reads like one ("U20", "CO2", "SU30"). A word in
// capitals is taken as VNI when it has a vowel-mark or đ key ("VIE65T",
// "D9A2"), a tone key before its last letter ("BA1O"), or three letters or
// more ("TIENG61"), and no 0, which codes hold and typists seldom press.
func isVNICode(word string, letters int, allCaps bool) bool {
	if letters == 1 && len(word) == 2 && strings.IndexByte(vniTones, word[1]) >= 0 {
		return true
	}
	if !allCaps {
		return false
	}
	if letters < 2 || strings.IndexByte(word, '0') >= 0 {
		return true
	}
	if strings.ContainsAny(word, "6789") || letters >= 3 {
		return false
	}
	last := len(word) - 1
	for !isASCIILetter(word[last]) {
		last--
	}
	return strings.IndexAny(word[:last], vniTones) < 0
}

// typing is a word read so far: its letters with their vowel marks, its
// tone, and what the keys did. It is a value, so that read can try one
// reading of a key and fall back to another.
type typing struct {
	buf   [maxKeystrokes]rune
	n     int
	tone  Tone
	toned bool // a tone other than level was set
	keys  int  // keys read as a mark, đ or tone
	apart bool // a Telex vowel doubled apart from its partner: "vieste"
	leadW bool // the word starts with Telex w standing for ư
}

func (t *typing) letters() []rune { return t.buf[:t.n] }

func (t *typing) add(r rune) {
	t.buf[t.n] = r
	t.n++
}

// read reads word from key i on, given what came before, and returns the
// syllable it spells. A key with more than one reading (Telex w on "ua",
// "a" typed again after "tan") is tried each way in the order input
// methods prefer, and the first reading that spells a syllable wins.
func (m inputMethod) read(word string, i int, t typing) ([]rune, bool) {
	for ; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		kind, tone := m.key(c, t.letters())
		switch kind {
		case keyInvalid:
			return nil, false
		case keyLetter:
			t.add(rune(c))
			continue
		case keyTone:
			if t.toned && tone != ToneLevel {
				return nil, false // a second tone: typed to undo, or not a word
			}
			t.tone, t.toned = tone, tone != ToneLevel
			t.keys++
			continue
		}
		t.keys++
		out := t.letters()
		for _, at := range seats(out, kind, rune(c)) {
			next := t
			next.apart = t.apart || m == telex && kind == keyCircumflex && at != len(out)-1
			next.buf[at] = marked(out[at], kind)
			if next.buf[at] == 'ơ' && at > 0 && out[at-1] == 'u' && (at < 2 || out[at-2] != 'q') {
				next.buf[at-1] = 'ư' // the horn goes on both: ươ, but quơ
			}
			if syl, ok := m.read(word, i+1, next); ok {
				return syl, true
			}
		}
		switch {
		case m == telex && kind == keyCircumflex:
			t.keys-- // a vowel, after all: "ngoao"
			t.add(rune(c))
		case kind == keyHornBreve && !slices.ContainsFunc(out, isVowel):
			t.leadW = t.n == 0
			t.add('ư') // Telex w alone types ư: "tw" is tư
		default:
			return nil, false
		}
	}
	return t.finish()
}

// finish returns the syllable typed, the tone in its canonical place, or
// false when it is none.
func (t *typing) finish() ([]rune, bool) {
	out := slices.Clone(t.letters())
	if n := len(out); n >= 2 && out[n-2] == 'ư' && out[n-1] == 'ơ' {
		out[n-2] = 'u' // ươ is never open: "thuowr" is thuở
	}
	for i := 0; i+1 < len(out); i++ {
		if out[i] == 'ư' && out[i+1] == 'o' {
			out[i+1] = 'ơ' // ư then o is ươ: "nguwoif", "twong"; "two" is no word
		}
	}
	if t.keys == 0 || t.tone != ToneLevel && !placeTone(out, t.tone) {
		return nil, false
	}
	if t.leadW && slices.ContainsFunc(out[1:], isVowel) {
		return nil, false // "Wong", "won": names and English, not ương
	}
	if t.apart && t.keys < 2 {
		// A vowel typed twice apart with no other key is as often a
		// name: "Ana", "Dana", "Congo".
		if start, end, ok := nucleus(out); !ok || end-start < 2 {
			return nil, false
		}
	}
	if !ValidSyllable(string(out)) {
		return nil, false
	}
	return out, true
}

// seats returns where a key of kind may put its mark in the syllable typed
// so far in out, the likeliest first, or nil when nowhere. The key may
// come after the final consonant, as input methods allow ("tuongw",
// "viet6", "vieste"). c is the key itself: a Telex circumflex key marks
// only its own vowel.
func seats(out []rune, kind keyKind, c rune) []int {
	if kind == keyStroke {
		if i := slices.Index(out, 'd'); i >= 0 {
			return []int{i}
		}
		return nil
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
	if end-start > 3 {
		return nil // no rhyme has more vowels; this also bounds read's tries
	}
	targets := "oua"
	switch kind {
	case keyCircumflex:
		targets = "aeo"
		if c >= 'a' && c <= 'z' {
			targets = string(c)
		}
	case keyBreve:
		targets = "a"
	case keyHorn:
		targets = "ou"
	}
	var at []int
	if kind == keyHorn || kind == keyHornBreve {
		// uo takes the horn on both (ươ), wherever the key comes.
		for i := start; i+1 < end; i++ {
			if out[i] == 'u' && out[i+1] == 'o' {
				return []int{i + 1}
			}
		}
	}
	for i := end - 1; i >= start; i-- {
		if strings.ContainsRune(targets, out[i]) {
			at = append(at, i)
		}
	}
	return at
}

// marked returns plain vowel v, or d, with the mark of kind.
func marked(v rune, kind keyKind) rune {
	switch {
	case kind == keyStroke:
		return 'đ'
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
