package search

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/schema"
)

var facetArticles = []schema.Article{
	{ID: "iso", Title: "Nam Định đẩy mạnh áp dụng ISO 9001", Section: "Khoa học - Công nghệ", Source: "Báo Nam Định",
		Published: time.Date(2012, 5, 25, 7, 5, 0, 0, schema.VietnamTime)},
	{ID: "football", Title: "Câu lạc bộ Nam Định thắng trận thứ ba", Section: "Thể thao", Source: "Báo Nam Định",
		Published: time.Date(2013, 1, 2, 0, 0, 0, 0, schema.VietnamTime)},
	{ID: "school", Title: "Học sinh Nam Định đạt giải khoa học", Section: "Giáo dục", Source: "Báo Nam Định",
		Published: time.Date(2013, 3, 4, 0, 0, 0, 0, schema.VietnamTime)},
	{ID: "hanoi", Title: "Hà Nội áp dụng ISO 9001 ở cấp phường", Section: "Khoa học - Công nghệ", Source: "Báo Hà Nội",
		Published: time.Date(2012, 12, 31, 23, 0, 0, 0, schema.VietnamTime)},
	{ID: "undated", Title: "Nam Định mở hội chợ khoa học", Section: "Kinh tế"},
	{ID: "nosection", Title: "Tin vắn Nam Định", Source: "Báo Nam Định"},
}

// bleveFacets counts the facet terms of q's hits with bleve's own facets,
// the reference the table must agree with.
func bleveFacets(t *testing.T, idx bleve.Index, q query.Query) map[string]int {
	t.Helper()
	sr := bleve.NewSearchRequestOptions(q, 0, 0, false)
	sr.AddFacet(schema.Facets, bleve.NewFacetRequest(schema.Facets, 1000))
	res, err := idx.Search(sr)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, tf := range res.Facets[schema.Facets].Terms.Terms() {
		out[tf.Term] = tf.Count
	}
	return out
}

// countFacets runs q with the facet counter and reports whether the
// counter used the table.
func countFacets(t *testing.T, s *Searcher, q query.Query) (map[string]int, bool) {
	t.Helper()
	var tally facetTally
	if _, err := s.searchIndex(s.withFacetCounting(context.Background(), &tally),
		bleve.NewSearchRequestOptions(q, 10, 0, false)); err != nil {
		t.Fatal(err)
	}
	counts, err := tally.result()
	if err != nil {
		t.Fatal(err)
	}
	withTables := len(tally.counters) > 0
	for _, c := range tally.counters {
		withTables = withTables && c.table != nil
	}
	return counts, withTables
}

// waitForCurrentTable asks for the tables of the current snapshot of
// every shard and waits until they are built.
func waitForCurrentTable(t *testing.T, s *Searcher) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		current := true
		for _, shard := range s.shards {
			r, err := schema.OpenReader(shard)
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			current = current && s.facets.lookup(r) != nil
		}
		if current {
			return
		}
		countFacets(t, s, query.NewMatchAllQuery()) // asks for a rebuild
	}
	t.Fatal("the facet table of the current snapshot was not built")
}

func TestFacetTableCountsAsBleveDoes(t *testing.T) {
	s := newTestSearcher(t, facetArticles...)
	queries := map[string]query.Query{
		"all":        query.NewMatchAllQuery(),
		"nam dinh":   conjunction([]query.Query{termQuery(schema.Text.Folded, "nam", 1), termQuery(schema.Text.Folded, "dinh", 1)}),
		"iso":        termQuery(schema.Text.Folded, "iso", 1),
		"no hits":    termQuery(schema.Text.Folded, "xyzzy", 1),
		"khoa hoc":   conjunction([]query.Query{termQuery(schema.Text.Folded, "khoa", 1), termQuery(schema.Text.Folded, "hoc", 1)}),
		"one of two": query.NewDocIDQuery([]string{"hanoi", "undated"}),
	}
	// check compares every query's counts with bleve's and returns how
	// many were counted with the table.
	check := func(stage string) (usedTable int) {
		t.Helper()
		for name, q := range queries {
			got, used := countFacets(t, s, q)
			if want := bleveFacets(t, s.idx, q); !maps.Equal(got, want) {
				t.Errorf("%s, %s: counts = %v; want %v", stage, name, got, want)
			}
			if used {
				usedTable++
			}
		}
		return usedTable
	}
	// withTable checks the counts with the current snapshot's table. The
	// index may still be writing its last batch to disk, which makes a
	// new snapshot, so it tries again until every query used the table.
	withTable := func(stage string) {
		t.Helper()
		for range 100 {
			waitForCurrentTable(t, s)
			if check(stage) == len(queries) {
				return
			}
		}
		t.Errorf("%s: the table was not used", stage)
	}

	// Until a table is built, searches count through the doc values.
	s.facets.building.Store(true)
	if n := check("no table"); n != 0 {
		t.Errorf("no table: %d queries used a table", n)
	}
	s.facets.building.Store(false)
	withTable("table")

	// A deletion makes a new snapshot: its searches count without the old
	// table, and the rebuilt table leaves the deleted article out.
	s.facets.building.Store(true)
	if err := s.idx.Delete("football"); err != nil {
		t.Fatal(err)
	}
	if n := check("after a deletion"); n != 0 {
		t.Errorf("after a deletion: %d queries used the old table", n)
	}
	s.facets.building.Store(false)
	withTable("table after a deletion")
	if got, _ := countFacets(t, s, query.NewMatchAllQuery()); got[schema.FacetTerm(schema.SectionFacet, "Thể thao")] != 0 {
		t.Errorf("the deleted article's section is still counted: %v", got)
	}
}

// A rebuild asked for by the last search before the index closed must
// give up, not crash the process.
func TestFacetTableRebuildAfterClose(t *testing.T) {
	idx, _, err := schema.OpenOrCreate(t.TempDir() + "/idx")
	if err != nil {
		t.Fatal(err)
	}
	s := New(idx, Options{})
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	s.facets.rebuild(s)
	for deadline := time.Now().Add(10 * time.Second); s.facets.building.Load(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the rebuild did not end")
		}
	}
	if s.facets.tables.Load() != nil {
		t.Error("a table was built from a closed index")
	}
}

func TestFacetCounts(t *testing.T) {
	got := facetCounts(map[string]int{
		schema.FacetTerm(schema.SectionFacet, "Thể thao"): 2,
		schema.FacetTerm(schema.SectionFacet, "Giáo dục"): 5,
		schema.FacetTerm(schema.SectionFacet, "Kinh tế"):  2,
		schema.FacetTerm(schema.YearFacet, "2012"):        9,
		"unknown:x": 1,
	})
	want := []FacetCount{{"Giáo dục", 5}, {"Kinh tế", 2}, {"Thể thao", 2}}
	if s := got[schema.SectionFacet]; len(s) != 3 || s[0] != want[0] || s[1] != want[1] || s[2] != want[2] {
		t.Errorf("sections = %v; want %v", s, want)
	}
	if y := got[schema.YearFacet]; len(y) != 1 || y[0] != (FacetCount{"2012", 9}) {
		t.Errorf("years = %v", y)
	}
	if src := got[schema.SourceFacet]; src == nil || len(src) != 0 {
		t.Errorf("sources = %#v; want empty, not nil", src)
	}
	if len(got) != len(facetSizes) {
		t.Errorf("facets = %v; want only %d known facets", got, len(facetSizes))
	}
}
