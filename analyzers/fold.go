package analyzers

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldTable maps every rune from U+0080 to the end of Latin Extended
// Additional (all Vietnamese letters live there) to its folded form: the
// lower-case base letter for a letter, -1 for a mark or an invisible format
// character that folding drops, the lower-case rune otherwise. It is built
// once and only read afterwards, which keeps Fold safe for concurrent use
// without a transform.Chain.
var foldTable = buildFoldTable()

const (
	foldTableLo = 0x0080
	foldTableHi = 0x1EFF
)

func buildFoldTable() []rune {
	t := make([]rune, foldTableHi-foldTableLo+1)
	for r := rune(foldTableLo); r <= foldTableHi; r++ {
		switch {
		case isMark(r) || isIgnorable(r):
			t[r-foldTableLo] = -1
		case unicode.IsLetter(r):
			base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
			t[r-foldTableLo] = unicode.ToLower(base)
		default:
			t[r-foldTableLo] = unicode.ToLower(r)
		}
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

// isMark reports whether r is a combining mark of any script. Such a mark
// continues a token but never starts one, and folding drops it.
func isMark(r rune) bool {
	if r < latinSize {
		return r >= 0 && runeClass[r]&classMark != 0
	}
	return unicode.Is(unicode.M, r)
}

// FoldRune returns the lower-case base letter of r with every tone and vowel
// mark removed and đ mapped to d, or -1 when r is a lone combining mark or an
// invisible format character that folding drops.
func FoldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r <= foldTableHi:
		return foldTable[r-foldTableLo]
	case isMark(r) || isIgnorable(r):
		return -1
	}
	// A few signs lower-case into the table (Å ANGSTROM SIGN to å), so they
	// go through it too: folding must be idempotent.
	l := unicode.ToLower(r)
	if l >= foldTableLo && l <= foldTableHi {
		return foldTable[l-foldTableLo]
	}
	return l
}

// Fold returns s lower-cased with all Vietnamese tone and vowel marks removed
// and đ/Đ (and its look-alike ð/Ð) mapped to d: "Nam Định" becomes
// "nam dinh". It accepts NFC, NFD and mixed input alike, drops invisible
// format characters such as the zero-width space, is idempotent, and is the
// one folding used both when indexing and when querying.
func Fold(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	return string(appendFold(make([]byte, 0, len(s)), s))
}

// AppendFoldToken appends to dst the term the folded analyzer makes of
// one token of Tokenizer: the Fold of it, and a two-digit number without
// its leading zero. It gives the same term as the normalise and fold
// filters, which differ from Fold alone only in that rule, at a fraction
// of their cost and without allocating when dst has room: the search side
// uses it to find the words to highlight in a text.
func AppendFoldToken[T string | []byte](dst []byte, token T) []byte {
	if isPaddedNumber(token) {
		return append(dst, token[1])
	}
	if isFoldedASCII(token) {
		return append(dst, token...)
	}
	return appendFold(dst, token)
}

// isFoldedASCII reports whether s is ASCII without upper case, which Fold
// leaves as it is.
func isFoldedASCII[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// appendFold appends the Fold of s to dst. It serves Fold and FoldFilter,
// so that a term and a query fold alike.
func appendFold[T string | []byte](dst []byte, s T) []byte {
	for _, r := range string(s) {
		if f := FoldRune(r); f >= 0 {
			dst = utf8.AppendRune(dst, f)
		}
	}
	return dst
}

// HasDiacritics reports whether s carries any mark that folding removes
// (a tone, a vowel mark or the stroke of đ), ignoring case.
func HasDiacritics(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf || isIgnorable(r) {
			continue
		}
		if FoldRune(r) != unicode.ToLower(r) {
			return true
		}
	}
	return false
}
