package analyzers

import (
	"iter"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// TokenizerName is the registered name of Tokenizer.
const TokenizerName = "vi_tokenizer_v1"

// Tokenizer splits Vietnamese text into syllables and codes. A token is a
// run of letters, digits and combining marks, so NFD and Windows-1258 style
// text stays one token per syllable and "H5N1" or "F1" stay whole; a mark
// continues a token but never starts one. A dot or comma between two digits
// stays inside the token ("1.500.000", "2,5"); every other punctuation
// splits, so "ISO 9001:2000" gives iso, 9001, 2000 and both "9001" and
// "9001:2000" find it, and "15/2020/NĐ-CP" gives 15, 2020, nđ, cp. Invisible
// format characters (zero-width space and joiners, soft hyphen, BOM) inside
// a word are kept for the normalising filter to drop; non-breaking and
// other Unicode spaces split like a space.
//
// Offsets are byte offsets into the input, on rune boundaries, never moved
// by later filters, so highlighting points at the text as published. The
// input is not modified. It has no configuration, its zero value is ready
// to use, and it is safe for concurrent use.
type Tokenizer struct{}

var _ analysis.Tokenizer = Tokenizer{}

// isWordRune reports whether r belongs inside a token: a letter, a digit
// or a combining mark.
func isWordRune(r rune) bool {
	if r < latinSize {
		return runeClass[r]&classWord != 0
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r))
}

// isIgnorable reports whether r is an invisible format character that may
// sit inside a word without splitting it: CMS and word-processor output
// leaves them inside syllables.
func isIgnorable(r rune) bool {
	switch r {
	case 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return false
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// tokenBlock is how many tokens the tokenizer allocates at once, so a
// document costs a few allocations rather than one per token. A block stays
// under the runtime's 32 KB small-object limit: larger allocations take the
// heap lock and were a fifth of analysis time.
const tokenBlock = 256

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	// News text averages over five bytes a token.
	guess := len(input)/5 + 1
	stream := make(analysis.TokenStream, 0, guess)
	var block []analysis.Token
	scanTokens(input, func(start, end int, numeric bool) bool {
		if len(block) == cap(block) {
			block = make([]analysis.Token, 0, min(tokenBlock, guess))
		}
		typ := analysis.AlphaNumeric
		if numeric {
			typ = analysis.Numeric
		}
		block = append(block, analysis.Token{
			Term:     input[start:end],
			Start:    start,
			End:      end,
			Position: len(stream) + 1,
			Type:     typ,
		})
		stream = append(stream, &block[len(block)-1])
		return true
	})
	return stream
}

// Spans yields the byte range of each token Tokenize would give text, in
// order, without allocating: for reading a stored text again, as the
// highlighter does, where most tokens are looked at once and dropped.
func (Tokenizer) Spans(text string) iter.Seq2[int, int] {
	return func(yield func(start, end int) bool) {
		scanTokens(text, func(start, end int, _ bool) bool { return yield(start, end) })
	}
}

// scanTokens calls emit with the byte range of each token of input and
// whether it is all digits, until emit returns false.
func scanTokens[T string | []byte](input T, emit func(start, end int, numeric bool) bool) {
	start, end, numeric := -1, 0, true
	for i := 0; i < len(input); {
		r, width := rune(input[i]), 1
		if r >= utf8.RuneSelf {
			// At most one rune's bytes: converting them costs no allocation.
			r, width = utf8.DecodeRuneInString(string(input[i:min(len(input), i+utf8.UTFMax)]))
		}
		switch {
		case isWordRune(r) && (start >= 0 || !isMark(r)):
			if start < 0 {
				start, numeric = i, true
			}
			if r < '0' || r > '9' {
				numeric = false
			}
			end = i + width
		case start >= 0 && isIgnorable(r):
		case start >= 0 && (r == '.' || r == ',') && end == i && isDigitByte(input[i-1]) &&
			i+1 < len(input) && isDigitByte(input[i+1]):
		case start >= 0:
			if !emit(start, end, numeric) {
				return
			}
			start = -1
		}
		i += width
	}
	if start >= 0 {
		emit(start, end, numeric)
	}
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
