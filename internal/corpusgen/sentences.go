package corpusgen

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations are the words Vietnamese news writes with a full stop
// before a name or a number, where a stop followed by a capital does not
// end the sentence: titles (PGS.TS. Nguyễn…), TP. Hồ Chí Minh, Q. Ba Đình.
// A single letter (George W. Bush, Nguyễn V. A) is an initial as well.
var abbreviations = map[string]bool{
	"TP": true, "Tp": true, "tp": true, "TS": true, "PGS": true, "GS": true, "ThS": true,
	"BS": true, "KS": true, "NSƯT": true, "NSND": true, "TT": true, "TX": true,
	"NXB": true, "Mr": true, "Mrs": true, "Ms": true, "Dr": true, "St": true,
	"Co": true, "Ltd": true, "Inc": true, "Corp": true, "Jr": true, "Sr": true,
	"No": true, "vs": true, "tr": true,
}

// SplitSentences splits one paragraph into its sentences, trimmed, in
// order, as substrings of p. A sentence ends at ".", "!", "?", "…" or
// "...", with any closing quotes and brackets after them, when white space
// and then a capital letter, an opening quote or bracket, or a dash follow.
// So numbers and codes keep their punctuation ("ISO 9001:2000",
// "25/05/2012", "1.700", "TP.HCM", "ĐT: 063. 876681"), as do
// abbreviations and initials ("PGS.TS. Lê Văn A", "George W. Bush"), and
// an ellipsis inside a sentence ("rau, cá… đều có") does not cut it.
func SplitSentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		if !isTerminator(r) {
			i += size
			continue
		}
		end := i + size
		stops := 1
		for end < len(p) {
			r2, s2 := utf8.DecodeRuneInString(p[end:])
			if isTerminator(r2) {
				stops++
			} else if !isCloser(r2) {
				break
			}
			end += s2
		}
		if r == '.' && stops == 1 && isAbbreviation(p[start:i]) {
			i = end
			continue
		}
		next := end
		for next < len(p) {
			r2, s2 := utf8.DecodeRuneInString(p[next:])
			if !unicode.IsSpace(r2) {
				break
			}
			next += s2
		}
		if next == end || next == len(p) {
			i = end // no space after it, or the paragraph's end
			continue
		}
		if r2, _ := utf8.DecodeRuneInString(p[next:]); unicode.IsUpper(r2) || isOpener(r2) {
			if s := strings.TrimSpace(p[start:end]); s != "" {
				out = append(out, s)
			}
			start = next
		}
		i = next
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func isTerminator(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '(', '[', '«', '-', '–', '—':
		return true
	}
	return false
}

// isAbbreviation reports whether the word at the end of text, before a
// full stop, is an abbreviation or an initial rather than a sentence's
// last word. Only its part after any inner stop counts: "PGS.TS" ends in
// the title "TS", "TP.HCM" in the place name "HCM".
func isAbbreviation(text string) bool {
	word := text[strings.LastIndexFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == '.' })+1:]
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsLetter(r)
	}
	return abbreviations[word]
}
