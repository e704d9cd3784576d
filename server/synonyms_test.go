package server

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/search"
)

func TestSynonyms(t *testing.T) {
	ts := newTestServer(t, Options{APIToken: testToken})
	h := ts.Handler()
	text := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "text/tab-separated-values"}
	club := "CLBNĐ"

	rec := serve(t, h, "GET", "/api/synonyms", "")
	var syn search.Synonyms
	decode(t, rec, &syn)
	if rec.Code != 200 || syn.Version != 0 || syn.Lines == nil || len(syn.Lines) != 0 || rec.Header().Get("ETag") != `"0"` {
		t.Fatalf("GET /api/synonyms of a new index = %d %s (ETag %s); want version 0, lines []", rec.Code, rec.Body, rec.Header().Get("ETag"))
	}
	if ids := hitIDs(t, serve(t, h, "GET", "/api/search?q="+url.QueryEscape(club), "")); len(ids) != 0 {
		t.Fatalf("search %s before it is a synonym = %v; want nothing", club, ids)
	}

	// PUT as text, lines of the shipped table's format, CRLF as some
	// editors save them.
	rec = send(t, h, "PUT", "/api/synonyms", "# bóng đá\r\nCLBNĐ|CLB Thép Xanh Nam Định\tcâu lạc bộ Nam Định\r\n", text)
	decode(t, rec, &syn)
	if rec.Code != 200 || syn.Version != 1 || len(syn.Lines) != 2 || syn.Lines[1] != "CLBNĐ|CLB Thép Xanh Nam Định\tcâu lạc bộ Nam Định" {
		t.Fatalf("PUT /api/synonyms = %d %s; want version 1 and the 2 lines", rec.Code, rec.Body)
	}
	// At once, without reindexing, in the API and on the page.
	rec = serve(t, h, "GET", "/api/search?q="+url.QueryEscape(club), "")
	var res search.Result
	decode(t, rec, &res)
	if len(res.Hits) == 0 || res.Hits[0].ID != "football" || len(res.Explain.Expanded) == 0 {
		t.Fatalf("search %s after PUT = %s; want football, expanded", club, rec.Body)
	}
	page := serve(t, h, "GET", "/?q="+url.QueryEscape(club), "").Body.String()
	if want := html.EscapeString(club + " → câu lạc bộ Nam Định"); !strings.Contains(page, want) {
		t.Errorf("search page for %s does not show %q", club, want)
	}

	// PUT as JSON, the shape GET answers with, against the version read.
	json := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json", "If-Match": `"1"`}
	rec = send(t, h, "PUT", "/api/synonyms", `{"lines": ["CLBNĐ\tcâu lạc bộ Nam Định", "SVĐ Thiên Trường\tsân vận động Thiên Trường"]}`, json)
	decode(t, rec, &syn)
	if rec.Code != 200 || syn.Version != 2 || len(syn.Lines) != 2 || rec.Header().Get("ETag") != `"2"` {
		t.Fatalf("PUT JSON with If-Match 1 = %d %s; want version 2", rec.Code, rec.Body)
	}
	rec = serve(t, h, "GET", "/api/synonyms", "")
	decode(t, rec, &syn)
	if syn.Version != 2 || syn.Lines[1] != "SVĐ Thiên Trường\tsân vận động Thiên Trường" {
		t.Errorf("GET after PUT = %s; want version 2 and its lines", rec.Body)
	}

	errs := []struct {
		name   string
		body   string
		header map[string]string
		status int
		code   string
		msg    string
	}{
		{"stale version", "X\tY", map[string]string{"Authorization": "Bearer " + testToken, "If-Match": `"1"`}, 412, "version_conflict", "version 2, not 1"},
		{"bad if-match", "X\tY", map[string]string{"Authorization": "Bearer " + testToken, "If-Match": "W/abc"}, 400, "invalid_param", "If-Match"},
		{"line without tab", "BHXH\tbảo hiểm xã hội\n# ok\nSVĐ sân vận động\n", text, 400, "invalid_synonyms", "line 3: want two tab-separated fields"},
		{"empty form", "SVĐ|\tsân vận động", text, 400, "invalid_synonyms", "line 1: empty form"},
		{"json not lines", `{"lines": "SVĐ"}`, bearer, 400, "invalid_body", "lines"},
		{"no token", "X\tY", map[string]string{"Content-Type": "text/plain"}, 401, "unauthorized", ""},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			rec := send(t, h, "PUT", "/api/synonyms", tt.body, tt.header)
			var body errorBody
			decode(t, rec, &body)
			if rec.Code != tt.status || body.Error.Code != tt.code || !strings.Contains(body.Error.Message, tt.msg) {
				t.Errorf("PUT %q = %d %s; want %d %s mentioning %q", tt.body, rec.Code, rec.Body, tt.status, tt.code, tt.msg)
			}
		})
	}
	// Nothing refused was applied.
	rec = serve(t, h, "GET", "/api/synonyms", "")
	decode(t, rec, &syn)
	if syn.Version != 2 {
		t.Errorf("version after refused PUTs = %d; want 2", syn.Version)
	}

	// Writes disabled: a server without a token refuses, and still reads.
	open := newTestServer(t, Options{})
	if rec := send(t, open.Handler(), "PUT", "/api/synonyms", "X\tY", text); rec.Code != 403 {
		t.Errorf("PUT on a server without a token = %d; want 403", rec.Code)
	}
}
