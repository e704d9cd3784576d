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
// articles stays the same, and the restored spelling still follows.
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
	s := New(first.idx, Options{SpellingsRefresh: 50 * time.Millisecond})
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
	time.Sleep(60 * time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for got := restored(); got != "hải đường"; got = restored() {
		if time.Now().After(deadline) {
			t.Fatalf("Restored 5s after the articles were replaced = %q; want %q", got, "hải đường")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A new searcher over the index does not take the kept table of the
	// old spellings: the generation changed.
	again := New(s.idx, Options{})
	if err := again.Prepare(); err != nil {
		t.Fatal(err)
	}
	if res, _ := again.Search(context.Background(), Request{Query: "hai duong"}); res.Explain.Restored != "hải đường" {
		t.Errorf("Restored by a new searcher = %q; want %q", res.Explain.Restored, "hải đường")
	}
}
