package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
	"github.com/vnsearch/vnsearch/suggest"
)

// newStoreServer serves testArticles from a fresh index directory of
// generations, with writes and rebuilds on. The server owns the index.
func newStoreServer(t *testing.T) (*Server, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	idx, _, _, err := store.OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, sg := serveDir(t, idx, dir)
	if err := s.Writer().Put(context.Background(), testArticles...); err != nil {
		t.Fatal(err)
	}
	if _, err := sg.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// serveDir serves idx, the current generation of the index directory
// dir, with writes and rebuilds on, and its suggester, not built yet. The
// server owns the index.
func serveDir(t *testing.T, idx bleve.Index, dir string) (*Server, *suggest.Suggester) {
	t.Helper()
	sg := suggest.New(idx, suggest.Options{})
	s, err := New(Options{
		Searcher: search.New(idx, search.Options{}), Suggester: sg, Index: idx, Dir: dir,
		APIToken: testToken, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, sg
}

func TestRebuildWhileSearchingAndWriting(t *testing.T) {
	s, dir := newStoreServer(t)
	h := s.Handler()
	busy, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var searches, failed atomic.Int64
	var failure atomic.Value
	wg.Add(2)
	go func() { // searches without a pause, through the router
		defer wg.Done()
		for busy.Err() == nil {
			rec := send(t, h, "GET", "/api/search?q="+url.QueryEscape("nam dinh iso"), "", nil)
			searches.Add(1)
			var res search.Result
			if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &res) != nil || res.Total == 0 {
				failed.Add(1)
				failure.Store(fmt.Sprintf("%d %s", rec.Code, rec.Body))
			}
		}
	}()
	var acked sync.Map
	go func() { // writes, each acknowledged before the next
		defer wg.Done()
		for i := 0; busy.Err() == nil; i++ {
			id := fmt.Sprintf("trong-luc-xay-lai-%d", i)
			rec := send(t, h, "PUT", "/api/articles/"+id, `{"title": "Hội An đón khách trong mùa mưa"}`, bearer)
			if rec.Code != 200 {
				t.Errorf("PUT %s = %d %s", id, rec.Code, rec.Body)
				return
			}
			acked.Store(id, true)
		}
	}()

	rec := send(t, h, "POST", "/api/admin/rebuild", "", bearer)
	if rec.Code != 200 {
		t.Fatalf("POST /api/admin/rebuild = %d %s", rec.Code, rec.Body)
	}
	if again := send(t, h, "POST", "/api/admin/rebuild", "", bearer); again.Code != 409 {
		t.Errorf("a second rebuild while one runs = %d %s; want 409", again.Code, again.Body)
	}
	var st rebuildStatus
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		decode(t, send(t, h, "GET", "/api/admin/rebuild", "", bearer), &st)
		if st.State != "running" || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(50 * time.Millisecond) // searches and writes on the new generation
	stop()
	wg.Wait()

	if st.State != "done" || st.Generation != 2 || st.Articles < len(testArticles) {
		t.Fatalf("rebuild status = %+v; want done, generation 2, with every article", st)
	}
	if n := failed.Load(); n > 0 {
		t.Errorf("%d of %d searches failed during the rebuild; the last: %v", n, searches.Load(), failure.Load())
	}
	t.Logf("%d searches during the rebuild", searches.Load())
	n := 0
	acked.Range(func(id, _ any) bool {
		n++
		if rec := send(t, h, "GET", "/api/articles/"+id.(string), "", nil); rec.Code != 200 {
			t.Errorf("article %s, acknowledged during the rebuild, = %d after it", id, rec.Code)
		}
		return true
	})
	if n == 0 {
		t.Error("no write was acknowledged during the rebuild; the test tested nothing")
	}
	if g, err := store.Current(dir); err != nil || g.N != 2 {
		t.Errorf("current generation = %d, %v; want 2", g.N, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gen-000001")); !os.IsNotExist(err) {
		t.Errorf("the old generation is still there once its searches are done: %v", err)
	}
	// The rebuilt generation is the one written and searched now.
	if rec := send(t, h, "PUT", "/api/articles/sau-khi-xay-lai", `{"title": "Đà Lạt se lạnh"}`, bearer); rec.Code != 200 {
		t.Fatalf("PUT after the rebuild = %d %s", rec.Code, rec.Body)
	}
	var res search.Result
	decode(t, send(t, h, "GET", "/api/search?q="+url.QueryEscape("Đà Lạt"), "", nil), &res)
	if res.Total != 1 {
		t.Errorf("search for the article written after the rebuild found %d; want 1", res.Total)
	}
}

func TestBackupOverHTTP(t *testing.T) {
	s, _ := newStoreServer(t)
	rec := send(t, s.Handler(), "POST", "/api/admin/backup", "", bearer)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/gzip" {
		t.Fatalf("POST /api/admin/backup = %d %s", rec.Code, rec.Header())
	}
	dir := filepath.Join(t.TempDir(), "restored")
	m, err := store.Restore(rec.Body, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Articles != uint64(len(testArticles)) || m.Schema != schema.Version {
		t.Errorf("backup manifest = %d articles of schema %q; want %d of %q", m.Articles, m.Schema, len(testArticles), schema.Version)
	}
	if rec := send(t, s.Handler(), "POST", "/api/admin/backup", "", nil); rec.Code != 401 {
		t.Errorf("backup without the token = %d; want 401", rec.Code)
	}
}

// TestRebuildKeepsSynonymsAndOptions rebuilds an index whose newsroom
// has its own synonyms: they are still there, at their version, and the
// new generation searches with the server's options.
func TestRebuildKeepsSynonymsAndOptions(t *testing.T) {
	s, _ := newStoreServer(t)
	h := s.Handler()
	rec := send(t, h, "PUT", "/api/synonyms", `{"lines": ["KCN\tkhu công nghiệp"]}`, bearer)
	if rec.Code != 200 {
		t.Fatalf("PUT /api/synonyms = %d %s", rec.Code, rec.Body)
	}
	before := s.live(context.Background()).searcher.Options()
	if _, _, err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec = send(t, h, "GET", "/api/synonyms", "", nil)
	var syn search.Synonyms
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &syn) != nil {
		t.Fatalf("GET /api/synonyms after a rebuild = %d %s", rec.Code, rec.Body)
	}
	if syn.Version != 1 || len(syn.Lines) != 1 || syn.Lines[0] != "KCN\tkhu công nghiệp" {
		t.Errorf("synonyms after a rebuild = %+v; want version 1 with the line set before", syn)
	}
	if after := s.live(context.Background()).searcher.Options(); after.RecencyHalfLife != before.RecencyHalfLife || after.SnippetLength != before.SnippetLength {
		t.Errorf("options after a rebuild = %+v; want those of before, %+v", after, before)
	}
}
