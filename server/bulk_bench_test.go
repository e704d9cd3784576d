package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

// sharedCorpus holds the real articles bulk writes are measured with.
const sharedCorpus = "../../shared/corpus/news.jsonl.gz"

// BenchmarkBulkHTTP sends the first 10,000 articles of the shared corpus
// to POST /api/articles/_bulk over a real TCP connection, 1,000 lines per
// request, into a fresh index, and reports articles per second, each
// acknowledged on disk. Run with -benchtime=1x: one op is the whole
// import.
func BenchmarkBulkHTTP(b *testing.B) {
	benchmarkBulk(b, func(b testing.TB) testServer { return newTestServer(b, Options{APIToken: testToken}) })
}

// benchmarkBulk measures bulk writes into the servers start makes.
func benchmarkBulk(b *testing.B, start func(testing.TB) testServer) {
	const articles, perRequest = 10_000, 1_000
	f, err := os.Open(sharedCorpus)
	if err != nil {
		b.Skipf("shared corpus absent: %v", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	var body bytes.Buffer
	sc := bufio.NewScanner(gz)
	sc.Buffer(nil, 16<<20)
	for n := 0; n < articles && sc.Scan(); n++ {
		body.Write(sc.Bytes())
		body.WriteByte('\n')
		if (n+1)%perRequest == 0 {
			bodies = append(bodies, bytes.Clone(body.Bytes()))
			body.Reset()
		}
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	var total int64
	for _, p := range bodies {
		total += int64(len(p))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		ts := start(b)
		web := httptest.NewServer(ts.Handler())
		b.StartTimer()
		started := time.Now()
		for _, p := range bodies {
			req, _ := http.NewRequest("POST", web.URL+"/api/articles/_bulk", bytes.NewReader(p))
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("bulk = %s %s", resp.Status, msg)
			}
		}
		elapsed += time.Since(started)
		b.StopTimer()
		web.Close()
		if ts.replica != nil {
			ts.replica.Close()
		}
		ts.closeIndex()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(bodies)*perRequest*b.N)/elapsed.Seconds(), "articles/s")
}
