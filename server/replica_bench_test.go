package server

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/internal/natstest"
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
