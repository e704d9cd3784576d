package search

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/store"
)

// The corpus benchmarks search an index of the shared news corpus, built
// beforehand with `vnsearch index --index DIR ../shared/corpus/news.jsonl.gz`
// and named by VNSEARCH_BENCH_INDEX; its queries come from the titles of
// the corpus sample. Without both they skip.
const sampleCorpus = "../../shared/corpus/sample.jsonl"

// benchQueries derives the queries reporters type from the sample's
// titles: the whole title, a four-syllable window of it, and both without
// diacritics.
func benchQueries(b *testing.B) []string {
	b.Helper()
	var titles []string
	err := indexer.ReadPaths([]string{sampleCorpus}, indexer.Visitor{
		Article: func(a schema.Article) error { titles = append(titles, a.Title); return nil },
	})
	if err != nil || len(titles) == 0 {
		b.Skipf("no corpus sample at %s (%v)", sampleCorpus, err)
	}
	var qs []string
	for _, t := range titles {
		words := strings.Fields(t)
		window := strings.Join(words[:min(4, len(words))], " ")
		qs = append(qs, t, window, analyzers.Fold(t), analyzers.Fold(window))
	}
	return qs
}

func benchSearcher(b *testing.B) *Searcher {
	b.Helper()
	dir := os.Getenv("VNSEARCH_BENCH_INDEX")
	if dir == "" {
		b.Skip("VNSEARCH_BENCH_INDEX names no index of the shared corpus")
	}
	idx, _, err := store.Open(dir) // a directory of generations, or a bare index
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { idx.Close() })
	// Without the result cache: the benchmarks cycle through their
	// queries, which it would answer from memory.
	return New(idx, Options{CacheBytes: -1})
}

// BenchmarkSearchCorpus runs the derived queries one after another, as
// one reader at a time would, and reports the latency percentiles of a
// whole search with highlights and facets.
func BenchmarkSearchCorpus(b *testing.B) {
	queries := benchQueries(b)
	s := benchSearcher(b)
	ctx := context.Background()
	var took []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := queries[i%len(queries)]
		start := time.Now()
		if _, err := s.Search(ctx, Request{Query: q}); err != nil {
			b.Fatalf("Search(%q): %v", q, err)
		}
		took = append(took, time.Since(start))
	}
	reportPercentiles(b, took)
}

func reportPercentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	at := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
