package analyzers

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Tone is one of the six Vietnamese tones, as marked on a vowel.
type Tone int

// The tones, in the order of the combining marks in toneMarks.
const (
	ToneLevel   Tone = iota // ngang: no mark
	ToneFalling             // huyền: grave
	ToneRising              // sắc: acute
	ToneDipping             // hỏi: hook above
	ToneCreaky              // ngã: tilde
	ToneHeavy               // nặng: dot below
)

// toneMarks are the combining marks of ToneFalling to ToneHeavy.
var toneMarks = [...]rune{0x0300, 0x0301, 0x0309, 0x0303, 0x0323}

// vowelBases are the twelve Vietnamese vowel letters without a tone.
const vowelBases = "aăâeêioôơuưy"

// vowelInfo describes one precomposed vowel: its toneless letter and tone.
type vowelInfo struct {
	base rune
	tone Tone
}

var (
	vowels    map[rune]vowelInfo // every vowel letter, either case, any tone
	withTones map[rune][6]rune   // toneless vowel letter -> its six forms
)

func init() {
	vowels = make(map[rune]vowelInfo, 2*6*len(vowelBases))
	withTones = make(map[rune][6]rune, 2*len(vowelBases))
	for _, lower := range vowelBases {
		for _, base := range []rune{lower, unicode.ToUpper(lower)} {
			var forms [6]rune
			forms[ToneLevel] = base
			for i, mark := range toneMarks {
				composed := []rune(norm.NFC.String(string([]rune{base, mark})))
				forms[i+1] = composed[0]
			}
			withTones[base] = forms
			for tone, r := range forms {
				vowels[r] = vowelInfo{base: base, tone: Tone(tone)}
			}
		}
	}
}

// isVowel reports whether r is a Vietnamese vowel letter in any case and tone.
func isVowel(r rune) bool {
	_, ok := vowels[r]
	return ok
}

// hasVowelMark reports whether the toneless vowel r carries a vowel quality
// mark (ă â ê ô ơ ư): those attract the tone.
func hasVowelMark(r rune) bool {
	switch unicode.ToLower(r) {
	case 'ă', 'â', 'ê', 'ô', 'ơ', 'ư':
		return true
	}
	return false
}

// CanonicalTone moves the tone mark of a single syllable to the place the
// traditional style puts it ("hoà" → "hòa", "thuý" → "thúy", "khoẻ" →
// "khỏe", "Uỷ" → "Ủy"), so both styles found in Vietnamese news meet. The
// traditional style is the canonical one because it is the more frequent in
// published news; see docs/analysis.md.
//
// syl must be NFC. Anything that is not a well-formed syllable with exactly
// one tone mark is returned unchanged, as is a syllable already in canonical
// form. The case of each letter is kept.
func CanonicalTone(syl []rune) []rune {
	toneAt, tone := -1, ToneLevel
	for i, r := range syl {
		v, ok := vowels[r]
		if !ok {
			if !unicode.IsLetter(r) {
				return syl
			}
			continue
		}
		if v.tone != ToneLevel {
			if toneAt >= 0 {
				return syl
			}
			toneAt, tone = i, v.tone
		}
	}
	if toneAt < 0 {
		return syl
	}
	start, end, ok := nucleus(syl)
	if !ok {
		return syl
	}
	want := toneSeat(syl, start, end)
	if want == toneAt {
		return syl
	}
	out := make([]rune, len(syl))
	copy(out, syl)
	out[toneAt] = vowels[syl[toneAt]].base
	out[want] = withTones[vowels[syl[want]].base][tone]
	return out
}

// nucleus finds the vowel run of a syllable, treating the u of "qu" and the
// i of "gi" before another vowel as part of the initial consonant. It
// reports false when the letters after the vowels are not all consonants or
// the run is longer than any Vietnamese rhyme.
func nucleus(syl []rune) (start, end int, ok bool) {
	start = 0
	for start < len(syl) && !isVowel(syl[start]) {
		start++
	}
	if start == len(syl) {
		return 0, 0, false
	}
	if start == 1 && start+1 < len(syl) && isVowel(syl[start+1]) {
		initial := unicode.ToLower(syl[0])
		v := unicode.ToLower(vowels[syl[start]].base)
		if (initial == 'q' && v == 'u') || (initial == 'g' && v == 'i') {
			start++
		}
	}
	end = start
	for end < len(syl) && isVowel(syl[end]) {
		end++
	}
	for _, r := range syl[end:] {
		if isVowel(r) {
			return 0, 0, false
		}
	}
	if end-start > 3 {
		return 0, 0, false
	}
	return start, end, true
}

// toneSeat returns the index of the vowel that carries the tone in the
// canonical style: a vowel with a quality mark (the later one in ươ);
// otherwise the last vowel before a final consonant; otherwise, in an open
// syllable, the first of two vowels or the middle of three.
func toneSeat(syl []rune, start, end int) int {
	seat := -1
	for i := start; i < end; i++ {
		if hasVowelMark(vowels[syl[i]].base) {
			seat = i
		}
	}
	switch {
	case seat >= 0:
		return seat
	case end < len(syl):
		return end - 1
	case end-start == 3:
		return start + 1
	}
	return start
}
