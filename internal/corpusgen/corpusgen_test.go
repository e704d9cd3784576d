package corpusgen

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// testCorpus is the project's own demo corpus.
const testCorpus = "../../testdata/corpus/articles.jsonl"

// loadTestCorpus returns the model of the test corpus and its articles.
func loadTestCorpus(t testing.TB) (*Model, []schema.Article) {
	t.Helper()
	var m Model
	var articles []schema.Article
	err := indexer.ReadPaths([]string{testCorpus}, indexer.Visitor{
		Article: func(a schema.Article) error { articles = append(articles, a); return m.Add(a) },
		Bad:     func(re *indexer.RecordError) { t.Fatalf("reading the test corpus: %v", re) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.Articles() < 50 {
		t.Fatalf("the model holds %d articles of %s; want the whole corpus", m.Articles(), testCorpus)
	}
	return &m, articles
}

func generate(t testing.TB, m *Model, opts Options) []schema.Article {
	t.Helper()
	var out []schema.Article
	if err := m.Generate(context.Background(), opts, func(a schema.Article) error {
		out = append(out, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	m, _ := loadTestCorpus(t)
	a := generate(t, m, Options{N: 200, Seed: 7})
	b := generate(t, m, Options{N: 200, Seed: 7})
	c := generate(t, m, Options{N: 200, Seed: 8})
	for i := range a {
		if !sameArticle(a[i], b[i]) {
			t.Fatalf("article %d differs between two runs with seed 7:\n%+v\n%+v", i, a[i], b[i])
		}
	}
	differ := 0
	for i := range a {
		if a[i].Body != c[i].Body {
			differ++
		}
	}
	if differ < len(a)/2 {
		t.Errorf("seeds 7 and 8 gave %d different bodies of %d; want most", differ, len(a))
	}
}

func sameArticle(a, b schema.Article) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Lead == b.Lead && a.Body == b.Body &&
		a.Section == b.Section && a.Source == b.Source && a.Author == b.Author && a.Published.Equal(b.Published)
}

func TestGeneratedArticles(t *testing.T) {
	m, source := loadTestCorpus(t)
	from := time.Date(2015, 3, 1, 0, 0, 0, 0, schema.VietnamTime)
	to := from.AddDate(1, 0, 0)
	got := generate(t, m, Options{N: 3000, Seed: 1, From: from, To: to, IDPrefix: "thu"})

	sentences, sections, triples := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range source {
		sections[a.Section] = true
		for _, text := range []string{a.Lead, a.Body} {
			for par := range strings.SplitSeq(text, "\n") {
				for _, s := range SplitSentences(par) {
					sentences[s] = true
				}
			}
		}
		w := strings.Fields(strings.ToLower(a.Title))
		for i := 2; i < len(w); i++ {
			triples[strings.Join(w[i-2:i+1], " ")] = true
		}
	}
	ids := map[string]bool{}
	var last time.Time
	for i, a := range got {
		if want := fmt.Sprintf("thu-1-%04d", i+1); a.ID != want {
			t.Fatalf("article %d has id %q; want %q", i, a.ID, want)
		}
		ids[a.ID] = true
		if a.Published.Before(from) || !a.Published.Before(to) || a.Published.Before(last) {
			t.Fatalf("article %s published %v: want from %v to %v, not before the one before (%v)", a.ID, a.Published, from, to, last)
		}
		last = a.Published
		if !sections[a.Section] {
			t.Errorf("article %s has section %q, which the source has not", a.ID, a.Section)
		}
		if a.Title == "" || a.Body == "" {
			t.Fatalf("article %s has no title or no body: %+v", a.ID, a)
		}
		for _, text := range []string{a.Lead, a.Body} {
			for par := range strings.SplitSeq(text, "\n") {
				for _, s := range SplitSentences(par) {
					if !sentences[s] {
						t.Fatalf("article %s has the sentence %q, which is no source sentence", a.ID, s)
					}
				}
			}
		}
		w := strings.Fields(strings.ToLower(a.Title))
		for i := 2; i < len(w); i++ {
			if tri := strings.Join(w[i-2:i+1], " "); !triples[tri] {
				t.Fatalf("title %q of %s has the words %q, which no source title has in a row", a.Title, a.ID, tri)
			}
		}
	}
	if len(ids) != len(got) {
		t.Errorf("%d distinct ids for %d articles", len(ids), len(got))
	}
	if days := last.Sub(from).Hours() / 24; days < 360 {
		t.Errorf("the last article is published %.0f days after the first day; want the dates spread over the year", days)
	}
}

// TestGeneratedCorpusKeepsTheSource's shares checks what a larger corpus
// must keep of its source: section shares, body lengths, the share of the
// most frequent syllables, and mostly new titles.
func TestGeneratedCorpusKeepsTheSourceShares(t *testing.T) {
	m, source := loadTestCorpus(t)
	src, gen := NewProfile(), NewProfile()
	for _, a := range source {
		src.Add(a)
	}
	if err := m.Generate(context.Background(), Options{N: 5000, Seed: 3}, gen.Add); err != nil {
		t.Fatal(err)
	}
	s, g := src.Summary(), gen.Summary()
	for sec, share := range s.Sections {
		if d := math.Abs(g.Sections[sec] - share); d > 0.02 {
			t.Errorf("section %q has %.3f of the generated articles; the source %.3f", sec, g.Sections[sec], share)
		}
	}
	if d := math.Abs(g.BodyWords.Mean-s.BodyWords.Mean) / s.BodyWords.Mean; d > 0.1 {
		t.Errorf("mean body length %.0f words; the source's %.0f", g.BodyWords.Mean, s.BodyWords.Mean)
	}
	if d := math.Abs(float64(g.BodyWords.P50-s.BodyWords.P50)) / float64(s.BodyWords.P50); d > 0.15 {
		t.Errorf("median body length %d words; the source's %d", g.BodyWords.P50, s.BodyWords.P50)
	}
	like := Compare(src, gen)
	if like.TopDistance > 0.05 {
		t.Errorf("the top syllables' frequencies are %.3f apart; want under 0.05", like.TopDistance)
	}
	if like.Missing > 0.05 {
		t.Errorf("%.1f%% of the source's syllables never generated", 100*like.Missing)
	}
	// 55 source titles share few pairs of words, so they make about a
	// hundred new ones, which repeat in 5,000 articles; the shared
	// corpus's figures are in docs/performance.md.
	titles := map[string]bool{}
	if err := m.Generate(context.Background(), Options{N: 5000, Seed: 3}, func(a schema.Article) error {
		titles[a.Title] = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(titles) < 3*len(source)/2 {
		t.Errorf("%d distinct titles in 5,000 articles made from %d; want half as many again", len(titles), len(source))
	}
	// While new titles are easy to find, the titles given are not given
	// again: without that memory 75% of 100 articles repeat a title.
	few := NewProfile()
	if err := m.Generate(context.Background(), Options{N: 100, Seed: 3}, few.Add); err != nil {
		t.Fatal(err)
	}
	if d := few.Summary().DuplicateTitles; d > 0.45 {
		t.Errorf("%.0f%% of 100 articles share their title; want under 45%%", 100*d)
	}
}

func TestGenerateOptions(t *testing.T) {
	m, _ := loadTestCorpus(t)
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, schema.VietnamTime)
	tests := []struct {
		name string
		opts Options
		want error
	}{
		{"no articles", Options{}, ErrOptions},
		{"negative count", Options{N: -1}, ErrOptions},
		{"range ends before it starts", Options{N: 1, From: day, To: day.AddDate(0, 0, -1)}, ErrOptions},
		{"empty range", Options{N: 1, From: day, To: day}, ErrOptions},
		{"defaults", Options{N: 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.Generate(context.Background(), tt.opts, func(schema.Article) error { return nil })
			if !errors.Is(err, tt.want) {
				t.Errorf("Generate(%+v) = %v; want %v", tt.opts, err, tt.want)
			}
		})
	}
	var empty Model
	if err := empty.Generate(context.Background(), Options{N: 1}, func(schema.Article) error { return nil }); !errors.Is(err, ErrEmptyModel) {
		t.Errorf("Generate from an empty model = %v; want ErrEmptyModel", err)
	}
}

func TestGenerateStops(t *testing.T) {
	m, _ := loadTestCorpus(t)
	stop := errors.New("disk full")
	n := 0
	err := m.Generate(context.Background(), Options{N: 100}, func(schema.Article) error {
		if n++; n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("Generate went on to %d articles and returned %v; want it to stop at emit's error", n, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Generate(ctx, Options{N: 100}, func(schema.Article) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Generate with a cancelled context = %v", err)
	}
}

func TestProfile(t *testing.T) {
	articles := []schema.Article{
		{Title: "Nam Định mở hội chợ", Section: "Kinh tế", Body: "Hội chợ nông sản Nam Định mở cửa.\nKhách đông."},
		{Title: "Nam Định mở hội chợ", Section: "Kinh tế", Body: "Năm nay hội chợ có 120 gian hàng."},
		{Title: "Hà Nam trồng lúa", Section: "Nông nghiệp", Lead: "Vụ xuân.", Body: "Nông dân Hà Nam xuống đồng."},
	}
	p := NewProfile(2)
	for _, a := range articles {
		p.Add(a)
	}
	s := p.Summary()
	want := Summary{
		Articles:  3,
		Syllables: 15 + 12 + 12, // "120" is no syllable
		// nam định mở hội chợ nông sản cửa khách đông, năm nay có gian
		// hàng, hà trồng lúa vụ xuân dân xuống đồng
		Distinct:           23,
		DistinctPerArticle: 10,
		Top1000Share:       1,
		Vocabulary:         []VocabularyAt{{2, 15}, {3, 23}},
		BodyWords:          Lengths{P10: 6, P50: 8, P90: 8, Mean: 8},
		TitleWords:         Lengths{P10: 4, P50: 5, P90: 5, Mean: 14.0 / 3},
		DuplicateTitles:    2.0 / 3,
		Sections:           map[string]float64{"Kinh tế": 2.0 / 3, "Nông nghiệp": 1.0 / 3},
	}
	if fmt.Sprintf("%+v", s) != fmt.Sprintf("%+v", want) {
		t.Errorf("Summary() =\n%+v\nwant\n%+v", s, want)
	}
	if l := Compare(p, p); l != (Likeness{TopOverlap: 1}) {
		t.Errorf("Compare of a profile with itself = %+v; want full overlap and no distance", l)
	}
	other := NewProfile()
	other.Add(articles[2])
	if l := Compare(p, other); l.Missing != float64(23-10)/23 || l.TopOverlap != float64(10)/23 || l.TopDistance <= 0 {
		t.Errorf("Compare with the third article = %+v; want 13 of 23 syllables missing, 10 shared, some distance", l)
	}
}

func BenchmarkGenerate(b *testing.B) {
	m, _ := loadTestCorpus(b)
	b.ReportAllocs()
	var bytes int64
	n := 0
	b.ResetTimer()
	for b.Loop() {
		err := m.Generate(context.Background(), Options{N: 1000, Seed: uint64(n)}, func(a schema.Article) error {
			bytes += int64(len(a.Title) + len(a.Lead) + len(a.Body))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n*1000)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
}
