package search

import (
	"math"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// minWholeRun is how many words a run of the query must have for the hits
// holding all of it, in order, to rank above those that do not: a phrase
// copied from an article. Shorter runs are ranked by their pairs alone,
// since two or three words side by side are common and say less.
const minWholeRun = 5

// finalDepth is how many of the best hits the final ranking reorders by
// what only the stored article tells: whether its text holds the query's
// whole run, and its date. The passes put an article holding the run
// within the first few (its pairs all match), so 30 is ample, and it
// bounds the stored texts read per search.
const finalDepth = 30

// wholeRun is a run of query words, each position with its folded
// spellings (as typed, decoded, corrected); the zero value is no run.
type wholeRun struct {
	words [][]string
	// initials tells the words of a text that cannot be any spelling
	// without folding them.
	initials highlightTerms
}

func newWholeRun(words [][]string) wholeRun {
	h := newHighlightTerms(false)
	for _, spellings := range words {
		for _, f := range spellings {
			h.add(queryTerm{folded: f}, false, true)
		}
	}
	return wholeRun{words: words, initials: h}
}

// in reports whether text holds the run: a spelling of each position's
// word, one word after the other (punctuation between them is no word).
func (r wholeRun) in(text string) bool {
	// matched[j] says the words up to the current one end with r.words[:j+1].
	matched := make([]bool, len(r.words))
	var buf [64]byte
	for start, end := range (analyzers.Tokenizer{}).Spans(text) {
		word := text[start:end]
		term := ""
		if r.initials.mayMatch(word) {
			term = string(analyzers.AppendFoldToken(buf[:0], word))
		}
		for j := len(r.words) - 1; j >= 0; j-- {
			matched[j] = (j == 0 || matched[j-1]) && slices.Contains(r.words[j], term)
		}
		if matched[len(r.words)-1] {
			return true
		}
	}
	return false
}

// pairsQuery matches the articles whose whole text has every two
// neighbouring words of r side by side, in one spelling or another: every
// article holding r does, and most that do not are left out, so only
// those need reading.
func (r wholeRun) pairsQuery() query.Query {
	var each []query.Query
	for i := 1; i < len(r.words); i++ {
		var spellings []query.Query
		for _, a := range r.words[i-1] {
			for _, b := range r.words[i] {
				spellings = append(spellings, termQuery(schema.Text.FoldedPairs, pairTerm(a, b), 1))
			}
		}
		each = append(each, disjunction(spellings))
	}
	return conjunction(each)
}

// heldBy reports whether the title, lead or body of a holds r.
func (r wholeRun) heldBy(a schema.Article) bool {
	return r.in(a.Title) || r.in(a.Lead) || r.in(a.Body)
}

// recencyWeight is how much more than an old article's score a new one's
// is at most: 1 + recencyWeight for an article published at the time of
// the search, half that bonus at one half-life of age. It is mild so that
// it orders articles that match alike and leaves a better match first
// (docs/search.md).
const recencyWeight = 0.1

// recency returns the factor an article published at published scores
// with at now, for the half-life; 1 for an undated article or with no
// half-life.
func recency(published, now time.Time, halfLife time.Duration) float64 {
	if published.IsZero() || halfLife <= 0 {
		return 1
	}
	age := max(now.Sub(published), 0)
	return 1 + recencyWeight*math.Exp2(-float64(age)/float64(halfLife))
}

// finalRanking is the last step of a ranking by relevance: over the best
// finalDepth hits, each scores times its recency, and those whose text
// holds the query's whole run rank above those that do not.
type finalRanking struct {
	run      wholeRun
	halfLife time.Duration // 0: no recency
	now      time.Time
	// mayHold returns which of the hits' ids may hold the run, the others
	// certainly not; nil when it cannot tell, and all are read.
	mayHold func(ids []string) map[string]bool
}

// active reports whether the final ranking changes anything.
func (f finalRanking) active() bool { return len(f.run.words) > 0 || f.halfLife > 0 }

// widen makes sr, which asks for a page of hits, ask for the best
// finalDepth too when the page is among them, and returns what cuts the
// page from the reordered hits.
func (f finalRanking) widen(sr *bleve.SearchRequest) func(bsearch.DocumentMatchCollection) bsearch.DocumentMatchCollection {
	from, size := sr.From, sr.Size
	if !f.active() || from >= finalDepth {
		return func(hits bsearch.DocumentMatchCollection) bsearch.DocumentMatchCollection { return hits }
	}
	sr.From, sr.Size = 0, max(finalDepth, from+size)
	return func(hits bsearch.DocumentMatchCollection) bsearch.DocumentMatchCollection {
		f.reorder(hits[:min(len(hits), finalDepth)])
		if from >= len(hits) {
			return nil
		}
		return hits[from:min(len(hits), from+size)]
	}
}

// reorder ranks hits, the best by the passes, by their recency and then
// puts those holding the whole run first. Scores stay in the order of the
// hits: a holder's gains the best score of all, and the factors are at
// least 1, so every hit still scores at least as much as any after the
// reordered ones.
func (f finalRanking) reorder(hits bsearch.DocumentMatchCollection) {
	holds := make([]bool, len(hits))
	var candidates map[string]bool
	if len(f.run.words) > 0 && f.mayHold != nil {
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.ID
		}
		candidates = f.mayHold(ids)
	}
	// Reading whether a whole article holds the run is most of the final
	// ranking's work, and each hit's is its own.
	onEveryCore(len(hits), func(i int) {
		h := hits[i]
		a := schema.FromStored(h.ID, h.Fields)
		h.Score *= recency(a.Published, f.now, f.halfLife)
		holds[i] = len(f.run.words) > 0 && (candidates == nil || candidates[h.ID]) && f.run.heldBy(a)
	})
	best := 0.0
	for _, h := range hits {
		best = max(best, h.Score)
	}
	for i, h := range hits {
		if holds[i] {
			h.Score += best
		}
	}
	slices.SortStableFunc(hits, func(a, b *bsearch.DocumentMatch) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
}
