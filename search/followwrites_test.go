package search

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// TestSpellingsFollowReplacedArticles replaces every article that spells
// "hai duong" one way with articles that spell it another: the count of
// articles stays the same, and the restored spelling still follows. The
// first search after the write comes before the spellings are due for a
// reading, so the later ones are answered from the cache: they must still
// start the reading when it falls due.
func TestSpellingsFollowReplacedArticles(t *testing.T) {
	titles := func(format string) []schema.Article {
		var out []schema.Article
		for i := range 4 {
			out = append(out, schema.Article{ID: fmt.Sprint("bai-", i), Title: fmt.Sprintf(format, i+1),
				Body: "Tin địa phương."})
		}
		return out
	}
	first := newTestSearcher(t, titles("Hải Dương mở rộng khu công nghiệp số %d")...)
	s := New(first.idx, Options{SpellingsRefresh: 200 * time.Millisecond})
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	restored := func() string {
		res, err := s.Search(context.Background(), Request{Query: "hai duong"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Explain.Restored
	}
	if got := restored(); got != "hải dương" {
		t.Fatalf("Restored before = %q; want %q", got, "hải dương")
	}
	w, err := indexer.NewWriter(s.idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(context.Background(), titles("Hoa hải đường nở rộ ở Tam Đảo, đợt %d")...); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for got := restored(); got != "hải đường"; got = restored() {
		if time.Now().After(deadline) {
			t.Fatalf("Restored 5s after the articles were replaced = %q; want %q", got, "hải đường")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The reading in the background was kept in the index: a new
	// searcher starts with it.
	again := New(s.idx, Options{})
	if err := again.Prepare(); err != nil {
		t.Fatal(err)
	}
	if res, _ := again.Search(context.Background(), Request{Query: "hai duong"}); res.Explain.Restored != "hải đường" {
		t.Errorf("Restored by a new searcher = %q; want %q", res.Explain.Restored, "hải đường")
	}
}

// TestPrepareUsesKeptSpellingsAfterWrites writes after the spellings were
// kept: a new searcher starts with the kept ones rather than reading the
// index through, and reads it in the background at its first search.
func TestPrepareUsesKeptSpellingsAfterWrites(t *testing.T) {
	first := newTestSearcher(t, schema.Article{ID: "a", Title: "Hải Dương mở rộng khu công nghiệp", Body: "Tin địa phương."})
	if err := first.Prepare(); err != nil {
		t.Fatal(err)
	}
	kept := first.diacritics.table.Load()
	w, err := indexer.NewWriter(first.idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(context.Background(), schema.Article{ID: "b", Title: "Hải Dương khởi công cầu mới", Body: "Tin địa phương."}); err != nil {
		t.Fatal(err)
	}
	s := New(first.idx, Options{SpellingsRefresh: time.Millisecond})
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	got := s.diacritics.table.Load()
	if got == nil || got.Generation != kept.Generation || !got.built.IsZero() {
		t.Fatalf("Prepare after a write: table of generation %d, built %v; want the kept one (%d), due for a reading", got.Generation, got.built, kept.Generation)
	}
	gen, err := schema.Generation(s.idx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.diacriticsTable().Generation != gen {
		if time.Now().After(deadline) {
			t.Fatalf("spellings of generation %d 5s after the first search; want %d", s.diacritics.table.Load().Generation, gen)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
