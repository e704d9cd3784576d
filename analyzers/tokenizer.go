package analyzers

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// TokenizerName is the registered name of Tokenizer.
const TokenizerName = "vi_tokenizer_v1"

// Tokenizer splits Vietnamese text into syllables and codes. A token is a
// run of letters, digits and combining marks, so NFD and Windows-1258 style
// text stays one token per syllable and "H5N1" or "F1" stay whole. A dot or
// comma between two digits stays inside the token ("1.500.000", "2,5");
// every other punctuation splits, so "ISO 9001:2000" gives iso, 9001, 2000
// and both "9001" and "9001:2000" find it. Zero-width joiners and soft
// hyphens inside a word are kept for the normalising filter to drop.
//
// Offsets are byte offsets into the input, never moved by later filters, so
// highlighting points at the text as published. It has no configuration,
// its zero value is ready to use, and it is safe for concurrent use.
type Tokenizer struct{}

var _ analysis.Tokenizer = Tokenizer{}

// isWordRune reports whether r belongs inside a token.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isIgnorable reports whether r is an invisible format character that may
// sit inside a word without splitting it.
func isIgnorable(r rune) bool {
	switch r {
	case 0x00AD, 0x200C, 0x200D, 0x2060:
		return true
	}
	return false
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	stream := make(analysis.TokenStream, 0, len(input)/6+1)
	start, numeric := -1, true
	emit := func(end int) {
		typ := analysis.AlphaNumeric
		if numeric {
			typ = analysis.Numeric
		}
		stream = append(stream, &analysis.Token{
			Term:     input[start:end],
			Start:    start,
			End:      end,
			Position: len(stream) + 1,
			Type:     typ,
		})
		start = -1
	}
	for i := 0; i < len(input); {
		r, width := rune(input[i]), 1
		if r >= utf8.RuneSelf {
			r, width = utf8.DecodeRune(input[i:])
		}
		switch {
		case r != utf8.RuneError && isWordRune(r):
			if start < 0 {
				start, numeric = i, true
			}
			if r < '0' || r > '9' {
				numeric = false
			}
		case start >= 0 && isIgnorable(r):
		case start >= 0 && (r == '.' || r == ',') && isDigitByte(input[i-1]) &&
			i+1 < len(input) && isDigitByte(input[i+1]):
		case start >= 0:
			emit(i)
		}
		i += width
	}
	if start >= 0 {
		emit(len(input))
	}
	return stream
}

// TokenizerConstructor builds a Tokenizer for the bleve registry; it takes
// no configuration keys.
func TokenizerConstructor(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
	return Tokenizer{}, nil
}

func init() {
	if err := registry.RegisterTokenizer(TokenizerName, TokenizerConstructor); err != nil {
		panic(err)
	}
}
