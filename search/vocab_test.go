package search

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// bleveMatching counts with a bleve search the articles matching, for
// each group, one of its folded terms.
func bleveMatching(t *testing.T, idx bleve.Index, groups [][]string) uint64 {
	t.Helper()
	var all []query.Query
	for _, terms := range groups {
		var anyOf []query.Query
		for _, term := range terms {
			anyOf = append(anyOf, termQuery(schema.Text.Folded, term, 1))
		}
		all = append(all, query.NewDisjunctionQuery(anyOf))
	}
	res, err := idx.Search(bleve.NewSearchRequestOptions(query.NewConjunctionQuery(all), 0, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func TestCountsAsBleveDoes(t *testing.T) {
	s := newTestSearcher(t, rankingArticles...)
	groups := map[string][][]string{
		"nam dinh":          {{"nam"}, {"dinh"}},
		"iso 9001":          {{"iso"}, {"9001"}},
		"hoc, khoa or nhi":  {{"hoc"}, {"khoa", "nhi"}},
		"one word":          {{"hoc"}},
		"an unknown word":   {{"nam"}, {"xyzzy"}},
		"only unknown ones": {{"xyzzy", "plugh"}},
	}
	check := func(stage string) {
		t.Helper()
		vocab, err := s.vocabulary()
		if err != nil {
			t.Fatal(err)
		}
		defer vocab.close()
		for name, g := range groups {
			got, ok := vocab.matching(g)
			if want := bleveMatching(t, s.idx, g); !ok || got != want {
				t.Errorf("%s, %s: matching = %d, %v; want %d, true", stage, name, got, ok, want)
			}
			for _, term := range g[0] {
				got := vocab.articles(schema.Text.Folded, term)
				if want := bleveMatching(t, s.idx, [][]string{{term}}); got != want {
					t.Errorf("%s: articles(%q) = %d; want %d", stage, term, got, want)
				}
			}
		}
	}
	check("indexed")
	if err := s.idx.Delete("province"); err != nil {
		t.Fatal(err)
	}
	check("after a deletion")
}

// A query whose hits are all reranked anyway is searched in one pass:
// it must find and rank them as the two passes do.
func TestOnePassRanksAsTwoPasses(t *testing.T) {
	s := newTestSearcher(t, rankingArticles...)
	tests := []Request{
		{Query: "nam định"},
		{Query: "nam dinh iso"},
		{Query: "bệnh viện khoa nhi"},
		{Query: "sinh"},
		{Query: "Nam Định -bóng"},
		{Query: "học", Sections: []string{"Sức khỏe"}},
		{Query: "iso 9001", Page: 2, Size: 1},
	}
	for _, req := range tests {
		req.SetDefaults()
		p, one, two := bothWays(t, s, req)
		if p.maxHits > rerankDepth {
			t.Errorf("%q: maxHits = %d; want at most %d", req.Query, p.maxHits, rerankDepth)
			continue
		}
		if one.total != two.total || !slices.Equal(hitIDs(one), hitIDs(two)) || !maps.Equal(one.facets, two.facets) {
			t.Errorf("%+v: one pass found %d %v %v; two passes %d %v %v",
				req, one.total, hitIDs(one), one.facets, two.total, hitIDs(two), two.facets)
		}
	}
}

// bothWays plans req on s, then runs it as planned and, with its count
// of hits forgotten, in two passes.
func bothWays(t *testing.T, s *Searcher, req Request) (p plan, one, two found) {
	t.Helper()
	vocab, err := s.vocabulary()
	if err != nil {
		t.Fatal(err)
	}
	p = compile(Parse(req.Query), vocab)
	vocab.close()
	if one, err = s.run(context.Background(), p, req, 0); err != nil {
		t.Fatal(err)
	}
	twoPasses := p
	twoPasses.maxHits = math.MaxUint64
	if two, err = s.run(context.Background(), twoPasses, req, 0); err != nil {
		t.Fatal(err)
	}
	return p, one, two
}

// hitIDs returns the ids of f's hits, in rank order.
func hitIDs(f found) (ids []string) {
	for _, h := range f.hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// cheapToScore bounds a part's term by the whole text's: every term of a
// part must be in the whole text, folded, at least as often.
func TestWholeTextHoldsEveryPartsTerms(t *testing.T) {
	s := newTestSearcher(t, append(slices.Clone(rankingArticles), schema.Article{ID: "lead",
		Title: "Thuý Kiều về quê", Lead: "Sở KH và CN tỉnh Hoà Bình họp ngày 07/05.", Body: "Hội nghị tổng kết năm."})...)
	r, err := schema.OpenReader(s.idx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, f := range schema.TextFields {
		for _, field := range []string{f.Exact, f.Folded, f.Pairs, f.FoldedPairs} {
			if field == "" {
				continue
			}
			whole, ok := schema.WholeTextView(field)
			if !ok {
				t.Fatalf("WholeTextView(%q) found no view", field)
			}
			dict, err := r.FieldDict(field)
			if err != nil {
				t.Fatal(err)
			}
			terms := 0
			for e, err := dict.Next(); err == nil && e != nil; e, err = dict.Next() {
				terms++
				if n, _ := termCount(r, whole, analyzers.Fold(e.Term)); n < e.Count {
					t.Errorf("%s %q is in %d articles; %s holds %q in %d", field, e.Term, e.Count, whole, analyzers.Fold(e.Term), n)
				}
			}
			dict.Close()
			if terms == 0 {
				t.Errorf("%s has no terms", field)
			}
		}
	}
	if _, ok := schema.WholeTextView(schema.Section); ok {
		t.Errorf("WholeTextView(%q) found a view", schema.Section)
	}
}

// Words too common to score are matched by the rarest of them, which the
// second pass leaves out of the ranking; one pass must leave it out too.
func TestOnePassOfCommonWordsRanksAsTwoPasses(t *testing.T) {
	var articles []schema.Article
	for i := range 2*maxScoredArticles + 150 {
		// Both words are in more articles than are scored, and in 50 at
		// once. Those hold "các" once to three times in bodies of one
		// length, so a scored "các" would reorder them.
		var body []string
		if i >= maxScoredArticles+50 {
			body = append(body, "và")
		}
		if i < maxScoredArticles+100 {
			copies := 1 + i%3
			body = append(body, strings.Repeat("các ", copies)+strings.Repeat("tin ", 3-copies))
		}
		articles = append(articles, schema.Article{ID: fmt.Sprintf("tin-%04d", i), Title: fmt.Sprintf("Bản tin %d", i),
			Body: strings.Join(body, " "), Published: time.Date(2012, 5, 1+i%28, 0, 0, 0, 0, schema.VietnamTime)})
	}
	s := newTestSearcher(t, articles...)
	req := Request{Query: "các và"}
	req.SetDefaults()
	p, one, two := bothWays(t, s, req)
	if !p.mustOnlyDrives || p.maxHits > rerankDepth {
		t.Fatalf("plan: only drives %v, maxHits %d; want every word common and at most %d hits", p.mustOnlyDrives, p.maxHits, rerankDepth)
	}
	if one.total != two.total || !slices.Equal(hitIDs(one), hitIDs(two)) {
		t.Errorf("one pass found %d %v; two passes %d %v", one.total, hitIDs(one), two.total, hitIDs(two))
	}
}
