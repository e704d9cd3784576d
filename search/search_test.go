package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/internal/testindex"
	"github.com/vnsearch/vnsearch/schema"
)

// newTestSearcher indexes articles into a fresh index in a temp dir.
func newTestSearcher(t testing.TB, articles ...schema.Article) *Searcher {
	t.Helper()
	return New(testindex.New(t, articles...), Options{})
}

var rankingArticles = []schema.Article{
	{ID: "province", Title: "Nam Định đẩy mạnh áp dụng ISO 9001 trong cơ quan hành chính",
		Body: "Tỉnh Nam Định có 32 cơ quan áp dụng hệ thống quản lý chất lượng ISO 9001:2008."},
	{ID: "periodic", Title: "Kiểm tra năm định kỳ hệ thống ISO 9001",
		Body: "Việc đánh giá năm định kỳ giúp doanh nghiệp duy trì chứng nhận ISO 9001."},
	{ID: "football", Title: "Câu lạc bộ Nam Định thắng trận thứ ba liên tiếp",
		Body: "Đội bóng thành Nam đã có chiến thắng thuyết phục trên sân nhà Thiên Trường."},
	{ID: "science", Title: "Ngày hội khoa học công nghệ của học sinh",
		Body:      "Các em học sinh giới thiệu sản phẩm khoa học ứng dụng công nghệ mới.",
		Published: time.Date(2020, 5, 1, 0, 0, 0, 0, schema.VietnamTime), Section: "Giáo dục"},
	{ID: "scattered", Title: "Học sinh khoa nhi",
		Body: "Bệnh viện mở lớp học cho bệnh nhi tại khoa nhi, các em học và chơi.", Section: "Sức khỏe"},
}

func TestRankingFirstHit(t *testing.T) {
	s := newTestSearcher(t, rankingArticles...)
	tests := []struct {
		name, query, want string
	}{
		{"diacritics", "ISO 9001 Nam Định", "province"},
		{"no diacritics finds folded", "nam dinh thang tran", "football"},
		{"capitals", "ISO 9001 NAM ĐỊNH", "province"},
		{"adjacent syllables", "khoa học", "science"},
		{"tone style", "kiểm tra năm định kỳ hệ thống", "periodic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Search(context.Background(), Request{Query: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 || res.Hits[0].ID != tt.want {
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.ID)
				}
				t.Errorf("Search(%q) = %v; want %s first", tt.query, got, tt.want)
			}
		})
	}
}

func TestExactDiacriticsRankAboveFolded(t *testing.T) {
	s := newTestSearcher(t, rankingArticles...)
	res, err := s.Search(context.Background(), Request{Query: "Nam Định"})
	if err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{}
	for i, h := range res.Hits {
		rank[h.ID] = i + 1
	}
	for _, province := range []string{"province", "football"} {
		if rank[province] == 0 || rank["periodic"] != 0 && rank[province] > rank["periodic"] {
			t.Errorf("Search(%q): %s at rank %d, năm định decoy at %d; want the province first", "Nam Định", province, rank[province], rank["periodic"])
		}
	}
}

func TestHighlightsFoldedMatchesAsPublished(t *testing.T) {
	s := newTestSearcher(t, rankingArticles...)
	res, err := s.Search(context.Background(), Request{Query: "cau lac bo nam dinh"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != "football" {
		t.Fatalf("Search = %+v; want football first", res.Hits)
	}
	if got, want := res.Hits[0].TitleHTML, "<mark>Câu</mark> <mark>lạc</mark> <mark>bộ</mark> <mark>Nam</mark> <mark>Định</mark> thắng"; !strings.HasPrefix(got, want) {
		t.Errorf("title_html = %q; want prefix %q", got, want)
	}
}

// ids returns the ids of a result's hits, in rank order.
func ids(res Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestQueryLanguage(t *testing.T) {
	s := newTestSearcher(t, rankingArticles...)
	tests := []struct {
		name, query string
		want        []string // the hits, in any order
	}{
		{"excluded word", "ISO 9001 -kiểm", []string{"province"}},
		{"excluded phrase", `ISO -"năm định kỳ"`, []string{"province"}},
		{"phrase with diacritics matches as written", `"năm định"`, []string{"periodic"}},
		{"phrase without diacritics matches folded", `"nam dinh"`, []string{"province", "periodic", "football"}},
		{"phrase needs the words side by side", `"học khoa"`, nil},
		{"phrase in the other tone style", `"khỏe"`, nil},
		{"or", "thuyết OR chứng", []string{"football", "periodic"}},
		{"title field", "title:học", []string{"science", "scattered"}},
		{"title phrase", `title:"khoa học"`, []string{"science"}},
		{"section field without diacritics", "section:giao học", []string{"science"}},
		{"section phrase", `section:"Sức khỏe" học`, []string{"scattered"}},
		{"year filter", "học year:2020", []string{"science"}},
		{"date filter before any article", "học to:2019", nil},
		{"only exclusions", "-iso -học", []string{"football"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Search(context.Background(), Request{Query: tt.query, Operator: And})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			if res.Relaxed {
				got = nil // relaxed hits are not what the query asked for
			}
			if !sameSet(got, tt.want) {
				t.Errorf("Search(%q) = %v; want %v (parsed as %s)", tt.query, got, tt.want, res.Explain.Parsed)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return true
}

func TestExplain(t *testing.T) {
	s := newTestSearcher(t, append(rankingArticles,
		schema.Article{ID: "ubnd", Title: "Ủy ban nhân dân tỉnh họp thường kỳ",
			Body: "Phiên họp bàn về kế hoạch phát triển kinh tế."},
		schema.Article{ID: "hamas", Title: "Hamas chấp nhận lệnh ngừng bắn",
			Body: "Phong trào Hamas nói sẽ trả lời đề xuất trong tuần tới."})...)
	tests := []struct {
		name, query, first string
		check              func(Explanation) bool
		want               string
	}{
		{"telex decoded", "Nam Ddinhj", "province",
			func(e Explanation) bool { return e.Decoded == "Định" }, `Decoded "Định"`},
		{"vni decoded", "tha81ng tra65n", "football",
			func(e Explanation) bool { return e.Decoded == "thắng trận" }, `Decoded "thắng trận"`},
		{"name in the archive not decoded", "Hamas", "hamas",
			func(e Explanation) bool { return e.Decoded == "" }, "nothing decoded"},
		{"abbreviation expanded", "UBND tỉnh", "ubnd",
			func(e Explanation) bool {
				return len(e.Expanded) == 1 && e.Expanded[0] == "UBND → Ủy ban nhân dân"
			}, "UBND expanded"},
		{"typo corrected", "thuyeet phucj", "football",
			func(e Explanation) bool { return e.Decoded != "" }, "decoded"},
		{"unknown word corrected", "chung nhan ISO 9001 duy tri doanh nghiepp", "periodic",
			func(e Explanation) bool { return e.Fuzzy && e.DidYouMean == "chung nhan ISO 9001 duy tri doanh nghiep" }, "did you mean … doanh nghiep"},
		{"relaxed to most words", "học sinh giới thiệu sản phẩm vũ trụ", "science",
			func(e Explanation) bool { return e.MinWords == 5 }, "at least 5 of 7 words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Search(context.Background(), Request{Query: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res); len(got) == 0 || got[0] != tt.first {
				t.Errorf("Search(%q) = %v; want %s first", tt.query, got, tt.first)
			}
			if !tt.check(res.Explain) {
				t.Errorf("Search(%q).Explain = %+v; want %s", tt.query, res.Explain, tt.want)
			}
		})
	}
}

func TestSearchClosedIndex(t *testing.T) {
	idx, _, err := schema.OpenOrCreate(t.TempDir() + "/idx")
	if err != nil {
		t.Fatal(err)
	}
	s := New(idx, Options{})
	idx.Close()
	if _, err := s.Search(context.Background(), Request{Query: "nam dinhh"}); err == nil {
		t.Error("Search on a closed index succeeded; want an error")
	}
}

// What reads the whole index in the background (the spellings, the
// suggestions) may start after the index closed: an error, not a crash.
func TestWholeIndexReadersOnAClosedIndex(t *testing.T) {
	idx, _, err := schema.OpenOrCreate(t.TempDir() + "/idx")
	if err != nil {
		t.Fatal(err)
	}
	idx.Close()
	if _, err := buildDiacriticsTable(idx); err == nil {
		t.Error("buildDiacriticsTable on a closed index succeeded; want an error")
	}
	if err := schema.ReadArticles(context.Background(), idx, func(schema.Article) error { return nil }); err == nil {
		t.Error("ReadArticles on a closed index succeeded; want an error")
	}
}

func TestRestoredDiacritics(t *testing.T) {
	s, err := corpusSearcher()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query, restored string
	}{
		{"iso 9001 nam dinh", "iso 9001 nam định"},
		{"ISO 9001 Nam Định", ""}, // typed with diacritics: nothing to restore
		{"nam", ""},               // nam, năm, nấm: none dominates
		{"Nam Ddinhj", ""},        // Telex: decoded, not restored
		{"iso 14001 thai binh", "iso 14001 thái bình"},
		// A place's diacritics say nothing of how the words were typed.
		{`iso 9001 nam dinh place:"Nam Định"`, "iso 9001 nam định"},
		{`iso 9001 nam dinh -place:"Hà Nội"`, "iso 9001 nam định"},
		{`iso 9001 nam dinh (place:"Hà Nội" OR place:"Huế")`, "iso 9001 nam định"},
	}
	for _, tt := range tests {
		res, err := s.Search(context.Background(), Request{Query: tt.query})
		if err != nil {
			t.Fatal(err)
		}
		if res.Explain.Restored != tt.restored {
			t.Errorf("Search(%q).Explain.Restored = %q; want %q", tt.query, res.Explain.Restored, tt.restored)
		}
	}
}

func TestPrepareKeepsSpellingsInTheIndex(t *testing.T) {
	s := newTestSearcher(t, append(rankingArticles,
		schema.Article{ID: "derby", Title: "Nam Định hòa Hà Nội", Body: "Trận đấu trên sân Thiên Trường."},
		schema.Article{ID: "festival", Title: "Lễ hội Phủ Dày ở Nam Định", Body: "Lễ hội diễn ra vào tháng ba âm lịch."})...)
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	kept, err := s.idx.GetInternal(spellingsKey)
	if err != nil || len(kept) == 0 {
		t.Fatalf("GetInternal = %q, %v; want the spellings kept in the index", kept, err)
	}
	// A second searcher reads them back rather than building them.
	again := New(s.idx, Options{})
	if err := again.Prepare(); err != nil {
		t.Fatal(err)
	}
	res, err := again.Search(context.Background(), Request{Query: "nam dinh"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Explain.Restored != "nam định" {
		// nam stays: it is also năm; dinh is spelt định in every title.
		t.Errorf("Explain.Restored = %q; want %q", res.Explain.Restored, "nam định")
	}
}

func TestEqualScoresNewestFirst(t *testing.T) {
	story := func(id string, year int) schema.Article {
		return schema.Article{ID: id, Title: "Nam Định khai mạc lễ hội hoa sen",
			Body: "Lễ hội diễn ra tại xã Yên Lợi.", Published: time.Date(year, 6, 1, 8, 0, 0, 0, schema.VietnamTime)}
	}
	s := newTestSearcher(t, story("old", 2015), story("new", 2022), story("mid", 2019))
	res, err := s.Search(context.Background(), Request{Query: "lễ hội hoa sen"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(res), []string{"new", "mid", "old"}; !slices.Equal(got, want) {
		t.Errorf("Search = %v; want the same story newest first %v", got, want)
	}
}
