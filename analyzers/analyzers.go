package analyzers

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Registered analyzer names. Exact and folded analyses of one text give the
// same tokens at the same positions and offsets, differing only in terms, so
// a match in either field highlights the same words.
const (
	// Exact keeps diacritics after normalisation: "Nam Định" → nam, định.
	Exact = "vi_exact_v1"
	// Folded removes them: "Nam Định" → nam, dinh.
	Folded = "vi_folded_v1"
	// ExactPairs gives adjacent syllable pairs with diacritics: "nam định".
	ExactPairs = "vi_pairs_exact_v1"
	// FoldedPairs gives adjacent syllable pairs without: "nam dinh".
	FoldedPairs = "vi_pairs_folded_v1"
)

// chains lists each analyzer's token filters after the tokenizer.
var chains = map[string][]analysis.TokenFilter{
	Exact:       {NormalizeFilter{}},
	Folded:      {NormalizeFilter{}, FoldFilter{}},
	ExactPairs:  {NormalizeFilter{}, PairsFilter{}},
	FoldedPairs: {NormalizeFilter{}, FoldFilter{}, PairsFilter{}},
}

// Names lists the registered analyzers, for help texts and validation.
func Names() []string { return []string{Exact, Folded, ExactPairs, FoldedPairs} }

// New returns the named vnsearch analyzer without going through a bleve
// index, for the query side and for tools that show what the index sees.
func New(name string) (analysis.Analyzer, error) {
	filters, ok := chains[name]
	if !ok {
		return nil, fmt.Errorf("unknown analyzer %q", name)
	}
	return &analysis.DefaultAnalyzer{Tokenizer: Tokenizer{}, TokenFilters: filters}, nil
}

// MustNew is New for a name from Names, which cannot fail: it panics
// otherwise. It is for package-level analyzers, which are safe for
// concurrent use.
func MustNew(name string) analysis.Analyzer {
	a, err := New(name)
	if err != nil {
		panic(err)
	}
	return a
}

func init() {
	for _, name := range Names() {
		if err := registry.RegisterAnalyzer(name, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
			return New(name)
		}); err != nil {
			panic(err)
		}
	}
}
