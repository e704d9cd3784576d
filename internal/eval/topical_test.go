package eval

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNDCGAndPrecision(t *testing.T) {
	judged := map[string]int{"a": GradeMainly, "b": GradeNotRelevant, "c": GradePartly, "e": GradeMainly}
	tests := []struct {
		name    string
		ranked  []string
		k       int
		ndcg, p float64
	}{
		// DCG 2/log2(2) + 0 + 1/log2(4) = 2.5; ideal 2 + 2/log2(3) + 1/log2(4) = 3.7619.
		{"relevant first, one missed", []string{"a", "b", "c", "d"}, 10, 0.664564, 0.2},
		// The ideal order: e and a (2), then c (1).
		{"best order", []string{"e", "a", "c"}, 10, 1, 0.3},
		// DCG 1 + 2/log2(3) = 2.2619; ideal at 2: 2 + 2/log2(3) = 3.2619.
		{"cut at k", []string{"c", "a", "e"}, 2, 0.693426, 1},
		{"nothing relevant found", []string{"b", "d"}, 10, 0, 0},
		{"no hits", nil, 10, 0, 0},
	}
	for _, tt := range tests {
		if got := NDCG(tt.ranked, judged, tt.k); math.Abs(got-tt.ndcg) > 1e-6 {
			t.Errorf("%s: NDCG(%q, k=%d) = %.6f; want %.6f", tt.name, tt.ranked, tt.k, got, tt.ndcg)
		}
		if got := Precision(tt.ranked, judged, tt.k); math.Abs(got-tt.p) > 1e-9 {
			t.Errorf("%s: Precision(%q, k=%d) = %.3f; want %.3f", tt.name, tt.ranked, tt.k, got, tt.p)
		}
	}
	if got := NDCG([]string{"a"}, map[string]int{"a": GradeNotRelevant}, 10); got != 0 {
		t.Errorf("NDCG with nothing relevant judged = %v; want 0", got)
	}
}

func TestLoadTopicalRejectsBadGrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topical.json")
	os.WriteFile(path, []byte(`[{"query": "giá vàng", "need": "Giá vàng lên xuống.", "judgments": {"x": 3}}]`), 0o644)
	_, err := LoadTopical(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "grade 3") {
		t.Fatalf("LoadTopical(grade 3) = %v; want an error naming the file and the grade", err)
	}
}

// TestTopicalOverBundledCorpus scores a topical set judged over the
// bundled articles, and skips the project's set, judged over the shared
// corpus, whose articles the bundled corpus does not hold.
func TestTopicalOverBundledCorpus(t *testing.T) {
	articles := loadTestCorpus(t)
	set := []TopicalQuery{{
		Query:     articles[0].Title,
		Need:      "The first bundled article.",
		Judgments: map[string]int{articles[0].ID: GradeMainly, articles[1].ID: GradeNotRelevant},
	}}
	data, _ := json.Marshal(set)
	path := filepath.Join(t.TempDir(), "topical.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Corpus: testCorpus, Queries: 1, Seed: 1, TempDir: t.TempDir(), Topical: path, PoolDepth: 10,
		Engines: []string{EngineVnsearch, EngineBleveFolding}}
	rep, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Topical == nil || rep.Topical.Skipped != "" || len(rep.Topical.Scores) != 2 {
		t.Fatalf("Run(topical over bundled ids).Topical = %+v; want scores of 2 engines", rep.Topical)
	}
	for _, m := range rep.Topical.Scores {
		if m.NDCG10 != 1 || m.Precision10 != 0.1 {
			t.Errorf("%s on a headline judged 2: nDCG@10 %.3f P@10 %.3f; want 1 and 0.1", m.Engine, m.NDCG10, m.Precision10)
		}
	}
	if p := rep.Topical.Pool; len(p) != 1 || len(p[0].Articles) == 0 || p[0].Articles[0].ID != articles[0].ID ||
		p[0].Articles[0].Grade == nil || p[0].Articles[0].Title != articles[0].Title {
		t.Errorf("pool = %+v; want the judged headline's article first, with its grade and title", p)
	}

	opts.Topical, opts.PoolDepth = "../../testdata/relevance/topical.json", 0
	if rep, err = Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if rep.Topical == nil || rep.Topical.Queries < 30 || rep.Topical.Skipped == "" || rep.Topical.Scores != nil {
		t.Errorf("Run(project set over bundled corpus).Topical = %+v; want 30 queries or more, skipped", rep.Topical)
	}
	var md strings.Builder
	rep.WriteMarkdown(&md)
	if !strings.Contains(md.String(), "skipped") {
		t.Errorf("report does not say the topical set was skipped:\n%s", md.String())
	}
}
