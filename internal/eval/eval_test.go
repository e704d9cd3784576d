package eval

import (
	"context"
	"flag"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/internal/golden"
	"github.com/vnsearch/vnsearch/schema"
)

var update = flag.Bool("update", false, "rewrite golden files with the results of this run")

// The bundled corpus, written for the project, and the goldens over it.
const (
	testCorpus    = "../../testdata/corpus/articles.jsonl"
	goldenScores  = "../../testdata/relevance/eval-golden.json"
	goldenQueries = "../../testdata/relevance/eval-golden-queries.json"
)

// testQueries is per variant: more than the corpus has articles, so every
// article that yields a variant gives one.
const testQueries = 100

func loadTestCorpus(t *testing.T) []schema.Article {
	t.Helper()
	articles, err := LoadCorpus(testCorpus, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(articles) < 50 {
		t.Fatalf("LoadCorpus(%s) read %d articles; want at least 50", testCorpus, len(articles))
	}
	return articles
}

// goldenVariant is one variant's scores in the golden file.
type goldenVariant struct {
	Queries int                     `json:"queries"`
	Shared  int                     `json:"shared"`
	Ceiling float64                 `json:"ceiling_mrr_at_10"`
	Engines map[string]engineGolden `json:"engines"`
}

type engineGolden struct {
	Recall1 float64 `json:"recall_at_1"`
	Recall5 float64 `json:"recall_at_5"`
	MRR     float64 `json:"mrr_at_10"`
}

// TestEvalGolden runs the whole evaluation over the bundled corpus and
// compares every engine's recall@1, recall@5 and MRR@10 per variant, and
// the derived queries, with the goldens; go test ./internal/eval -update
// rewrites them.
func TestEvalGolden(t *testing.T) {
	rep, err := Run(context.Background(), Options{
		Corpus: testCorpus, Queries: testQueries, Seed: 1, TempDir: t.TempDir(), Details: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Engines) != len(EngineNames()) {
		t.Fatalf("Run ran %d engines; want %d", len(rep.Engines), len(EngineNames()))
	}
	scores := map[Variant]goldenVariant{}
	for _, v := range rep.Variants {
		if v.Queries < 5 {
			t.Errorf("variant %s: %d queries from %s; want at least 5", v.Variant, v.Queries, testCorpus)
		}
		gv := goldenVariant{Queries: v.Queries, Shared: v.Shared, Ceiling: round3(v.CeilingMRR10), Engines: map[string]engineGolden{}}
		for _, m := range v.Scores {
			gv.Engines[m.Engine] = engineGolden{round3(m.Success1), round3(m.Success5), round3(m.MRR10)}
		}
		scores[v.Variant] = gv
		// A floor the golden file cannot move: -update must not accept a
		// vnsearch below a baseline.
		for _, shortfall := range belowBaselines(v) {
			t.Errorf("variant %s: %s", v.Variant, shortfall)
		}
		t.Logf("%-17s %3d queries  vnsearch r@1 %.3f r@5 %.3f MRR %.3f", v.Variant, v.Queries,
			v.Scores[0].Success1, v.Scores[0].Success5, v.Scores[0].MRR10)
	}
	golden.Check(t, goldenScores, scores, *update, "go test ./internal/eval -update")
	golden.Check(t, goldenQueries, rep.Details, *update, "go test ./internal/eval -update")
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// belowBaselines says where vnsearch scores below another engine on v, in
// recall@1, recall@5 or MRR@10.
func belowBaselines(v VariantReport) []string {
	var ours Metrics
	for _, m := range v.Scores {
		if m.Engine == EngineVnsearch {
			ours = m
		}
	}
	var out []string
	for _, m := range v.Scores {
		for _, f := range []struct {
			name        string
			ours, their float64
		}{{"recall@1", ours.Success1, m.Success1}, {"recall@5", ours.Success5, m.Success5}, {"MRR@10", ours.MRR10, m.MRR10}} {
			if f.ours < f.their {
				out = append(out, fmt.Sprintf("vnsearch %s %.3f is below %s's %.3f", f.name, f.ours, m.Engine, f.their))
			}
		}
	}
	return out
}

func TestBelowBaselines(t *testing.T) {
	v := VariantReport{Variant: Title, Scores: []Metrics{
		{Engine: EngineVnsearch, Success1: 0.9, Success5: 0.95, MRR10: 0.92},
		{Engine: EngineSQLite, Success1: 0.8, Success5: 0.97, MRR10: 0.85},
		{Engine: EngineBleveFolding, Success1: 0.9, Success5: 0.9, MRR10: 0.93},
	}}
	got := belowBaselines(v)
	want := []string{"vnsearch recall@5 0.950 is below sqlite-fts5's 0.970", "vnsearch MRR@10 0.920 is below bleve-folding's 0.930"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("belowBaselines = %q; want %q", got, want)
	}
}

func TestDeriveIsDeterministic(t *testing.T) {
	articles := loadTestCorpus(t)
	a, b := Derive(articles, 7, 20), Derive(articles, 7, 20)
	if !equalQueries(a, b) {
		t.Errorf("Derive with seed 7 gave two different query sets")
	}
	if c := Derive(articles, 8, 20); equalQueries(a, c) {
		t.Errorf("Derive with seeds 7 and 8 gave the same queries")
	}
	// More queries per variant keep the first ones.
	more := Derive(articles, 7, 40)
	for _, v := range Variants {
		few, many := ofVariant(a, v), ofVariant(more, v)
		if len(many) < len(few) || !equalQueries(few, many[:len(few)]) {
			t.Errorf("variant %s: Derive(40) does not start with Derive(20)'s queries", v)
		}
	}
}

func ofVariant(qs []Query, v Variant) []Query {
	var out []Query
	for _, q := range qs {
		if q.Variant == v {
			out = append(out, q)
		}
	}
	return out
}

func equalQueries(a, b []Query) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDerivedQueries checks every derived query against the article it
// came from, by the rule of its variant.
func TestDerivedQueries(t *testing.T) {
	articles := loadTestCorpus(t)
	byID := map[string]schema.Article{}
	for _, a := range articles {
		byID[a.ID] = a
	}
	queries := Derive(articles, 1, testQueries)
	holders := runHolders(articles, queries)
	seen := map[Variant]int{}
	for qi, q := range queries {
		seen[q.Variant]++
		a := byID[q.ID]
		title := strings.Join(words(a.Title), " ")
		inTitle := func(s string) bool { return strings.Contains(title, s) }
		foldedIn := func(s, text string) bool {
			return strings.Contains(analyzers.Fold(strings.Join(words(text), " ")), analyzers.Fold(s))
		}
		var ok bool
		switch q.Variant {
		case Title:
			ok = q.Text == a.Title
		case TitleNoDiac:
			ok = !analyzers.HasDiacritics(q.Text) && analyzers.Fold(q.Text) == analyzers.Fold(a.Title)
		case Short:
			ok = len(words(q.Text)) == shortWords && inTitle(q.Text)
		case ShortNoDiac:
			ok = len(words(q.Text)) == shortWords && !analyzers.HasDiacritics(q.Text) && foldedIn(q.Text, a.Title)
		case BodySpan:
			n := len(words(q.Text))
			ok = n >= spanMinWords && n <= spanMaxWords && strings.Contains(strings.Join(words(leadOf(a)), " "), q.Text)
		case BodySpanNoDiac:
			ok = !analyzers.HasDiacritics(q.Text) && foldedIn(q.Text, leadOf(a))
		case ToneStyle:
			ok = q.Text != a.Title && analyzers.Fold(q.Text) == analyzers.Fold(a.Title) && canonical(q.Text) == canonical(a.Title)
		case Typo:
			ok = len(words(q.Text)) == shortWords && !inTitle(q.Text) && foldedIn(q.Text, a.Title) && oneSyllableDiffers(q.Text, title)
		case Telex:
			// Word by word: InputAlternatives leaves alone a word that is
			// a syllable both ways ("coong" is also Telex for "công").
			var ds []string
			for _, w := range words(q.Text) {
				if d, ok := analyzers.DecodeTelex(w); ok {
					w = d
				}
				ds = append(ds, w)
			}
			decoded := strings.Join(ds, " ")
			ok = !analyzers.HasDiacritics(q.Text) && canonical(decoded) != canonical(stripDiacritics(decoded)) &&
				strings.Contains(canonical(title), canonical(decoded))
		}
		if !ok {
			t.Errorf("%s query %q does not follow its rule for %s (title %q)", q.Variant, q.Text, q.ID, a.Title)
		}
		switch q.Variant {
		case Short, ShortNoDiac, Typo:
			if n := holding(articles, q.Text, func(a schema.Article) []string { return []string{a.Title} }); n != 1 {
				t.Errorf("%s query %q: %d headlines hold it; want 1", q.Variant, q.Text, n)
			}
		case BodySpan, BodySpanNoDiac:
			n := holding(articles, q.Text, func(a schema.Article) []string { return []string{a.Title, a.Lead, a.Body} })
			if len(holders[qi]) != n || !slices.Contains(holders[qi], q.ID) {
				t.Errorf("%s query %q: runHolders found %v; want %d articles, %s among them", q.Variant, q.Text, holders[qi], n, q.ID)
			}
		}
	}
	for _, v := range Variants {
		if seen[v] == 0 {
			t.Errorf("no %s query derived from %s", v, testCorpus)
		}
	}
}

// holding counts the articles one of whose texts, folded, holds the words
// of window, folded.
func holding(articles []schema.Article, window string, texts func(schema.Article) []string) int {
	pad := func(s string) string { return " " + analyzers.Fold(strings.Join(words(s), " ")) + " " }
	n := 0
	for _, a := range articles {
		if slices.ContainsFunc(texts(a), func(text string) bool { return strings.Contains(pad(text), pad(window)) }) {
			n++
		}
	}
	return n
}

func TestCeilingMRR(t *testing.T) {
	rows := []struct {
		holders int
		want    float64
	}{
		{0, 1}, {1, 1}, {2, 0.75}, {3, (1 + 1.0/2 + 1.0/3) / 3},
		{20, (1 + 1.0/2 + 1.0/3 + 1.0/4 + 1.0/5 + 1.0/6 + 1.0/7 + 1.0/8 + 1.0/9 + 1.0/10) / 20},
	}
	for _, row := range rows {
		if got := ceilingMRR(row.holders); math.Abs(got-row.want) > 1e-12 {
			t.Errorf("ceilingMRR(%d) = %v; want %v", row.holders, got, row.want)
		}
	}
}

// canonical returns text in lower case with every syllable in the
// canonical tone style, as the index reads it.
func canonical(text string) string {
	var out []string
	for _, w := range words(strings.ToLower(text)) {
		out = append(out, string(analyzers.CanonicalTone([]rune(w))))
	}
	return strings.Join(out, " ")
}

// oneSyllableDiffers reports whether window, found in title once folded,
// differs from the words there in exactly one syllable.
func oneSyllableDiffers(window, title string) bool {
	ws, ts := words(window), words(title)
	for s := 0; s+len(ws) <= len(ts); s++ {
		diff, folded := 0, true
		for i, w := range ws {
			if analyzers.Fold(w) != analyzers.Fold(ts[s+i]) {
				folded = false
				break
			}
			if w != ts[s+i] {
				diff++
			}
		}
		if folded && diff == 1 {
			return true
		}
	}
	return false
}

func TestScore(t *testing.T) {
	m := score("x", []int{1, 2, 0, 10, 5})
	want := Metrics{Engine: "x", Success1: 0.2, Success5: 0.6, Success10: 0.8, MRR10: (1 + 0.5 + 0.1 + 0.2) / 5}
	if math.Abs(m.MRR10-want.MRR10) > 1e-12 || m.Success1 != want.Success1 || m.Success5 != want.Success5 || m.Success10 != want.Success10 {
		t.Errorf("score(1, 2, 0, 10, 5) = %+v; want %+v", m, want)
	}
}

func TestFTSQuery(t *testing.T) {
	rows := []struct{ name, in, want string }{
		{"words quoted", "Nam Định", `"Nam" "Định"`},
		{"operators are text", "NOT Hà Nội OR", `"NOT" "Hà" "Nội" "OR"`},
		{"quotes doubled", `"Nóng" trên`, `"""Nóng""" "trên"`},
		{"lone punctuation dropped", "Thể thao - Bóng đá", `"Thể" "thao" "Bóng" "đá"`},
		{"nothing left", "- …", ""},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := ftsQuery(row.in); got != row.want {
				t.Errorf("ftsQuery(%q) = %q; want %q", row.in, got, row.want)
			}
		})
	}
}

// TestReuseIndex checks that a kept index is reused only for the same
// articles and gives the same scores as a fresh one.
func TestReuseIndex(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Corpus: testCorpus, Queries: 5, Seed: 3, Engines: []string{EngineVnsearch, EngineSQLite}, IndexDir: dir}
	first, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range second.Engines {
		if first.Engines[i].Reused || !e.Reused {
			t.Errorf("%s: reused %v then %v; want false then true", e.Name, first.Engines[i].Reused, e.Reused)
		}
	}
	for i, v := range second.Variants {
		for j, m := range v.Scores {
			if m != first.Variants[i].Scores[j] {
				t.Errorf("%s on %s: %+v with the kept index, %+v with a fresh one", m.Engine, v.Variant, m, first.Variants[i].Scores[j])
			}
		}
	}
	opts.Docs = 20
	third, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range third.Engines {
		if e.Reused {
			t.Errorf("%s: index of 55 articles reused for 20", e.Name)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	rows := []struct {
		name string
		opts Options
		ok   bool
	}{
		{"defaults", Options{Corpus: "x.jsonl"}, true},
		{"no corpus", Options{}, false},
		{"unknown engine", Options{Corpus: "x.jsonl", Engines: []string{"lucene"}}, false},
		{"engine twice", Options{Corpus: "x.jsonl", Engines: []string{EngineVnsearch, EngineVnsearch}}, false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			row.opts.SetDefaults()
			if err := row.opts.Validate(); (err == nil) != row.ok {
				t.Errorf("Validate(%+v) = %v; want ok %v", row.opts, err, row.ok)
			}
		})
	}
}

// TestShardedEnginesRankAsOne evaluates vnsearch over the bundled corpus
// in one index and split by year into 2 and 4 shards: every variant's
// known items rank the same.
func TestShardedEnginesRankAsOne(t *testing.T) {
	rep, err := Run(context.Background(), Options{
		Corpus: testCorpus, Queries: testQueries, Seed: 1, TempDir: t.TempDir(),
		Engines: []string{EngineVnsearch, EngineVnsearch2, EngineVnsearch4},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Variants) == 0 {
		t.Fatal("no variants evaluated")
	}
	for _, v := range rep.Variants {
		if len(v.Scores) != 3 {
			t.Fatalf("variant %s: %d engines scored; want 3", v.Variant, len(v.Scores))
		}
		one := v.Scores[0]
		for _, m := range v.Scores[1:] {
			if m.Success1 != one.Success1 || m.Success5 != one.Success5 || m.MRR10 != one.MRR10 {
				t.Errorf("variant %s: %s r@1 %.3f r@5 %.3f MRR %.3f; one index %.3f %.3f %.3f",
					v.Variant, m.Engine, m.Success1, m.Success5, m.MRR10, one.Success1, one.Success5, one.MRR10)
			}
		}
	}
}
