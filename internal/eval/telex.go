package eval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vnsearch/vnsearch/analyzers"
)

// ToneKey says where a Telex typist presses the tone key. Both habits are
// common, and input methods accept both.
type ToneKey int

const (
	// ToneKeyLast types the tone after the whole syllable: "Ddinhj",
	// "truwowngr", "Vieetj".
	ToneKeyLast ToneKey = iota
	// ToneKeyAfterVowels types it right after the vowels, before a final
	// consonant: "Vieejt", "truwowrng", "Ddijnh".
	ToneKeyAfterVowels
)

// telexVowelKeys are the keys of the letters Telex types with more than
// one key; every other letter is its own key.
var telexVowelKeys = map[rune]string{
	'ă': "aw", 'â': "aa", 'ê': "ee", 'ô': "oo", 'ơ': "ow", 'ư': "uw", 'đ': "dd",
}

// telexToneKeys are the tone keys, indexed by analyzers.Tone.
var telexToneKeys = [...]byte{
	analyzers.ToneFalling: 'f',
	analyzers.ToneRising:  's',
	analyzers.ToneDipping: 'r',
	analyzers.ToneCreaky:  'x',
	analyzers.ToneHeavy:   'j',
}

// EncodeTelex returns the keys a typist presses to type text in Telex
// when the keyboard's Vietnamese mode is off, so the keys stay as typed:
// "Nam Định" → "Nam Ddinhj", "Thứ trưởng" → "Thuws truwowngr". Each
// Vietnamese syllable is typed letter by letter (â aa, ă aw, ê ee, ô oo,
// ơ ow, ư uw, đ dd) with its tone key placed as key says. The first key
// of a capital letter is a capital ("Đ" is "Dd"), and every key of a word
// in capitals ("VIỆT" is "VIEEJT"). A word that is not a Vietnamese
// syllable loses its marks ("Schröder" → "Schroder"); everything else,
// spaces and punctuation included, is kept. analyzers.DecodeTelex reads
// every encoded syllable back, with the tone in the canonical place.
func EncodeTelex(text string, key ToneKey) string {
	var b strings.Builder
	text = norm.NFC.String(text)
	for i := 0; i < len(text); {
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += size
		}
		if j == i {
			_, size := utf8.DecodeRuneInString(text[i:])
			b.WriteString(text[i : i+size])
			i += size
			continue
		}
		b.WriteString(encodeTelexWord(text[i:j], key))
		i = j
	}
	return b.String()
}

// encodeTelexWord encodes one run of letters.
func encodeTelexWord(word string, key ToneKey) string {
	if !analyzers.HasDiacritics(word) {
		return word
	}
	if !analyzers.ValidSyllable(word) {
		return stripDiacritics(word)
	}
	syl := []rune(word)
	upper := 0
	for _, r := range syl {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	allCaps := upper == len(syl) && len(syl) > 1
	var b strings.Builder
	tone, afterVowels := analyzers.ToneLevel, -1
	for i, r := range syl {
		base, t := toneOf(unicode.ToLower(r))
		if t != analyzers.ToneLevel {
			tone = t
		}
		keys := telexVowelKeys[base]
		if keys == "" {
			keys = string(base)
		}
		switch {
		case allCaps:
			keys = strings.ToUpper(keys)
		case unicode.IsUpper(r):
			keys = strings.ToUpper(keys[:1]) + keys[1:]
		}
		b.WriteString(keys)
		if isVowelBase(base) && (i+1 == len(syl) || !isVowelBase(unicode.ToLower(syl[i+1]))) {
			afterVowels = b.Len()
		}
	}
	out := b.String()
	if tone == analyzers.ToneLevel {
		return out
	}
	k := string(telexToneKeys[tone])
	if allCaps {
		k = strings.ToUpper(k)
	}
	if key == ToneKeyAfterVowels && afterVowels >= 0 {
		return out[:afterVowels] + k + out[afterVowels:]
	}
	return out + k
}

// isVowelBase reports whether r, lower case, is a vowel letter with or
// without a tone.
func isVowelBase(r rune) bool {
	base, _ := toneOf(r)
	return strings.ContainsRune("aăâeêioôơuưy", base)
}
