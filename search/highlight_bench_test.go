package search

import (
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/indexer"
	vnquery "github.com/vnsearch/vnsearch/query"
	"github.com/vnsearch/vnsearch/schema"
)

// BenchmarkSnippet cuts the snippet of every article of the test corpus
// as a hit for the first words of its title, as typed and without
// diacritics.
func BenchmarkSnippet(b *testing.B) {
	type hit struct {
		terms highlightTerms
		text  string
	}
	var asTyped, folded []hit
	err := indexer.ReadPaths([]string{"../testdata/corpus/articles.jsonl"}, indexer.Visitor{
		Article: func(a schema.Article) error {
			words := strings.Fields(a.Title)
			q := strings.Join(words[:min(4, len(words))], " ")
			text := strings.TrimSpace(a.Lead + "\n" + a.Body)
			asTyped = append(asTyped, hit{compile(vnquery.Parse(q), nil, analyzers.NewsAbbreviations()).highlight, text})
			folded = append(folded, hit{compile(vnquery.Parse(analyzers.Fold(q)), nil, analyzers.NewsAbbreviations()).highlight, text})
			return nil
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	var opts Options
	opts.SetDefaults()
	for name, hits := range map[string][]hit{"as typed": asTyped, "folded": folded} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, h := range hits {
					h.terms.snippet(h.text, opts.SnippetLength)
				}
			}
		})
	}
}
