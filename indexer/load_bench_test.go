package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnsearch/vnsearch/schema"
)

// BenchmarkLoadCorpus indexes the first 6,000 articles of the shared corpus
// into a fresh index, as `vnsearch index` does; docs/s is the build rate.
//
//	go test ./indexer/ -run '^$' -bench LoadCorpus -benchtime 1x
func BenchmarkLoadCorpus(b *testing.B) {
	const n = 6000
	f, err := os.Open("../../shared/corpus/news.jsonl.gz")
	if errors.Is(err, os.ErrNotExist) {
		b.Skip("shared corpus not present")
	}
	if err != nil {
		b.Fatal(err)
	}
	var articles []schema.Article
	errEnough := errors.New("enough")
	err = ReadFile("news.jsonl.gz", f, Visitor{
		Article: func(a schema.Article) error {
			articles = append(articles, a)
			if len(articles) == n {
				return errEnough
			}
			return nil
		},
	})
	f.Close()
	if err != nil && !errors.Is(err, errEnough) {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		idx, _, err := schema.OpenOrCreate(filepath.Join(b.TempDir(), "index"))
		if err != nil {
			b.Fatal(err)
		}
		w, err := NewWriter(idx, WriterOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Put(context.Background(), articles...); err != nil {
			b.Fatal(err)
		}
		idx.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
}
