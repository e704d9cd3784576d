package indexer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/schema"
)

// BenchmarkLoadCorpus indexes the first 6,000 articles of the shared corpus
// into a fresh index: "safe" one durable batch after another, as a write
// to a live index does; "bulk-N" as `vnsearch index` builds a new index,
// N batches at once, then one sync. docs/s is the build rate.
//
//	go test ./indexer/ -run '^$' -bench LoadCorpus -benchtime 1x
func BenchmarkLoadCorpus(b *testing.B) {
	const n = 6000
	articles := corpusArticles(b, n)
	load := func(b *testing.B, create func(string) (bleve.Index, error), opts WriterOptions) {
		for i := 0; i < b.N; i++ {
			idx, err := create(filepath.Join(b.TempDir(), "index"))
			if err != nil {
				b.Fatal(err)
			}
			w, err := NewWriter(idx, opts)
			if err != nil {
				b.Fatal(err)
			}
			if err := w.Put(context.Background(), articles...); err != nil {
				b.Fatal(err)
			}
			if err := w.Sync(context.Background()); err != nil {
				b.Fatal(err)
			}
			idx.Close()
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
	}
	b.Run("safe", func(b *testing.B) { load(b, schema.Create, WriterOptions{}) })
	for _, inFlight := range []int{1, 2} {
		b.Run(fmt.Sprintf("bulk-%d", inFlight), func(b *testing.B) {
			load(b, schema.CreateBulk, WriterOptions{Bulk: true, InFlight: inFlight})
		})
	}
}

// corpusArticles reads the first n articles of the shared corpus, or
// skips b when it is not there.
func corpusArticles(b *testing.B, n int) []schema.Article {
	f, err := os.Open("../../shared/corpus/news.jsonl.gz")
	if errors.Is(err, os.ErrNotExist) {
		b.Skip("shared corpus not present")
	}
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
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
	if err != nil && !errors.Is(err, errEnough) {
		b.Fatal(err)
	}
	return articles
}
