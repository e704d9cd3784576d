package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/schema"
)

// BenchmarkViewCost builds, from the first 3,000 articles of the shared
// corpus, one index per field of the mapping with only that field indexed
// (stored fields kept), each compacted into one segment, and reports the
// segment's size ("bytes"): less that of "stored", it is what the field
// costs. "all" is the real mapping, "none" nothing indexed or stored.
//
//	go test ./indexer/ -run '^$' -bench ViewCost -benchtime 1x
func BenchmarkViewCost(b *testing.B) {
	articles := corpusArticles(b, 3000)
	var fields []string
	for _, p := range schema.NewMapping().DefaultMapping.Properties {
		for _, fm := range p.Fields {
			fields = append(fields, cmpOr(fm.Name, schema.Published))
		}
	}
	slices.Sort(fields)
	for _, only := range append([]string{"none", "stored", "all"}, slices.Compact(fields)...) {
		b.Run(only, func(b *testing.B) {
			im := schema.NewMapping()
			for _, p := range im.DefaultMapping.Properties {
				for _, fm := range p.Fields {
					if only != "all" && cmpOr(fm.Name, schema.Published) != only {
						fm.Index, fm.DocValues = false, false
						fm.Store = fm.Store && only != "none"
					}
				}
			}
			var size int64
			for i := 0; i < b.N; i++ {
				dir := filepath.Join(b.TempDir(), "index")
				idx, err := bleve.New(dir, im)
				if err != nil {
					b.Fatal(err)
				}
				for chunk := range slices.Chunk(articles, 1000) {
					batch := idx.NewBatch()
					for _, a := range chunk {
						if err := batch.Index(a.ID, schema.Document(a)); err != nil {
							b.Fatal(err)
						}
					}
					if err := idx.Batch(batch); err != nil {
						b.Fatal(err)
					}
				}
				if err := Compact(context.Background(), idx); err != nil {
					b.Fatal(err)
				}
				idx.Close()
				size = newestSegmentSize(b, dir)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

func cmpOr(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// newestSegmentSize returns the bytes of the newest segment file of the
// index in dir: after a compaction, the one segment that holds it all.
func newestSegmentSize(b *testing.B, dir string) int64 {
	segments, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(segments) == 0 {
		b.Fatalf("no segment in %s: %v", dir, err)
	}
	fi, err := os.Stat(slices.Max(segments)) // names are hex of one width
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}
