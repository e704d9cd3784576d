package server

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
)

// webFiles holds the search page's template, its stylesheet and script,
// and the embeddable widget: the binary serves them all, with no build step
// and nothing fetched from elsewhere.
//
//go:embed web
var webFiles embed.FS

// pageCSP keeps the search page to its own scripts and styles, so that a
// mistake in escaping cannot run anything. Inline scripts are not needed:
// the template has none.
const pageCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'; object-src 'none'"

// Cache lifetimes of the static files. A versioned URL (?v= its hash, as
// the page links it) never changes, so it is cached for a year; the widget
// is linked from other sites without a version and is cached briefly, so
// that a new release reaches readers within minutes.
const (
	immutableMaxAge = 365 * 24 * time.Hour
	shortMaxAge     = 5 * time.Minute
)

// webUI is the parsed template and the static files of the search page.
// It does not change once built and is safe for concurrent use.
type webUI struct {
	page   *template.Template
	assets map[string]*webAsset // by name, as in /static/NAME
	widget *webAsset
}

// webAsset is a static file kept in memory with its gzipped form.
type webAsset struct {
	body, gzipped []byte
	contentType   string
	version       string // the first hex digits of the body's SHA-256
}

// webRoutes registers the search page (GET /), its static files, the
// widget script (GET /widget.js) and the query log's page for editors
// (/admin/queries).
func (s *Server) webRoutes(e *gin.Engine) {
	ui, err := newWebUI(webFiles)
	if err != nil {
		// The files are embedded in the binary and tested: this is a bug.
		panic(fmt.Sprintf("server: embedded web files: %v", err))
	}
	e.GET("/", func(c *gin.Context) { s.searchPage(c, ui) })
	e.GET("/static/:name", func(c *gin.Context) {
		a, ok := ui.assets[c.Param("name")]
		if !ok {
			s.writeError(c, fmt.Errorf("%w: %s", errNoRoute, c.Request.URL.Path))
			return
		}
		maxAge := shortMaxAge
		if c.Query("v") == a.version {
			maxAge = immutableMaxAge
		}
		a.serve(c, maxAge)
	})
	e.GET("/widget.js", func(c *gin.Context) { ui.widget.serve(c, shortMaxAge) })
	e.GET("/admin/queries", func(c *gin.Context) { s.adminPage(c, ui) })
	e.POST("/admin/queries", func(c *gin.Context) { s.adminPage(c, ui) })
}

func newWebUI(fsys fs.FS) (*webUI, error) {
	ui := &webUI{assets: map[string]*webAsset{}}
	static, err := fs.ReadDir(fsys, "web/static")
	if err != nil {
		return nil, err
	}
	for _, f := range static {
		if ui.assets[f.Name()], err = loadAsset(fsys, "web/static/"+f.Name()); err != nil {
			return nil, err
		}
	}
	if ui.widget, err = loadAsset(fsys, "web/widget.js"); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			a, ok := ui.assets[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return "/static/" + name + "?v=" + a.version, nil
		},
		// highlighted marks as safe the HTML of a hit's title and snippet:
		// the searcher escapes the text and adds only <mark> elements.
		"highlighted": func(s string) template.HTML { return template.HTML(s) },
		"number":      viNumber,
		"date":        viDate,
		"datetime":    viDateTime,
		"seconds": func(ms float64) string {
			return strings.Replace(strconv.FormatFloat(ms/1000, 'f', 3, 64), ".", ",", 1)
		},
	}
	ui.page, err = template.New("page.html").Funcs(funcs).ParseFS(fsys, "web/templates/*.html")
	if err != nil {
		return nil, err
	}
	return ui, nil
}

func loadAsset(fsys fs.FS, name string) (*webAsset, error) {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	ctype := mime.TypeByExtension(path.Ext(name))
	if strings.HasSuffix(name, ".js") {
		// mime's table depends on the system's files; say it ourselves.
		ctype = "text/javascript; charset=utf-8"
	}
	return &webAsset{body: body, gzipped: gz.Bytes(), contentType: ctype, version: hex.EncodeToString(sum[:6])}, nil
}

// serve answers with the file, gzipped when the client takes it, or 304
// when the client already has this version.
func (a *webAsset) serve(c *gin.Context, maxAge time.Duration) {
	h := c.Writer.Header()
	etag := `"` + a.version + `"`
	h.Set("ETag", etag)
	h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(maxAge.Seconds())))
	h.Set("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	body := a.body
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		body = a.gzipped
		h.Set("Content-Encoding", "gzip")
	}
	c.Data(http.StatusOK, a.contentType, body)
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0"
		}
	}
	return false
}

// pageParams are the query parameters of the search page: those of
// /api/search, so that a page URL and an API URL read alike, and the year
// its filter offers.
type pageParams struct {
	searchParams
	Year string `form:"year"`
}

// request converts p into a search request. A year stands for the range
// from its first to its last day, in Vietnam time as the year facet counts.
func (p pageParams) request() (search.Request, error) {
	sp := p.searchParams
	if p.Year != "" {
		y, err := strconv.Atoi(p.Year)
		if err != nil || y < 1000 || y > 9999 {
			return search.Request{}, &search.ParamError{Param: "year", Reason: "must be a year like 2012"}
		}
		sp.From, sp.To = fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y)
	}
	return sp.request()
}

// values returns p's parameters in a fixed order, q first, leaving out
// what is empty or the default, so that shared links stay short and read
// well.
func (p pageParams) values() [][2]string {
	var v [][2]string
	set := func(key, value string) {
		if value = strings.TrimSpace(value); value != "" {
			v = append(v, [2]string{key, value})
		}
	}
	set("q", p.Query)
	for _, sec := range p.Sections {
		set("section", sec)
	}
	for _, place := range p.Places {
		set("place", place)
	}
	set("year", p.Year)
	if p.Year == "" {
		set("from", p.From)
		set("to", p.To)
	}
	if p.Sort != search.SortRelevance {
		set("sort", p.Sort)
	}
	if p.Operator != string(search.And) {
		set("op", p.Operator)
	}
	set("author", p.Author)
	set("source", p.Source)
	if strings.TrimSpace(string(p.Size)) != strconv.Itoa(search.DefaultSize) {
		set("size", string(p.Size))
	}
	if page := strings.TrimSpace(string(p.Page)); page != "1" {
		set("page", page)
	}
	return v
}

// href returns the page's URL for p.
func (p pageParams) href() string {
	var b strings.Builder
	b.WriteByte('/')
	for i, kv := range p.values() {
		b.WriteByte("?&"[min(i, 1)])
		b.WriteString(url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1]))
	}
	return b.String()
}

// pageView is what the page template renders.
type pageView struct {
	Query    string
	Searched bool   // a search ran, or failed: not the blank start page
	Error    string // why the search could not run, for the reader
	Result   search.Result
	Status   string // the count, announced to screen readers
	Notices  []notice
	Hidden   []hiddenField // parameters the form carries along unchanged
	Sections []option
	Places   []option
	Years    []option
	Sorts    []option
	Filtered bool   // a section, place or year filter is on
	Unfilter string // the same search without its filters
	// DidYouMean links to the search with the spelling the index knows.
	DidYouMean string
	Start      int // number of the page's first hit
	Pages      []pageLink
	Prev       string
	Next       string
	Examples   []example
}

// notice tells the reader what the engine did to the query. Link, when
// set, searches Query instead.
type notice struct {
	Label, Query, Link string
}

type hiddenField struct{ Name, Value string }

type option struct {
	Value, Label string
	Count        int
	Selected     bool
}

type pageLink struct {
	Number  int
	Href    string
	Current bool
	Gap     bool // an ellipsis between page numbers
}

type example struct{ Query, Href string }

// exampleQueries are offered on the blank page: with and without
// diacritics, and Telex typed with the keyboard's Vietnamese mode off.
var exampleQueries = []string{"iso 9001 nam dinh", "Nam Định", "bóng đá", "khoa hoc cong nghe", "Hà Nội"}

// searchPage serves GET /: the search form and, with q, one page of hits,
// rendered on the server so that it works without JavaScript.
func (s *Server) searchPage(c *gin.Context, ui *webUI) {
	var p pageParams
	view := pageView{}
	err := c.ShouldBindQuery(&p)
	if err != nil {
		err = fmt.Errorf("%w: %v", errInvalidParam, err)
	}
	view.Query = strings.TrimSpace(p.Query)
	status := http.StatusOK
	switch {
	case err != nil:
	case view.Query == "":
		for _, q := range exampleQueries {
			view.Examples = append(view.Examples, example{Query: q, Href: pageParams{searchParams: searchParams{Query: q}}.href()})
		}
	default:
		err = s.fillResults(c.Request.Context(), &view, p)
	}
	if err != nil {
		view.Searched = true
		status, _ = errorStatus(err)
		view.Error = pageErrorMessage(err, status)
		view.Status = view.Error
		if status >= http.StatusInternalServerError {
			s.logFault(c, status, err)
		}
	}

	ui.writePage(s, c, status, "page.html", view, map[string]string{"Referrer-Policy": "strict-origin-when-cross-origin"})
}

// writePage renders the page template name with view and sends it with
// the pages' security headers and the given others; s answers a failure.
func (ui *webUI) writePage(s *Server, c *gin.Context, status int, name string, view any, headers map[string]string) {
	var buf bytes.Buffer
	if err := ui.page.ExecuteTemplate(&buf, name, view); err != nil {
		s.writeError(c, fmt.Errorf("render %s: %w", name, err))
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	for k, v := range headers {
		h.Set(k, v)
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// fillResults runs the search p asks for and fills the view with its hits,
// notices, filters and page links. A panic in the searcher is returned as
// an error, so that the reader still gets a page, not the API's JSON.
func (s *Server) fillResults(ctx context.Context, view *pageView, p pageParams) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	view.Searched = true
	req, err := p.request()
	if err != nil {
		return err
	}
	res, err := s.live(ctx).searcher.Search(ctx, req)
	if err != nil {
		return err
	}
	s.recordSearch(res, false)
	// The request's defaults, filled in by the searcher, are what the
	// links below compare with.
	p.Sort = cmp.Or(p.Sort, search.SortRelevance)
	p.Operator = cmp.Or(p.Operator, string(search.And))
	p.Size = intParam(strconv.Itoa(res.Size))
	view.Result = res
	view.Start = (res.Page-1)*res.Size + 1
	if res.Total == 0 {
		view.Status = "Không tìm thấy kết quả"
	} else {
		view.Status = fmt.Sprintf("Tìm thấy %s kết quả", viNumber(res.Total))
	}
	if sp := res.Explain.DidYouMean; sp != "" {
		alt := p
		alt.Query, alt.Page = sp, ""
		view.DidYouMean = alt.href()
	}
	view.Notices = notices(res, view.DidYouMean)

	sectionFacets, placeFacets, yearFacets := res.Facets, res.Facets, res.Facets
	// A facet counted over hits already narrowed by its own filter shows
	// only the value chosen; count it over the search without that filter
	// so that the reader can switch to another section, place or year.
	if len(req.Sections) > 0 {
		if f := s.facetsWithout(ctx, req, func(r *search.Request) { r.Sections = nil }); f != nil {
			sectionFacets = f
		}
	}
	if len(req.Places) > 0 {
		if f := s.facetsWithout(ctx, req, func(r *search.Request) { r.Places = nil }); f != nil {
			placeFacets = f
		}
	}
	if p.Year != "" {
		if f := s.facetsWithout(ctx, req, func(r *search.Request) { r.From, r.To = time.Time{}, time.Time{} }); f != nil {
			yearFacets = f
		}
	}
	view.Sections = facetOptions(sectionFacets, func(f *search.Facets) []search.FacetCount { return f.Section },
		"Tất cả chuyên mục", p.Sections...)
	view.Places = facetOptions(placeFacets, func(f *search.Facets) []search.FacetCount { return f.Place },
		"Mọi tỉnh, thành", p.Places...)
	view.Years = facetOptions(yearFacets, func(f *search.Facets) []search.FacetCount { return f.Year },
		"Tất cả các năm", p.Year)
	view.Sorts = []option{
		{Value: search.SortRelevance, Label: "Liên quan nhất"},
		{Value: search.SortDate, Label: "Mới nhất"},
		{Value: search.SortDateAsc, Label: "Cũ nhất"},
	}
	for i := range view.Sorts {
		view.Sorts[i].Selected = view.Sorts[i].Value == p.Sort
	}
	view.Filtered = len(req.Sections) > 0 || len(req.Places) > 0 || p.Year != ""
	unfiltered := p
	unfiltered.Sections, unfiltered.Places, unfiltered.Year, unfiltered.Page = nil, nil, "", ""
	view.Unfilter = unfiltered.href()

	// Parameters the form has no control for travel in hidden fields.
	for _, kv := range p.values() {
		switch kv[0] {
		case "op", "size", "author", "source", "from", "to":
			view.Hidden = append(view.Hidden, hiddenField{Name: kv[0], Value: kv[1]})
		}
	}
	view.Pages, view.Prev, view.Next = pageLinks(p, res)
	return nil
}

// facetsWithout runs req changed by drop for its facet counts alone. A
// failure only costs the other values of one filter, so it returns nil and
// the caller keeps the counts it has.
func (s *Server) facetsWithout(ctx context.Context, req search.Request, drop func(*search.Request)) *search.Facets {
	drop(&req)
	req.Page, req.Size = 1, 1
	res, err := s.live(ctx).searcher.Search(ctx, req)
	if err != nil {
		return nil
	}
	return res.Facets
}

// facetOptions makes a filter's options: "all", then each counted value,
// with the chosen ones kept even when no hit has them any more.
func facetOptions(f *search.Facets, counts func(*search.Facets) []search.FacetCount, all string, chosen ...string) []option {
	isChosen := map[string]bool{}
	for _, c := range chosen {
		if c != "" {
			isChosen[c] = true
		}
	}
	opts := []option{{Label: all, Selected: len(isChosen) == 0}}
	seen := map[string]bool{}
	if f != nil {
		for _, fc := range counts(f) {
			opts = append(opts, option{Value: fc.Value, Label: fc.Value, Count: fc.Count, Selected: isChosen[fc.Value]})
			seen[fc.Value] = true
		}
	}
	for _, c := range chosen {
		if c != "" && !seen[c] {
			opts = append(opts, option{Value: c, Label: c, Selected: true})
			seen[c] = true
		}
	}
	return opts
}

// notices says what the engine did to the query, in the reader's words.
func notices(res search.Result, didYouMean string) []notice {
	var ns []notice
	ex := res.Explain
	if ex.Decoded != "" {
		ns = append(ns, notice{Label: "Đã đọc kiểu gõ Telex:", Query: ex.Decoded})
	}
	if ex.Restored != "" {
		ns = append(ns, notice{Label: "Đã thêm dấu:", Query: ex.Restored})
	}
	for _, e := range ex.Expanded {
		ns = append(ns, notice{Label: "Đã mở rộng chữ viết tắt:", Query: e})
	}
	if ex.Fuzzy {
		ns = append(ns, notice{Label: "Đã tìm cả các từ viết gần giống."})
	}
	if res.Relaxed && res.Total > 0 {
		ns = append(ns, notice{Label: "Không bài nào có đủ mọi từ; đây là các bài có một phần các từ của:", Query: res.Query})
	}
	if ex.DidYouMean != "" {
		ns = append(ns, notice{Label: "Có phải bạn muốn tìm:", Query: ex.DidYouMean, Link: didYouMean})
	}
	return ns
}

// pageLinks numbers the pages of res around the current one, with the
// first and the last always shown, and links to the previous and next.
func pageLinks(p pageParams, res search.Result) (links []pageLink, prev, next string) {
	last := int((res.Total + uint64(res.Size) - 1) / uint64(res.Size))
	last = min(last, search.MaxPage)
	if last <= 1 {
		return nil, "", ""
	}
	href := func(n int) string {
		p.Page = ""
		if n > 1 {
			p.Page = intParam(strconv.Itoa(n))
		}
		return p.href()
	}
	cur := res.Page
	for n := 1; n <= last; n++ {
		if n != 1 && n != last && (n < cur-2 || n > cur+2) {
			if len(links) > 0 && !links[len(links)-1].Gap {
				links = append(links, pageLink{Gap: true})
			}
			continue
		}
		links = append(links, pageLink{Number: n, Href: href(n), Current: n == cur})
	}
	if cur > 1 {
		prev = href(cur - 1)
	}
	if cur < last {
		next = href(cur + 1)
	}
	return links, prev, next
}

// pageErrorMessage explains to a reader, in Vietnamese, why the search
// could not run. A server fault says only that it is the server's.
func pageErrorMessage(err error, status int) string {
	if status >= http.StatusInternalServerError {
		return "Máy chủ tìm kiếm đang gặp sự cố. Xin thử lại sau ít phút."
	}
	if errors.Is(err, search.ErrInvalidQuery) {
		return "Câu tìm kiếm không có từ nào để tìm. Hãy nhập chữ hoặc số."
	}
	var pe *search.ParamError
	if errors.As(err, &pe) {
		switch pe.Param {
		case "q":
			return fmt.Sprintf("Câu tìm kiếm quá dài hoặc không hợp lệ (tối đa %d ký tự).", search.MaxQueryLength)
		case "page", "size":
			return fmt.Sprintf("Số trang không hợp lệ: chỉ xem được tới trang %d.", search.MaxPage)
		case "from", "to", "year":
			return "Khoảng thời gian không hợp lệ."
		case "sort":
			return "Cách sắp xếp không hợp lệ."
		}
	}
	return "Địa chỉ tìm kiếm có tham số không hợp lệ."
}

// viNumber writes n with dots between thousands, as Vietnamese does.
func viNumber(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// viDate writes a publication date day first, in Vietnam time.
func viDate(t time.Time) string { return t.In(schema.VietnamTime).Format("02/01/2006") }
