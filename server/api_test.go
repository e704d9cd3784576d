package server

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/suggest"
)

var update = flag.Bool("update", false, "rewrite golden files with the results of this run")

const testToken = "s3cret-token-for-tests"

// send sends one request with headers through the server's router.
func send(t testing.TB, h http.Handler, method, target, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var bearer = map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json"}

func TestOperationErrors(t *testing.T) {
	open := newTestServer(t, Options{})
	locked := newTestServer(t, Options{APIToken: testToken})
	tests := []struct {
		name           string
		ts             testServer
		method, target string
		body           string
		header         map[string]string
		status         int
		code, message  string
	}{
		{"suggest without q", open, "GET", "/api/suggest", "", nil, 400, "invalid_param", "q:"},
		{"suggest empty q", open, "GET", "/api/suggest?q=", "", nil, 400, "invalid_param", "q:"},
		{"suggest without words", open, "GET", "/api/suggest?q=" + url.QueryEscape("!!!"), "", nil, 400, "invalid_param", "q:"},
		{"suggest over-long q", open, "GET", "/api/suggest?q=" + url.QueryEscape(strings.Repeat("Nam Định ", 12)), "", nil, 400, "invalid_param", "q:"},
		{"suggest size past max", open, "GET", "/api/suggest?q=nam&size=21", "", nil, 400, "invalid_param", "size:"},
		{"suggest size not a number", open, "GET", "/api/suggest?q=nam&size=tám", "", nil, 400, "invalid_param", "size: must be an integer"},
		{"related unknown article", open, "GET", "/api/articles/no-such/related", "", nil, 404, "not_found", ""},
		{"related size past max", open, "GET", "/api/articles/province/related?size=50", "", nil, 400, "invalid_param", "size:"},
		{"write without a token configured", open, "PUT", "/api/articles/x", `{"title": "Tin mới"}`, bearer, 403, "forbidden", ""},
		{"POST without a token configured", open, "POST", "/api/articles", `{"id": "x", "title": "Tin mới"}`, bearer, 403, "forbidden", ""},
		{"DELETE without a token configured", open, "DELETE", "/api/articles/province", "", bearer, 403, "forbidden", ""},
		{"write without a token", locked, "PUT", "/api/articles/x", `{"title": "Tin mới"}`, nil, 401, "unauthorized", ""},
		{"write with a wrong token", locked, "PUT", "/api/articles/x", `{"title": "Tin mới"}`, map[string]string{"Authorization": "Bearer wrong"}, 401, "unauthorized", ""},
		{"write with basic auth", locked, "POST", "/api/articles", `{"id": "x"}`, map[string]string{"Authorization": "Basic " + testToken}, 401, "unauthorized", ""},
		{"PUT with another id", locked, "PUT", "/api/articles/x", `{"id": "y", "title": "Tin mới"}`, bearer, 400, "invalid_param", "id:"},
		{"PUT not an object", locked, "PUT", "/api/articles/x", `["Tin mới"]`, bearer, 400, "invalid_body", ""},
		{"PUT with no text", locked, "PUT", "/api/articles/x", `{"section": "Thể thao"}`, bearer, 400, "invalid_records", ""},
		{"POST empty", locked, "POST", "/api/articles", "", bearer, 400, "invalid_body", ""},
		{"POST not JSON", locked, "POST", "/api/articles", "Nam Định", bearer, 400, "invalid_records", ""},
		{"POST too large", locked, "POST", "/api/articles", `{"id": "x", "body": "` + strings.Repeat("a", maxWriteBytes) + `"}`, bearer, 413, "body_too_large", ""},
		{"DELETE unknown", locked, "DELETE", "/api/articles/no-such", "", bearer, 404, "not_found", ""},
		{"PATCH article", locked, "PATCH", "/api/articles/province", "", bearer, 405, "method_not_allowed", ""},
		{"POST metrics", open, "POST", "/metrics", "", nil, 405, "method_not_allowed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := send(t, tt.ts.Handler(), tt.method, tt.target, tt.body, tt.header)
			var got errorBody
			decode(t, rec, &got)
			if rec.Code != tt.status || got.Error.Code != tt.code {
				t.Fatalf("%s %.80s: %d %q; want %d %q (body %.300s)", tt.method, tt.target, rec.Code, got.Error.Code, tt.status, tt.code, rec.Body)
			}
			if got.Error.Message == "" || !strings.HasPrefix(got.Error.Message, tt.message) {
				t.Errorf("%s %.80s: message %q; want prefix %q", tt.method, tt.target, got.Error.Message, tt.message)
			}
		})
	}
}

func TestSuggestEndpoint(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		name, q, first, firstHTML string
	}{
		{"folded", "nam d", "Nam Định", "<mark>Nam Đ</mark>ịnh"},
		{"diacritics", "Nam Đ", "Nam Định", "<mark>Nam Đ</mark>ịnh"},
		{"capitals", "NAM D", "Nam Định", "<mark>Nam Đ</mark>ịnh"},
		{"a headline", "ngày hội kh", "Ngày hội khoa học công nghệ của học sinh", "<mark>Ngày hội kh</mark>oa học công nghệ của học sinh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, ts.Handler(), "GET", "/api/suggest?size=8&q="+url.QueryEscape(tt.q), "")
			if rec.Code != 200 {
				t.Fatalf("suggest %q: %d %s", tt.q, rec.Code, rec.Body)
			}
			var got suggestResult
			decode(t, rec, &got)
			if got.Query != tt.q || len(got.Suggestions) == 0 || got.Suggestions[0].Text != tt.first || got.Suggestions[0].HTML != tt.firstHTML {
				t.Errorf("suggest %q = %+v; want %q (%q) first", tt.q, got, tt.first, tt.firstHTML)
			}
		})
	}
	// The contract the page and the box are written against.
	rec := serve(t, ts.Handler(), "GET", "/api/suggest?q=nam+d", "")
	var raw struct {
		Suggestions []map[string]any `json:"suggestions"`
	}
	decode(t, rec, &raw)
	if len(raw.Suggestions) == 0 {
		t.Fatalf("suggest nam d = %s; want suggestions", rec.Body)
	}
	for _, sg := range raw.Suggestions {
		keys := []string{}
		for k := range sg {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		want := []string{"html", "kind", "text"}
		if sg["kind"] == suggest.KindTitle {
			want = []string{"html", "id", "kind", "text"}
		}
		if !slices.Equal(keys, want) {
			t.Errorf("suggestion %v has keys %v; want %v", sg, keys, want)
		}
	}
}

func TestRelatedEndpoint(t *testing.T) {
	ts := newTestServer(t, Options{})
	rec := serve(t, ts.Handler(), "GET", "/api/articles/province/related", "")
	var got relatedResult
	decode(t, rec, &got)
	if rec.Code != 200 || got.ID != "province" || len(got.Hits) == 0 || got.Hits[0].ID != "periodic" {
		t.Fatalf("related of province = %d %+v; want periodic (ISO 9001) first", rec.Code, got)
	}
	for _, h := range got.Hits {
		if h.ID == "province" {
			t.Errorf("related of province includes itself: %+v", got.Hits)
		}
	}
	rec = serve(t, ts.Handler(), "GET", "/api/articles/"+url.PathEscape("vnexpress-khoa-hoc-1")+"/related?size=1", "")
	decode(t, rec, &got)
	if rec.Code != 200 || len(got.Hits) > 1 {
		t.Errorf("related of an id with a slash, size=1: %d %s", rec.Code, rec.Body)
	}
}

func TestRelatedEndpointReadsBodies(t *testing.T) {
	ts := newTestServer(t, Options{APIToken: testToken})
	h := ts.Handler()
	// Two reports of one landslide whose titles and leads share no word.
	rec := send(t, h, "POST", "/api/articles", `[
		{"id": "sat-lo-1", "title": "Đêm không ngủ ở vùng cao", "sapo": "Cả bản thức trắng chờ trời sáng.",
		 "body": "Mưa lớn kéo dài gây sạt lở đất vùi lấp nhiều nhà dân tại xã Trà Leng, huyện Nam Trà My, tỉnh Quảng Nam."},
		{"id": "sat-lo-2", "title": "Những người lính trong mưa", "sapo": "Bộ đội có mặt từ sáng sớm.",
		 "body": "Lực lượng cứu hộ tìm kiếm người mất tích sau vụ sạt lở đất ở xã Trà Leng, huyện Nam Trà My, Quảng Nam."}
	]`, bearer)
	if rec.Code != 200 {
		t.Fatalf("POST = %d %s", rec.Code, rec.Body)
	}
	for _, pair := range [][2]string{{"sat-lo-1", "sat-lo-2"}, {"sat-lo-2", "sat-lo-1"}} {
		rec := serve(t, h, "GET", "/api/articles/"+pair[0]+"/related", "")
		var got relatedResult
		decode(t, rec, &got)
		if rec.Code != 200 || len(got.Hits) == 0 || got.Hits[0].ID != pair[1] {
			t.Errorf("related of %s = %d %s; want %s, alike in the body only, first", pair[0], rec.Code, rec.Body, pair[1])
		}
	}
}

func TestReadyz(t *testing.T) {
	ts := newTestServer(t, Options{Suggester: suggest.New(nil, suggest.Options{})})
	rec := serve(t, ts.Handler(), "GET", "/readyz", "")
	var bad errorBody
	decode(t, rec, &bad)
	if rec.Code != 503 || bad.Error.Code != "unavailable" || !strings.Contains(bad.Error.Message, "suggestions") {
		t.Errorf("readyz before suggestions are built = %d %+v; want 503 saying so", rec.Code, bad)
	}
	if rec := serve(t, ts.Handler(), "GET", "/healthz", ""); rec.Code != 200 {
		t.Errorf("healthz while not ready = %d; want 200 (alive)", rec.Code)
	}
	built := newTestServer(t, Options{})
	rec = serve(t, built.Handler(), "GET", "/readyz", "")
	var good readyResult
	decode(t, rec, &good)
	if want := (readyResult{Status: "ready", Documents: uint64(len(testArticles)), Suggestions: true}); rec.Code != 200 || good != want {
		t.Errorf("readyz = %d %+v; want 200 %+v", rec.Code, good, want)
	}
}

func TestWrites(t *testing.T) {
	ts := newTestServer(t, Options{APIToken: testToken})
	h := ts.Handler()
	searchIDs := func(q string) []string {
		return hitIDs(t, serve(t, h, "GET", "/api/search?q="+url.QueryEscape(q), ""))
	}

	// PUT: searchable as soon as the call returns.
	rec := send(t, h, "PUT", "/api/articles/"+url.PathEscape("ninh-binh-1"), `{
		"title": "Tràng An đón lượng khách kỷ lục dịp lễ",
		"body": "Khu du lịch Tràng An ở Ninh Bình đón hơn 20.000 lượt khách trong ngày đầu kỳ nghỉ.",
		"category": "Du lịch", "date": "2023-04-30"}`, bearer)
	var wr writeResult
	decode(t, rec, &wr)
	if rec.Code != 200 || wr.Indexed != 1 || wr.Replaced != 0 || wr.Skipped != 0 {
		t.Fatalf("PUT = %d %s; want 1 indexed", rec.Code, rec.Body)
	}
	if ids := searchIDs("trang an ninh binh"); len(ids) == 0 || ids[0] != "ninh-binh-1" {
		t.Errorf("search after PUT = %v; want the new article first", ids)
	}
	// PUT again replaces.
	rec = send(t, h, "PUT", "/api/articles/"+url.PathEscape("ninh-binh-1"), `{"id": "ninh-binh-1", "title": "Tràng An đón 25.000 lượt khách dịp lễ"}`, bearer)
	decode(t, rec, &wr)
	if rec.Code != 200 || wr.Indexed != 1 || wr.Replaced != 1 {
		t.Errorf("second PUT = %d %s; want 1 indexed, 1 replaced", rec.Code, rec.Body)
	}

	// POST a batch with bad records: the good ones are indexed.
	rec = send(t, h, "POST", "/api/articles", `[
		{"id": "hue-1", "title": "Festival Huế khai mạc tại Đại Nội", "section": "Văn hóa"},
		{"title": "Bài không có mã"},
		{"id": 20240101, "title": "Huế đón năm mới bằng lễ hội đường phố", "date": "ngày 35 tháng 13 năm 2024"},
		{"id": "hue-2", "body": "Lễ hội đường phố ở Huế thu hút hàng nghìn người xem."}
	]`, bearer)
	var bad badRecordsBody
	decode(t, rec, &bad)
	if rec.Code != 400 || bad.Error.Code != "invalid_records" || bad.Indexed != 2 || bad.Skipped != 2 || len(bad.Rejected) != 2 ||
		bad.Rejected[0].Record != 2 || bad.Rejected[1].Record != 3 || !strings.Contains(bad.Rejected[0].Reason, "missing id") {
		t.Fatalf("POST with bad records = %d %s; want 400 with 2 indexed and records 2 and 3 refused", rec.Code, rec.Body)
	}
	if ids := searchIDs("festival hue"); len(ids) == 0 || ids[0] != "hue-1" {
		t.Errorf("search after POST = %v; want hue-1 first", ids)
	}

	// POST JSON Lines.
	rec = send(t, h, "POST", "/api/articles", `{"id": "dl-1", "title": "Đà Lạt mùa hoa dã quỳ"}
{"id": "dl-2", "title": "Đà Lạt se lạnh cuối năm", "sapo": "Nhiệt độ xuống dưới 10 độ C."}
`, map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/x-ndjson"})
	decode(t, rec, &wr)
	if rec.Code != 200 || wr.Indexed != 2 {
		t.Errorf("POST JSON Lines = %d %s; want 2 indexed", rec.Code, rec.Body)
	}

	// DELETE: gone at once.
	rec = send(t, h, "DELETE", "/api/articles/hue-1", "", bearer)
	if rec.Code != 200 {
		t.Fatalf("DELETE = %d %s", rec.Code, rec.Body)
	}
	if rec := serve(t, h, "GET", "/api/articles/hue-1", ""); rec.Code != 404 {
		t.Errorf("GET after DELETE = %d; want 404", rec.Code)
	}

	// The writes are counted, and suggestions pick them up once rebuilt.
	metrics := serve(t, h, "GET", "/metrics", "").Body.String()
	for _, want := range []string{
		`vnsearch_indexed_articles_total{outcome="indexed"} 6`,
		`vnsearch_indexed_articles_total{outcome="replaced"} 1`,
		`vnsearch_indexed_articles_total{outcome="skipped"} 2`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics have no %q:\n%s", want, grepLines(metrics, "vnsearch_indexed"))
		}
	}
	ts.stopRebuilds()
	if err := ts.refreshSuggestions(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	rec = serve(t, h, "GET", "/api/suggest?q="+url.QueryEscape("da lat"), "")
	if !strings.Contains(rec.Body.String(), "Đà Lạt") {
		t.Errorf("suggest after a rebuild = %s; want Đà Lạt", rec.Body)
	}
}

func grepLines(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t, Options{})
	h := ts.Handler()
	serve(t, h, "GET", "/api/search?q=ISO", "")
	serve(t, h, "GET", "/api/search?q=ISO", "")
	serve(t, h, "GET", "/api/articles/no-such", "")
	serve(t, h, "GET", "/no/such/path/1", "")
	rec := serve(t, h, "GET", "/metrics", "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
	for _, want := range []string{
		`vnsearch_http_requests_total{method="GET",route="/api/search",status="200"} 2`,
		`vnsearch_http_requests_total{method="GET",route="/api/articles/:id",status="404"} 1`,
		`vnsearch_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`vnsearch_http_request_duration_seconds_count{route="/api/search"} 2`,
		fmt.Sprintf("vnsearch_index_documents %d", len(testArticles)),
		// The same search twice: the second answered from the cache.
		"vnsearch_search_cache_hits_total 1",
		"vnsearch_search_cache_misses_total 1",
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics have no %q:\n%s", want, grepLines(body, "vnsearch_"))
		}
	}
	// A second server counts apart: no shared default registry.
	other := newTestServer(t, Options{})
	if body := serve(t, other.Handler(), "GET", "/metrics", "").Body.String(); strings.Contains(body, `route="/api/search"`) {
		t.Errorf("a new server's metrics count another's requests:\n%s", grepLines(body, "/api/search"))
	}
}

func TestCORS(t *testing.T) {
	const site = "https://baonamdinh.example"
	ts := newTestServer(t, Options{CORSOrigins: []string{site}})
	tests := []struct {
		name, method, origin string
		header               map[string]string
		status               int
		allowed              string
	}{
		{"allowed origin", "GET", site, nil, 200, site},
		{"other origin", "GET", "https://evil.example", nil, 200, ""},
		{"no origin", "GET", "", nil, 200, ""},
		{"preflight", "OPTIONS", site, map[string]string{"Access-Control-Request-Method": "GET"}, 204, site},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{}
			for k, v := range tt.header {
				header[k] = v
			}
			if tt.origin != "" {
				header["Origin"] = tt.origin
			}
			rec := send(t, ts.Handler(), tt.method, "/api/suggest?q=nam+d", "", header)
			if rec.Code != tt.status || rec.Header().Get("Access-Control-Allow-Origin") != tt.allowed {
				t.Errorf("%s from %q: %d, allow-origin %q; want %d, %q", tt.method, tt.origin, rec.Code,
					rec.Header().Get("Access-Control-Allow-Origin"), tt.status, tt.allowed)
			}
		})
	}
	if _, err := New(Options{Searcher: ts.opts.Searcher, CORSOrigins: []string{"baonamdinh.example/"}}); err == nil {
		t.Error("New accepted a CORS origin that no browser sends")
	}
}

// openAPIDoc is the part of the OpenAPI document the tests read.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Paths   map[string]map[string]struct {
		OperationID string `json:"operationId"`
		Parameters  []struct {
			Name     string `json:"name"`
			In       string `json:"in"`
			Required bool   `json:"required"`
		} `json:"parameters"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"paths"`
}

// apiRoute reports whether a route belongs to the API, which the OpenAPI
// document describes, rather than to the web pages.
func apiRoute(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics"
}

var ginParam = regexp.MustCompile(`:([a-z]+)`)

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	ts := newTestServer(t, Options{})
	rec := serve(t, ts.Handler(), "GET", "/api/openapi.json", "")
	var doc openAPIDoc
	decode(t, rec, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi = %q; want 3.x", doc.OpenAPI)
	}
	routed := map[string]bool{}
	for _, r := range ts.engine.Routes() {
		if !apiRoute(r.Path) {
			continue
		}
		key := r.Method + " " + ginParam.ReplaceAllString(r.Path, "{$1}")
		routed[key] = true
		path := ginParam.ReplaceAllString(r.Path, "{$1}")
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s is not in server/openapi.json", key)
		}
	}
	if len(routed) < 12 {
		t.Fatalf("found %d API routes; the router has changed shape?", len(routed))
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if key := strings.ToUpper(method) + " " + path; !routed[key] {
				t.Errorf("server/openapi.json documents %s, which no route serves", key)
			}
		}
	}
}

// TestOpenAPIGolden keeps a readable summary of the documented contract,
// operation by operation, in testdata/openapi.golden: a change to the API's
// shape shows in review. Refresh it with -update.
func TestOpenAPIGolden(t *testing.T) {
	var doc openAPIDoc
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("server/openapi.json: %v", err)
	}
	var lines []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			var params, codes []string
			for _, p := range op.Parameters {
				s := p.In + ":" + p.Name
				if p.Required {
					s += "!"
				}
				params = append(params, s)
			}
			for code := range op.Responses {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			lines = append(lines, fmt.Sprintf("%s %s %s params=[%s] responses=[%s]",
				strings.ToUpper(method), path, op.OperationID, strings.Join(params, " "), strings.Join(codes, " ")))
		}
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	const golden = "testdata/openapi.golden"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./server -run OpenAPIGolden -update)", err)
	}
	if got != string(want) {
		t.Errorf("OpenAPI summary changed; if meant, run go test ./server -run OpenAPIGolden -update\ngot:\n%s\nwant:\n%s", got, want)
	}
}
