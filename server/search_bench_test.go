package server

import (
	"bufio"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
)

// BenchmarkSearchHTTPCorpus sends GET /api/search requests through the
// server's router, without a network, to an index of the shared corpus
// named by VNSEARCH_BENCH_INDEX (opened read-only), with the queries of
// the file VNSEARCH_BENCH_QUERIES, one per line: the cost of a search
// over HTTP, JSON and middleware included, as a CPU profile shows it.
// Without both it skips.
func BenchmarkSearchHTTPCorpus(b *testing.B) {
	dir, file := os.Getenv("VNSEARCH_BENCH_INDEX"), os.Getenv("VNSEARCH_BENCH_QUERIES")
	if dir == "" || file == "" {
		b.Skip("VNSEARCH_BENCH_INDEX and VNSEARCH_BENCH_QUERIES name no index and queries")
	}
	queries := readLines(b, file)
	idx, _, err := store.OpenReadOnly(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { idx.Close() })
	searcher := search.New(idx, search.Options{ReadOnly: true})
	if err := searcher.Prepare(); err != nil {
		b.Fatal(err)
	}
	s, err := New(Options{Searcher: searcher, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodGet, "/api/search?q="+url.QueryEscape(queries[i%len(queries)]), nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", req.URL, rec.Code, rec.Body)
		}
	}
}

// readLines returns the lines of a file that are not blank.
func readLines(b *testing.B, path string) []string {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil || len(out) == 0 {
		b.Fatalf("%s: %d queries, %v", path, len(out), err)
	}
	return out
}
