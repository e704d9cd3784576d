package search

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/testindex"
	"github.com/vnsearch/vnsearch/schema"
)

// searchOK runs req on s and fails the test on an error.
func searchOK(t *testing.T, s *Searcher, req Request) Result {
	t.Helper()
	res, err := s.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

func TestCacheAnswersTheSameRequestAgain(t *testing.T) {
	s := newTestSearcher(t, rankingArticles...)
	first := searchOK(t, s, Request{Query: "nam dinh iso"})
	again := searchOK(t, s, Request{Query: "nam dinh iso", Page: 1, Size: DefaultSize, Operator: And})
	if st := s.CacheStats(); st.Hits != 1 || st.Misses != 1 || st.Entries != 1 || st.Bytes <= 0 {
		t.Errorf("CacheStats after one request twice = %+v; want one hit, one miss, one entry", st)
	}
	first.TookMS, again.TookMS = 0, 0
	if !reflect.DeepEqual(first, again) {
		t.Errorf("cached result = %+v; want %+v", again, first)
	}
	// What a caller does to its result is not what the next one gets.
	again.Hits[0].Title = "changed"
	again.Facets.Year = append(again.Facets.Year, FacetCount{Value: "1999", Count: 1})
	third := searchOK(t, s, Request{Query: "nam dinh iso"})
	if third.TookMS = 0; !reflect.DeepEqual(first, third) {
		t.Errorf("a caller's change reached the cache: %+v", third)
	}
	// Another page, size or filter is another request.
	for _, req := range []Request{{Query: "nam dinh iso", Size: 1}, {Query: "nam dinh iso", Sort: SortDate},
		{Query: "nam dinh iso", Sections: []string{"Giáo dục"}}, {Query: "Nam Định iso"}} {
		searchOK(t, s, req)
	}
	if st := s.CacheStats(); st.Hits != 2 || st.Misses != 5 {
		t.Errorf("CacheStats after four other requests = %+v; want 2 hits and 5 misses", st)
	}
}

func TestCacheFollowsWrites(t *testing.T) {
	idx := testindex.New(t, rankingArticles...)
	s := New(idx, Options{})
	before := searchOK(t, s, Request{Query: "thiên trường"})
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(context.Background(), schema.Article{ID: "stadium", Title: "Sân Thiên Trường đón khán giả",
		Body: "Sân vận động Thiên Trường mở cửa."}); err != nil {
		t.Fatal(err)
	}
	after := searchOK(t, s, Request{Query: "thiên trường"})
	if after.Total != before.Total+1 || s.CacheStats().Hits != 0 {
		t.Errorf("after a write: %d hits (cache %+v); want %d, found again", after.Total, s.CacheStats(), before.Total+1)
	}
	if err := w.Delete(context.Background(), "stadium"); err != nil {
		t.Fatal(err)
	}
	if again := searchOK(t, s, Request{Query: "thiên trường"}); again.Total != before.Total {
		t.Errorf("after a delete: %d hits; want %d", again.Total, before.Total)
	}
	if _, err := s.SetSynonyms([]string{"TT\tthiên trường"}, -1); err != nil {
		t.Fatal(err)
	}
	if res := searchOK(t, s, Request{Query: "TT"}); res.Total == 0 {
		t.Errorf("new synonym TT found nothing: the cache kept the old table")
	}
}

func TestCacheStaysWithinItsBytes(t *testing.T) {
	const bound = 16 << 10
	s := New(testindex.New(t, rankingArticles...), Options{CacheBytes: bound})
	for i := range 200 {
		searchOK(t, s, Request{Query: fmt.Sprintf("khoa học %d", i), Operator: Or})
	}
	st := s.CacheStats()
	if st.Bytes > bound || st.Entries == 0 || st.Entries >= 200 {
		t.Errorf("CacheStats after 200 requests into %d bytes = %+v; want some entries within the bound", bound, st)
	}
	off := New(s.idx, Options{CacheBytes: -1})
	searchOK(t, off, Request{Query: "khoa học"})
	searchOK(t, off, Request{Query: "khoa học"})
	if st := off.CacheStats(); st != (CacheStats{}) {
		t.Errorf("CacheStats without a cache = %+v; want zero", st)
	}
}

func TestCacheUnderConcurrentSearches(t *testing.T) {
	s := newTestSearcher(t, rankingArticles...)
	queries := []string{"nam dinh", "khoa học", "ISO 9001", "học sinh", "Nam Định"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				if _, err := s.Search(context.Background(), Request{Query: queries[(g+i)%len(queries)]}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if st := s.CacheStats(); st.Hits+st.Misses != 200 || st.Entries != len(queries) || st.Misses < uint64(len(queries)) {
		t.Errorf("CacheStats after 200 searches of %d queries = %+v", len(queries), st)
	}
}
