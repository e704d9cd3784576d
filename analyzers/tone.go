package analyzers

import (
	"slices"
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

// vowelLetters are the twelve Vietnamese vowel letters without a tone, lower
// case then upper case; a letter's index here is its vowel id.
var vowelLetters = []rune("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")

// vowelTableSize bounds the runes the vowel table covers: every Vietnamese
// vowel, in either case and with any tone, lies below U+1F00.
const vowelTableSize = 0x1F00

var (
	// vowelForms[id] holds vowel id's six forms, indexed by Tone.
	vowelForms = make([][6]rune, len(vowelLetters))
	// vowelCodes maps a rune to 1+6*id+tone, or 0 when it is not a vowel.
	// A table rather than a map: it is read for every letter analysed.
	vowelCodes [vowelTableSize]uint8
)

func init() {
	for id, base := range vowelLetters {
		forms := &vowelForms[id]
		forms[ToneLevel] = base
		for i, mark := range toneMarks {
			forms[i+1] = []rune(norm.NFC.String(string([]rune{base, mark})))[0]
		}
		for tone, r := range forms {
			vowelCodes[r] = uint8(1 + 6*id + tone)
		}
	}
}

// vowelOf returns the vowel id and tone of r, with ok false when r is not a
// Vietnamese vowel letter.
func vowelOf(r rune) (id int, tone Tone, ok bool) {
	if r < 0 || r >= vowelTableSize || vowelCodes[r] == 0 {
		return 0, 0, false
	}
	c := int(vowelCodes[r]) - 1
	return c / 6, Tone(c % 6), true
}

// isVowel reports whether r is a Vietnamese vowel letter in any case and tone.
func isVowel(r rune) bool {
	_, _, ok := vowelOf(r)
	return ok
}

// hasVowelMark reports whether vowel id carries a quality mark (ă â ê ô ơ
// ư): those attract the tone.
func hasVowelMark(id int) bool {
	switch unicode.ToLower(vowelForms[id][ToneLevel]) {
	case 'ă', 'â', 'ê', 'ô', 'ơ', 'ư':
		return true
	}
	return false
}

// withTone returns vowel r, of any tone, carrying tone t instead.
func withTone(r rune, t Tone) rune {
	id, _, _ := vowelOf(r)
	return vowelForms[id][t]
}

// CanonicalTone moves the tone mark of a single syllable to the place the
// traditional style puts it ("hoà" → "hòa", "thuý" → "thúy", "khoẻ" →
// "khỏe", "Uỷ" → "Ủy"), so both styles found in Vietnamese news meet. The
// traditional style is the canonical one because it is the more frequent in
// published news; see docs/analysis.md.
//
// syl must be NFC. Anything that is not a well-formed syllable with exactly
// one tone mark is returned unchanged, as is a syllable already in canonical
// form; otherwise the result is a new slice and syl is not modified. The
// case of each letter is kept.
func CanonicalTone(syl []rune) []rune {
	from, to := toneMove(syl)
	if from == to {
		return syl
	}
	out := slices.Clone(syl)
	moveTone(out, from, to)
	return out
}

// toneMove returns where the tone of syl is and where the canonical style
// puts it; the two are equal when there is nothing to move.
func toneMove(syl []rune) (from, to int) {
	from = -1
	for i, r := range syl {
		_, tone, ok := vowelOf(r)
		if !ok {
			if !unicode.IsLetter(r) {
				return 0, 0
			}
			continue
		}
		if tone != ToneLevel {
			if from >= 0 {
				return 0, 0
			}
			from = i
		}
	}
	if from < 0 {
		return 0, 0
	}
	to = toneSeat(syl)
	if to < 0 {
		return 0, 0
	}
	return from, to
}

// moveTone moves the tone of the vowel at from to the vowel at to, in place.
func moveTone(syl []rune, from, to int) {
	_, tone, _ := vowelOf(syl[from])
	syl[from] = withTone(syl[from], ToneLevel)
	syl[to] = withTone(syl[to], tone)
}

// placeTone puts tone t on the canonical vowel of the toneless syllable syl,
// in place, and reports false when syl has no place for it.
func placeTone(syl []rune, t Tone) bool {
	at := toneSeat(syl)
	if at < 0 {
		return false
	}
	syl[at] = withTone(syl[at], t)
	return true
}

// nucleus finds the vowel run of a syllable, treating the u of "qu" and the
// i of "gi" before another vowel as part of the initial consonant. It
// reports false when the letters after the vowels are not all consonants or
// the run is longer than any Vietnamese rhyme.
func nucleus(syl []rune) (start, end int, ok bool) {
	for start < len(syl) && !isVowel(syl[start]) {
		start++
	}
	if start == len(syl) {
		return 0, 0, false
	}
	if start == 1 && start+1 < len(syl) && isVowel(syl[start+1]) {
		initial := unicode.ToLower(syl[0])
		v := unicode.ToLower(withTone(syl[start], ToneLevel))
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
// canonical style, or -1 when syl has no vowel nucleus: a vowel with a
// quality mark (the later one in ươ); otherwise the last vowel before a
// final consonant; otherwise, in an open syllable, the first of two vowels
// or the middle of three.
func toneSeat(syl []rune) int {
	start, end, ok := nucleus(syl)
	if !ok {
		return -1
	}
	seat := -1
	for i := start; i < end; i++ {
		if id, _, _ := vowelOf(syl[i]); hasVowelMark(id) {
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
