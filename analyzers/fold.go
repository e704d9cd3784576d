package analyzers

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldTable maps every precomposed Latin letter (Latin-1, Latin Extended-A/B
// and Latin Extended Additional, where all Vietnamese letters live) to its
// lower-case base letter. It is built once and only read afterwards, which
// keeps Fold safe for concurrent use without a transform.Chain.
var foldTable = buildFoldTable()

const (
	foldTableLo = 0x00C0
	foldTableHi = 0x1EFF
)

func buildFoldTable() []rune {
	t := make([]rune, foldTableHi-foldTableLo+1)
	for r := rune(foldTableLo); r <= foldTableHi; r++ {
		t[r-foldTableLo] = unicode.ToLower(r)
		if !unicode.IsLetter(r) {
			continue
		}
		base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
		t[r-foldTableLo] = unicode.ToLower(base)
	}
	// Unicode decomposition leaves these alone; Vietnamese readers do not.
	for _, r := range "đĐðÐ" {
		t[r-foldTableLo] = 'd'
	}
	return t
}

// isCombiningMark reports whether r is a combining diacritical mark, the
// form tone and vowel marks take in NFD or Windows-1258 style text.
func isCombiningMark(r rune) bool {
	return r >= 0x0300 && r <= 0x036F
}

// FoldRune returns the lower-case base letter of r with every tone and vowel
// mark removed and đ mapped to d, or -1 when r is a lone combining mark that
// folding drops.
func FoldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case isCombiningMark(r):
		return -1
	case r >= foldTableLo && r <= foldTableHi:
		return foldTable[r-foldTableLo]
	}
	return unicode.ToLower(r)
}

// Fold returns s lower-cased with all Vietnamese tone and vowel marks removed
// and đ/Đ (and its look-alike ð/Ð) mapped to d: "Nam Định" becomes
// "nam dinh". It accepts NFC, NFD and mixed input alike, is idempotent, and
// is the one folding used both when indexing and when querying.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f := FoldRune(r); f >= 0 {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// HasDiacritics reports whether s carries any mark that folding removes
// (a tone, a vowel mark or the stroke of đ), ignoring case.
func HasDiacritics(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf {
			continue
		}
		if FoldRune(r) != unicode.ToLower(r) {
			return true
		}
	}
	return false
}
