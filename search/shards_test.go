package search

import (
	"context"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/testindex"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/store"
)

// corpusArticles reads the bundled corpus.
func corpusArticles(t *testing.T) []schema.Article {
	t.Helper()
	var articles []schema.Article
	err := indexer.ReadPaths([]string{"../testdata/corpus"}, indexer.Visitor{
		Article: func(a schema.Article) error { articles = append(articles, a); return nil },
		Bad:     func(e *indexer.RecordError) { t.Error(e) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(articles) < 40 {
		t.Fatalf("read %d articles of testdata/corpus; want at least 40", len(articles))
	}
	return articles
}

// byYears splits articles into n shards by year as vnsearch index
// --shards does.
func byYears(t *testing.T, articles []schema.Article, n int) [][]schema.Article {
	t.Helper()
	years := map[int]int{}
	for _, a := range articles {
		years[store.YearOf(a)]++
	}
	plan := store.PlanShards(years, n)
	if len(plan) != n {
		t.Fatalf("PlanShards(%v, %d) = %v; want %d shards", years, n, plan, n)
	}
	groups := make([][]schema.Article, n)
	for _, a := range articles {
		i := store.ShardOf(plan, store.YearOf(a))
		groups[i] = append(groups[i], a)
	}
	return groups
}

// shardedSearcher indexes each group of articles into a shard of its own
// and searches them as one.
func shardedSearcher(t *testing.T, groups [][]schema.Article) *Searcher {
	t.Helper()
	var shards []bleve.Index
	for _, g := range groups {
		if len(g) == 0 {
			t.Fatalf("an empty shard: %d groups", len(groups))
		}
		shards = append(shards, testindex.New(t, g...))
	}
	idx, err := schema.NewShards(nil, shards...)
	if err != nil {
		t.Fatal(err)
	}
	s := New(idx, Options{})
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	return s
}

// sameScore says whether two scores are equal but for the order in which
// floating-point sums were added.
func sameScore(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(math.Abs(a), math.Abs(b), 1) }

// sameRanking compares two pages of hits: the same articles with the same
// scores, in the same order but among articles of equal score, which one
// index orders by its document numbers and shards by their merge.
func sameRanking(got, want []Hit) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d hits; want %d", len(got), len(want))
	}
	for i := range want {
		if !sameScore(got[i].Score, want[i].Score) {
			return fmt.Errorf("hit %d: %s scores %.12g; want %s at %.12g", i+1, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
		}
	}
	for i := 0; i < len(want); {
		j := i + 1
		for j < len(want) && sameScore(want[j].Score, want[i].Score) {
			j++
		}
		gotIDs, wantIDs := ids(Result{Hits: got[i:j]}), ids(Result{Hits: want[i:j]})
		slices.Sort(gotIDs)
		slices.Sort(wantIDs)
		if !slices.Equal(gotIDs, wantIDs) {
			return fmt.Errorf("hits %d–%d: %v; want %v", i+1, j, ids(Result{Hits: got}), ids(Result{Hits: want}))
		}
		i = j
	}
	return nil
}

// TestShardsSearchAsOneIndex searches the bundled corpus in one index and
// split by years into 2 and 4 shards: every judged query, and some with
// filters and other orders, finds the same articles with the same scores
// and the same facets, and the same spellings restored or corrected.
func TestShardsSearchAsOneIndex(t *testing.T) {
	articles := corpusArticles(t)
	one := New(testindex.New(t, articles...), Options{})
	if err := one.Prepare(); err != nil {
		t.Fatal(err)
	}
	var requests []Request
	for _, q := range loadQueries(t) {
		requests = append(requests, Request{Query: q.Query})
	}
	requests = append(requests,
		Request{Query: "Nam Định", Sort: SortDate},
		Request{Query: "nam dinh", Sort: SortDateAsc, Size: 5, Page: 2},
		Request{Query: "khoa học", Sections: []string{"Khoa học - Công nghệ"}},
		Request{Query: "ISO 9001", Operator: Or, Size: 20},
		Request{Query: "ISO 9001 Hà Nam Ninh Bình Quảng Ninh Thái Bình"}, // relaxed
		Request{Query: "Nam Dinhf"},                                      // fuzzy, did you mean
	)
	for _, n := range []int{2, 4} {
		t.Run(fmt.Sprintf("%d shards", n), func(t *testing.T) {
			groups := byYears(t, articles, n)
			sharded := shardedSearcher(t, groups)
			if got, _ := sharded.Count(); got != uint64(len(articles)) {
				t.Fatalf("Count() = %d; want %d", got, len(articles))
			}
			for _, req := range requests {
				want, err := one.Search(context.Background(), req)
				if err != nil {
					t.Fatalf("one index: Search(%q): %v", req.Query, err)
				}
				got, err := sharded.Search(context.Background(), req)
				if err != nil {
					t.Fatalf("%d shards: Search(%q): %v", n, req.Query, err)
				}
				if err := sameRanking(got.Hits, want.Hits); err != nil {
					t.Errorf("Search(%q, sort %q): %v", req.Query, req.Sort, err)
				}
				if got.Total != want.Total || got.Relaxed != want.Relaxed {
					t.Errorf("Search(%q): total %d, relaxed %v; want %d, %v", req.Query, got.Total, got.Relaxed, want.Total, want.Relaxed)
				}
				got.Explain.Parsed, want.Explain.Parsed = "", ""
				if fmt.Sprint(got.Explain) != fmt.Sprint(want.Explain) {
					t.Errorf("Search(%q): explain %+v; want %+v", req.Query, got.Explain, want.Explain)
				}
				if fmt.Sprint(got.Facets) != fmt.Sprint(want.Facets) {
					t.Errorf("Search(%q): facets %v; want %v", req.Query, got.Facets, want.Facets)
				}
			}
			for _, id := range []string{"nd-2012-0001", "hn-2014-0007"} {
				want, err := one.Related(context.Background(), id, 5)
				if err != nil {
					t.Fatal(err)
				}
				got, err := sharded.Related(context.Background(), id, 5)
				if err != nil {
					t.Fatal(err)
				}
				if err := sameRanking(got, want); err != nil {
					t.Errorf("Related(%q): %v", id, err)
				}
				a, err := sharded.Article(context.Background(), id)
				if err != nil || a.ID != id {
					t.Errorf("Article(%q) = %q, %v", id, a.ID, err)
				}
			}
		})
	}
}

// The shards' articles are numbered from 0 in each shard: facets are
// counted per shard, with and without the tables of ordinals, as bleve
// counts them in one index.
func TestShardsCountFacetsPerShard(t *testing.T) {
	one := New(testindex.New(t, facetArticles...), Options{})
	sharded := shardedSearcher(t, [][]schema.Article{facetArticles[:2], facetArticles[2:4], facetArticles[4:]})
	queries := map[string]query.Query{
		"all":      query.NewMatchAllQuery(),
		"nam dinh": conjunction([]query.Query{termQuery(schema.Text.Folded, "nam", 1), termQuery(schema.Text.Folded, "dinh", 1)}),
		"iso":      termQuery(schema.Text.Folded, "iso", 1),
	}
	sharded.facets.building.Store(true) // no tables yet
	for name, q := range queries {
		want := bleveFacets(t, one.idx, q)
		if got, used := countFacets(t, sharded, q); !maps.Equal(got, want) || used {
			t.Errorf("without tables, %s: counts = %v (tables used: %v); want %v", name, got, used, want)
		}
	}
	sharded.facets.building.Store(false)
	waitForCurrentTable(t, sharded)
	for name, q := range queries {
		want := bleveFacets(t, one.idx, q)
		if got, used := countFacets(t, sharded, q); !maps.Equal(got, want) || !used {
			t.Errorf("with tables, %s: counts = %v (tables used: %v); want %v", name, got, used, want)
		}
	}
}

// A shard that fails fails the search rather than leaving its articles
// out of the hits.
func TestShardsFailedShardFailsSearch(t *testing.T) {
	articles := corpusArticles(t)
	// The second shard is closed by the test, not by testindex.
	closing, err := schema.Create(filepath.Join(t.TempDir(), "shard-2"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := indexer.NewWriter(closing, indexer.WriterOptions{})
	if err == nil {
		err = w.Put(context.Background(), articles[20:]...)
	}
	if err != nil {
		t.Fatal(err)
	}
	shards := []bleve.Index{testindex.New(t, articles[:20]...), closing}
	idx, err := schema.NewShards(nil, shards...)
	if err != nil {
		t.Fatal(err)
	}
	s := New(idx, Options{CacheBytes: -1})
	if _, err := s.Search(context.Background(), Request{Query: "Nam Định"}); err != nil {
		t.Fatal(err)
	}
	if err := shards[1].Close(); err != nil {
		t.Fatal(err)
	}
	if res, err := s.searchIndex(context.Background(), bleve.NewSearchRequest(query.NewMatchAllQuery())); err == nil {
		t.Errorf("a search with a closed shard found %d articles and no error", res.Total)
	}
}

// Prepare counts the shards' terms of every field once and keeps them in
// the first shard, where the next searcher of the archive reads them.
func TestShardsKeepTheirTermCounts(t *testing.T) {
	articles := corpusArticles(t)
	first := shardedSearcher(t, byYears(t, articles, 2))
	kept, err := first.shards[0].GetInternal(archiveTermsKey)
	if err != nil || kept == nil {
		t.Fatalf("the first shard keeps %q, %v; want the counts", kept, err)
	}
	next := New(first.idx, Options{})
	if err := next.Prepare(); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(next.bm25.terms, first.bm25.terms) || next.bm25.terms[schema.Text.Folded] == 0 {
		t.Errorf("read back %v; want %v", next.bm25.terms, first.bm25.terms)
	}
	// One index with every article has as many distinct terms as the
	// shards together.
	one := testindex.New(t, articles...)
	r, err := schema.OpenReader(one)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, field := range []string{schema.Text.Folded, schema.Title.Pairs} {
		want, err := distinctTerms([]index.IndexReader{r}, field)
		if err != nil {
			t.Fatal(err)
		}
		if got := first.bm25.terms[field]; got != want {
			t.Errorf("%s: %d distinct terms over the shards; one index has %d", field, got, want)
		}
	}
}

// Unscored clauses (a filter of two words) are merged by scorch into one
// searcher of the field "*", which must have statistics over shards too.
func TestShardsUnscoredConjunctions(t *testing.T) {
	articles := corpusArticles(t)
	one := New(testindex.New(t, articles...), Options{})
	sharded := shardedSearcher(t, byYears(t, articles, 2))
	q := query.NewBooleanQuery([]query.Query{termQuery(schema.Text.Folded, "nam", 1)}, nil, nil)
	q.AddFilter(conjunction([]query.Query{termQuery(schema.Text.Folded, "iso", 1), termQuery(schema.Text.Folded, "9001", 1)}))
	var results []*bleve.SearchResult
	for _, s := range []*Searcher{one, sharded} {
		vocab, err := s.vocabulary()
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.searchIndex(s.archiveScoring(context.Background(), vocab), bleve.NewSearchRequest(q))
		vocab.close()
		if err != nil {
			t.Fatalf("%d shards: %v", len(s.shards), err)
		}
		results = append(results, res)
	}
	if results[0].Total == 0 || results[1].Total != results[0].Total || !sameScore(results[1].MaxScore, results[0].MaxScore) {
		t.Errorf("over shards %d hits, best %.6f; one index %d, %.6f", results[1].Total, results[1].MaxScore, results[0].Total, results[0].MaxScore)
	}
}

// Articles written into the shards of a searched archive are found at
// once, scored with the counts of terms of the archive before them while
// those are counted again in the background, and then as in one index of
// them all.
func TestShardsCountTheirTermsAgainAfterWrites(t *testing.T) {
	articles := corpusArticles(t)
	one := New(testindex.New(t, articles...), Options{})
	if err := one.Prepare(); err != nil {
		t.Fatal(err)
	}
	groups := byYears(t, articles, 2)
	shardOf := map[string]int{}
	var shards []bleve.Index
	var later []schema.Article // written once the shards are searched
	for i, g := range groups {
		for _, a := range g {
			shardOf[a.ID] = i
		}
		shards = append(shards, testindex.New(t, g[:len(g)-3]...))
		later = append(later, g[len(g)-3:]...)
	}
	idx, err := schema.NewShards(func(a schema.Article) int { return shardOf[a.ID] }, shards...)
	if err != nil {
		t.Fatal(err)
	}
	sharded := New(idx, Options{CacheBytes: -1})
	if err := sharded.Prepare(); err != nil {
		t.Fatal(err)
	}
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err == nil {
		err = w.Put(context.Background(), later...)
	}
	if err != nil {
		t.Fatal(err)
	}
	var requests []Request // typed with diacritics: no spelling restored
	for _, q := range loadQueries(t) {
		if analyzers.Fold(q.Query) != strings.ToLower(q.Query) {
			requests = append(requests, Request{Query: q.Query})
		}
	}
	for _, a := range later {
		res, err := sharded.Search(context.Background(), Request{Query: a.Title})
		if err != nil || len(res.Hits) == 0 {
			t.Errorf("Search(%q) after its write: %v, %v", a.Title, ids(res), err)
		}
	}
	for deadline := time.Now().Add(30 * time.Second); sharded.bm25.counting.Load(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the terms are still being counted after 30 s")
		}
	}
	for _, req := range requests {
		want, err := one.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sharded.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameRanking(got.Hits, want.Hits); err != nil {
			t.Errorf("Search(%q): %v", req.Query, err)
		}
	}
}
