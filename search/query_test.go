package search

import (
	"testing"

	"github.com/vnsearch/vnsearch/analyzers"
	vnquery "github.com/vnsearch/vnsearch/query"
	"github.com/vnsearch/vnsearch/schema"
)

// countedVocabulary answers article counts from a table and knows no
// spellings or typos.
type countedVocabulary map[string]uint64

func (v countedVocabulary) closest(string) string              { return "" }
func (v countedVocabulary) restore(folded []string) []string   { return make([]string, len(folded)) }
func (v countedVocabulary) matching([][]string) (uint64, bool) { return 0, false }
func (v countedVocabulary) articles(field, term string) uint64 {
	if field != schema.Text.Folded {
		return 0
	}
	return v[term]
}

func TestCommonWordsFilterRatherThanScore(t *testing.T) {
	vocab := countedVocabulary{"cac": 40000, "cua": 50000, "va": 55000, "nam": 900, "dinh": 1500}
	tests := []struct {
		query            string
		must, filter     int
		onlyDrives       bool
		driverIsTheRarer bool
	}{
		{"nam định", 2, 0, false, false},
		{"nam định của", 2, 1, false, false},
		// Every word is common: the rarest drives the matching and the
		// others filter.
		{"của các và", 1, 2, true, true},
	}
	for _, tt := range tests {
		p := compile(vnquery.Parse(tt.query), vocab, analyzers.NewsAbbreviations())
		if len(p.must) != tt.must || len(p.filter) != tt.filter || p.mustOnlyDrives != tt.onlyDrives {
			t.Errorf("compile(%q): %d must, %d filter, only drives %v; want %d, %d, %v",
				tt.query, len(p.must), len(p.filter), p.mustOnlyDrives, tt.must, tt.filter, tt.onlyDrives)
		}
		if tt.driverIsTheRarer {
			for _, f := range p.filter {
				if f.articles < vocab["cac"] {
					t.Errorf("compile(%q): %d-article word filters; the rarest should drive", tt.query, f.articles)
				}
			}
		}
	}
}
