package indexer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/schema"
)

func TestWriterRebuildKeepsWritesMadeMeanwhile(t *testing.T) {
	idx, _ := newTestIndex(t)
	w, err := NewWriter(idx, WriterOptions{BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var articles []schema.Article
	for i := range 50 {
		articles = append(articles, schema.Article{ID: fmt.Sprintf("bai-%02d", i),
			Title: fmt.Sprintf("Nam Định đón khách lần %d", i), Tags: []string{"du lịch", "Nam Định"}})
	}
	if err := w.Put(ctx, articles...); err != nil {
		t.Fatal(err)
	}
	next, err := schema.Create(filepath.Join(t.TempDir(), "next"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { next.Close() })

	// One writer goes on all through the rebuild; the writes made once
	// the copy is done test the catching up for sure.
	busy, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	written := map[string]bool{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; busy.Err() == nil; i++ {
			id := fmt.Sprintf("moi-%03d", i)
			if err := w.Put(ctx, schema.Article{ID: id, Title: "Hội An mùa lũ"}); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			written[id] = true
			mu.Unlock()
		}
	}()
	switched := false
	st, err := w.Rebuild(ctx, next, RebuildHooks{
		Copied: func(bleve.Index) error {
			if err := w.Put(ctx, schema.Article{ID: "bai-01", Title: "Hà Nội sửa lại"}); err != nil {
				return err
			}
			return w.Delete(ctx, "bai-02")
		},
		Switch: func(bleve.Index) error { switched = true; return nil },
	})
	stop()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if !switched || st.Indexed < len(articles) {
		t.Fatalf("Rebuild = %+v, switched %v; want every article copied and the switch called", st, switched)
	}
	if err := w.Put(ctx, schema.Article{ID: "sau", Title: "Sau khi đổi chỉ mục"}); err != nil {
		t.Fatal(err)
	}

	want := map[string]bool{"sau": true}
	for _, a := range articles {
		want[a.ID] = true
	}
	delete(want, "bai-02")
	for id := range written {
		want[id] = true
	}
	got := map[string]schema.Article{}
	err = schema.ReadArticles(ctx, next, func(a schema.Article) error { got[a.ID] = a; return nil })
	if err != nil {
		t.Fatal(err)
	}
	for id := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("article %q missing from the rebuilt index", id)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rebuilt index holds %d articles; want %d", len(got), len(want))
	}
	if a := got["bai-01"]; a.Title != "Hà Nội sửa lại" {
		t.Errorf("bai-01 = %q; want the version written during the rebuild", a.Title)
	}
	if a := got["bai-03"]; len(a.Tags) != 2 || a.Tags[1] != "Nam Định" {
		t.Errorf("bai-03 tags = %q; want both tags copied", a.Tags)
	}
	if n, _ := idx.DocCount(); n == uint64(len(got)) {
		t.Errorf("the old index holds %d articles, the write made after the switch included; want it left behind", n)
	}
}

func TestWriterRebuildOneAtATime(t *testing.T) {
	idx, _ := newTestIndex(t)
	w, err := NewWriter(idx, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := w.Put(ctx, schema.Article{ID: "a", Title: "Thể thao"}); err != nil {
		t.Fatal(err)
	}
	next, err := schema.Create(filepath.Join(t.TempDir(), "next"))
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	_, err = w.Rebuild(ctx, next, RebuildHooks{Copied: func(bleve.Index) error {
		_, err := w.Rebuild(ctx, next, RebuildHooks{})
		if !errors.Is(err, ErrRebuilding) {
			t.Errorf("a second Rebuild during the first = %v; want ErrRebuilding", err)
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
}
