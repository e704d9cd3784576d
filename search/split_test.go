package search

import (
	"context"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// splitSearcher returns the shared corpus searcher with the facet table
// of its current snapshot built, so that first passes can be split.
func splitSearcher(t *testing.T) *Searcher {
	t.Helper()
	s, err := corpusSearcher()
	if err != nil {
		t.Fatal(err)
	}
	waitForCurrentTable(t, s)
	if runtime.GOMAXPROCS(0) < 2 {
		previous := runtime.GOMAXPROCS(2)
		t.Cleanup(func() { runtime.GOMAXPROCS(previous) })
	}
	return s
}

func TestDocRangesCoverEveryArticleOnce(t *testing.T) {
	s := splitSearcher(t)
	total, err := s.idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	ranges := s.docRanges(3)
	if len(ranges) != 3 {
		t.Fatalf("docRanges(3) = %v", ranges)
	}
	for _, r := range ranges {
		req := bleve.NewSearchRequestOptions(docRange{Query: query.NewMatchAllQuery(), from: r[0], to: r[1]}, int(total), 0, false)
		res, err := s.idx.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != uint64(len(res.Hits)) {
			t.Errorf("range %v: total %d, %d hits", r, res.Total, len(res.Hits))
		}
		for _, h := range res.Hits {
			seen = append(seen, h.ID)
		}
	}
	slices.Sort(seen)
	if len(slices.Compact(slices.Clone(seen))) != len(seen) || uint64(len(seen)) != total {
		t.Errorf("the ranges hold %d articles, %d distinct; the index %d", len(seen), len(slices.Compact(seen)), total)
	}
}

// A split first pass must find what one pass finds: the same hits in the
// same order with the same scores, totals and facets.
func TestSplitFirstPassFindsTheSame(t *testing.T) {
	s := splitSearcher(t)
	requests := []Request{
		{Query: "Nam Định"},
		{Query: "khoa hoc cong nghe"},
		{Query: "iso 9001"},
		{Query: "UBND tỉnh", Size: 3, Page: 2},
		{Query: "năm", Size: 5, Page: 3},
		{Query: "học sinh", Sort: SortDate, Size: 4, Page: 2},
		{Query: "Nam Định", Sort: SortDateAsc},
		{Query: "xyzzy không có"},
	}
	saved := splitArticles
	t.Cleanup(func() { splitArticles = saved })
	for _, req := range requests {
		search := func(split uint64) Result {
			splitArticles = split
			res, err := s.Search(context.Background(), req)
			if err != nil {
				t.Fatalf("Search(%+v): %v", req, err)
			}
			res.TookMS = 0
			return res
		}
		one, split := search(^uint64(0)), search(0)
		if !reflect.DeepEqual(one, split) {
			t.Errorf("Search(%+v):\none pass %+v\nsplit    %+v", req, one, split)
		}
	}
}
