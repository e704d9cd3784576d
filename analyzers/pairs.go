package analyzers

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// PairsFilterName is the registered name of PairsFilter.
const PairsFilterName = "vi_pairs_v1"

// PairSeparator joins the two syllables of a pair term. A space never occurs
// inside a token, so a pair can never be mistaken for a single syllable.
const PairSeparator = " "

// PairsFilter replaces a token stream with its adjacent pairs: "khoa học
// công nghệ" gives "khoa học", "học công", "công nghệ". Vietnamese words are
// mostly two syllables written apart, so a query's adjacent syllables that
// match a pair term match a word, cheaply and without a phrase query, and
// "học khoa" does not match "khoa học". A pair spans both tokens' bytes and
// takes the first one's position; the stream's tokens are reused for the
// pairs, as bleve filters may. It has no configuration, its zero value is
// ready, and it is safe for concurrent use.
type PairsFilter struct{}

var _ analysis.TokenFilter = PairsFilter{}

// Filter implements analysis.TokenFilter. It turns the input tokens into
// pairs in place: a new token per pair would double the allocation of the
// whole analysis.
func (PairsFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	if len(input) < 2 {
		return input[:0]
	}
	size := 0
	for _, tok := range input {
		size += 2*len(tok.Term) + len(PairSeparator)
	}
	terms := make([]byte, 0, size)
	out := input[:0]
	for i := 0; i+1 < len(input); i++ {
		// Token i+1 is read before it is rewritten in the next round.
		a, b := input[i], input[i+1]
		if b.Position != a.Position+1 {
			continue
		}
		start := len(terms)
		terms = append(append(append(terms, a.Term...), PairSeparator...), b.Term...)
		a.Term = terms[start:len(terms):len(terms)]
		a.End = b.End
		a.Type = analysis.Shingle
		out = append(out, a)
	}
	return out
}

// PairsFilterConstructor builds a PairsFilter for the bleve registry; it
// takes no configuration keys.
func PairsFilterConstructor(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
	return PairsFilter{}, nil
}

func init() {
	if err := registry.RegisterTokenFilter(PairsFilterName, PairsFilterConstructor); err != nil {
		panic(err)
	}
}
