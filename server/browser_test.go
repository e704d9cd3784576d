package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vnsearch/vnsearch/internal/testindex"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/suggest"
)

// The browser tests drive a headless Chromium over the real server and an
// index of the demo corpus: they type Vietnamese into the search page and
// into the widget embedded in a page of another origin, and look at what is
// rendered. They skip when no Chromium is installed, unless
// VNSEARCH_REQUIRE_BROWSER=1, which .ci/run sets after installing it, so
// that CI cannot pass without them.
//
// Screenshots go to $VNSEARCH_SCREENSHOTS when set, else to a temporary
// directory that is removed after the test.

// browserTimeout bounds one browser test, start of Chromium included.
const browserTimeout = 40 * time.Second

// corpusDir is the demo corpus the browser tests index.
const corpusDir = "../testdata/corpus"

// findChromium returns the path of a Chromium, or skips the test; it
// fails it instead when VNSEARCH_REQUIRE_BROWSER=1.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	const missing = "no Chromium found (chromium, chromium-browser or google-chrome on PATH): " +
		"install it (apt-get install chromium) to run the browser tests"
	if os.Getenv("VNSEARCH_REQUIRE_BROWSER") == "1" {
		t.Fatal(missing + "; VNSEARCH_REQUIRE_BROWSER=1 requires them")
	}
	t.Skip(missing)
	return ""
}

// newBrowser starts a headless Chromium for one test and returns a context
// for its first tab, cancelled and the browser stopped at the end of t.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := findChromium(t)
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // Chromium refuses its sandbox as root, as in CI containers
		chromedp.DisableGPU,
		chromedp.WindowSize(1200, 900),
		chromedp.Flag("lang", "vi-VN"),
	)
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return bctx
}

// apiLog records the queries the browser sent to the API, and which of
// those requests the browser abandoned before the answer.
type apiLog struct {
	mu        sync.Mutex
	asked     []string // "suggest:q" and "search:q", in order of arrival
	abandoned []string
	// delay holds back the answer to these search queries, to give the
	// browser a reason to cancel them.
	delay map[string]time.Duration
}

// directHeader marks the test's own requests to the API, which apiLog
// leaves out: it records what the browser asked.
const directHeader = "X-Test-Direct"

func (l *apiLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, api := strings.CutPrefix(r.URL.Path, "/api/")
		if !api || r.Method != http.MethodGet || (kind != "suggest" && kind != "search") || r.Header.Get(directHeader) != "" {
			h.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query().Get("q")
		l.mu.Lock()
		l.asked = append(l.asked, kind+":"+q)
		d := l.delay[q]
		l.mu.Unlock()
		if d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				l.mu.Lock()
				l.abandoned = append(l.abandoned, kind+":"+q)
				l.mu.Unlock()
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (l *apiLog) snapshot() (asked, abandoned []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.asked), slices.Clone(l.abandoned)
}

// waitForAPI waits until the browser has asked the API for request
// ("search:q" or "suggest:q").
func waitForAPI(t *testing.T, l *apiLog, request string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		asked, _ := l.snapshot()
		if slices.Contains(asked, request) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser did not ask for %s; it asked %q", request, asked)
		}
	}
}

func (l *apiLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asked, l.abandoned = nil, nil
}

// corpusServer is the real server over an index of the demo corpus,
// listening on a local port.
type corpusServer struct {
	*httptest.Server
	api *apiLog
}

// newCorpusServer indexes testdata/corpus into a temporary directory and
// serves it over HTTP. configure, when not nil, may change the options.
func newCorpusServer(t *testing.T, configure func(*Options)) corpusServer {
	t.Helper()
	idx := testindex.FromPaths(t, 50, corpusDir)
	sg := suggest.New(idx, suggest.Options{})
	if _, err := sg.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	opts := Options{
		Searcher:  search.New(idx, search.Options{}),
		Suggester: sg,
		Logger:    slog.New(slog.NewJSONHandler(&syncBuffer{}, nil)),
	}
	if configure != nil {
		configure(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	api := &apiLog{delay: map[string]time.Duration{}}
	ts := httptest.NewServer(api.wrap(s.Handler()))
	t.Cleanup(ts.Close)
	return corpusServer{Server: ts, api: api}
}

// get asks the server for path, past the browser's apiLog.
func (cs corpusServer) get(path string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, cs.URL+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(directHeader, "1")
	return cs.Client().Do(req)
}

// apiSearch asks the server's API directly, for what the browser should
// show.
func (cs corpusServer) apiSearch(t *testing.T, query string, size int) search.Result {
	t.Helper()
	resp, err := cs.get(fmt.Sprintf("/api/search?q=%s&size=%d", url.QueryEscape(query), size))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res search.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/search?q=%q: %d, %v", query, resp.StatusCode, err)
	}
	return res
}

// suggestion is one entry of /api/suggest as the browser code reads it.
type suggestion struct {
	Text string `json:"text"`
	HTML string `json:"html"`
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

func (cs corpusServer) apiSuggest(t *testing.T, query string, size int) []suggestion {
	t.Helper()
	resp, err := cs.get(fmt.Sprintf("/api/suggest?q=%s&size=%d", url.QueryEscape(query), size))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Suggestions []suggestion `json:"suggestions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/suggest?q=%q: %d, %v", query, resp.StatusCode, err)
	}
	return body.Suggestions
}

// eval runs a JavaScript expression in the page and returns its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until a JavaScript expression is true in the page.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(8*time.Second)))
	if err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// do runs browser actions, failing the test on an error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// screenshot saves the whole page as name.png.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("VNSEARCH_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// pageHits reads the titles of the page's hits as HTML and their meta lines.
const pageHits = `[...document.querySelectorAll('#results .hit')].map(h => ({
	title: h.querySelector('.hit-title a').innerHTML,
	meta: h.querySelector('.hit-meta').textContent.replace(/\s+/g, ' ').trim()}))`

type shownHit struct {
	Title string `json:"title"`
	Meta  string `json:"meta"`
}

func TestBrowserSearchPage(t *testing.T) {
	ctx := newBrowser(t)
	cs := newCorpusServer(t, nil)
	want := cs.apiSearch(t, "iso 9001 nam dinh", search.DefaultSize)
	if len(want.Hits) == 0 || want.Hits[0].ID != "nd-2012-0001" {
		t.Fatalf("the API's first hit for iso 9001 nam dinh is not the Nam Định ISO article: %+v", want.Hits)
	}

	do(t, ctx, "open the page", chromedp.Navigate(cs.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	if focused := eval[string](t, ctx, `document.activeElement.id`); focused != "q" {
		t.Errorf("focus on a blank page is on %q; want the search field", focused)
	}
	// Typed as a reader types it, key by key, without diacritics. Halfway
	// the field suggests the phrase and the headlines that go on so.
	// The suggestions of a shorter prefix may show while the keys are sent:
	// the test waits for those of the whole text, the API's.
	do(t, ctx, "type the start", chromedp.SendKeys(chromedp.ID("q"), "iso 9001"))
	waitFor(t, ctx, "the API's first suggestion for iso 9001", fmt.Sprintf(`!document.getElementById('q-suggestions').hidden &&
		document.querySelector('#q-suggestions [role=option]')?.innerHTML === %q`, cs.apiSuggest(t, "iso 9001", 8)[0].HTML))
	if exp := eval[string](t, ctx, `document.getElementById('q').getAttribute('aria-expanded')`); exp != "true" {
		t.Errorf("aria-expanded = %q with suggestions shown; want true", exp)
	}
	screenshot(t, ctx, "page-suggestions")
	do(t, ctx, "type the rest", chromedp.SendKeys(chromedp.ID("q"), " nam dinh"))
	do(t, ctx, "press Enter", chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "results", `location.search.includes('q=iso') && document.querySelectorAll('#results .hit').length > 0`)

	hits := eval[[]shownHit](t, ctx, pageHits)
	if len(hits) != len(want.Hits) {
		t.Fatalf("page shows %d hits; the API has %d", len(hits), len(want.Hits))
	}
	const wantTitle = "<mark>Nam</mark> <mark>Định</mark> đẩy mạnh áp dụng <mark>ISO</mark> <mark>9001</mark> trong cơ quan hành chính nhà nước"
	if hits[0].Title != wantTitle {
		t.Errorf("first title = %q; want %q", hits[0].Title, wantTitle)
	}
	if want := "18/12/2012 · Khoa học - Công nghệ · Báo Nam Định"; hits[0].Meta != want {
		t.Errorf("first hit's date and section = %q; want %q", hits[0].Meta, want)
	}
	if status := eval[string](t, ctx, `document.getElementById('status').textContent`); !strings.HasPrefix(status, "Tìm thấy") {
		t.Errorf("live status = %q; want the count of results", status)
	}
	screenshot(t, ctx, "page-results")

	// Narrow by section, then by year, as a reader does with the selects.
	choose := func(id, value string) {
		t.Helper()
		eval[bool](t, ctx, fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = %q;
			s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, id, value))
	}
	choose("f-section", "Khoa học - Công nghệ")
	waitFor(t, ctx, "the section filter", `new URLSearchParams(location.search).get('section') === 'Khoa học - Công nghệ' &&
		!document.getElementById('results').hasAttribute('aria-busy')`)
	bySection := eval[[]shownHit](t, ctx, pageHits)
	if len(bySection) == 0 || len(bySection) >= len(hits) {
		t.Errorf("section filter: %d hits of %d; want fewer but some", len(bySection), len(hits))
	}
	for _, h := range bySection {
		if !strings.Contains(h.Meta, "Khoa học - Công nghệ") {
			t.Errorf("section filter shows a hit of another section: %+v", h)
		}
	}
	choose("f-year", "2012")
	waitFor(t, ctx, "the year filter", `new URLSearchParams(location.search).get('year') === '2012' &&
		!document.getElementById('results').hasAttribute('aria-busy')`)
	byYear := eval[[]shownHit](t, ctx, pageHits)
	if len(byYear) != 1 || byYear[0].Title != wantTitle {
		t.Errorf("section and year 2012: hits %+v; want only the Nam Định ISO article", byYear)
	}
	screenshot(t, ctx, "page-filtered")
	// A phone: the layout fits 390 CSS pixels without sideways scrolling.
	do(t, ctx, "a phone's screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("on a 390px screen the page is %dpx wide", w)
	}
	screenshot(t, ctx, "page-phone")
	do(t, ctx, "back to a desktop screen", chromedp.EmulateViewport(1200, 900))

	// The URL is the state: opening it afresh shows the same.
	loc := eval[string](t, ctx, `location.href`)
	do(t, ctx, "reload the shared URL", chromedp.Navigate(loc), chromedp.WaitVisible(chromedp.CSS("#results .hit")))
	if again := eval[[]shownHit](t, ctx, pageHits); !slices.Equal(again, byYear) {
		t.Errorf("the shared URL %s shows %+v; want %+v", loc, again, byYear)
	}
	// Back goes to the section only.
	do(t, ctx, "go back", chromedp.NavigateBack())
	waitFor(t, ctx, "the previous state", `!new URLSearchParams(location.search).has('year') &&
		document.getElementById('f-year').value === '' && !document.getElementById('results').hasAttribute('aria-busy')`)

	// Sorting by date puts the newest first.
	choose("f-sort", "date")
	waitFor(t, ctx, "sorting by date", `new URLSearchParams(location.search).get('sort') === 'date' &&
		!document.getElementById('results').hasAttribute('aria-busy')`)
	dates := eval[[]string](t, ctx, `[...document.querySelectorAll('#results .hit time')].map(t => t.dateTime)`)
	if len(dates) < 2 || !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("sorted by date: %q; want newest first", dates)
	}
}

func TestBrowserSearchPageKeyboard(t *testing.T) {
	ctx := newBrowser(t)
	cs := newCorpusServer(t, nil)
	want := cs.apiSuggest(t, "nam d", 8)
	if len(want) < 2 {
		t.Fatalf("/api/suggest?q=nam+d has %d suggestions; want some to choose from", len(want))
	}

	do(t, ctx, "open the page", chromedp.Navigate(cs.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	do(t, ctx, "type", chromedp.SendKeys(chromedp.ID("q"), "nam d"))
	// Those of "nam" may show first: wait for those of "nam d", the API's.
	waitFor(t, ctx, "the API's first suggestion for nam d", fmt.Sprintf(
		`document.querySelector('#q-suggestions [role=option]')?.innerHTML.startsWith(%q)`, want[0].HTML))
	shown := eval[[]string](t, ctx, `[...document.querySelectorAll('#q-suggestions [role=option]')].map(o => o.firstChild ? o.innerHTML : '')`)
	if len(shown) != len(want) {
		t.Fatalf("page shows %d suggestions; the API has %d", len(shown), len(want))
	}

	do(t, ctx, "arrow down twice", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	active := eval[string](t, ctx, `(() => { const id = document.getElementById('q').getAttribute('aria-activedescendant');
		const o = id && document.getElementById(id); return o && o.getAttribute('aria-selected') === 'true' ? o.id : '' })()`)
	if active != "q-suggestion-1" {
		t.Fatalf("after two ArrowDown the active option is %q; want the second, q-suggestion-1", active)
	}
	do(t, ctx, "arrow up", chromedp.KeyEvent(kb.ArrowUp))
	do(t, ctx, "Escape", chromedp.KeyEvent(kb.Escape))
	if open := eval[bool](t, ctx, `!document.getElementById('q-suggestions').hidden`); open {
		t.Error("Escape left the suggestions open")
	}
	do(t, ctx, "arrow down again, Enter", chromedp.KeyEvent(kb.ArrowDown))
	waitFor(t, ctx, "suggestions again", `document.querySelectorAll('#q-suggestions [role=option]').length > 0`)
	do(t, ctx, "choose the first", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "results of the suggestion", fmt.Sprintf(`new URLSearchParams(location.search).get('q') === %q &&
		document.querySelectorAll('#results .hit').length > 0`, want[0].Text))
	if v := eval[string](t, ctx, `document.getElementById('q').value`); v != want[0].Text {
		t.Errorf("field holds %q after choosing; want %q", v, want[0].Text)
	}

	// Tab reaches the filters, and each control has a visible label.
	labels := eval[[]string](t, ctx, `[...document.querySelectorAll('select')].map(s => s.labels[0] ? s.labels[0].textContent : '')`)
	if !slices.Equal(labels, []string{"Chuyên mục", "Tỉnh, thành", "Năm", "Sắp xếp"}) {
		t.Errorf("filter labels = %q; want Chuyên mục, Tỉnh, thành, Năm, Sắp xếp", labels)
	}
	do(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	if focused := eval[string](t, ctx, `document.activeElement.textContent.trim() || document.activeElement.id`); focused != "Tìm kiếm" {
		t.Errorf("Tab from the field goes to %q; want the Tìm kiếm button", focused)
	}
	do(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	if focused := eval[string](t, ctx, `document.activeElement.id`); focused != "f-section" {
		t.Fatalf("second Tab goes to %q; want the section filter", focused)
	}
	// An arrow key on the select picks the next section; the results
	// follow and the focus stays on the select.
	do(t, ctx, "choose a section", chromedp.KeyEvent(kb.ArrowDown))
	waitFor(t, ctx, "the section's results", `new URLSearchParams(location.search).has('section') &&
		!document.getElementById('results').hasAttribute('aria-busy')`)
	if focused := eval[string](t, ctx, `document.activeElement.id`); focused != "f-section" {
		t.Errorf("after choosing a section the focus is on %q; want it kept on the section filter", focused)
	}
}

// Without JavaScript the form still searches: the page is the server's.
func TestBrowserSearchPageWithoutJavaScript(t *testing.T) {
	ctx := newBrowser(t)
	cs := newCorpusServer(t, nil)
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "open the page", chromedp.Navigate(cs.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	do(t, ctx, "search", chromedp.SendKeys(chromedp.ID("q"), "Nam Định bóng đá\r"))
	do(t, ctx, "wait for the results page", chromedp.WaitVisible(chromedp.CSS("#results .hit")))
	hits := eval[[]shownHit](t, ctx, pageHits)
	if len(hits) == 0 || !strings.Contains(hits[0].Title, "<mark>Nam Định</mark>") && !strings.Contains(hits[0].Title, "<mark>Định</mark>") {
		t.Errorf("without JavaScript: hits %+v; want Nam Định marked in the first", hits)
	}
	if asked, _ := cs.api.snapshot(); len(asked) > 0 {
		t.Errorf("without JavaScript the page called the API: %q", asked)
	}
}

// hostPage is a news site's page, of another origin than the search
// server, with the widget tag and styles that would spoil the widget if
// they reached into it.
const hostPage = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo Nam Định</title>
<style>
  body { font-family: Georgia, serif; margin: 2rem; }
  input { border: 5px dashed rgb(255, 0, 0); }
  mark, li, div { color: rgb(0, 128, 0); }
</style>
<script>window.globalsBefore = Object.getOwnPropertyNames(window);</script>
</head><body>
<h1>Báo Nam Định</h1>
<p class="lead">Tin tức tỉnh Nam Định.</p>
<div id="search"></div>
<script src="%s/widget.js" data-vnsearch-target="#search" data-vnsearch-size="3"
  data-vnsearch-placeholder="Tìm trên Báo Nam Định" async></script>
</body></html>`

// widget reaches into the widget's Shadow DOM.
const widget = `document.querySelector('#search [data-vnsearch]').shadowRoot`

// newWidgetHost starts a search server over the bundled corpus and, on
// another port, a news site's page with the widget tag, the site's origin
// allowed by CORS.
func newWidgetHost(t *testing.T) (host *httptest.Server, cs corpusServer) {
	t.Helper()
	var searchURL string
	host = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, hostPage, searchURL)
	}))
	t.Cleanup(host.Close)
	cs = newCorpusServer(t, func(o *Options) { o.CORSOrigins = []string{host.URL} })
	searchURL = cs.URL
	return host, cs
}

func TestBrowserWidgetCrossOrigin(t *testing.T) {
	ctx := newBrowser(t)
	host, cs := newWidgetHost(t)
	if host.URL == cs.URL {
		t.Fatal("the host page and the search server share an origin")
	}

	do(t, ctx, "open the host page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "the widget", widget+` && `+widget+`.querySelector('input')`)
	input := chromedp.JSPath(widget + `.querySelector('input')`)
	if ph := eval[string](t, ctx, widget+`.querySelector('input').placeholder`); ph != "Tìm trên Báo Nam Định" {
		t.Errorf("placeholder = %q; want data-vnsearch-placeholder's", ph)
	}

	// shown reads the widget's dropdown: suggestions, result titles, and
	// the link to all results.
	type dropdown struct {
		Suggestions []string `json:"suggestions"`
		Results     []string `json:"results"`
		All         string   `json:"all"`
	}
	const readDropdown = `(() => { const r = ` + widget + `;
		const opts = g => [...r.querySelectorAll('[role=group][aria-label="' + g + '"] [role=option]')];
		const res = opts('Kết quả');
		return {suggestions: opts('Gợi ý').map(o => o.innerHTML),
			results: res.filter(o => o.querySelector('.t')).map(o => o.querySelector('.t').innerHTML),
			all: res.filter(o => !o.querySelector('.t')).map(o => o.textContent).join('')} })()`
	wantDropdown := func(query string) dropdown {
		var d dropdown
		for _, s := range cs.apiSuggest(t, query, 5) {
			d.Suggestions = append(d.Suggestions, s.HTML)
		}
		res := cs.apiSearch(t, query, 3)
		for _, h := range res.Hits {
			d.Results = append(d.Results, h.TitleHTML)
		}
		if res.Total > uint64(len(res.Hits)) {
			d.All = fmt.Sprintf("Xem tất cả %d kết quả", res.Total)
		}
		return d
	}
	same := func(got, want dropdown) bool {
		return slices.Equal(got.Suggestions, want.Suggestions) && slices.Equal(got.Results, want.Results) && got.All == want.All
	}

	// Halfway through the query: suggestions and results.
	cs.api.reset()
	do(t, ctx, "type into the widget", chromedp.SendKeys(input, "iso 9001"))
	want := wantDropdown("iso 9001")
	if len(want.Suggestions) == 0 || len(want.Results) == 0 {
		t.Fatalf("the API has no suggestions or results for iso 9001: %+v", want)
	}
	waitFor(t, ctx, "suggestions and results in the widget", widget+`.querySelectorAll('[role=group]').length === 2`)
	if got := eval[dropdown](t, ctx, readDropdown); !same(got, want) {
		t.Errorf("widget for iso 9001 shows %+v; want the API's %+v", got, want)
	}
	screenshot(t, ctx, "widget-suggestions")

	// The whole query: the Nam Định ISO article first, as on the page.
	do(t, ctx, "type the rest", chromedp.SendKeys(input, " nam dinh"))
	const query = "iso 9001 nam dinh"
	want = wantDropdown(query)
	waitFor(t, ctx, "the whole query's results", fmt.Sprintf(`(() => { const t = `+widget+`.querySelector('[role=option] .t');
		return t && t.innerHTML === %q })()`, want.Results[0]))
	if got := eval[dropdown](t, ctx, readDropdown); !same(got, want) {
		t.Errorf("widget for %q shows %+v; want the API's %+v", query, got, want)
	}
	// Debounced: key by key, each part was asked for once it was typed.
	asked, _ := cs.api.snapshot()
	slices.Sort(asked)
	if wantAsked := []string{"search:iso 9001", "search:" + query, "suggest:iso 9001", "suggest:" + query}; !slices.Equal(asked, wantAsked) {
		t.Errorf("typing asked the API %q; want %q", asked, wantAsked)
	}

	// No CSS in or out: the page's dashed red inputs and green text stop at
	// the shadow root, and the widget added no global names.
	border := eval[string](t, ctx, `getComputedStyle(`+widget+`.querySelector('input')).borderTopStyle`)
	color := eval[string](t, ctx, `getComputedStyle(`+widget+`.querySelector('[role=option] .s')).color`)
	if border == "dashed" || color == "rgb(0, 128, 0)" {
		t.Errorf("the host page's styles reach the widget: border %s, color %s", border, color)
	}
	if leaked := eval[[]string](t, ctx, `Object.getOwnPropertyNames(window).filter(n => n !== 'globalsBefore' && !globalsBefore.includes(n))`); len(leaked) > 0 {
		t.Errorf("the widget left globals in the host page: %q", leaked)
	}
	if n := eval[int](t, ctx, `document.styleSheets.length`); n != 1 {
		t.Errorf("host page has %d style sheets; want its own one only", n)
	}
	if lead := eval[string](t, ctx, `getComputedStyle(document.querySelector('.lead')).fontFamily`); lead != "Georgia, serif" {
		t.Errorf("the host page's own text is in %q; want its Georgia, serif", lead)
	}
	screenshot(t, ctx, "widget-results")

	// Keyboard: arrows move through the options, Escape closes, Enter on
	// the field opens the full results on the search server.
	activeText := `(() => { const i = ` + widget + `.querySelector('input'); const id = i.getAttribute('aria-activedescendant');
		const o = id && ` + widget + `.getElementById(id); return o && o.getAttribute('aria-selected') === 'true' ? o.textContent : '' })()`
	steps := len(want.Suggestions) + 1 // past the suggestions to the first result
	for range steps {
		do(t, ctx, "ArrowDown", chromedp.KeyEvent(kb.ArrowDown))
	}
	first := cs.apiSearch(t, query, 1).Hits[0]
	if got := eval[string](t, ctx, activeText); !strings.HasPrefix(got, first.Title) {
		t.Errorf("after %d ArrowDown the active option is %q; want the first result %q", steps, got, first.Title)
	}
	do(t, ctx, "ArrowUp", chromedp.KeyEvent(kb.ArrowUp))
	if got := eval[string](t, ctx, activeText); steps > 1 && strings.HasPrefix(got, first.Title) {
		t.Errorf("ArrowUp did not move off the first result: %q", got)
	}
	do(t, ctx, "Escape", chromedp.KeyEvent(kb.Escape))
	if exp := eval[string](t, ctx, widget+`.querySelector('input').getAttribute('aria-expanded')`); exp != "false" {
		t.Errorf("after Escape aria-expanded = %q; want false", exp)
	}
	do(t, ctx, "Enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#results .hit")))
	if loc := eval[string](t, ctx, `location.href`); !strings.HasPrefix(loc, cs.URL+"/?q=") {
		t.Errorf("Enter in the widget opened %s; want the search page on %s", loc, cs.URL)
	}
	if hits := eval[[]shownHit](t, ctx, pageHits); len(hits) == 0 || hits[0].Title != first.TitleHTML {
		t.Errorf("Enter in the widget opened a page whose first hit is %+v; want %q", hits, first.TitleHTML)
	}
}

// An input method composes a syllable over several keys (Telex: d d i n h
// j gives "định"); nothing is asked until it commits the syllable. A
// request overtaken by newer typing is cancelled, not rendered late.
func TestBrowserWidgetCompositionAndCancel(t *testing.T) {
	ctx := newBrowser(t)
	host, cs := newWidgetHost(t)

	do(t, ctx, "open the host page", chromedp.Navigate(host.URL+"/"))
	waitFor(t, ctx, "the widget", widget+` && `+widget+`.querySelector('input')`)
	field := chromedp.JSPath(widget + `.querySelector('input')`)
	do(t, ctx, "type the first word", chromedp.SendKeys(field, "nam "))
	waitFor(t, ctx, "the first word's results", widget+`.querySelectorAll('[role=option]').length > 0`)
	cs.api.reset()

	for _, preedit := range []string{"d", "đ", "đi", "đin", "đinh", "định"} {
		_, err := chromedp.Call(ctx, input.ImeSetComposition, input.ImeSetCompositionParams{
			Text: preedit, SelectionStart: int64(len([]rune(preedit))), SelectionEnd: int64(len([]rune(preedit)))})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
	}
	// Longer than the widget's debounce: a half-typed word would be asked now.
	time.Sleep(400 * time.Millisecond)
	if asked, _ := cs.api.snapshot(); len(asked) > 0 {
		t.Errorf("the widget asked %q while the input method was composing", asked)
	}
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: "định"}); err != nil {
		t.Fatal(err)
	}
	waitForAPI(t, cs.api, "search:nam định")
	waitFor(t, ctx, "the composed query's results", widget+`.querySelector('input').value === 'nam định' &&
		[...`+widget+`.querySelectorAll('[role=option] .t mark')].some(m => m.textContent === 'Định')`)
	if asked, _ := cs.api.snapshot(); len(asked) != 2 {
		t.Errorf("after the syllable was committed the widget asked %q; want nam định once from each endpoint", asked)
	}

	// A slow answer to "bong" is overtaken by "bong da": the browser must
	// abandon it, and the widget show bong da's results.
	cs.api.mu.Lock()
	cs.api.delay["bong"] = 3 * time.Second
	cs.api.mu.Unlock()
	cs.api.reset()
	eval[bool](t, ctx, `(() => { const i = `+widget+`.querySelector('input'); i.value = ''; return true })()`)
	do(t, ctx, "type bong", chromedp.SendKeys(field, "bong"))
	waitForAPI(t, cs.api, "search:bong")
	do(t, ctx, "type the rest", chromedp.SendKeys(field, " da"))
	want := cs.apiSearch(t, "bong da", 3)
	waitFor(t, ctx, "bong da's results", fmt.Sprintf(`[...`+widget+`.querySelectorAll('[role=option] .t')].some(e => e.innerHTML === %q)`, want.Hits[0].TitleHTML))
	deadline := time.Now().Add(2 * time.Second)
	for {
		_, abandoned := cs.api.snapshot()
		if slices.Contains(abandoned, "search:bong") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stale request for bong was not cancelled: abandoned %q", abandoned)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if v := eval[string](t, ctx, widget+`.querySelector('input').value`); v != "bong da" {
		t.Errorf("widget field = %q; want bong da", v)
	}
}
