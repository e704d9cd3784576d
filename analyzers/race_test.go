package analyzers

import (
	"slices"
	"sync"
	"testing"
)

// TestConcurrentAnalysis analyses with one instance of each analyzer from
// many goroutines, as bleve does, and checks every result against a
// sequential run. Run it with -race.
func TestConcurrentAnalysis(t *testing.T) {
	texts := make([]string, len(analysisRows))
	for i, row := range analysisRows {
		texts[i] = row.input
	}
	texts = append(texts, benchArticle)
	for _, name := range Names() {
		a := mustNew(t, name)
		want := make([][]string, len(texts))
		for i, text := range texts {
			want[i] = streamTerms(a.Analyze([]byte(text)))
		}
		var wg sync.WaitGroup
		for g := range 16 {
			wg.Go(func() {
				for round := range 20 {
					i := (g*7 + round) % len(texts)
					if got := streamTerms(a.Analyze([]byte(texts[i]))); !slices.Equal(got, want[i]) {
						t.Errorf("%s: concurrent Analyze(%q) = %q; want %q", name, texts[i], got, want[i])
					}
				}
			})
		}
		wg.Wait()
	}
}

// TestConcurrentQueryHelpers runs the query-side helpers from many
// goroutines, the shared abbreviation table first built by several at once.
func TestConcurrentQueryHelpers(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := NewsAbbreviations().Expand("UBND TP.HCM"); len(got) != 3 {
					t.Errorf("concurrent Expand(%q) gave %d expansions; want 3", "UBND TP.HCM", len(got))
				}
				if got := InputAlternatives("Nam Ddinhj"); !slices.Equal(got, []string{"Nam Định"}) {
					t.Errorf("concurrent InputAlternatives(%q) = %q", "Nam Ddinhj", got)
				}
				if !ValidSyllable("nghiêng") || Fold("Định") != "dinh" {
					t.Error("concurrent ValidSyllable or Fold disagrees with itself")
				}
			}
		})
	}
	wg.Wait()
}
