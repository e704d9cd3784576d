package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/replica"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
)

// newShardedServer serves testArticles from an index directory whose
// generation is split by year into two shards, as vnsearch index
// --shards 2 builds it.
func newShardedServer(t *testing.T) *Server {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	read := func(v indexer.Visitor) error {
		for _, a := range testArticles {
			a, err := indexer.Prepare(a)
			if err != nil {
				return err
			}
			if err := v.Article(a); err != nil {
				return err
			}
		}
		return nil
	}
	idx, _, shards, err := store.BuildByYear(context.Background(), dir, 2, indexer.WriterOptions{}, read,
		func(_ bleve.Index, w *indexer.Writer, read func(indexer.Visitor) error) error {
			_, err := w.Load(context.Background(), read, nil)
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(shards) != 2 || shards[0].Articles+shards[1].Articles != len(testArticles) {
		t.Fatalf("shards %+v; want 2 holding the %d articles", shards, len(testArticles))
	}
	s, sg := serveDir(t, idx, dir)
	if _, err := sg.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// A sharded archive is searched like one index, and every write, backup
// and rebuild is refused whole with 409 sharded_archive, never half done.
func TestShardedArchive(t *testing.T) {
	s := newShardedServer(t)
	h := s.Handler()
	if got := hitIDs(t, serve(t, h, "GET", "/api/search?q=iso+9001+nam+dinh", "")); len(got) == 0 || got[0] != "province" {
		t.Errorf("search over shards: %v; want province first", got)
	}
	if rec := serve(t, h, "GET", "/api/articles/football", ""); rec.Code != 200 {
		t.Errorf("GET an article of the second shard = %d", rec.Code)
	}
	if rec := serve(t, h, "GET", "/api/suggest?q=nam+di", ""); rec.Code != 200 {
		t.Errorf("suggest = %d %s", rec.Code, rec.Body)
	}
	refused := []struct{ method, target, body string }{
		{"PUT", "/api/articles/new", `{"title":"Nam Định mở hội chợ","published":"2024-05-01"}`},
		{"POST", "/api/articles", `{"id":"new","title":"Nam Định mở hội chợ"}`},
		{"POST", "/api/articles/_bulk", `{"id":"new","title":"Nam Định mở hội chợ"}` + "\n"},
		{"DELETE", "/api/articles/province", ""},
		{"POST", "/api/admin/backup", ""},
		{"POST", "/api/admin/rebuild", ""},
	}
	for _, r := range refused {
		rec := send(t, h, r.method, r.target, r.body, bearer)
		var body errorBody
		decode(t, rec, &body)
		if rec.Code != 409 || body.Error.Code != "sharded_archive" {
			t.Errorf("%s %s = %d %+v; want 409 sharded_archive", r.method, r.target, rec.Code, body.Error)
		}
	}
	if n, err := s.live(context.Background()).searcher.Count(); err != nil || n != uint64(len(testArticles)) {
		t.Errorf("after the refused writes: %d articles, %v; want %d", n, err, len(testArticles))
	}
	if _, err := New(Options{Searcher: search.New(s.current.Load().idx, search.Options{}), Index: s.current.Load().idx,
		Replicate: func(*indexer.Writer) (*replica.Node, error) { return nil, nil }}); err == nil {
		t.Error("a sharded archive made a node of a cluster")
	}
}
