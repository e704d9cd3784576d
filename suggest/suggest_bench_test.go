package suggest

import (
	"context"
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
