package replica

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/natstest"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/store"
)

func TestSubjectOfID(t *testing.T) {
	s := newSubjects("VNsearch")
	for _, tc := range []struct{ name, id string }{
		{"slug", "nam-dinh-dat-chuan-iso"},
		{"url with dots", "https://vnexpress.net/thoi-su/ha-noi-1234.html"},
		{"vietnamese", "Ủy ban nhân dân TP.HCM"},
		{"wildcards", "a.*.>"},
		{"nfd", "Nam \u0110i\u0323nh"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subj := s.of(tc.id)
			token, ok := cutPrefix(subj, "vnsearch.article.")
			if !ok {
				t.Fatalf("of(%q) = %q; want it under vnsearch.article.", tc.id, subj)
			}
			for _, r := range token {
				if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
					t.Fatalf("of(%q) = %q: %q is not safe in a subject token", tc.id, subj, r)
				}
			}
			if got, err := s.id(subj); err != nil || got != tc.id {
				t.Errorf("id(%q) = %q, %v; want %q", subj, got, err, tc.id)
			}
		})
	}
	if _, err := s.id("vnsearch.article.@@"); err == nil {
		t.Error("id of a subject that is not base64: no error")
	}
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return "", false
	}
	return s[len(prefix):], true
}

// testNode is a node over an index of its own, in a directory that
// outlives it.
type testNode struct {
	dir  string
	idx  bleve.Index
	node *Node
}

func startNode(t testing.TB, dir string, urls []string) *testNode {
	t.Helper()
	idx, _, _, err := store.OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		idx.Close()
		t.Fatal(err)
	}
	n, err := Start(w, Options{URLs: urls, OnError: func(err error) { t.Log(err) }})
	if err != nil {
		idx.Close()
		t.Fatal(err)
	}
	tn := &testNode{dir: dir, idx: idx, node: n}
	t.Cleanup(tn.stop)
	return tn
}

func (tn *testNode) stop() {
	if tn.node != nil {
		tn.node.Close()
		tn.idx.Close()
		tn.node = nil
	}
}

// eventually waits a second at most for has(id) to be want in the node's
// index.
func (tn *testNode) eventually(t *testing.T, id string, want bool) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		doc, err := tn.idx.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		if (doc != nil) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: article %q in the index: %v after 1s; want %v", tn.dir, id, doc != nil, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ready waits two seconds at most for the node to catch up.
func (tn *testNode) ready(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for tn.node.Ready() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready: %v", tn.dir, tn.node.Ready())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNodesShareWrites(t *testing.T) {
	nats := natstest.Start(t, 1)
	dir := t.TempDir()
	a := startNode(t, filepath.Join(dir, "a"), nats.URLs())
	b := startNode(t, filepath.Join(dir, "b"), nats.URLs())
	ctx := context.Background()

	id := "https://baonamdinh.vn/xa-hoi/nam-dinh-dat-chuan-iso-9001.html"
	var got []indexer.Outcome
	collect := func(o indexer.Outcome) { got = append(got, o) }
	records := []indexer.Record{
		{Line: 1, Article: schema.Article{ID: id, Title: "Nam Định đạt chuẩn ISO 9001:2000"}},
		{Line: 2, Article: schema.Article{ID: "trong"}},
		{Line: 3, Article: schema.Article{ID: "khong-co"}, Delete: true},
	}
	st, err := a.node.Apply(ctx, func(yield func(indexer.Record) bool) {
		for _, r := range records {
			if !yield(r) {
				return
			}
		}
	}, collect)
	if err != nil {
		t.Fatal(err)
	}
	want := []indexer.Result{indexer.Indexed, indexer.Rejected, indexer.NotFound}
	for i, o := range got {
		if o.Result != want[i] {
			t.Errorf("record %d (%s): %s; want %s", o.Line, o.ID, o.Result, want[i])
		}
	}
	if st.Indexed != 1 || st.Skipped != 1 {
		t.Errorf("stats %+v; want 1 indexed, 1 skipped", st)
	}
	// The node that took the write has it when the write returns.
	if doc, _ := a.idx.Document(id); doc == nil {
		t.Errorf("article %q not in the index of the node that took it", id)
	}
	b.eventually(t, id, true)

	if err := b.node.Put(ctx, schema.Article{ID: id, Title: "Nam Định đạt chuẩn ISO 9001:2015"}); err != nil {
		t.Fatal(err)
	}
	if err := b.node.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	a.eventually(t, id, false)
}

func TestNodeResumesWhereItStopped(t *testing.T) {
	nats := natstest.Start(t, 1)
	dir := t.TempDir()
	a := startNode(t, filepath.Join(dir, "a"), nats.URLs())
	b := startNode(t, filepath.Join(dir, "b"), nats.URLs())
	ctx := context.Background()
	if err := a.node.Put(ctx, schema.Article{ID: "hoi-an", Title: "Hội An đón khách"}); err != nil {
		t.Fatal(err)
	}
	b.eventually(t, "hoi-an", true)
	b.stop()
	for _, art := range []schema.Article{
		{ID: "ha-noi", Title: "Hà Nội mở rộng phố đi bộ"},
		{ID: "hue", Title: "Huế khôi phục Đại Nội"},
		{ID: "hoi-an", Title: "Hội An đón khách dịp lễ"},
	} {
		if err := a.node.Put(ctx, art); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.node.Delete(ctx, "hue"); err != nil {
		t.Fatal(err)
	}
	b = startNode(t, b.dir, nats.URLs())
	b.eventually(t, "ha-noi", true)
	b.eventually(t, "hue", false)
	b.ready(t)
	if got, want := b.node.Status().Applied, a.node.Status().Applied; got != want {
		t.Errorf("restarted node applied up to %d; want %d", got, want)
	}
	if n, _ := b.idx.DocCount(); n != 2 {
		t.Errorf("restarted node holds %d articles; want 2", n)
	}
}

func TestWritesRefusedWithoutJetStream(t *testing.T) {
	nats := natstest.Start(t, 1)
	a := startNode(t, filepath.Join(t.TempDir(), "a"), nats.URLs())
	ctx := context.Background()
	nats.Stop(0)
	err := a.node.Put(ctx, schema.Article{ID: "hue", Title: "Huế khôi phục Đại Nội"})
	if !errors.Is(err, ErrNoQuorum) {
		t.Fatalf("Put with NATS down: %v; want ErrNoQuorum", err)
	}
	if doc, _ := a.idx.Document("hue"); doc != nil {
		t.Error("a refused write is in the index")
	}
	nats.Restart(0)
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := a.node.Put(ctx, schema.Article{ID: "hue", Title: "Huế khôi phục Đại Nội"})
		if err == nil {
			break
		}
		// Logged but not applied yet, while the node follows the
		// stream again, is a refusal too: the write is sent again.
		if !errors.Is(err, ErrNoQuorum) && !errors.Is(err, ErrBehind) || time.Now().After(deadline) {
			t.Fatalf("Put once NATS is back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.eventually(t, "hue", true)
}

func TestNewNodeStartsFromSnapshot(t *testing.T) {
	nats := natstest.Start(t, 1)
	dir := t.TempDir()
	a := startNode(t, filepath.Join(dir, "a"), nats.URLs())
	ctx := context.Background()
	opts := Options{URLs: nats.URLs()}
	if _, found, err := RestoreSnapshot(ctx, opts, filepath.Join(dir, "none")); err != nil || found {
		t.Fatalf("RestoreSnapshot before any snapshot = %v, %v; want none found", found, err)
	}
	if err := a.node.Put(ctx,
		schema.Article{ID: "hoi-an", Title: "Hội An đón khách"},
		schema.Article{ID: "hue", Title: "Huế khôi phục Đại Nội"},
		schema.Article{ID: "ha-noi", Title: "Hà Nội mở rộng phố đi bộ"},
	); err != nil {
		t.Fatal(err)
	}
	snap, err := a.node.Snapshot(ctx, a.idx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if snap.Articles != 3 || snap.Schema != schema.Version || snap.Sequence != 3 || snap.Digest == "" || snap.Size == 0 {
		t.Errorf("snapshot manifest %+v; want 3 articles, schema %s, sequence 3, a digest", snap, schema.Version)
	}
	if due, err := a.node.SnapshotDue(ctx, time.Hour); err != nil || due {
		t.Errorf("SnapshotDue(1h) right after a snapshot = %v, %v; want false", due, err)
	}
	// Written after the snapshot: replayed from the stream.
	if err := a.node.Put(ctx, schema.Article{ID: "nam-dinh", Title: "Nam Định đạt chuẩn ISO 9001:2000"}); err != nil {
		t.Fatal(err)
	}
	if err := a.node.Delete(ctx, "hue"); err != nil {
		t.Fatal(err)
	}

	bdir := filepath.Join(dir, "b")
	got, found, err := RestoreSnapshot(ctx, opts, bdir)
	if err != nil || !found || got.Sequence != snap.Sequence {
		t.Fatalf("RestoreSnapshot = %+v, %v, %v; want the snapshot %+v", got, found, err, snap)
	}
	idx, _, err := store.Open(bdir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := idx.DocCount(); n != 3 || w.Sequence() != snap.Sequence {
		t.Errorf("restored index: %d articles at sequence %d; want 3 at %d", n, w.Sequence(), snap.Sequence)
	}
	idx.Close()
	b := startNode(t, bdir, nats.URLs())
	b.ready(t)
	b.eventually(t, "nam-dinh", true)
	b.eventually(t, "hue", false)
	if n, _ := b.idx.DocCount(); n != 3 {
		t.Errorf("node started from the snapshot holds %d articles; want 3", n)
	}
}

func publishedIn(year int) time.Time { return time.Date(year, 5, 23, 7, 5, 0, 0, schema.VietnamTime) }

// buildShards makes in dir an archive of articles split by year into 2
// shards, as vnsearch index --shards 2 does.
func buildShards(t *testing.T, dir string, articles ...schema.Article) {
	t.Helper()
	read := func(v indexer.Visitor) error { return indexer.ReadList(articles, v) }
	idx, _, shards, err := store.BuildByYear(context.Background(), dir, 2, indexer.WriterOptions{}, read, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(shards) != 2 {
		t.Fatalf("shards %+v; want 2", shards)
	}
	idx.Close()
}

// inShards waits a second at most for id to be in the shards want of
// idx, and in no other.
func inShards(t *testing.T, idx bleve.Index, id string, want ...int) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		held, err := schema.Holding(idx, id)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Equal(held, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is in shards %v after 1s; want %v", id, held, want)
		}
	}
}

// A node over an archive split into shards applies the stream like one
// over one index, each article into the shard of its year, a move from
// one shard to the other included, and resumes where it stopped. Its
// snapshot starts a new node over the same shards.
func TestShardedNodeFollowsTheStream(t *testing.T) {
	nats := natstest.Start(t, 1)
	dir := t.TempDir()
	one := startNode(t, filepath.Join(dir, "one"), nats.URLs())
	sharded := filepath.Join(dir, "sharded")
	buildShards(t, sharded,
		schema.Article{ID: "tong-ket-2005", Title: "UBND tỉnh Nam Định tổng kết năm 2005", Published: publishedIn(2005)},
		schema.Article{ID: "hoi-cho-2024", Title: "Nam Định mở hội chợ xúc tiến thương mại", Published: publishedIn(2024)},
	)
	s := startNode(t, sharded, nats.URLs())
	ctx := context.Background()

	iso := schema.Article{ID: "iso-9001", Title: "Nam Định đạt chuẩn ISO 9001:2000", Published: publishedIn(2003)}
	if err := one.node.Put(ctx, iso); err != nil {
		t.Fatal(err)
	}
	inShards(t, s.idx, iso.ID, 0)
	// Its date corrected, written through the sharded node: it moves.
	iso.Published = publishedIn(2025)
	if err := s.node.Put(ctx, iso); err != nil {
		t.Fatal(err)
	}
	inShards(t, s.idx, iso.ID, 1)
	one.eventually(t, iso.ID, true)
	s.ready(t)
	applied := s.node.Status().Applied
	s.stop()

	// Written while the sharded node is down: one article into each shard.
	if err := one.node.Put(ctx,
		schema.Article{ID: "hue-2004", Title: "Huế khôi phục Đại Nội", Published: publishedIn(2004)},
		schema.Article{ID: "hoi-an-2026", Title: "Hội An đón khách", Published: publishedIn(2026)},
	); err != nil {
		t.Fatal(err)
	}
	if err := one.node.Delete(ctx, "tong-ket-2005"); err != nil {
		t.Fatal(err)
	}
	s = startNode(t, sharded, nats.URLs())
	if got := s.node.Status().Applied; got < applied {
		t.Errorf("the sharded node restarted at sequence %d; it had applied %d", got, applied)
	}
	inShards(t, s.idx, "hue-2004", 0)
	inShards(t, s.idx, "hoi-an-2026", 1)
	inShards(t, s.idx, "tong-ket-2005")
	s.ready(t)
	if n, _ := s.idx.DocCount(); n != 4 {
		t.Errorf("the sharded node holds %d articles; want 4", n)
	}

	snap, err := s.node.Snapshot(ctx, s.idx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := one.node.Put(ctx, schema.Article{ID: "ha-noi-2002", Title: "Hà Nội mở rộng phố đi bộ", Published: publishedIn(2002)}); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh")
	if _, found, err := RestoreSnapshot(ctx, Options{URLs: nats.URLs()}, fresh); err != nil || !found {
		t.Fatalf("RestoreSnapshot = %v, %v", found, err)
	}
	f := startNode(t, fresh, nats.URLs())
	if len(schema.ShardsOf(f.idx)) != 2 {
		t.Fatalf("the node from the snapshot of %d articles is not over 2 shards", snap.Articles)
	}
	inShards(t, f.idx, "ha-noi-2002", 0)
	inShards(t, f.idx, iso.ID, 1)
	f.ready(t)
	if n, _ := f.idx.DocCount(); n != 5 {
		t.Errorf("the node from the snapshot holds %d articles; want 5", n)
	}
}
