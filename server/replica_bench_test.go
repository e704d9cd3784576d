package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/natstest"
	"github.com/vnsearch/vnsearch/schema"
)

// BenchmarkBulkHTTPCluster is BenchmarkBulkHTTP into a node of a cluster
// of three NATS servers, in this process, keeping the stream on all three:
// each bulk is acknowledged once JetStream has it on two of them and the
// node has it on disk. Run with -benchtime=1x.
func BenchmarkBulkHTTPCluster(b *testing.B) {
	benchmarkBulk(b, func(b testing.TB) testServer {
		// Each import starts from an empty stream, as from an empty index.
		return newTestNode(b, natstest.Start(b, 3), Options{APIToken: testToken})
	})
}

// BenchmarkVisibility writes one article at a time through one node of a
// cluster of three NATS servers and reports how long each takes, from its
// sending, to be in the index of another node: the median and the 99th
// percentile.
func BenchmarkVisibility(b *testing.B) {
	nats := natstest.Start(b, 3)
	from := newTestNode(b, nats, Options{APIToken: testToken})
	to := newTestNode(b, nats, Options{})
	h := from.Handler()
	idx := to.current.Load().idx
	var delays []time.Duration
	i := 0
	for b.Loop() {
		id := fmt.Sprintf("vis-%d", i)
		i++
		sent := time.Now()
		if rec := send(b, h, "PUT", "/api/articles/"+id, `{"title": "Hội An đón khách dịp lễ"}`, bearer); rec.Code != 200 {
			b.Fatalf("PUT = %d %s", rec.Code, rec.Body)
		}
		for {
			doc, err := idx.Document(id)
			if err != nil {
				b.Fatal(err)
			}
			if doc != nil {
				break
			}
			time.Sleep(200 * time.Microsecond)
		}
		delays = append(delays, time.Since(sent))
	}
	slices.Sort(delays)
	b.ReportMetric(float64(delays[len(delays)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(delays[len(delays)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkCatchUp fills the stream with the articles of the shared corpus
// through one node, then starts nodes with an empty index and reports how
// fast they apply the stream until they are ready. Run with -benchtime=1x
// or 2x.
func BenchmarkCatchUp(b *testing.B) {
	articles := benchCorpus(b, 10_000)
	nats := natstest.Start(b, 3)
	from := newTestNode(b, nats, Options{APIToken: testToken})
	if err := from.replica.Put(context.Background(), articles...); err != nil {
		b.Fatal(err)
	}
	var elapsed time.Duration
	for b.Loop() {
		started := time.Now()
		node := newTestNode(b, nats, Options{})
		for node.replica.Ready() != nil {
			time.Sleep(10 * time.Millisecond)
		}
		elapsed += time.Since(started)
		b.StopTimer()
		node.replica.Close()
		node.closeIndex()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(articles)*b.N)/elapsed.Seconds(), "articles/s")
}

var errEnough = errors.New("enough articles")

// benchCorpus reads the first n articles of the shared corpus.
func benchCorpus(b *testing.B, n int) []schema.Article {
	var articles []schema.Article
	err := indexer.ReadPaths([]string{sharedCorpus}, indexer.Visitor{Article: func(a schema.Article) error {
		if len(articles) == n {
			return errEnough
		}
		articles = append(articles, a)
		return nil
	}})
	if err != nil && !errors.Is(err, errEnough) {
		b.Skipf("shared corpus absent: %v", err)
	}
	return articles
}
