package server

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/vnsearch/vnsearch/search"
)

// renderedPage is what a reader sees of a search page.
type renderedPage struct {
	status   int
	hits     []renderedHit
	selected map[string]string   // select name → the chosen option's text
	options  map[string][]string // select name → the options' texts
	text     string              // the whole main element's text
	links    map[string]string   // link text → href, inside main
}

type renderedHit struct {
	titleHTML string // the title's inner HTML, marks included
	meta      string
}

// getPage requests the search page and reads it as a browser would.
func getPage(t *testing.T, h http.Handler, target string) renderedPage {
	t.Helper()
	rec := serve(t, h, http.MethodGet, target, "")
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type = %q; want HTML", target, ct)
	}
	doc, err := html.Parse(rec.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	p := renderedPage{status: rec.Code, selected: map[string]string{}, options: map[string][]string{}, links: map[string]string{}}
	main := find(doc, func(n *html.Node) bool { return n.Data == "main" })
	if main == nil {
		t.Fatalf("GET %s: no <main> in %s", target, rec.Body.String())
	}
	p.text = strings.Join(strings.Fields(textContent(main)), " ")
	walk(main, func(n *html.Node) {
		switch {
		case n.Data == "li" && attrOf(n, "class") == "hit":
			title := find(n, func(n *html.Node) bool { return n.Data == "h2" })
			if a := find(title, func(n *html.Node) bool { return n.Data == "a" }); a != nil {
				title = a
			}
			meta := find(n, func(n *html.Node) bool { return attrOf(n, "class") == "hit-meta" })
			p.hits = append(p.hits, renderedHit{titleHTML: innerHTML(title), meta: textContent(meta)})
		case n.Data == "select":
			name := attrOf(n, "name")
			walk(n, func(o *html.Node) {
				if o.Data != "option" {
					return
				}
				p.options[name] = append(p.options[name], textContent(o))
				if hasAttr(o, "selected") {
					p.selected[name] = textContent(o)
				}
			})
		case n.Data == "a":
			p.links[strings.Join(strings.Fields(textContent(n)), " ")] = attrOf(n, "href")
		}
	})
	return p
}

func walk(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	var found *html.Node
	walk(n, func(m *html.Node) {
		if found == nil && match(m) {
			found = m
		}
	})
	return found
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func textContent(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textContent(c))
	}
	return b.String()
}

func innerHTML(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		html.Render(&b, c)
	}
	return b.String()
}

func TestSearchPageHighlightsAsPublished(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		name, query string
		wantFirst   string
	}{
		{"without diacritics", "iso 9001 nam dinh",
			"<mark>Nam</mark> <mark>Định</mark> đẩy mạnh áp dụng <mark>ISO</mark> <mark>9001</mark> trong cơ quan hành chính"},
		{"with diacritics", "ISO 9001 Nam Định",
			"<mark>Nam</mark> <mark>Định</mark> đẩy mạnh áp dụng <mark>ISO</mark> <mark>9001</mark> trong cơ quan hành chính"},
		{"NFD input", "Nam \u0110i\u0323nh bo\u0301ng",
			"Câu lạc bộ <mark>Nam</mark> <mark>Định</mark> thắng trận thứ ba liên tiếp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := getPage(t, ts.Handler(), "/?q="+url.QueryEscape(tt.query))
			if p.status != http.StatusOK || len(p.hits) == 0 {
				t.Fatalf("GET /?q=%q = %d with %d hits; want 200 with hits (%s)", tt.query, p.status, len(p.hits), p.text)
			}
			if got := p.hits[0].titleHTML; got != tt.wantFirst {
				t.Errorf("GET /?q=%q: first title %q; want %q", tt.query, got, tt.wantFirst)
			}
		})
	}
}

func TestSearchPageShowsDateSectionAndCount(t *testing.T) {
	ts := newTestServer(t, Options{})
	p := getPage(t, ts.Handler(), "/?q=nam+dinh")
	if len(p.hits) < 2 {
		t.Fatalf("GET /?q=nam+dinh: %d hits; want the province and football at least", len(p.hits))
	}
	if want := "25/05/2012 · Thời sự · baonamdinh"; strings.Join(strings.Fields(p.hits[0].meta), " ") != want {
		t.Errorf("first hit's meta = %q; want %q", p.hits[0].meta, want)
	}
	if !regexp.MustCompile(`Tìm thấy \d+ kết quả cho “?nam dinh`).MatchString(p.text) {
		t.Errorf("page text %q has no count of results", p.text)
	}
}

func TestSearchPageFilters(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		name, target string
		sections     []string // the hits' sections, in order; "*" means any hits
		selected     map[string]string
	}{
		{"section", "/?q=nam+dinh&section=" + url.QueryEscape("Thể thao"),
			[]string{"Thể thao"}, map[string]string{"section": "Thể thao (1)", "year": "Tất cả các năm"}},
		{"year", "/?q=nam+dinh&year=2012",
			[]string{"Thời sự"}, map[string]string{"year": "2012 (1)"}},
		{"year without match", "/?q=nam+dinh&year=2013&section=" + url.QueryEscape("Thể thao"),
			nil, map[string]string{"year": "2013"}},
		{"sort by date", "/?q=nam+dinh&sort=date",
			[]string{"Thể thao", "Kinh doanh", "Thời sự"}, map[string]string{"sort": "Mới nhất"}},
		{"sort oldest first", "/?q=nam+dinh&sort=-date",
			[]string{"Thời sự", "Kinh doanh", "Thể thao"}, map[string]string{"sort": "Cũ nhất"}},
		{"empty values as a form sends them", "/?q=nam+dinh&section=&year=&sort=relevance",
			[]string{"*"}, map[string]string{"section": "Tất cả chuyên mục", "sort": "Liên quan nhất"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := getPage(t, ts.Handler(), tt.target)
			if p.status != http.StatusOK {
				t.Fatalf("GET %s = %d; want 200 (%s)", tt.target, p.status, p.text)
			}
			if len(tt.sections) == 1 && tt.sections[0] == "*" {
				if len(p.hits) == 0 {
					t.Errorf("GET %s: no hits", tt.target)
				}
			} else {
				var got []string
				for _, h := range p.hits {
					for _, sec := range []string{"Thời sự", "Kinh doanh", "Thể thao", "Giáo dục"} {
						if strings.Contains(h.meta, sec) {
							got = append(got, sec)
						}
					}
				}
				if strings.Join(got, "|") != strings.Join(tt.sections, "|") {
					t.Errorf("GET %s: hits in sections %q; want %q", tt.target, got, tt.sections)
				}
			}
			for name, want := range tt.selected {
				if p.selected[name] != want {
					t.Errorf("GET %s: %s shows %q; want %q", tt.target, name, p.selected[name], want)
				}
			}
		})
	}
}

// A filter must still offer the other values, or the reader could not
// switch from one section to another without clearing it first.
func TestSearchPageFilterOffersOtherValues(t *testing.T) {
	ts := newTestServer(t, Options{})
	p := getPage(t, ts.Handler(), "/?q=nam+dinh&section="+url.QueryEscape("Thể thao"))
	got := strings.Join(p.options["section"], "|")
	for _, want := range []string{"Tất cả chuyên mục", "Thời sự (1)", "Thể thao (1)", "Kinh doanh (1)"} {
		if !strings.Contains(got, want) {
			t.Errorf("section options %q lack %q", got, want)
		}
	}
	if years := strings.Join(p.options["year"], "|"); years != "Tất cả các năm|2021 (1)" {
		t.Errorf("year options %q; want only the years of the section's hits", years)
	}
	if href := p.links["Bỏ lọc"]; href != "/?q=nam+dinh" {
		t.Errorf("Bỏ lọc links to %q; want /?q=nam+dinh", href)
	}
}

func TestSearchPageNoResults(t *testing.T) {
	ts := newTestServer(t, Options{})
	p := getPage(t, ts.Handler(), "/?q="+url.QueryEscape("Campuchia Singapore"))
	if p.status != http.StatusOK || len(p.hits) != 0 {
		t.Fatalf("GET no-match query = %d with %d hits; want 200 without hits", p.status, len(p.hits))
	}
	if !strings.Contains(p.text, "Không tìm thấy kết quả") || !strings.Contains(p.text, "Campuchia Singapore") {
		t.Errorf("no-results page says %q; want Không tìm thấy kết quả and the query", p.text)
	}

	filtered := getPage(t, ts.Handler(), "/?q=kh%C3%A1n+gi%E1%BA%A3&year=2012")
	if len(filtered.hits) != 0 {
		t.Fatalf("khán giả in 2012: %d hits; want none", len(filtered.hits))
	}
	if href := filtered.links["Tìm trong tất cả chuyên mục và các năm"]; href != "/?q=kh%C3%A1n+gi%E1%BA%A3" {
		t.Errorf("no-results page with a filter links to %q; want the search without it", href)
	}
}

func TestSearchPageBlankShowsExamples(t *testing.T) {
	ts := newTestServer(t, Options{})
	p := getPage(t, ts.Handler(), "/")
	if p.status != http.StatusOK || len(p.hits) != 0 {
		t.Fatalf("GET / = %d with %d hits; want 200, no search", p.status, len(p.hits))
	}
	if href := p.links["iso 9001 nam dinh"]; href != "/?q=iso+9001+nam+dinh" {
		t.Errorf("example link = %q; want /?q=iso+9001+nam+dinh", href)
	}
}

func TestSearchPagePagination(t *testing.T) {
	ts := newTestServer(t, Options{})
	p := getPage(t, ts.Handler(), "/?q=nam+dinh&size=1")
	if len(p.hits) != 1 {
		t.Fatalf("size=1: %d hits; want 1", len(p.hits))
	}
	next := p.links["Trang sau ›"]
	if next != "/?q=nam+dinh&size=1&page=2" {
		t.Fatalf("Trang sau links to %q; want /?q=nam+dinh&size=1&page=2", next)
	}
	p2 := getPage(t, ts.Handler(), next)
	if len(p2.hits) != 1 || p2.hits[0].titleHTML == p.hits[0].titleHTML {
		t.Errorf("page 2 shows %v; want another hit than page 1's %v", p2.hits, p.hits)
	}
	if prev := p2.links["‹ Trang trước"]; prev != "/?q=nam+dinh&size=1" {
		t.Errorf("Trang trước on page 2 links to %q; want page 1 without page=", prev)
	}
}

func TestSearchPageErrors(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		name, target string
		status       int
		message      string
	}{
		{"no words", "/?q=%21%21%21", 400, "không có từ nào"},
		{"bad year", "/?q=nam+dinh&year=n%C4%83m+ngo%C3%A1i", 400, "Khoảng thời gian không hợp lệ"},
		{"page too deep", "/?q=nam+dinh&page=101", 400, "trang 100"},
		{"bad sort", "/?q=nam+dinh&sort=hot", 400, "sắp xếp không hợp lệ"},
		{"query too long", "/?q=" + strings.Repeat("a", search.MaxQueryLength+1), 400, "quá dài"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := getPage(t, ts.Handler(), tt.target)
			if p.status != tt.status || !strings.Contains(strings.ToLower(p.text), strings.ToLower(tt.message)) {
				t.Errorf("GET %s = %d %q; want %d with %q", tt.target, p.status, p.text, tt.status, tt.message)
			}
		})
	}
}

func TestSearchPageServerFaultHidesCause(t *testing.T) {
	ts := newTestServer(t, Options{})
	if err := ts.closeIndex(); err != nil {
		t.Fatal(err)
	}
	p := getPage(t, ts.Handler(), "/?q=ISO")
	if p.status < 500 || !strings.Contains(p.text, "sự cố") {
		t.Errorf("search over a closed index = %d %q; want 5xx saying sự cố", p.status, p.text)
	}
	if strings.Contains(p.text, "closed") {
		t.Errorf("page shows the cause: %q", p.text)
	}
	if !strings.Contains(ts.log.String(), `"path":"/"`) {
		t.Errorf("the fault was not logged: %s", ts.log.String())
	}
}

func TestSearchPageEscapes(t *testing.T) {
	ts := newTestServer(t, Options{})
	rec := serve(t, ts.Handler(), http.MethodGet, "/?q="+url.QueryEscape(`<script>alert("Nam Định")</script>`), "")
	body := rec.Body.String()
	if strings.Contains(body, "<script>alert") {
		t.Errorf("the query is written unescaped into the page:\n%s", body)
	}
	if !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("the query is missing from the page:\n%s", body)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q; want scripts from the page's origin only", csp)
	}
}

func TestSearchPageNotices(t *testing.T) {
	res := search.Result{Query: "Nam Ddinhj bongd", Total: 0, Explain: search.Explanation{
		Decoded: "Nam Định bóng", Restored: "nam định", Expanded: []string{"UBND → ủy ban nhân dân"},
		Fuzzy: true, DidYouMean: "Nam Định bóng đá",
	}}
	got := notices(res, "/?q=Nam+%C4%90%E1%BB%8Bnh+b%C3%B3ng+%C4%91%C3%A1")
	want := []notice{
		{Label: "Đã đọc kiểu gõ Telex:", Query: "Nam Định bóng"},
		{Label: "Đã thêm dấu:", Query: "nam định"},
		{Label: "Đã mở rộng chữ viết tắt:", Query: "UBND → ủy ban nhân dân"},
		{Label: "Đã tìm cả các từ viết gần giống."},
		{Label: "Có phải bạn muốn tìm:", Query: "Nam Định bóng đá", Link: "/?q=Nam+%C4%90%E1%BB%8Bnh+b%C3%B3ng+%C4%91%C3%A1"},
	}
	if len(got) != len(want) {
		t.Fatalf("notices = %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("notice %d = %+v; want %+v", i, got[i], want[i])
		}
	}
}

// The engine's own explanation reaches the page: a Telex query is decoded
// and the page says so.
func TestSearchPageTelexNotice(t *testing.T) {
	ts := newTestServer(t, Options{})
	p := getPage(t, ts.Handler(), "/?q=Nam+Ddinhj")
	if len(p.hits) == 0 || !strings.Contains(p.hits[0].titleHTML, "<mark>Định</mark>") {
		t.Fatalf("Nam Ddinhj: hits %v; want Nam Định marked", p.hits)
	}
	if !strings.Contains(p.text, "Đã đọc kiểu gõ Telex:") || !strings.Contains(p.text, "Định") {
		t.Errorf("Nam Ddinhj: page %q does not say the query was read as Telex", p.text)
	}
}

func TestPageParamsHref(t *testing.T) {
	tests := []struct {
		name string
		p    pageParams
		want string
	}{
		{"query only", pageParams{searchParams: searchParams{Query: "Nam Định"}}, "/?q=Nam+%C4%90%E1%BB%8Bnh"},
		{"defaults left out", pageParams{searchParams: searchParams{Query: "bóng đá", Sort: "relevance", Operator: "and", Size: "10", Page: "1"}},
			"/?q=b%C3%B3ng+%C4%91%C3%A1"},
		{"filters in order", pageParams{searchParams: searchParams{Query: "iso", Sections: []string{"Thời sự", ""}, Sort: "date", Page: "3"}, Year: "2012"},
			"/?q=iso&section=Th%E1%BB%9Di+s%E1%BB%B1&year=2012&sort=date&page=3"},
		{"year replaces a range", pageParams{searchParams: searchParams{Query: "iso", From: "2012-01-01"}, Year: "2013"}, "/?q=iso&year=2013"},
		{"nothing", pageParams{}, "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.href(); got != tt.want {
				t.Errorf("%+v.href() = %q; want %q", tt.p, got, tt.want)
			}
		})
	}
}

func TestViNumber(t *testing.T) {
	for n, want := range map[uint64]string{0: "0", 999: "999", 1000: "1.000", 1234567: "1.234.567"} {
		if got := viNumber(n); got != want {
			t.Errorf("viNumber(%d) = %q; want %q", n, got, want)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := map[string]bool{
		"":                   false,
		"gzip":               true,
		"br, gzip;q=0.8":     true,
		"GZIP":               true,
		"gzip;q=0":           false,
		"deflate, identity":  false,
		"x-gzip-not, gzipx":  false,
		" gzip ; q=0.5, br ": true,
	}
	for header, want := range tests {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v; want %v", header, got, want)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	ts := newTestServer(t, Options{})
	page := serve(t, ts.Handler(), http.MethodGet, "/", "").Body.String()
	css := regexp.MustCompile(`href="(/static/page\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	js := regexp.MustCompile(`src="(/static/page\.js\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if css == nil || js == nil {
		t.Fatalf("the page links no versioned CSS or JS:\n%s", page)
	}
	tests := []struct {
		name, target, ctype, cache string
		contains                   string
	}{
		{"stylesheet", css[1], "text/css; charset=utf-8", "public, max-age=31536000", "mark"},
		{"script", js[1], "text/javascript; charset=utf-8", "public, max-age=31536000", "compositionend"},
		{"stale version", "/static/page.css?v=0", "text/css; charset=utf-8", "public, max-age=300", "mark"},
		{"widget", "/widget.js", "text/javascript; charset=utf-8", "public, max-age=300", "attachShadow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, ts.Handler(), http.MethodGet, tt.target, "")
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tt.ctype || rec.Header().Get("Cache-Control") != tt.cache {
				t.Fatalf("GET %s = %d %q %q; want 200 %q %q", tt.target, rec.Code,
					rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"), tt.ctype, tt.cache)
			}
			if !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("GET %s: body lacks %q", tt.target, tt.contains)
			}

			req := httptest.NewRequest(http.MethodGet, tt.target, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			zrec := httptest.NewRecorder()
			ts.Handler().ServeHTTP(zrec, req)
			if zrec.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("GET %s with gzip: Content-Encoding %q", tt.target, zrec.Header().Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(zrec.Body)
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil || string(unzipped) != rec.Body.String() {
				t.Errorf("GET %s gzipped does not unzip to the plain body (%v)", tt.target, err)
			}

			req = httptest.NewRequest(http.MethodGet, tt.target, nil)
			req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
			nrec := httptest.NewRecorder()
			ts.Handler().ServeHTTP(nrec, req)
			if nrec.Code != http.StatusNotModified || nrec.Body.Len() != 0 {
				t.Errorf("GET %s with its ETag = %d with %d bytes; want 304, empty", tt.target, nrec.Code, nrec.Body.Len())
			}
		})
	}

	rec := serve(t, ts.Handler(), http.MethodGet, "/static/nothing.css", "")
	var body errorBody
	decode(t, rec, &body)
	if rec.Code != http.StatusNotFound || body.Error.Code != "not_found" {
		t.Errorf("GET /static/nothing.css = %d %+v; want 404 not_found", rec.Code, body)
	}
}
