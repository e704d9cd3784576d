package eval

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/vnsearch/vnsearch/analyzers"
)

// words splits text into the words a reader would retype: runs between
// white space, with the punctuation around them ("Hà Nội:", "(TTXVN)")
// trimmed. Punctuation inside a word stays ("COVID-19", "15/2020/NĐ-CP");
// a run of punctuation alone ("-", "…") is no word.
func words(text string) []string {
	var out []string
	for _, f := range strings.Fields(text) {
		w := strings.TrimFunc(f, func(r rune) bool { return !isWordRune(r) })
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// stripDiacritics removes every tone and vowel mark and writes đ as d,
// keeping case and everything else: "Nam Định: 5 tháng" becomes
// "Nam Dinh: 5 thang". It is how a reporter types without a Vietnamese
// keyboard; analyzers.Fold would also lower-case.
func stripDiacritics(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		f := analyzers.FoldRune(r)
		if f < 0 {
			continue
		}
		if unicode.IsUpper(r) {
			f = unicode.ToUpper(f)
		}
		b.WriteRune(f)
	}
	return b.String()
}

// toneMarks are the combining marks of the tones, indexed by
// analyzers.Tone; ToneLevel has none.
var toneMarks = [...]rune{
	analyzers.ToneFalling: 0x0300,
	analyzers.ToneRising:  0x0301,
	analyzers.ToneDipping: 0x0309,
	analyzers.ToneCreaky:  0x0303,
	analyzers.ToneHeavy:   0x0323,
}

// toneOf returns r without its tone mark and the tone it carried. The
// vowel marks of ă, â, ê, ô, ơ and ư stay: toneOf('ệ') is 'ê',
// ToneHeavy. A rune with no tone is returned as it is, with ToneLevel.
func toneOf(r rune) (base rune, tone analyzers.Tone) {
	d := []rune(norm.NFD.String(string(r)))
	kept := d[:0]
	for _, m := range d {
		if t := toneOfMark(m); t != analyzers.ToneLevel {
			tone = t
			continue
		}
		kept = append(kept, m)
	}
	if tone == analyzers.ToneLevel {
		return r, tone
	}
	return []rune(norm.NFC.String(string(kept)))[0], tone
}

func toneOfMark(m rune) analyzers.Tone {
	for t, mark := range toneMarks {
		if mark != 0 && mark == m {
			return analyzers.Tone(t)
		}
	}
	return analyzers.ToneLevel
}

// withTone returns the vowel r carrying tone t instead of its own.
func withTone(r rune, t analyzers.Tone) rune {
	base, _ := toneOf(r)
	if t == analyzers.ToneLevel {
		return base
	}
	return []rune(norm.NFC.String(string([]rune{base, toneMarks[t]})))[0]
}

// toned returns the index of the one rune of syl that carries a tone and
// the tone, or -1 when none does or more than one does.
func toned(syl []rune) (at int, tone analyzers.Tone) {
	at = -1
	for i, r := range syl {
		if _, t := toneOf(r); t != analyzers.ToneLevel {
			if at >= 0 {
				return -1, analyzers.ToneLevel
			}
			at, tone = i, t
		}
	}
	return at, tone
}

// otherToneStyle writes one syllable in the other tone-mark style: the
// tone of an open oa, oe or uy moves from the first vowel to the second
// ("hòa" → "hoà", "thủy" → "thuỷ", "Ủy" → "Uỷ") or back ("khoẻ" → "khỏe").
// It reports false for a syllable the two styles spell alike ("hoàng",
// "quý", "hoa", "ISO").
func otherToneStyle(word string) (string, bool) {
	syl := []rune(norm.NFC.String(word))
	if !analyzers.ValidSyllable(word) {
		return word, false
	}
	if c := analyzers.CanonicalTone(syl); string(c) != string(syl) {
		return string(c), true // second-vowel style to the first
	}
	n := len(syl)
	at, tone := toned(syl)
	if n < 2 || at != n-2 {
		return word, false
	}
	first, _ := toneOf(unicode.ToLower(syl[n-2]))
	pair := string([]rune{first, unicode.ToLower(syl[n-1])})
	if pair != "oa" && pair != "oe" && pair != "uy" {
		return word, false
	}
	if n >= 3 {
		before, _ := toneOf(unicode.ToLower(syl[n-3]))
		if before == 'q' || strings.ContainsRune("aăâeêioôơuưy", before) {
			return word, false // qu spells its u, and three vowels keep the tone in the middle
		}
	}
	out := append([]rune(nil), syl...)
	out[n-2] = withTone(out[n-2], analyzers.ToneLevel)
	out[n-1] = withTone(out[n-1], tone)
	// The move must be the one canonicalisation undoes, or it was no
	// style difference.
	if string(analyzers.CanonicalTone(out)) != string(syl) {
		return word, false
	}
	return string(out), true
}

// markedTones lists the tones a mistyped mark can become: the other marked
// tones, since the typist meant to type a mark.
var markedTones = []analyzers.Tone{
	analyzers.ToneFalling, analyzers.ToneRising, analyzers.ToneDipping,
	analyzers.ToneCreaky, analyzers.ToneHeavy,
}

// mistypings returns the syllables word becomes when its tone mark is
// replaced with another mark and the result is still a valid syllable:
// "đội" (nặng) gives "đồi", "đối", "đổi" and "đỗi"; "Việt" only "Viết",
// since a syllable closed by t takes only sắc or nặng. It returns nil for
// a word without a tone mark or that is not a syllable.
func mistypings(word string) []string {
	syl := []rune(norm.NFC.String(word))
	if !analyzers.ValidSyllable(word) {
		return nil
	}
	at, tone := toned(syl)
	if at < 0 {
		return nil
	}
	var out []string
	for _, t := range markedTones {
		if t == tone {
			continue
		}
		c := append([]rune(nil), syl...)
		c[at] = withTone(c[at], t)
		if s := string(c); analyzers.ValidSyllable(s) {
			out = append(out, s)
		}
	}
	return out
}
