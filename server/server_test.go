package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/suggest"
)

// testArticles are real-looking news articles: the province's ISO 9001
// story, a "năm định kỳ" decoy that folds to the same letters, a football
// match, and a science story whose id holds a "/".
var testArticles = []schema.Article{
	{
		ID:        "province",
		Title:     "Nam Định đẩy mạnh áp dụng ISO 9001 trong cơ quan hành chính",
		Lead:      "Tỉnh Nam Định có 32 cơ quan hành chính nhà nước áp dụng hệ thống quản lý chất lượng ISO 9001:2008.",
		Body:      "Theo Sở Khoa học và Công nghệ Nam Định, việc áp dụng ISO 9001 giúp rút ngắn thời gian giải quyết thủ tục cho người dân.",
		Section:   "Thời sự",
		Source:    "baonamdinh",
		Author:    "Trần Thu",
		URL:       "https://baonamdinh.vn/iso-9001",
		Published: time.Date(2012, 5, 25, 22, 30, 0, 0, schema.VietnamTime),
		Tags:      []string{"ISO 9001", "cải cách hành chính"},
	},
	{
		ID:        "periodic",
		Title:     "Kiểm tra năm định kỳ hệ thống ISO 9001",
		Body:      "Việc đánh giá năm định kỳ giúp doanh nghiệp duy trì chứng nhận ISO 9001 và cải tiến quy trình.",
		Section:   "Kinh doanh",
		Source:    "vnexpress",
		Published: time.Date(2013, 3, 10, 9, 0, 0, 0, schema.VietnamTime),
	},
	{
		ID:        "football",
		Title:     "Câu lạc bộ Nam Định thắng trận thứ ba liên tiếp",
		Body:      "Đội bóng thành Nam đã có chiến thắng thuyết phục 3-1 trên sân nhà Thiên Trường trước sự cổ vũ của hàng vạn khán giả.",
		Section:   "Thể thao",
		Source:    "vnexpress",
		Author:    "Minh Hải",
		Published: time.Date(2021, 9, 12, 19, 45, 0, 0, schema.VietnamTime),
	},
	{
		ID:        "vnexpress-khoa-hoc-1",
		Title:     "Ngày hội khoa học công nghệ của học sinh",
		Body:      "Các em học sinh giới thiệu sản phẩm khoa học ứng dụng công nghệ mới tại Hà Nội.",
		Section:   "Giáo dục",
		Source:    "vnexpress",
		Published: time.Date(2020, 5, 1, 8, 0, 0, 0, schema.VietnamTime),
	},
}

// syncBuffer collects log output written from server goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testServer is a Server over a real index of testArticles.
type testServer struct {
	*Server
	log *syncBuffer
	// closeIndex closes the index, once: bleve panics on a second Close.
	closeIndex func() error
}

// newTestServer indexes testArticles into a fresh index in a temporary
// directory and serves it. opts.Searcher and opts.Logger are filled in.
func newTestServer(t testing.TB, opts Options) testServer {
	t.Helper()
	idx, _, err := schema.OpenOrCreate(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	closeIndex := sync.OnceValue(idx.Close)
	t.Cleanup(func() { closeIndex() })
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(context.Background(), testArticles...); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	opts.Searcher = search.New(idx, search.Options{})
	opts.Index = idx
	if opts.Suggester == nil {
		opts.Suggester = suggest.New(idx, suggest.Options{})
		if _, err := opts.Suggester.Build(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return testServer{Server: s, log: logs, closeIndex: closeIndex}
}

// serve sends one request through the server's router. A non-empty body is
// sent as JSON.
func serve(t testing.TB, h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decode reads a JSON response body into v, failing on a non-JSON answer.
func decode(t testing.TB, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q; want JSON (body %q)", ct, rec.Body.String())
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
}

func TestNewRequiresSearcher(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New(Options{}) = nil error; want Searcher required")
	}
}

func TestOptionsDefaults(t *testing.T) {
	var o Options
	o.SetDefaults()
	want := map[string]time.Duration{
		"ReadHeaderTimeout": 5 * time.Second, "ReadTimeout": 15 * time.Second,
		"WriteTimeout": 30 * time.Second, "IdleTimeout": 120 * time.Second,
		"RequestTimeout": 10 * time.Second, "ShutdownTimeout": 10 * time.Second,
	}
	got := map[string]time.Duration{
		"ReadHeaderTimeout": o.ReadHeaderTimeout, "ReadTimeout": o.ReadTimeout,
		"WriteTimeout": o.WriteTimeout, "IdleTimeout": o.IdleTimeout,
		"RequestTimeout": o.RequestTimeout, "ShutdownTimeout": o.ShutdownTimeout,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SetDefaults() timeouts = %v; want %v", got, want)
	}
	if o.Logger == nil {
		t.Error("SetDefaults() left Logger nil")
	}
}

func TestRequestErrors(t *testing.T) {
	ts := newTestServer(t, Options{})
	longQuery := strings.Repeat("Nam Định ", search.MaxQueryLength/9+1)
	tests := []struct {
		name, method, target, body string
		status                     int
		code                       string
		message                    string // a prefix of the message, when the test cares
	}{
		{"no q", "GET", "/api/search", "", 400, "invalid_query", ""},
		{"blank q", "GET", "/api/search?q=%20%20", "", 400, "invalid_query", ""},
		{"q without words", "GET", "/api/search?q=" + url.QueryEscape("!!! ..."), "", 400, "invalid_query", ""},
		{"over-long q", "GET", "/api/search?q=" + url.QueryEscape(longQuery), "", 400, "invalid_param", "q:"},
		{"q not UTF-8", "GET", "/api/search?q=%FF", "", 400, "invalid_param", "q:"},
		{"page not a number", "GET", "/api/search?q=iso&page=abc", "", 400, "invalid_param", "page: must be an integer"},
		{"page fraction", "GET", "/api/search?q=iso&page=1.5", "", 400, "invalid_param", "page: must be an integer"},
		{"page negative", "GET", "/api/search?q=iso&page=-1", "", 400, "invalid_param", "page:"},
		{"page past max", "GET", "/api/search?q=iso&page=101", "", 400, "invalid_param", "page:"},
		{"size not a number", "GET", "/api/search?q=iso&size=ten", "", 400, "invalid_param", "size: must be an integer"},
		{"size past max", "GET", "/api/search?q=iso&size=1000", "", 400, "invalid_param", "size:"},
		{"unknown op", "GET", "/api/search?q=iso&op=xor", "", 400, "invalid_param", "op:"},
		{"unknown sort", "GET", "/api/search?q=iso&sort=newest", "", 400, "invalid_param", "sort:"},
		{"from not a date", "GET", "/api/search?q=iso&from=" + url.QueryEscape("hôm qua"), "", 400, "invalid_param", "from:"},
		{"to month 13", "GET", "/api/search?q=iso&to=2012-13-01", "", 400, "invalid_param", "to:"},
		{"to before from", "GET", "/api/search?q=iso&from=2013-01-01&to=2012-01-01", "", 400, "invalid_param", "to:"},
		{"half_life not a number", "GET", "/api/search?q=iso&half_life=30d", "", 400, "invalid_param", "half_life: must be an integer"},
		{"half_life negative", "GET", "/api/search?q=iso&half_life=-1", "", 400, "invalid_param", "half_life:"},
		{"half_life past a century", "GET", "/api/search?q=iso&half_life=36501", "", 400, "invalid_param", "half_life:"},

		{"malformed JSON", "POST", "/api/search", `{"q": "Nam Định",`, 400, "invalid_body", ""},
		{"JSON not an object", "POST", "/api/search", `["Nam Định"]`, 400, "invalid_body", ""},
		{"empty body", "POST", "/api/search", "", 400, "invalid_body", ""},
		{"JSON page not a number", "POST", "/api/search", `{"q": "iso", "page": "abc"}`, 400, "invalid_param", "page: must be an integer"},
		{"JSON page bool", "POST", "/api/search", `{"q": "iso", "page": true}`, 400, "invalid_param", "page: must be an integer"},
		{"JSON section not an array", "POST", "/api/search", `{"q": "iso", "section": "Thể thao"}`, 400, "invalid_param", "section: must be an array of strings"},
		{"JSON section of numbers", "POST", "/api/search", `{"q": "iso", "section": [1]}`, 400, "invalid_param", "section: must be an array of strings"},
		{"JSON q not a string", "POST", "/api/search", `{"q": 9001}`, 400, "invalid_param", "q: must be a string"},
		{"JSON empty q", "POST", "/api/search", `{"q": ""}`, 400, "invalid_query", ""},
		{"body too large", "POST", "/api/search", `{"q": "` + strings.Repeat("a", maxBodyBytes) + `"}`, 413, "body_too_large", ""},

		{"unknown article", "GET", "/api/articles/no-such-article", "", 404, "not_found", ""},
		{"unknown route", "GET", "/api/nothing", "", 404, "not_found", ""},
		{"trailing slash", "GET", "/api/search/", "", 404, "not_found", ""},
		{"unknown page", "GET", "/tin-tuc", "", 404, "not_found", ""},
		{"DELETE search", "DELETE", "/api/search", "", 405, "method_not_allowed", ""},
		{"POST healthz", "POST", "/healthz", `{}`, 405, "method_not_allowed", ""},

		{"analyze without text", "GET", "/api/analyze", "", 400, "invalid_param", "text:"},
		{"analyze unknown analyzer", "GET", "/api/analyze?text=Nam+%C4%90%E1%BB%8Bnh&analyzer=vi_exact_v9", "", 400, "invalid_param", "analyzer:"},
		{"analyze over-long text", "GET", "/api/analyze?text=" + strings.Repeat("%C4%91", maxAnalyzeLength+1), "", 400, "invalid_param", "text:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, ts.Handler(), tt.method, tt.target, tt.body)
			var got errorBody
			decode(t, rec, &got)
			if rec.Code != tt.status || got.Error.Code != tt.code {
				t.Fatalf("%s %.80s: %d %q; want %d %q (body %s)",
					tt.method, tt.target, rec.Code, got.Error.Code, tt.status, tt.code, rec.Body)
			}
			if got.Error.Message == "" || !strings.HasPrefix(got.Error.Message, tt.message) {
				t.Errorf("%s %.80s: message %q; want prefix %q", tt.method, tt.target, got.Error.Message, tt.message)
			}
			if rec.Header().Get(requestIDHeader) == "" {
				t.Errorf("%s %.80s: no %s header", tt.method, tt.target, requestIDHeader)
			}
		})
	}
}

func TestMethodNotAllowedSaysAllow(t *testing.T) {
	ts := newTestServer(t, Options{})
	rec := serve(t, ts.Handler(), "PUT", "/api/search", "")
	if got := rec.Header().Get("Allow"); !strings.Contains(got, "GET") || !strings.Contains(got, "POST") {
		t.Errorf("PUT /api/search: Allow = %q; want GET and POST", got)
	}
}

// hitIDs returns the ids of a search response's hits in order.
func hitIDs(t testing.TB, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d; want 200 (body %s)", rec.Code, rec.Body)
	}
	var res search.Result
	decode(t, rec, &res)
	ids := []string{}
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestSearchFirstHit(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		name, method, target, body, want string
	}{
		{"diacritics", "GET", "/api/search?q=" + url.QueryEscape("ISO 9001 Nam Định"), "", "province"},
		{"capitals", "GET", "/api/search?q=" + url.QueryEscape("ISO 9001 NAM ĐỊNH"), "", "province"},
		{"no diacritics", "GET", "/api/search?q=" + url.QueryEscape("cau lac bo nam dinh thang"), "", "football"},
		{"decoy as typed", "GET", "/api/search?q=" + url.QueryEscape("kiểm tra năm định kỳ"), "", "periodic"},
		{"POST body", "POST", "/api/search", `{"q": "ISO 9001 Nam Định", "size": 3}`, "province"},
		{"POST numbers as strings", "POST", "/api/search", `{"q": "cau lac bo nam dinh", "page": "1", "size": "5", "op": "or"}`, "football"},
		{"half_life", "GET", "/api/search?half_life=30&q=" + url.QueryEscape("ISO 9001 Nam Định"), "", "province"},
		{"half_life 0, no recency", "POST", "/api/search", `{"q": "ISO 9001 Nam Định", "half_life": 0}`, "province"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := hitIDs(t, serve(t, ts.Handler(), tt.method, tt.target, tt.body))
			if len(ids) == 0 || ids[0] != tt.want {
				t.Errorf("%s %s %s = %v; want %s first", tt.method, tt.target, tt.body, ids, tt.want)
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	ts := newTestServer(t, Options{})
	// Every case sorts by date, newest first unless it says otherwise, so
	// the expected order is fixed. "ISO" matches province and periodic; "Nam" or the OR query
	// matches more.
	tests := []struct {
		name, params string
		want         []string
	}{
		{"no filter", "q=ISO", []string{"periodic", "province"}},
		{"oldest first", "q=ISO&sort=-date", []string{"province", "periodic"}},
		{"section", "q=Nam+ISO&op=or&section=" + url.QueryEscape("Thể thao"), []string{"football"}},
		{"sections repeated", "q=Nam+ISO&op=or&section=" + url.QueryEscape("Thể thao") + "&section=" + url.QueryEscape("Thời sự"), []string{"football", "province"}},
		{"empty section ignored", "q=ISO&section=", []string{"periodic", "province"}},
		{"author", "q=Nam+ISO&op=or&author=" + url.QueryEscape("Minh Hải"), []string{"football"}},
		{"source", "q=ISO&source=baonamdinh", []string{"province"}},
		{"to a day includes all of it", "q=ISO&to=2012-05-25", []string{"province"}},
		{"to the day before", "q=ISO&to=2012-05-24", []string{}},
		{"from a day", "q=ISO&from=2012-05-26", []string{"periodic"}},
		{"from RFC 3339 with zone", "q=ISO&from=" + url.QueryEscape("2012-05-25T15:00:00Z"), []string{"periodic", "province"}},
		{"from RFC 3339 past it", "q=ISO&from=" + url.QueryEscape("2012-05-25T15:31:00Z"), []string{"periodic"}},
		{"from local time is Vietnam time", "q=ISO&from=2012-05-25T22:30:00", []string{"periodic", "province"}},
		{"from as the query language writes it", "q=ISO&from=26/05/2012", []string{"periodic"}},
		{"to in words", "q=ISO&to=" + url.QueryEscape("ngày 25 tháng 5 năm 2012"), []string{"province"}},
		{"to a newsroom time", "q=ISO&to=" + url.QueryEscape("22:29, 25/05/2012"), []string{}},
		{"to a month includes all of it", "q=ISO&to=5/2012", []string{"province"}},
		{"from a year", "q=ISO&from=2013", []string{"periodic"}},
		{"page 2", "q=ISO&size=1&page=2", []string{"province"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := tt.params
			if !strings.Contains(params, "sort=") {
				params += "&sort=date"
			}
			ids := hitIDs(t, serve(t, ts.Handler(), "GET", "/api/search?"+params, ""))
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("search %s = %v; want %v", tt.params, ids, tt.want)
			}
		})
	}
}

func TestSearchResponseShape(t *testing.T) {
	ts := newTestServer(t, Options{})
	rec := serve(t, ts.Handler(), "GET", "/api/search?q="+url.QueryEscape("Nam Định bóng chuyền")+"&size=2", "")
	var res map[string]any
	decode(t, rec, &res)
	for _, key := range []string{"query", "total", "took_ms", "page", "size", "op", "relaxed", "hits", "facets"} {
		if _, ok := res[key]; !ok {
			t.Errorf("response has no %q: %s", key, rec.Body)
		}
	}
	// No article has "bóng chuyền", so requiring every word finds nothing
	// and the search relaxes to most words: three of the four.
	if res["relaxed"] != true || res["op"] != "or" || res["size"] != 2.0 {
		t.Errorf("relaxed, op, size = %v, %v, %v; want true, or, 2", res["relaxed"], res["op"], res["size"])
	}
	if explain, _ := res["explain"].(map[string]any); explain["min_words"] != 3.0 {
		t.Errorf("explain = %v; want min_words 3", res["explain"])
	}
	hits, _ := res["hits"].([]any)
	if len(hits) != 1 {
		t.Fatalf("hits = %v; want the football article, the one with three of the words", hits)
	}
	hit := hits[0].(map[string]any)
	for _, key := range []string{"id", "title", "title_html", "date", "section", "source", "score", "snippet"} {
		if _, ok := hit[key]; !ok {
			t.Errorf("hit has no %q: %v", key, hit)
		}
	}
	if th, _ := hit["title_html"].(string); !strings.Contains(th, "<mark>Nam</mark> <mark>Định</mark>") {
		t.Errorf("title_html = %q; want Nam Định marked", th)
	}
}

func TestArticleRoundTrip(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, want := range testArticles {
		t.Run(want.ID, func(t *testing.T) {
			rec := serve(t, ts.Handler(), "GET", "/api/articles/"+url.PathEscape(want.ID), "")
			if rec.Code != http.StatusOK {
				t.Fatalf("GET article %s: %d; want 200 (body %s)", want.ID, rec.Code, rec.Body)
			}
			var got schema.Article
			decode(t, rec, &got)
			if !got.Published.Equal(want.Published) {
				t.Errorf("published = %v; want %v", got.Published, want.Published)
			}
			got.Published, want.Published = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("GET article %s =\n%+v; want\n%+v", want.ID, got, want)
			}
		})
	}
}

func TestArticleFromSearchHit(t *testing.T) {
	ts := newTestServer(t, Options{})
	ids := hitIDs(t, serve(t, ts.Handler(), "GET", "/api/search?q="+url.QueryEscape("khoa học công nghệ"), ""))
	if len(ids) == 0 {
		t.Fatal("search found nothing")
	}
	rec := serve(t, ts.Handler(), "GET", "/api/articles/"+url.PathEscape(ids[0]), "")
	var got schema.Article
	decode(t, rec, &got)
	if got.ID != ids[0] || got.Title != "Ngày hội khoa học công nghệ của học sinh" {
		t.Errorf("article of hit %q = %+v", ids[0], got)
	}
}

func TestAnalyze(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		name, params string
		want         analyzeResult
	}{
		{"default exact", "text=" + url.QueryEscape("Nam Định"), analyzeResult{Analyzer: "vi_exact_v1", Tokens: []token{
			{Term: "nam", Position: 1, Start: 0, End: 3}, {Term: "định", Position: 2, Start: 4, End: 11},
		}}},
		{"folded", "analyzer=vi_folded_v1&text=" + url.QueryEscape("Nam Định"), analyzeResult{Analyzer: "vi_folded_v1", Tokens: []token{
			{Term: "nam", Position: 1, Start: 0, End: 3}, {Term: "dinh", Position: 2, Start: 4, End: 11},
		}}},
		{"nothing to index", "text=" + url.QueryEscape("  "), analyzeResult{Analyzer: "vi_exact_v1", Tokens: []token{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, ts.Handler(), "GET", "/api/analyze?"+tt.params, "")
			if rec.Code != http.StatusOK {
				t.Fatalf("analyze %s: %d; want 200 (body %s)", tt.params, rec.Code, rec.Body)
			}
			var got analyzeResult
			decode(t, rec, &got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("analyze %s = %+v; want %+v", tt.params, got, tt.want)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	ts := newTestServer(t, Options{})
	rec := serve(t, ts.Handler(), "GET", "/healthz", "")
	var got healthResult
	decode(t, rec, &got)
	if want := (healthResult{Status: "ok", Documents: uint64(len(testArticles))}); rec.Code != 200 || got != want {
		t.Errorf("GET /healthz = %d %+v; want 200 %+v", rec.Code, got, want)
	}
}

func TestRequestID(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		name, incoming string
		kept           bool
	}{
		{"none", "", false},
		{"uuid kept", "3f2c8a1e-9b4d-4c1a-8e7f-2d6b5a9c0e11", true},
		{"spaces refused", "abc def", false},
		{"quote refused", `abc"def`, false},
		{"too long refused", strings.Repeat("a", maxRequestIDLength+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/healthz", nil)
			if tt.incoming != "" {
				req.Header.Set(requestIDHeader, tt.incoming)
			}
			rec := httptest.NewRecorder()
			ts.Handler().ServeHTTP(rec, req)
			got := rec.Header().Get(requestIDHeader)
			if tt.kept && got != tt.incoming || !tt.kept && (got == tt.incoming || !saneRequestID(got)) {
				t.Errorf("%s %q answered with %q; kept want %v", requestIDHeader, tt.incoming, got, tt.kept)
			}
			if !strings.Contains(ts.log.String(), `"request_id":"`+got+`"`) {
				t.Errorf("access log has no request_id %q:\n%s", got, ts.log)
			}
		})
	}
}

func TestAccessLog(t *testing.T) {
	ts := newTestServer(t, Options{})
	req := httptest.NewRequest("GET", "/api/search?q=ISO", nil)
	req.Header.Set(requestIDHeader, "req-1")
	rec := httptest.NewRecorder()
	ts.Handler().ServeHTTP(rec, req)
	var line struct {
		Msg, Method, Path, RequestID string
		Status, Bytes                int
		Duration                     *int64
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(ts.log.String())), &line); err != nil {
		t.Fatalf("access log %q: %v", ts.log, err)
	}
	if line.Msg != "request" || line.Method != "GET" || line.Path != "/api/search" ||
		line.Status != 200 || line.Bytes != rec.Body.Len() || line.Duration == nil {
		t.Errorf("access log = %+v; want GET /api/search 200 with %d bytes and a duration", line, rec.Body.Len())
	}
	if !strings.Contains(ts.log.String(), `"request_id":"req-1"`) {
		t.Errorf("access log %s: no request_id", ts.log)
	}
}

func TestPanicAnswersJSON(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.engine.GET("/test/panic", func(*gin.Context) { panic("secret cause 42") })
	rec := serve(t, ts.Handler(), "GET", "/test/panic", "")
	var got errorBody
	decode(t, rec, &got)
	if rec.Code != 500 || got.Error.Code != "internal" {
		t.Errorf("panic answered %d %q; want 500 internal", rec.Code, got.Error.Code)
	}
	if strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("panic cause sent to the client: %s", rec.Body)
	}
	if logs := ts.log.String(); !strings.Contains(logs, "secret cause 42") || !strings.Contains(logs, `"status":500`) {
		t.Errorf("panic not logged with its cause and status:\n%s", logs)
	}
}

func TestServerFaults(t *testing.T) {
	t.Run("request timeout", func(t *testing.T) {
		// A timeout that has passed before the search starts: the index
		// gives up and the client is told to try again.
		ts := newTestServer(t, Options{RequestTimeout: time.Nanosecond})
		rec := serve(t, ts.Handler(), "GET", "/api/search?q=ISO", "")
		var got errorBody
		decode(t, rec, &got)
		if rec.Code != 503 || got.Error.Code != "unavailable" {
			t.Errorf("timed-out search answered %d %q; want 503 unavailable", rec.Code, got.Error.Code)
		}
	})
	t.Run("closed index", func(t *testing.T) {
		ts := newTestServer(t, Options{})
		if err := ts.closeIndex(); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			target string
			status int
			code   string
		}{
			{"/api/search?q=ISO", 500, "internal"},
			{"/healthz", 503, "unavailable"},
		} {
			rec := serve(t, ts.Handler(), "GET", tt.target, "")
			var got errorBody
			decode(t, rec, &got)
			if rec.Code != tt.status || got.Error.Code != tt.code {
				t.Errorf("GET %s on a closed index: %d %q; want %d %q", tt.target, rec.Code, got.Error.Code, tt.status, tt.code)
			}
			if strings.Contains(strings.ToLower(rec.Body.String()), "closed") {
				t.Errorf("GET %s sent the cause to the client: %s", tt.target, rec.Body)
			}
		}
		if !strings.Contains(ts.log.String(), "closed") {
			t.Errorf("cause not logged:\n%s", ts.log)
		}
	})
}

func TestHalfLifeParam(t *testing.T) {
	day := 24 * time.Hour
	rows := []struct {
		name, param string
		want        time.Duration
	}{
		{"absent: the searcher's", "", 0},
		{"zero: none", "0", -1},
		{"a month", "30", 30 * day},
		{"spaces around", " 365 ", 365 * day},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			req, err := searchParams{Query: "Nam Định", HalfLife: intParam(row.param)}.request()
			if err != nil || req.HalfLife != row.want {
				t.Errorf("half_life=%q gives %v, %v; want %v", row.param, req.HalfLife, err, row.want)
			}
		})
	}
}
