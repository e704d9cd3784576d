package suggest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// sharedCorpus is the 60,000-article benchmark corpus kept beside the
// repository; benchmarks that need it skip when it is absent.
const sharedCorpus = "../../shared/corpus/news.jsonl.gz"

var corpusArticles = sync.OnceValues(func() ([]schema.Article, error) {
	var out []schema.Article
	err := indexer.ReadPaths([]string{sharedCorpus}, indexer.Visitor{Article: func(a schema.Article) error {
		out = append(out, a)
		return nil
	}})
	return out, err
})

// sharedArticles returns the shared corpus's articles, as the indexer
// prepares them, or skips the benchmark.
func sharedArticles(b *testing.B) []schema.Article {
	b.Helper()
	if _, err := os.Stat(sharedCorpus); err != nil {
		b.Skipf("shared corpus not found: %v", err)
	}
	as, err := corpusArticles()
	if err != nil {
		b.Fatal(err)
	}
	return as
}

// BenchmarkSuggestBuild builds the suggestions of the shared corpus from
// its articles in memory (reading them from an index adds the time to load
// stored fields) and reports the heap the result keeps.
func BenchmarkSuggestBuild(b *testing.B) {
	as := sharedArticles(b)
	var bytes int64
	for _, a := range as {
		bytes += int64(len(a.Title) + len(a.Lead) + len(a.Body))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	var sg *suggestions
	for b.Loop() {
		sg = buildFrom(b, Options{}, as)
	}
	b.StopTimer()
	phrases := sg.stats.Phrases
	sg = nil
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	kept := buildFrom(b, Options{}, as)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "MB-kept")
	b.ReportMetric(float64(phrases), "phrases")
	runtime.KeepAlive(kept)
}

// benchPrefixes makes prefixes as readers type them: the first one to
// three words of random headlines, the last cut short, half of them
// without diacritics.
func benchPrefixes(as []schema.Article, n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	var out []string
	for len(out) < n {
		words := strings.Fields(as[rng.IntN(len(as))].Title)
		if len(words) == 0 {
			continue
		}
		words = words[:min(len(words), 1+rng.IntN(3))]
		last := []rune(words[len(words)-1])
		words[len(words)-1] = string(last[:1+rng.IntN(len(last))])
		p := strings.Join(words, " ")
		if _, ok := parsePrefix(p); !ok {
			continue // a quote or a dash: nothing typed yet
		}
		if rng.IntN(2) == 0 {
			p = analyzers.Fold(p)
		}
		out = append(out, p)
	}
	return out
}

// BenchmarkSuggest answers typed prefixes over the shared corpus's
// suggestions and reports the median and 99th percentile of one call.
func BenchmarkSuggest(b *testing.B) {
	as := sharedArticles(b)
	s := &Suggester{}
	s.current.Store(&state{base: buildFrom(b, Options{}, as)})
	prefixes := benchPrefixes(as, 2000)
	ctx := context.Background()
	var took []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := s.Suggest(ctx, prefixes[i%len(prefixes)], DefaultSuggestions); err != nil {
			b.Fatalf("Suggest(%q): %v", prefixes[i%len(prefixes)], err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkSuggestLoad reads back the saved suggestions of the shared
// corpus, as a server does at start, and reports the file's size and the
// heap the loaded suggestions keep.
func BenchmarkSuggestLoad(b *testing.B) {
	as := sharedArticles(b)
	s := &Suggester{}
	s.current.Store(&state{base: buildFrom(b, Options{}, as)})
	dir := b.TempDir()
	if err := s.Save(dir); err != nil {
		b.Fatal(err)
	}
	name := filepath.Join(dir, BuildFile)
	info, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	b.ReportAllocs()
	s.current.Store(nil)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var kept *suggestions
	for b.Loop() {
		data, err := readFile(name)
		if err != nil {
			b.Fatal(err)
		}
		if kept, _, err = readBuild(data); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(info.Size())/(1<<20), "MB-file")
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "MB-kept")
	runtime.KeepAlive(kept)
}

// BenchmarkApply adds batches of ten headlines to the suggestions of the
// demo corpus until as many were written since the build as make a new
// build due on an archive of 60,000 articles, and reports the time of a
// batch and of a suggestion with them all.
func BenchmarkApply(b *testing.B) {
	var demo []schema.Article
	err := indexer.ReadPaths([]string{"../testdata/corpus"}, indexer.Visitor{Article: func(a schema.Article) error {
		demo = append(demo, a)
		return nil
	}})
	if err != nil || len(demo) == 0 {
		b.Fatalf("demo corpus: %d articles, %v", len(demo), err)
	}
	const recent, batch = 1200, 10 // RecentShare of 60,000
	batches := make([][]schema.Article, recent/batch)
	for i := range recent {
		a := demo[i%len(demo)]
		a.ID = fmt.Sprint("moi-", i)
		batches[i/batch] = append(batches[i/batch], a)
	}
	base := buildFrom(b, Options{}, demo)
	ctx := context.Background()
	b.ReportAllocs()
	var suggestTook time.Duration
	for b.Loop() {
		s := &Suggester{}
		s.current.Store(&state{base: base})
		for i, as := range batches {
			s.Apply(uint64(i+1), as, nil)
		}
		start := time.Now()
		if _, err := s.Suggest(ctx, "nam d", DefaultSuggestions); err != nil {
			b.Fatal(err)
		}
		suggestTook += time.Since(start)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(batches)), "µs/batch")
	b.ReportMetric(float64(suggestTook.Microseconds())/float64(b.N), "µs/suggest")
}
