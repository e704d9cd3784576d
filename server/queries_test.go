package server

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/querylog"
)

func TestQueryLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), querylog.FileName)
	log, err := querylog.Open(querylog.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Options{APIToken: testToken, QueryLog: log})
	h := ts.Handler()
	for _, q := range []string{"Nam Định", "nam  định", "KKT Vũng Áng", "NAM ĐỊNH", "kkt vũng  áng"} {
		if rec := serve(t, h, "GET", "/api/search?q="+url.QueryEscape(q), ""); rec.Code != 200 {
			t.Fatalf("search %q = %d %s", q, rec.Code, rec.Body)
		}
	}
	// The page counts too; its second page of the same search does not.
	serve(t, h, "GET", "/?q="+url.QueryEscape("ISO 9001"), "")
	serve(t, h, "GET", "/?q="+url.QueryEscape("ISO 9001")+"&size=1&page=2", "")
	// A search that cannot run is no query asked, nor one still typed.
	serve(t, h, "GET", "/api/search?q=!!!", "")
	serve(t, h, "GET", "/api/search?typing=1&q="+url.QueryEscape("kkt vũ"), "")

	list := func(kind string) queriesResult {
		t.Helper()
		rec := send(t, h, "GET", "/api/admin/queries?kind="+kind, "", bearer)
		var res queriesResult
		decode(t, rec, &res)
		if rec.Code != 200 || string(res.Kind) != kind {
			t.Fatalf("GET /api/admin/queries?kind=%s = %d %s", kind, rec.Code, rec.Body)
		}
		return res
	}
	top := list("top")
	if len(top.Queries) != 3 || top.Queries[0].Query != "nam định" || top.Queries[0].Count != 3 ||
		top.Queries[1].Query != "kkt vũng áng" || top.Queries[1].Count != 2 || top.Queries[2].Query != "iso 9001" || top.Queries[2].Count != 1 {
		t.Errorf("top queries = %+v; want nam định 3, kkt vũng áng 2, iso 9001 1", top.Queries)
	}
	zero := list("zero")
	if len(zero.Queries) != 1 || zero.Queries[0].Query != "kkt vũng áng" || zero.Queries[0].Count != 2 || zero.Queries[0].LastSeen.IsZero() {
		t.Errorf("zero-hit queries = %+v; want kkt vũng áng twice", zero.Queries)
	}
	metrics := serve(t, h, "GET", "/metrics", "").Body.String()
	for _, want := range []string{`vnsearch_searches_total{result="hits"} 6`, `vnsearch_searches_total{result="none"} 2`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics have no %q:\n%s", want, grepLines(metrics, "vnsearch_searches"))
		}
	}

	errs := []struct {
		name, target string
		header       map[string]string
		status       int
		code         string
	}{
		{"no token", "/api/admin/queries?kind=top", nil, 401, "unauthorized"},
		{"unknown kind", "/api/admin/queries?kind=all", bearer, 400, "invalid_param"},
		{"size too large", "/api/admin/queries?kind=top&size=5000", bearer, 400, "invalid_param"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			rec := send(t, h, "GET", tt.target, "", tt.header)
			var body errorBody
			decode(t, rec, &body)
			if rec.Code != tt.status || body.Error.Code != tt.code {
				t.Errorf("GET %s = %d %s; want %d %s", tt.target, rec.Code, rec.Body, tt.status, tt.code)
			}
		})
	}

	// Flushed, the counts are read back by the next server's log.
	if err := log.Flush(); err != nil {
		t.Fatal(err)
	}
	again, err := querylog.Open(querylog.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	next := newTestServer(t, Options{APIToken: testToken, QueryLog: again})
	var res queriesResult
	decode(t, send(t, next.Handler(), "GET", "/api/admin/queries?kind=zero", "", bearer), &res)
	if len(res.Queries) != 1 || res.Queries[0].Query != "kkt vũng áng" {
		t.Errorf("zero-hit queries after a restart = %+v; want kkt vũng áng", res.Queries)
	}
}

func TestQueryLogOff(t *testing.T) {
	ts := newTestServer(t, Options{APIToken: testToken})
	rec := send(t, ts.Handler(), "GET", "/api/admin/queries?kind=top", "", bearer)
	var body errorBody
	decode(t, rec, &body)
	if rec.Code != 404 || !strings.Contains(body.Error.Message, "--query-log") {
		t.Errorf("GET /api/admin/queries without a query log = %d %s; want 404 saying how to turn it on", rec.Code, rec.Body)
	}
}

func TestAdminPage(t *testing.T) {
	log, err := querylog.Open(querylog.Options{Path: filepath.Join(t.TempDir(), querylog.FileName)})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Options{APIToken: testToken, QueryLog: log})
	h := ts.Handler()
	serve(t, h, "GET", "/api/search?q="+url.QueryEscape("KKT Vũng Áng"), "")

	form := func(values url.Values) (int, string) {
		rec := send(t, h, "POST", "/admin/queries", values.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		return rec.Code, rec.Body.String()
	}
	rec := serve(t, h, "GET", "/admin/queries", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `type="password"`) || strings.Contains(rec.Body.String(), "kkt vũng áng") {
		t.Errorf("GET /admin/queries = %d; want the token form and no queries:\n%s", rec.Code, rec.Body)
	}
	if code, body := form(url.Values{"token": {testToken}, "kind": {"zero"}}); code != 200 ||
		!strings.Contains(body, "kkt vũng áng") || !strings.Contains(body, `<a href="/?q=kkt&#43;v%C5%A9ng&#43;%C3%A1ng">kkt vũng áng</a>`) {
		t.Errorf("POST /admin/queries with the token = %d; want kkt vũng áng linked to its search:\n%s", code, body)
	}
	if code, body := form(url.Values{"token": {"wrong"}, "kind": {"zero"}}); code != 401 ||
		strings.Contains(body, "kkt vũng áng") || !strings.Contains(body, "Mã truy cập không đúng") {
		t.Errorf("POST /admin/queries with a wrong token = %d; want 401 and no queries:\n%s", code, body)
	}
}
