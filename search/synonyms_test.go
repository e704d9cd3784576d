package search

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// synonymArticles hold a phrase only the newsroom's own table links to
// its abbreviation.
var synonymArticles = []schema.Article{
	{ID: "hatinh-port", Title: "Khu kinh tế Vũng Áng đón tàu 300.000 tấn",
		Body: "Cảng nước sâu của khu kinh tế Vũng Áng, Hà Tĩnh, đón tàu lớn nhất từ trước đến nay."},
	{ID: "football", Title: "Câu lạc bộ Nam Định thắng trận thứ ba liên tiếp",
		Body: "Đội bóng thành Nam đã có chiến thắng thuyết phục trên sân nhà Thiên Trường."},
}

func TestSetSynonyms(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	idx, _, err := schema.OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(context.Background(), synonymArticles...); err != nil {
		t.Fatal(err)
	}
	s := New(idx, Options{})
	ctx := context.Background()
	if got, err := s.Synonyms(); err != nil || got.Version != 0 || len(got.Lines) != 0 {
		t.Fatalf("Synonyms() of a new index = %+v, %v; want version 0, no lines", got, err)
	}
	if res, err := s.Search(ctx, Request{Query: "KKTVA"}); err != nil || res.Total != 0 {
		t.Fatalf("KKTVA before it is a synonym: %d hits, %v; want none", res.Total, err)
	}

	set, err := s.SetSynonyms([]string{"# cảng miền Trung", "KKTVA|KKT Vũng Áng\tkhu kinh tế Vũng Áng"}, 0)
	if err != nil || set.Version != 1 {
		t.Fatalf("SetSynonyms = %+v, %v; want version 1", set, err)
	}
	res, err := s.Search(ctx, Request{Query: "KKTVA"})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != "hatinh-port" {
		t.Fatalf("KKTVA after it is a synonym = %+v, %v; want hatinh-port first", res.Hits, err)
	}
	if want := "KKTVA → khu kinh tế Vũng Áng"; !slices.Contains(res.Explain.Expanded, want) {
		t.Errorf("Explain.Expanded = %q; want it to hold %q", res.Explain.Expanded, want)
	}
	if res, err := s.Search(ctx, Request{Query: "UBND"}); err != nil || !slices.Contains(res.Explain.Expanded, "UBND → Ủy ban nhân dân") {
		t.Errorf("UBND with the newsroom's table: expanded %q, %v; want the shipped expansion kept", res.Explain.Expanded, err)
	}

	t.Run("stale version changes nothing", func(t *testing.T) {
		if _, err := s.SetSynonyms([]string{"X\tY"}, 0); !errors.Is(err, ErrVersionConflict) {
			t.Errorf("SetSynonyms against version 0 at version 1 = %v; want ErrVersionConflict", err)
		}
	})
	t.Run("bad line changes nothing", func(t *testing.T) {
		_, err := s.SetSynonyms([]string{"BHXH\tbảo hiểm xã hội", "KKTVA khu kinh tế Vũng Áng"}, -1)
		var ae *analyzers.AbbreviationError
		if !errors.As(err, &ae) || ae.Line != 2 {
			t.Errorf("SetSynonyms with a bad second line = %v; want an *AbbreviationError on line 2", err)
		}
		if got, _ := s.Synonyms(); got.Version != 1 {
			t.Errorf("after a refused change, version %d; want 1", got.Version)
		}
	})

	// Kept with the index: a searcher over the index reopened finds them.
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	idx, err = schema.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	s = New(idx, Options{})
	if got, err := s.Synonyms(); err != nil || got.Version != 1 || len(got.Lines) != 2 {
		t.Errorf("Synonyms() after reopening = %+v, %v; want version 1 and its 2 lines", got, err)
	}
	if res, err := s.Search(ctx, Request{Query: "KKT Vũng Áng"}); err != nil || len(res.Hits) == 0 || res.Hits[0].ID != "hatinh-port" {
		t.Errorf("KKT Vũng Áng after reopening = %+v, %v; want hatinh-port first", res.Hits, err)
	}
}

// TestSetSynonymsWhileSearching changes the table while searches run; -race
// checks that they share it safely.
func TestSetSynonymsWhileSearching(t *testing.T) {
	s := newTestSearcher(t, synonymArticles...)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				if _, err := s.Search(ctx, Request{Query: "KKTVA Nam Định"}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := range 10 {
		if _, err := s.SetSynonyms([]string{"KKTVA\tkhu kinh tế Vũng Áng"}, i); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}
