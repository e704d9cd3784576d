package search

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/golden"
	"github.com/vnsearch/vnsearch/schema"
)

var update = flag.Bool("update", false, "rewrite golden files with the results of this run")

// supported lists the query features the search handles, for queries in
// testdata/relevance that say what they need.
var supported = map[string]bool{"abbrev": true, "phrase": true, "telex": true}

// relevanceQuery is one known-item query of testdata/relevance/queries.json.
type relevanceQuery struct {
	Query   string   `json:"query"`
	Expect  []string `json:"expect"`  // the first must rank first, the rest in the top 5
	Exclude []string `json:"exclude"` // must not be returned at all
	Needs   string   `json:"needs"`   // a feature the query depends on
	Note    string   `json:"note"`
}

// scratchDir holds indexes shared by the package's tests; TestMain removes it.
var scratchDir string

func TestMain(m *testing.M) {
	flag.Parse()
	var err error
	if scratchDir, err = os.MkdirTemp("", "vnsearch-search-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(scratchDir)
	os.Exit(code)
}

// corpusSearcher indexes testdata/corpus once for all tests of the package.
var corpusSearcher = sync.OnceValues(func() (*Searcher, error) {
	idx, _, err := schema.OpenOrCreate(filepath.Join(scratchDir, "corpus"))
	if err != nil {
		return nil, err
	}
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	var bad []string
	var st indexer.Stats
	if err == nil {
		st, err = w.Load(context.Background(), func(v indexer.Visitor) error {
			return indexer.ReadPaths([]string{"../testdata/corpus"}, v)
		}, func(o indexer.Outcome) {
			if o.Result == indexer.Rejected {
				bad = append(bad, o.Err.Error())
			}
		})
	}
	if err == nil && len(bad) > 0 {
		err = fmt.Errorf("bad records in the bundled corpus: %v", bad)
	}
	if err == nil && st.Indexed < 40 {
		err = fmt.Errorf("indexed %d articles from testdata/corpus; want at least 40", st.Indexed)
	}
	s := New(idx, Options{})
	if err == nil {
		err = s.Prepare()
	}
	return s, err
})

func loadQueries(t *testing.T) []relevanceQuery {
	t.Helper()
	data, err := os.ReadFile("../testdata/relevance/queries.json")
	if err != nil {
		t.Fatal(err)
	}
	var qs []relevanceQuery
	if err := json.Unmarshal(data, &qs); err != nil {
		t.Fatal(err)
	}
	if len(qs) < 30 {
		t.Fatalf("testdata/relevance/queries.json has %d queries; want at least 30", len(qs))
	}
	return qs
}

// relevanceReport is the golden summary of a run over all queries.
type relevanceReport struct {
	Queries  int                `json:"queries"`
	Recall1  float64            `json:"recall_at_1"`
	Recall5  float64            `json:"recall_at_5"`
	MRR      float64            `json:"mrr_at_10"`
	FirstHit map[string]string  `json:"first_hit"` // query -> id ranked first
	Rank     map[string]float64 `json:"rank"`      // query -> rank of the expected first id (0: not in top 10)
}

func TestRelevance(t *testing.T) {
	s, err := corpusSearcher()
	if err != nil {
		t.Fatal(err)
	}
	report := relevanceReport{FirstHit: map[string]string{}, Rank: map[string]float64{}}
	for _, q := range loadQueries(t) {
		res, err := s.Search(context.Background(), Request{Query: q.Query, Size: 10})
		if err != nil {
			t.Fatalf("Search(%q): %v", q.Query, err)
		}
		rank := map[string]int{}
		for i, h := range res.Hits {
			rank[h.ID] = i + 1
		}
		report.Queries++
		r := rank[q.Expect[0]]
		report.Rank[q.Query] = float64(r)
		if len(res.Hits) > 0 {
			report.FirstHit[q.Query] = res.Hits[0].ID
		}
		if r == 1 {
			report.Recall1++
		}
		if r >= 1 && r <= 5 {
			report.Recall5++
		}
		if r >= 1 {
			report.MRR += 1 / float64(r)
		}
		if q.Needs != "" && !supported[q.Needs] {
			continue
		}
		t.Run(q.Query, func(t *testing.T) {
			if r != 1 {
				t.Errorf("Search(%q): %s at rank %d; want it first (%s)", q.Query, q.Expect[0], r, q.Note)
			}
			for _, id := range q.Expect[1:] {
				if rank[id] == 0 || rank[id] > 5 {
					t.Errorf("Search(%q): %s at rank %d; want it in the top 5", q.Query, id, rank[id])
				}
			}
			for _, id := range q.Exclude {
				if rank[id] != 0 {
					t.Errorf("Search(%q): %s at rank %d; want it not returned", q.Query, id, rank[id])
				}
			}
		})
	}
	n := float64(report.Queries)
	report.Recall1, report.Recall5, report.MRR = round3(report.Recall1/n), round3(report.Recall5/n), round3(report.MRR/n)
	t.Logf("%d queries: recall@1 %.3f, recall@5 %.3f, MRR@10 %.3f", report.Queries, report.Recall1, report.Recall5, report.MRR)
	golden.Check(t, "../testdata/relevance/golden.json", report, *update, "go test ./search -update")
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
