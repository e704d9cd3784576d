package search

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/internal/testindex"
	"github.com/vnsearch/vnsearch/schema"
)

func TestWholeRunIn(t *testing.T) {
	run := func(words ...string) wholeRun {
		ws := make([][]string, len(words))
		for i, w := range words {
			ws[i] = strings.Split(w, "|")
		}
		return newWholeRun(ws)
	}
	rows := []struct {
		name string
		run  wholeRun
		text string
		want bool
	}{
		{"as written", run("thu", "hut", "von", "dau", "tu"), "Tỉnh đã thu hút vốn đầu tư nước ngoài.", true},
		{"punctuation between", run("ha", "noi", "ngay", "5", "thang"), "Hà Nội, ngày 5 tháng 6 (TTXVN)", true},
		{"capitals and NFD", run("nam", "dinh", "khai", "mac", "le"), "NAM \u0110I\u0323NH khai mạc lễ hội", true},
		{"a word between", run("thu", "hut", "von", "dau", "tu"), "thu hút nguồn vốn đầu tư", false},
		{"scattered", run("thu", "hut", "von", "dau", "tu"), "Vốn đầu tư tăng, thu hút nhiều dự án.", false},
		{"other order", run("von", "dau", "tu", "thu", "hut"), "thu hút vốn đầu tư", false},
		{"restart inside a partial match", run("da", "da", "tang", "gia", "xang"), "giá đã đã đã tăng giá xăng", true},
		{"any spelling of a word", run("tran", "dau", "tien", "cua", "doi|dội"), "trận đấu tiên của đội", true},
		{"at the very end", run("le", "hoi", "hoa", "sen", "nam"), "khai mạc lễ hội hoa sen năm", true},
		{"a word of another initial between", run("thu", "hut", "von", "dau", "tu"), "thu hút mọi vốn đầu tư", false},
		{"a number between", run("thu", "hut", "von", "dau", "tu"), "thu hút 5 vốn đầu tư, rồi thu hút vốn đầu tư", true},
		{"cut short by the end", run("le", "hoi", "hoa", "sen", "nam"), "khai mạc lễ hội hoa sen", false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := row.run.in(row.text); got != row.want {
				t.Errorf("%v in %q = %v; want %v", row.run.words, row.text, got, row.want)
			}
		})
	}
}

// filler is text on another subject, so that a body holding a phrase is
// as long as a news article's.
var filler = strings.Repeat("Hội nghị tổng kết công tác năm của ngành diễn ra sáng nay với nhiều đại biểu tham dự. ", 30)

func TestWholeRunRanksFirst(t *testing.T) {
	s := newTestSearcher(t,
		schema.Article{ID: "title", Title: "Dự án có quy mô lớn nhất tỉnh khởi công",
			Body: "Nhà đầu tư cho biết công trình sẽ hoàn thành trong hai năm. " + filler},
		schema.Article{ID: "scattered", Title: "Khu công nghiệp mới",
			Body: "Dự án lớn nhất về quy mô do một nhà đầu tư Nhật Bản thực hiện. " + filler},
		schema.Article{ID: "run", Title: "Khởi công nhà máy điện gió",
			Body: filler + "Đây là dự án đầu tư quy mô lớn nhất từ trước tới nay. " + filler},
	)
	rows := []struct{ query, want string }{
		{"dự án đầu tư quy mô lớn nhất", "run"},
		{"du an dau tu quy mo lon nhat", "run"},
		// A headline stays first for itself: it holds its own words.
		{"Dự án có quy mô lớn nhất tỉnh khởi công", "title"},
	}
	for _, row := range rows {
		res, err := s.Search(context.Background(), Request{Query: row.query})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res); len(got) == 0 || got[0] != row.want {
			t.Errorf("Search(%q) = %v; want %s first", row.query, got, row.want)
		}
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Score > res.Hits[i-1].Score {
				t.Errorf("Search(%q): hit %d scores %v above hit %d's %v", row.query, i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
			}
		}
	}
}

// TestWholeRunPages checks that the pages of a reordered ranking hold
// each hit once.
func TestWholeRunPages(t *testing.T) {
	var articles []schema.Article
	for i := range 40 {
		a := schema.Article{ID: string(rune('A' + i)), Title: "Giá xăng dầu hôm nay", Body: "Giá xăng tăng, dầu giảm theo thế giới. " + filler}
		if i%3 == 0 {
			a.Body = "Liên bộ cho biết giá xăng dầu hôm nay tăng nhẹ. " + filler
		}
		articles = append(articles, a)
	}
	s := newTestSearcher(t, articles...)
	all, err := s.Search(context.Background(), Request{Query: "giá xăng dầu hôm nay tăng", Size: 40})
	if err != nil {
		t.Fatal(err)
	}
	var paged []string
	for page := 1; page <= 4; page++ {
		res, err := s.Search(context.Background(), Request{Query: "giá xăng dầu hôm nay tăng", Size: 10, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, ids(res)...)
	}
	if !slices.Equal(paged, ids(all)) {
		t.Errorf("four pages of 10 = %v; one of 40 = %v", paged, ids(all))
	}
}

// TestRecency checks that a recent article overtakes an older one that
// matches a little better, and only with a half-life.
func TestRecency(t *testing.T) {
	now := time.Now()
	day := 24 * time.Hour
	s := newTestSearcher(t,
		schema.Article{ID: "older", Title: "Nam Định khai mạc lễ hội hoa sen",
			Body: "Lễ hội hoa sen.", Published: now.Add(-3 * 365 * day)},
		schema.Article{ID: "recent", Title: "Nam Định khai mạc lễ hội hoa sen",
			Body: "Lễ hội hoa sen diễn ra tại xã Yên Lợi, huyện Ý Yên, trong ba ngày.", Published: now.Add(-day)},
	)
	rows := []struct {
		name     string
		halfLife time.Duration
		want     []string
	}{
		{"no recency: the better match first", -1, []string{"older", "recent"}},
		{"a month's half-life: the recent first", 30 * day, []string{"recent", "older"}},
		{"the searcher's default", 0, []string{"recent", "older"}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			res, err := s.Search(context.Background(), Request{Query: "lễ hội hoa sen", HalfLife: row.halfLife})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res); !slices.Equal(got, row.want) {
				t.Errorf("Search(half-life %v) = %v (scores %v, %v); want %v", row.halfLife, got, res.Hits[0].Score, res.Hits[1].Score, row.want)
			}
		})
	}
}

func TestRecencyFactor(t *testing.T) {
	now := time.Date(2025, 7, 1, 0, 0, 0, 0, schema.VietnamTime)
	year := 365 * 24 * time.Hour
	rows := []struct {
		name      string
		published time.Time
		halfLife  time.Duration
		want      float64
	}{
		{"published now", now, year, 1 + recencyWeight},
		{"one half-life old", now.Add(-year), year, 1 + recencyWeight/2},
		{"two half-lives old", now.Add(-2 * year), year, 1 + recencyWeight/4},
		{"dated after now", now.Add(year), year, 1 + recencyWeight},
		{"undated", time.Time{}, year, 1},
		{"no half-life", now, 0, 1},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := recency(row.published, now, row.halfLife); math.Abs(got-row.want) > 1e-12 {
				t.Errorf("recency(%v, %v, %v) = %v; want %v", row.published, now, row.halfLife, got, row.want)
			}
		})
	}
}

// BenchmarkWholeRunIn reads a news-length body that does not hold a
// headline's run, as the final ranking does for most of its hits.
func BenchmarkWholeRunIn(b *testing.B) {
	words := [][]string{{"du"}, {"an"}, {"co"}, {"quy"}, {"mo"}, {"lon"}, {"nhat"}, {"tinh"}}
	run := newWholeRun(words)
	body := filler + "Dự án có quy mô lớn thứ hai của tỉnh. " + filler
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if run.in(body) {
			b.Fatal("the body holds no whole run")
		}
	}
}

// TestMayHoldKeepsEveryHolder checks that the pairs the final ranking
// looks up before reading a hit keep every article holding a run: runs of
// five words from the start, middle and end of each text of the test
// corpus, each found in its article and in no article without its pairs.
func TestMayHoldKeepsEveryHolder(t *testing.T) {
	idx := testindex.FromPaths(t, 20, "../testdata/corpus/articles.jsonl")
	s := New(idx, Options{CacheBytes: -1})
	all := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 1000, 0, false)
	all.Fields = schema.StoredFields
	res, err := idx.Search(all)
	if err != nil {
		t.Fatal(err)
	}
	articles := map[string]schema.Article{}
	var ids []string
	for _, h := range res.Hits {
		articles[h.ID] = schema.FromStored(h.ID, h.Fields)
		ids = append(ids, h.ID)
	}
	runs := 0
	for _, id := range ids {
		a := articles[id]
		for _, text := range []string{a.Title, a.Lead, a.Body} {
			var words []string
			for start, end := range (analyzers.Tokenizer{}).Spans(text) {
				words = append(words, analyzers.Fold(text[start:end]))
			}
			if len(words) < minWholeRun {
				continue
			}
			for _, at := range []int{0, (len(words) - minWholeRun) / 2, len(words) - minWholeRun} {
				spellings := make([][]string, minWholeRun)
				for i, w := range words[at : at+minWholeRun] {
					spellings[i] = []string{w}
				}
				run := newWholeRun(spellings)
				runs++
				may := s.mayHold(context.Background(), run, ids)
				if may == nil || !may[id] {
					t.Errorf("%s holds %v, but the pairs lookup left it out", id, spellings)
				}
				for other := range may {
					if !run.heldBy(articles[other]) && !allPairsIn(articles[other], spellings) {
						t.Errorf("the pairs lookup for %v kept %s, which lacks a pair", spellings, other)
					}
				}
			}
		}
	}
	if runs < 60 {
		t.Fatalf("checked %d runs; the test corpus should give at least 60", runs)
	}
}

// allPairsIn reports whether every two neighbouring words of a run are
// side by side somewhere in a's title, lead or body.
func allPairsIn(a schema.Article, words [][]string) bool {
	for i := 1; i < len(words); i++ {
		pair := newWholeRun(words[i-1 : i+1])
		if !pair.heldBy(a) {
			return false
		}
	}
	return true
}
