package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/feeds"
)

// newsSite is a real HTTP server of article pages and a feed, which a test
// changes as it goes.
type newsSite struct {
	srv   *httptest.Server
	mu    sync.Mutex
	pages map[string]string // path → page; absent answers 404
	down  bool              // every page answers 503
}

func newNewsSite(t *testing.T) *newsSite {
	s := &newsSite{pages: map[string]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		page, ok := s.pages[r.URL.Path]
		down := s.down
		s.mu.Unlock()
		switch {
		case down:
			http.Error(w, "quá tải", http.StatusServiceUnavailable)
		case !ok:
			http.NotFound(w, r)
		default:
			fmt.Fprint(w, page)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *newsSite) set(path, page string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if page == "" {
		delete(s.pages, path)
	} else {
		s.pages[path] = page
	}
}

func articleHTML(title, body string) string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>` + title + `</title></head><body><article><h1>` + title +
		`</h1><p>` + body + `</p><p>Phóng viên Báo Nam Định ghi nhận tại hiện trường sáng nay.</p></article></body></html>`
}

// hookServer serves the test index with webhooks and a poller of feed.
func hookServer(t *testing.T, feed string) (testServer, *feeds.Poller) {
	ts := newTestServer(t, Options{APIToken: testToken, Sources: func(w feeds.Writer) (*feeds.Hooks, *feeds.Poller, error) {
		f := feeds.NewFetcher(feeds.FetchOptions{HostInterval: time.Millisecond, Timeout: 2 * time.Second})
		p, err := feeds.NewPoller(w, f, feeds.PollOptions{Feeds: []string{feed}})
		return feeds.NewHooks(w, f), p, err
	}})
	return ts, ts.Poller()
}

func TestHooksEndpoint(t *testing.T) {
	site := newNewsSite(t)
	ts, _ := hookServer(t, site.srv.URL+"/rss")
	h := ts.Handler()
	post := func(body string, header map[string]string) *httptest.ResponseRecorder {
		return send(t, h, "POST", "/api/hooks", body, header)
	}
	pageURL := site.srv.URL + "/tin/cau-tan-phong.html"
	ghost := func(current, previous string) string {
		return `{"post": {"current": ` + current + `, "previous": ` + previous + `}}`
	}
	published := `{"id": "65f0c1a2", "status": "published", "url": "` + pageURL + `", "title": "Thông xe cầu Tân Phong",
		"html": "<p>Cầu dài 800 mét nối hai huyện Ý Yên và Vụ Bản.</p>", "custom_excerpt": "UBND tỉnh tổ chức lễ thông xe.",
		"published_at": "2024-05-25T00:05:00.000Z", "primary_tag": {"name": "Thời sự"}, "primary_author": {"name": "Trần Văn Nam"}}`

	// post.published: searchable at once, under the id of its URL.
	rec := post(ghost(published, `{"status": "draft"}`), bearer)
	var res feeds.HookResult
	decode(t, rec, &res)
	if rec.Code != 200 || res.Action != "indexed" || len(res.IDs) != 1 {
		t.Fatalf("post.published = %d %s", rec.Code, rec.Body)
	}
	id := res.IDs[0]
	if ids := hitIDs(t, serve(t, h, "GET", "/api/search?q="+url.QueryEscape("cau tan phong"), "")); len(ids) == 0 || ids[0] != id {
		t.Errorf("search after the webhook = %v; want %s first", ids, id)
	}
	if rec := serve(t, h, "GET", "/api/articles/"+id, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Trần Văn Nam") {
		t.Errorf("GET the hooked article = %d %s", rec.Code, rec.Body)
	}

	// post.unpublished removes it.
	draft := `{"id": "65f0c1a2", "status": "draft", "url": "` + site.srv.URL + `/p/3f1c2a4e/", "title": "Thông xe cầu Tân Phong"}`
	if rec := post(ghost(draft, `{"status": "published", "url": "`+pageURL+`"}`), bearer); rec.Code != 200 {
		t.Fatalf("post.unpublished = %d %s", rec.Code, rec.Body)
	}
	if rec := serve(t, h, "GET", "/api/articles/"+id, ""); rec.Code != 404 {
		t.Errorf("GET after post.unpublished = %d; want 404", rec.Code)
	}

	// The generic form fetches the page.
	site.set("/tin/cau-tan-phong.html", articleHTML("Cầu Tân Phong đón xe đầu tiên", "Hàng nghìn người dân chứng kiến."))
	rec = post(`{"url": "`+pageURL+`", "action": "upsert"}`, bearer)
	if rec.Code != 200 {
		t.Fatalf("generic upsert = %d %s", rec.Code, rec.Body)
	}
	if rec := serve(t, h, "GET", "/api/articles/"+id, ""); !strings.Contains(rec.Body.String(), "Cầu Tân Phong đón xe đầu tiên") {
		t.Errorf("GET after a generic upsert = %d %s", rec.Code, rec.Body)
	}
	if rec := post(`{"url": "`+pageURL+`", "action": "delete"}`, bearer); rec.Code != 200 {
		t.Errorf("generic delete = %d %s", rec.Code, rec.Body)
	}
	if rec := serve(t, h, "GET", "/api/articles/"+id, ""); rec.Code != 404 {
		t.Errorf("GET after a generic delete = %d; want 404", rec.Code)
	}

	site.set("/empty.html", "<html><body></body></html>")
	tests := []struct {
		name, body    string
		header        map[string]string
		status        int
		code, message string
	}{
		{"no token", `{"url": "` + pageURL + `"}`, nil, 401, "unauthorized", ""},
		{"null", `null`, bearer, 400, "invalid_body", "body:"},
		{"array", `[]`, bearer, 400, "invalid_body", "body:"},
		{"invalid UTF-8", "{\"url\": \"\xff\"}", bearer, 400, "invalid_body", "body: not valid UTF-8"},
		{"url a number", `{"url": 5}`, bearer, 400, "invalid_body", "url: want a JSON string"},
		{"url relative", `{"url": "/tin/a.html"}`, bearer, 400, "invalid_body", "url:"},
		{"unknown action", `{"url": "` + pageURL + `", "action": "xuất bản"}`, bearer, 400, "invalid_body", "action:"},
		{"Ghost post without url", ghost(`{"id": "1", "status": "published", "html": "<p>x</p>"}`, `{}`), bearer, 400, "invalid_body", "post.current.url"},
		{"page without an article", `{"url": "` + site.srv.URL + `/empty.html"}`, bearer, 422, "not_an_article", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := post(tt.body, tt.header)
			var eb errorBody
			decode(t, rec, &eb)
			if rec.Code != tt.status || eb.Error.Code != tt.code || !strings.Contains(eb.Error.Message, tt.message) {
				t.Errorf("POST /api/hooks %s = %d %s; want %d %s %q", tt.body, rec.Code, rec.Body, tt.status, tt.code, tt.message)
			}
		})
	}

	// A site that fails: 502, its answer not passed on.
	site.mu.Lock()
	site.down = true
	site.mu.Unlock()
	rec = post(`{"url": "`+pageURL+`"}`, bearer)
	var eb errorBody
	decode(t, rec, &eb)
	if rec.Code != 502 || eb.Error.Code != "fetch_failed" || strings.Contains(eb.Error.Message, "quá tải") {
		t.Errorf("webhook for a failing site = %d %s; want 502 fetch_failed", rec.Code, rec.Body)
	}
}

func TestSourcesEndpointAndMetrics(t *testing.T) {
	site := newNewsSite(t)
	feed := site.srv.URL + "/rss"
	site.set("/rss", `<rss version="2.0"><channel><title>Báo Nam Định</title><item><link>`+site.srv.URL+`/a.html</link></item><item><link>ftp://baonamdinh.vn/b.html</link></item></channel></rss>`)
	site.set("/a.html", articleHTML("Giá lúa tăng", "Nông dân phấn khởi."))
	ts, poller := hookServer(t, feed)
	h := ts.Handler()
	if err := poller.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}

	if rec := serve(t, h, "GET", "/api/admin/sources", ""); rec.Code != 401 {
		t.Errorf("sources without a token = %d; want 401", rec.Code)
	}
	rec := send(t, h, "GET", "/api/admin/sources", "", bearer)
	var res sourcesResult
	decode(t, rec, &res)
	if rec.Code != 200 || len(res.Sources) != 1 {
		t.Fatalf("sources = %d %s", rec.Code, rec.Body)
	}
	st := res.Sources[0]
	if st.URL != feed || st.Kind != "feed" || st.Added != 1 || st.Errors != 1 || st.LastPoll.IsZero() || !strings.Contains(st.LastError, "b.html") {
		t.Errorf("status = %+v; want 1 added and b.html's address as an error", st)
	}
	var raw map[string][]map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil || raw["sources"][0]["last_poll"] == nil {
		t.Errorf("sources body %s has no last_poll", rec.Body)
	}

	metrics := serve(t, h, "GET", "/metrics", "").Body.String()
	for _, want := range []string{
		`vnsearch_source_articles_total{kind="feed",outcome="added",source="` + feed + `"} 1`,
		`vnsearch_source_errors_total{kind="feed",source="` + feed + `"} 1`,
		`vnsearch_source_polls_total{kind="feed",source="` + feed + `"} 1`,
		`vnsearch_source_last_poll_timestamp_seconds{kind="feed",source="` + feed + `"} `,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics have no %q:\n%s", want, grepLines(metrics, "vnsearch_source"))
		}
	}
}
