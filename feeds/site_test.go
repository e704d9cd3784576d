package feeds

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// resource is what a test site answers at one path.
type resource struct {
	body        string
	status      int // default 200
	etag        string
	modified    string // Last-Modified, answered 304 when If-Modified-Since is the same
	contentType string
	encoding    string        // Content-Encoding; the body is sent as given
	delay       time.Duration // before answering; cut short when the client leaves
}

// site is a real HTTP server whose pages a test changes between polls.
type site struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	res   map[string]resource
	hits  map[string]int
	times []time.Time // of every request, in order
	agent string      // User-Agent of the last request
}

func newSite(t *testing.T) *site {
	s := &site{t: t, res: map[string]resource{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	path := r.URL.RequestURI()
	res, ok := s.res[path]
	s.hits[path]++
	s.times = append(s.times, time.Now())
	s.agent = r.UserAgent()
	s.mu.Unlock()
	if res.delay > 0 {
		select {
		case <-time.After(res.delay):
		case <-r.Context().Done():
			return
		}
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	if res.etag != "" {
		w.Header().Set("ETag", res.etag)
		if r.Header.Get("If-None-Match") == res.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if res.modified != "" {
		w.Header().Set("Last-Modified", res.modified)
		if r.Header.Get("If-Modified-Since") == res.modified {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if res.contentType != "" {
		w.Header().Set("Content-Type", res.contentType)
	}
	if res.encoding != "" {
		w.Header().Set("Content-Encoding", res.encoding)
	}
	if res.status != 0 {
		w.WriteHeader(res.status)
	}
	fmt.Fprint(w, res.body)
}

// set makes path answer res from now on.
func (s *site) set(path string, res resource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.res[path] = res
}

// url is the address of path on the site.
func (s *site) url(path string) string { return s.srv.URL + path }

// hitsOf returns how many requests path got, and forgets them.
func (s *site) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.hits[path]
	delete(s.hits, path)
	return n
}

// articlePage is an article page as Vietnamese news sites print one.
func articlePage(canonical, title, lead, body string) string {
	var link string
	if canonical != "" {
		link = `<link rel="canonical" href="` + canonical + `">`
	}
	return `<!doctype html><html lang="vi"><head><meta charset="utf-8">` + link + `
<title>` + title + ` - Báo Nam Định</title>
<meta property="article:published_time" content="2024-05-25T07:05:00+07:00">
<meta property="article:section" content="Thời sự"></head>
<body><nav><a href="/">Trang chủ</a></nav>
<article><h1>` + title + `</h1><p class="sapo">` + lead + `</p><p>` + body + `</p>
<p>Các đại biểu đã thảo luận về kế hoạch phát triển kinh tế xã hội của tỉnh trong năm tới.</p></article>
<footer>Bản quyền thuộc Báo Nam Định</footer></body></html>`
}

// rss is an RSS feed of items, each a link and a date ("" for none).
func rss(items ...[2]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Báo Nam Định - Thời sự</title><link>https://baonamdinh.vn/</link>`)
	for _, it := range items {
		b.WriteString("<item><title>Tin</title><link>" + it[0] + "</link>")
		if it[1] != "" {
			b.WriteString("<pubDate>" + it[1] + "</pubDate>")
		}
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

func gzipped(t *testing.T, s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// newIndex opens a real, empty index in a temporary directory.
func newIndex(t *testing.T) bleve.Index {
	t.Helper()
	idx, _, err := schema.OpenOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// indexWriter is the index's one writer, with the index to read back
// what it wrote.
type indexWriter struct {
	*indexer.Writer
	idx bleve.Index
}

// newIndexWriter returns the writer of a fresh index.
func newIndexWriter(t *testing.T) *indexWriter {
	t.Helper()
	idx := newIndex(t)
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &indexWriter{Writer: w, idx: idx}
}

// stored returns the article with the given id in idx, and whether it is
// there.
func stored(t *testing.T, idx bleve.Index, id string) (schema.Article, bool) {
	t.Helper()
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = schema.StoredFields
	res, err := idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		return schema.Article{}, false
	}
	return schema.FromStored(id, res.Hits[0].Fields), true
}

func docCount(t *testing.T, idx bleve.Index) uint64 {
	t.Helper()
	n, err := idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fastFetcher is a Fetcher for tests: short intervals and timeouts.
func fastFetcher() *Fetcher {
	return NewFetcher(FetchOptions{HostInterval: time.Millisecond, Timeout: 2 * time.Second})
}

// idOf is the id the article at address gets.
func idOf(t *testing.T, address string) string {
	t.Helper()
	id, err := urlID(address)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
