package suggest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/internal/testindex"
	"github.com/vnsearch/vnsearch/query"
	"github.com/vnsearch/vnsearch/schema"
)

// demoIndex indexes the demo corpus, testdata/corpus, into a new index.
func demoIndex(t testing.TB) bleve.Index {
	t.Helper()
	return testindex.FromPaths(t, 50, "../testdata/corpus")
}

// demoSuggester builds suggestions over the demo corpus with opts.
func demoSuggester(t testing.TB, opts Options) *Suggester {
	t.Helper()
	s := New(demoIndex(t), opts)
	st, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Phrases == 0 || st.Titles < 50 {
		t.Fatalf("Build = %+v; want phrases and every title", st)
	}
	return s
}

func suggestTexts(ss []Suggestion) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Kind+":"+s.Text)
	}
	return out
}

func TestSuggest(t *testing.T) {
	s := demoSuggester(t, Options{})
	tests := []struct {
		name, prefix string
		first        string // the first suggestion's text
		firstHTML    string // its html, when the test cares
		also         string // a text among the suggestions, when the test cares
	}{
		{"folded", "nam d", "Nam Định", "<mark>Nam Đ</mark>ịnh", "Về Nam Đàn mùa sen nở"},
		{"diacritics as typed", "Nam Đ", "Nam Định", "<mark>Nam Đ</mark>ịnh", "Về Nam Đàn mùa sen nở"},
		{"capitals", "NAM D", "Nam Định", "", ""},
		{"whole first word", "nam dinh", "Nam Định", "<mark>Nam Định</mark>", ""},
		{"NFD input", "Nam \u0110i\u0323", "Nam Định", "<mark>Nam Đị</mark>nh", ""},
		{"place only in bodies", "tien h", "Tiền Hải", "<mark>Tiền H</mark>ải", ""},
		{"another place only in bodies", "vũ th", "", "", "Vũ Thư"},
		{"code", "iso 9", "ISO 9001", "<mark>ISO 9</mark>001", ""},
		{"title in the middle", "mua sen", "Về Nam Đàn mùa sen nở", "Về Nam Đàn <mark>mùa sen</mark> nở", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Suggest(context.Background(), tt.prefix, 8)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 || tt.first != "" && got[0].Text != tt.first {
				t.Fatalf("Suggest(%q) = %q; want %q first", tt.prefix, suggestTexts(got), tt.first)
			}
			if tt.firstHTML != "" && got[0].HTML != tt.firstHTML {
				t.Errorf("Suggest(%q)[0].HTML = %q; want %q", tt.prefix, got[0].HTML, tt.firstHTML)
			}
			found := tt.also == ""
			for _, sg := range got {
				found = found || sg.Text == tt.also
				if (sg.Kind == KindTitle) != (sg.ID != "") || sg.Kind != KindTitle && sg.Kind != KindPhrase {
					t.Errorf("Suggest(%q): %+v; want an id for titles only", tt.prefix, sg)
				}
				if !strings.Contains(sg.HTML, "<mark>") {
					t.Errorf("Suggest(%q): %q has nothing marked", tt.prefix, sg.HTML)
				}
			}
			if !found {
				t.Errorf("Suggest(%q) = %q; want %q among them", tt.prefix, suggestTexts(got), tt.also)
			}
		})
	}
}

func TestSuggestSizeAndOrder(t *testing.T) {
	s := demoSuggester(t, Options{})
	for _, n := range []int{1, 3, 8, MaxSuggestions} {
		got, err := s.Suggest(context.Background(), "h", n)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Errorf("Suggest(%q, %d) gave %d: %q", "h", n, len(got), suggestTexts(got))
		}
		// Phrases come before titles.
		for i := 1; i < len(got); i++ {
			if got[i-1].Kind == KindTitle && got[i].Kind == KindPhrase {
				t.Errorf("Suggest(%q, %d) = %q; want phrases first", "h", n, suggestTexts(got))
			}
		}
	}
}

func TestSuggestErrors(t *testing.T) {
	ctx := context.Background()
	var pe *query.ParamError
	unbuilt := New(demoIndex(t), Options{})
	if _, err := unbuilt.Suggest(ctx, "nam d", 8); !errors.Is(err, ErrNotReady) {
		t.Errorf("Suggest before Build = %v; want ErrNotReady", err)
	}
	s := demoSuggester(t, Options{})
	tests := []struct {
		name, prefix string
		n            int
		param        string
	}{
		{"empty", "", 8, "q"},
		{"no words", "!!! ...", 8, "q"},
		{"not UTF-8", "nam \xff", 8, "q"},
		{"too long", strings.Repeat("Nam Định ", MaxPrefixLength/9+1), 8, "q"},
		{"size too large", "nam d", MaxSuggestions + 1, "size"},
		{"size negative", "nam d", -1, "size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Suggest(ctx, tt.prefix, tt.n)
			if !errors.As(err, &pe) || pe.Param != tt.param {
				t.Errorf("Suggest(%q, %d) = %v; want a ParamError for %s", tt.prefix, tt.n, err, tt.param)
			}
		})
	}
}

// buildFrom builds suggestions with opts from articles in memory.
func buildFrom(t testing.TB, opts Options, articles []schema.Article) *suggestions {
	t.Helper()
	sg, err := buildSuggestions(context.Background(), opts, func(fn func(schema.Article) error) error {
		for _, a := range articles {
			if err := fn(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sg
}

// phraseTexts builds suggestions from articles and returns every phrase.
func phraseTexts(t *testing.T, opts Options, articles []schema.Article) map[string]bool {
	t.Helper()
	sg := buildFrom(t, opts, articles)
	out := map[string]bool{}
	for _, p := range sg.phrases {
		out[p.text] = true
	}
	return out
}

func TestPhrasesStopAtPunctuation(t *testing.T) {
	var articles []schema.Article
	for _, body := range []string{
		"Ở Giao Thủy, người dân ra đồng từ sớm.",
		"Mùa này Giao Thủy, người dân thu hoạch ngao.",
		"Giao Thủy, người dân và chính quyền cùng đắp đê.",
	} {
		articles = append(articles, schema.Article{ID: body[:8], Body: body})
	}
	got := phraseTexts(t, Options{}, articles)
	if !got["Giao Thủy"] || !got["người dân"] {
		t.Errorf("phrases = %v; want Giao Thủy and người dân", got)
	}
	for p := range got {
		if strings.Contains(p, "Thủy người") {
			t.Errorf("phrase %q runs across a comma", p)
		}
	}
}

func TestPhrasesMostFrequentSpelling(t *testing.T) {
	articles := []schema.Article{
		{ID: "1", Body: "Đoàn công tác về Nam Định."},
		{ID: "2", Body: "Tỉnh Nam Định có nhiều làng nghề."},
		{ID: "3", Body: "NAM ĐỊNH VÀO MÙA LÚA CHÍN."},
		{ID: "4", Body: "Câu lạc bộ Nam Định thắng trận."},
	}
	got := phraseTexts(t, Options{}, articles)
	if !got["Nam Định"] || got["NAM ĐỊNH"] || got["nam định"] {
		t.Errorf("phrases = %v; want Nam Định spelled as most articles do", got)
	}
}

func TestPhrasesSkipStopLike(t *testing.T) {
	s := demoSuggester(t, Options{})
	filtered := demoSuggester(t, Options{MinStopArticles: 1})
	has := func(s *Suggester, prefix, text string) bool {
		got, err := s.Suggest(context.Background(), prefix, MaxSuggestions)
		if err != nil {
			t.Fatal(err)
		}
		for _, sg := range got {
			if sg.Kind == KindPhrase && sg.Text == text {
				return true
			}
		}
		return false
	}
	// On 59 articles no syllable is stop-like by default; counting shares
	// anyway drops "của các" (two of the commonest syllables) and keeps
	// Giao Thủy.
	if !has(s, "của c", "của các") {
		t.Fatalf("no phrase %q by default; the test shows nothing", "của các")
	}
	if has(filtered, "của c", "của các") {
		t.Errorf("phrase %q kept with stop-like syllables counted", "của các")
	}
	if !has(filtered, "giao th", "Giao Thủy") {
		t.Errorf("phrase %q dropped with stop-like syllables counted", "Giao Thủy")
	}
}
