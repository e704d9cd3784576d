package feeds

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"
)

// Errors of a fetch.
var (
	// ErrFetch wraps every failure to get a page: the network, a timeout,
	// an unexpected status, a body too large, robots.txt.
	ErrFetch = errors.New("fetch failed")
	// ErrGone reports a page that answers 404 Not Found or 410 Gone: the
	// article it held is to be removed.
	ErrGone = errors.New("page gone")
	// ErrDisallowed reports a page the site's robots.txt closes to
	// vnsearch; it wraps ErrFetch.
	ErrDisallowed = fmt.Errorf("%w: disallowed by robots.txt", ErrFetch)
	// ErrTooLarge reports a body over FetchOptions.MaxBytes; it wraps
	// ErrFetch.
	ErrTooLarge = fmt.Errorf("%w: body too large", ErrFetch)
)

// StatusError is an answer with a status that is neither a page, nor
// "not modified", nor gone.
type StatusError struct {
	Status int
}

func (e *StatusError) Error() string { return fmt.Sprintf("status %d", e.Status) }

// FetchOptions configure a Fetcher. The zero value means the defaults.
type FetchOptions struct {
	// UserAgent names vnsearch to the sites it fetches, and is the agent
	// robots.txt rules are looked up for. Default DefaultUserAgent.
	UserAgent string
	// HostInterval is the least time between two requests to one host.
	// Default 1s; a longer Crawl-delay in the host's robots.txt wins.
	HostInterval time.Duration
	// Timeout bounds one request, from connecting to the end of the body.
	// Default 30s: a slow site must not hold a poll forever.
	Timeout time.Duration
	// MaxBytes bounds a body. Default 50 MiB, the largest sitemap the
	// sitemap protocol allows; article pages and feeds are far smaller.
	MaxBytes int64
	// RobotsTTL is how long a host's robots.txt is trusted before it is
	// fetched again. Default 24h.
	RobotsTTL time.Duration
	// Transport makes the requests. Default a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
}

// DefaultUserAgent is the User-Agent vnsearch fetches with.
const DefaultUserAgent = "vnsearch/1 (news search indexer; +https://github.com/vnsearch/vnsearch)"

// robotsAgent is the name robots.txt rules for vnsearch use.
const robotsAgent = "vnsearch"

// SetDefaults fills zero fields with their defaults.
func (o *FetchOptions) SetDefaults() {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	setDefault(&o.HostInterval, time.Second)
	setDefault(&o.Timeout, 30*time.Second)
	setDefault(&o.RobotsTTL, 24*time.Hour)
	if o.MaxBytes <= 0 {
		o.MaxBytes = 50 << 20
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
}

func setDefault(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// Fetcher gets pages politely: at most one request per HostInterval to a
// host, robots.txt obeyed when asked, conditional GETs. It is safe for
// concurrent use; requests to one host wait for each other.
type Fetcher struct {
	opts   FetchOptions
	client *http.Client
	mu     sync.Mutex
	hosts  map[string]*host
}

// host is what a Fetcher knows of one host.
type host struct {
	limiter  *rate.Limiter
	mu       sync.Mutex // held while robots.txt is fetched
	robots   *robotstxt.RobotsData
	robotsAt time.Time
}

// NewFetcher returns a Fetcher configured by opts.
func NewFetcher(opts FetchOptions) *Fetcher {
	opts.SetDefaults()
	f := &Fetcher{opts: opts, hosts: map[string]*host{}}
	f.client = &http.Client{
		Transport: opts.Transport,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("more than 10 redirects")
			}
			return f.host(req.URL.Host).limiter.Wait(req.Context())
		},
	}
	return f
}

func (f *Fetcher) host(name string) *host {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.hosts[name]
	if h == nil {
		h = &host{limiter: rate.NewLimiter(rate.Every(f.opts.HostInterval), 1)}
		f.hosts[name] = h
	}
	return h
}

// Request is one page to get.
type Request struct {
	URL string
	// ETag and LastModified are the validators of the copy already held;
	// when set, an unchanged page answers NotModified.
	ETag, LastModified string
	// Robots obeys the host's robots.txt: polling does, a webhook the site
	// itself sends does not.
	Robots bool
}

// Response is a page got.
type Response struct {
	URL         string // where the page was served from, after redirects
	NotModified bool   // the copy held is current; Body is empty
	Body        []byte
	// ETag and LastModified are the page's validators, for the next
	// request.
	ETag, LastModified string
}

// Get fetches r.URL. A page that answers 404 or 410 gives an error wrapping
// ErrGone; every other failure wraps ErrFetch.
func (f *Fetcher) Get(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q: %w", ErrFetch, r.URL, ErrBadURL)
	}
	h := f.host(u.Host)
	if r.Robots {
		allowed, err := f.allowed(ctx, h, u)
		if err != nil {
			return nil, err
		}
		if !allowed {
			return nil, fmt.Errorf("%s: %w", r.URL, ErrDisallowed)
		}
	}
	res, err := f.do(ctx, h, u.String(), r.ETag, r.LastModified)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrFetch, r.URL, err)
	}
	defer res.Body.Close()
	out := &Response{URL: res.Request.URL.String(), ETag: res.Header.Get("ETag"), LastModified: res.Header.Get("Last-Modified")}
	switch {
	case res.StatusCode == http.StatusNotModified:
		out.NotModified = true
		out.ETag, out.LastModified = cmp.Or(out.ETag, r.ETag), cmp.Or(out.LastModified, r.LastModified)
		return out, nil
	case res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("%s: status %d: %w", r.URL, res.StatusCode, ErrGone)
	case res.StatusCode < 200 || res.StatusCode > 299:
		return nil, fmt.Errorf("%w: %s: %w", ErrFetch, r.URL, &StatusError{Status: res.StatusCode})
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrFetch, r.URL, err)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, fmt.Errorf("%s: over %d bytes: %w", r.URL, f.opts.MaxBytes, ErrTooLarge)
	}
	out.Body = body
	return out, nil
}

// do sends one GET once the host's limiter lets it.
func (f *Fetcher) do(ctx context.Context, h *host, rawURL, etag, lastModified string) (*http.Response, error) {
	if err := h.limiter.Wait(ctx); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	return f.client.Do(req)
}

// allowed reports whether the host's robots.txt lets vnsearch fetch u,
// fetching robots.txt first when it is not known or too old. A host
// without one (4xx) allows everything; one whose robots.txt fails (5xx)
// allows nothing until it answers, as RFC 9309 asks.
func (f *Fetcher) allowed(ctx context.Context, h *host, u *url.URL) (bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.robots == nil || time.Since(h.robotsAt) > f.opts.RobotsTTL {
		robotsURL := url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
		res, err := f.do(ctx, h, robotsURL.String(), "", "")
		if err != nil {
			return false, fmt.Errorf("%w: %s: %w", ErrFetch, robotsURL.String(), err)
		}
		body, err := io.ReadAll(io.LimitReader(res.Body, 512<<10)) // RFC 9309 asks for at least 500 KiB
		res.Body.Close()
		if err != nil {
			return false, fmt.Errorf("%w: %s: %w", ErrFetch, robotsURL.String(), err)
		}
		data, err := robotstxt.FromStatusAndBytes(res.StatusCode, body)
		if err != nil {
			// Rules that do not parse are no rules: crawlers read
			// robots.txt leniently.
			data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		}
		h.robots, h.robotsAt = data, time.Now()
		if d := data.FindGroup(robotsAgent).CrawlDelay; d > f.opts.HostInterval {
			h.limiter.SetLimit(rate.Every(d))
		}
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return h.robots.TestAgent(path, robotsAgent), nil
}
