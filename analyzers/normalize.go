package analyzers

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// NormalizeFilterName is the registered name of NormalizeFilter.
const NormalizeFilterName = "vi_normalize_v1"

// NormalizeFilter gives every spelling of a Vietnamese word one form while
// keeping its diacritics: NFC composition of NFD and Windows-1258 style
// input, ð/Ð (a legacy-conversion look-alike) to đ, invisible format
// characters dropped, lower case, the tone mark moved to its canonical vowel
// (CanonicalTone), and a leading zero dropped from a two-digit number, so
// that a date or time written "05/05" matches "5/5". It only rewrites terms,
// never offsets or positions, and never writes into the analysed input. It
// has no configuration, its zero value is ready, and it is safe for
// concurrent use.
type NormalizeFilter struct{}

var _ analysis.TokenFilter = NormalizeFilter{}

// Filter implements analysis.TokenFilter.
func (NormalizeFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var arena termArena
	for i, tok := range input {
		if isNormalASCII(tok.Term) {
			continue
		}
		tok.Term = arena.add(input[i:], func(dst []byte) []byte {
			return appendNormalized(dst, tok.Term)
		})
	}
	return input
}

// isNormalASCII reports whether term is already in normal form and ASCII,
// as most codes and numbers are, so it can be kept without a copy.
func isNormalASCII[T string | []byte](term T) bool {
	if isPaddedNumber(term) {
		return false
	}
	return isFoldedASCII(term)
}

// isPaddedNumber reports whether term is a two-digit number with a leading
// zero, as dates and times write it ("05/05", "07:05"), which the filter
// writes without.
func isPaddedNumber[T string | []byte](term T) bool {
	return len(term) == 2 && term[0] == '0' && isDigitByte(term[1])
}

// AppendNormalizedToken appends to dst the term NormalizeFilter makes of
// one token, as a text's word is checked against exact terms without an
// analysis.
func AppendNormalizedToken[T string | []byte](dst []byte, token T) []byte {
	if isNormalASCII(token) {
		return append(dst, token...)
	}
	return appendNormalized(dst, token)
}

// appendNormalized appends NormalizeFilter's form of term to dst.
func appendNormalized[T string | []byte](dst []byte, term T) []byte {
	if isPaddedNumber(term) {
		return append(dst, term[1])
	}
	var buf [32]rune
	runes, marks := buf[:0], false
	for _, r := range string(term) {
		switch {
		case isIgnorable(r):
			continue
		case r == 'ð' || r == 'Ð':
			r = 'đ'
		case isCombiningMark(r):
			marks = true
		}
		runes = append(runes, toLower(r))
	}
	if marks {
		// Rare (NFD or Windows-1258 input), so the allocation is fine.
		runes = []rune(norm.NFC.String(string(runes)))
	}
	if from, to := toneMove(runes); from != to {
		moveTone(runes, from, to)
	}
	for _, r := range runes {
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// NormalizeFilterConstructor builds a NormalizeFilter for the bleve
// registry; it takes no configuration keys.
func NormalizeFilterConstructor(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
	return NormalizeFilter{}, nil
}

// NormalizeText prepares text for storage and display: NFC, ð/Ð to đ/Đ,
// non-breaking and other Unicode spaces to plain spaces, invisible format
// characters removed. Unlike the filter it keeps case and tone placement,
// so the stored text reads as published.
func NormalizeText(s string) string {
	s = norm.NFC.String(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == 'ð':
			return 'đ'
		case r == 'Ð':
			return 'Đ'
		case isIgnorable(r), r == 0x200B, r == 0xFEFF:
			return -1
		case r != '\n' && r != '\t' && unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
}

// FoldFilterName is the registered name of FoldFilter.
const FoldFilterName = "vi_fold_v1"

// FoldFilter replaces each term with its Fold: no tones, no vowel marks,
// đ as d, lower case. It never writes into the analysed input. It has no
// configuration, its zero value is ready, and it is safe for concurrent use.
type FoldFilter struct{}

var _ analysis.TokenFilter = FoldFilter{}

// Filter implements analysis.TokenFilter.
func (FoldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var arena termArena
	for i, tok := range input {
		if isFoldedASCII(tok.Term) {
			continue
		}
		tok.Term = arena.add(input[i:], func(dst []byte) []byte {
			return appendFold(dst, tok.Term)
		})
	}
	return input
}

// FoldFilterConstructor builds a FoldFilter for the bleve registry; it takes
// no configuration keys.
func FoldFilterConstructor(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
	return FoldFilter{}, nil
}

func init() {
	for name, c := range map[string]registry.TokenFilterConstructor{
		NormalizeFilterName: NormalizeFilterConstructor,
		FoldFilterName:      FoldFilterConstructor,
	} {
		if err := registry.RegisterTokenFilter(name, c); err != nil {
			panic(err)
		}
	}
}
