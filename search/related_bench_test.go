package search

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/vnsearch/vnsearch/schema"
)

// BenchmarkRelated times Related over random articles of the shared
// corpus (an index named by VNSEARCH_BENCH_INDEX, see bench_test.go) and reports how many of the top 5 related articles share the
// source's section (the corpus's category): the share a reader would find
// on topic.
func BenchmarkRelated(b *testing.B) {
	s := benchSearcher(b)
	ctx := context.Background()
	var ids []string
	err := schema.ReadArticles(ctx, s.idx, func(a schema.Article) error {
		ids = append(ids, a.ID)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	sample := make([]string, 500)
	for i := range sample {
		sample[i] = ids[rng.IntN(len(ids))]
	}
	section := map[string]string{}
	for _, id := range sample {
		a, err := s.Article(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		section[id] = a.Section
	}
	same, total := 0, 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := sample[i%len(sample)]
		hits, err := s.Related(ctx, id, 5)
		if err != nil {
			b.Fatalf("Related(%s): %v", id, err)
		}
		if i < len(sample) {
			for _, h := range hits {
				total++
				if h.Section == section[id] {
					same++
				}
			}
		}
	}
	b.StopTimer()
	if total > 0 {
		b.ReportMetric(float64(same)/float64(total), "same-section")
	}
}
