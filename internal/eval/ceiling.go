package eval

import (
	"hash/fnv"
	"slices"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// isSpan reports whether v's queries are runs of an article's text that
// other articles may hold too, as agencies' copies and recurring phrases
// do, rather than windows of one headline.
func (v Variant) isSpan() bool { return v == BodySpan || v == BodySpanNoDiac }

// runHolders returns, for each span query (Variant.isSpan), the ids of the
// articles whose title, lead or body holds the query's words in that
// order, folded; nil for the other queries. The article the query came
// from is always among them.
func runHolders(articles []schema.Article, queries []Query) [][]string {
	out := make([][]string, len(queries))
	runs := make([][]string, len(queries))
	// byStart finds the queries by the hash of their first spanMinWords
	// words: every article's text is read once, whatever the queries.
	byStart := map[uint64][]int{}
	for qi, q := range queries {
		if !q.Variant.isSpan() {
			continue
		}
		runs[qi] = foldAll(words(q.Text))
		if len(runs[qi]) < spanMinWords {
			continue
		}
		h := foldedHash(runs[qi][:spanMinWords])
		byStart[h] = append(byStart[h], qi)
	}
	if len(byStart) == 0 {
		return out
	}
	for _, a := range articles {
		var held []int
		for _, text := range []string{a.Title, a.Lead, a.Body} {
			ws := foldAll(words(text))
			for s := 0; s+spanMinWords <= len(ws); s++ {
				for _, qi := range byStart[foldedHash(ws[s:s+spanMinWords])] {
					if run := runs[qi]; s+len(run) <= len(ws) && slices.Equal(ws[s:s+len(run)], run) && !slices.Contains(held, qi) {
						held = append(held, qi)
					}
				}
			}
		}
		for _, qi := range held {
			out[qi] = append(out[qi], a.ID)
		}
	}
	return out
}

func foldAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = analyzers.Fold(w)
	}
	return out
}

// foldedHash hashes words already folded.
func foldedHash(ws []string) uint64 {
	h := fnv.New64a()
	for _, w := range ws {
		h.Write([]byte(w))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// ceilingMRR is the best MRR@10 any engine can reach on a query whose
// words k articles hold alike: nothing in the query tells them apart, so
// the one it came from is at each of the first k ranks with chance 1/k.
func ceilingMRR(k int) float64 {
	if k <= 1 {
		return 1
	}
	sum := 0.0
	for i := 1; i <= min(k, topK); i++ {
		sum += 1 / float64(i)
	}
	return sum / float64(k)
}
