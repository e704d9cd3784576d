package server

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/store"
)

// newShardedServer serves testArticles from an index directory whose
// generation is split by year into two shards, as vnsearch index
// --shards 2 builds it.
func newShardedServer(t *testing.T) *Server {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	read := func(v indexer.Visitor) error { return indexer.ReadList(testArticles, v) }
	idx, _, shards, err := store.BuildByYear(context.Background(), dir, 2, indexer.WriterOptions{}, read, nil)
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

// A sharded archive is searched like one index and takes every write,
// each article into the shard of its year and out of the other, and is
// backed up and rebuilt while served, into shards again.
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
	writes := []struct{ method, target, body string }{
		{"PUT", "/api/articles/hoi-cho", `{"title":"Nam Định mở hội chợ xuân","published":"2024-02-01"}`},
		{"POST", "/api/articles/_bulk", `{"id":"tong-ket","title":"UBND tỉnh Nam Định tổng kết năm 2011","published":"2011-12-30"}` + "\n"},
		// The province's story, its date corrected into the other shard.
		{"PUT", "/api/articles/province", `{"title":"Nam Định đẩy mạnh áp dụng ISO 9001:2015","published":"2022-05-25T22:30:00+07:00"}`},
		{"DELETE", "/api/articles/periodic", ""},
	}
	for _, w := range writes {
		if rec := send(t, h, w.method, w.target, w.body, bearer); rec.Code >= 300 {
			t.Errorf("%s %s = %d %s", w.method, w.target, rec.Code, rec.Body)
		}
	}
	for q, want := range map[string]string{"hoi+cho+xuan": "hoi-cho", "tong+ket+nam+2011": "tong-ket", "ISO+9001:2015": "province"} {
		if got := hitIDs(t, serve(t, h, "GET", "/api/search?q="+q, "")); len(got) != 1 || got[0] != want {
			t.Errorf("search %s after the writes: %v; want [%s] once", q, got, want)
		}
	}
	if n, err := s.live(context.Background()).searcher.Count(); err != nil || n != uint64(len(testArticles)+1) {
		t.Errorf("after the writes: %d articles, %v; want %d", n, err, len(testArticles)+1)
	}
	if rec := send(t, h, "POST", "/api/admin/backup", "", bearer); rec.Code != 200 || rec.Header().Get("Content-Type") != "application/gzip" {
		t.Errorf("POST /api/admin/backup = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := send(t, h, "POST", "/api/admin/rebuild", "", bearer); rec.Code != 200 {
		t.Fatalf("POST /api/admin/rebuild = %d %s", rec.Code, rec.Body)
	}
	var st rebuildStatus
	for deadline := time.Now().Add(30 * time.Second); st.State != "done" && st.State != "failed" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		decode(t, send(t, h, "GET", "/api/admin/rebuild", "", bearer), &st)
	}
	if st.State != "done" || st.Generation != 2 || st.Articles != len(testArticles)+1 {
		t.Fatalf("rebuild status = %+v; want done, generation 2, with %d articles", st, len(testArticles)+1)
	}
	if shards, err := store.Shards(s.current.Load().dir); err != nil || len(shards) != 2 {
		t.Errorf("the rebuilt generation: shards %+v, %v; want 2", shards, err)
	}
	if got := hitIDs(t, serve(t, h, "GET", "/api/search?q=ISO+9001:2015", "")); len(got) != 1 || got[0] != "province" {
		t.Errorf("search after the rebuild: %v; want [province]", got)
	}
}
