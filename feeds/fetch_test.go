package feeds

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// sendTimes is a transport that notes when each request leaves.
type sendTimes struct {
	mu    sync.Mutex
	times []time.Time
}

func (st *sendTimes) RoundTrip(r *http.Request) (*http.Response, error) {
	st.mu.Lock()
	st.times = append(st.times, time.Now())
	st.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestFetcherSpacesRequestsToAHost(t *testing.T) {
	s := newSite(t)
	s.set("/a.html", resource{body: "a"})
	const interval = 40 * time.Millisecond
	sent := &sendTimes{}
	f := NewFetcher(FetchOptions{HostInterval: interval, Transport: sent})
	start := time.Now()
	for range 5 {
		if _, err := f.Get(t.Context(), Request{URL: s.url("/a.html")}); err != nil {
			t.Fatal(err)
		}
	}
	if len(sent.times) != 5 {
		t.Fatalf("%d requests sent, want 5", len(sent.times))
	}
	// The limiter releases the first request at once and each later one
	// interval after the one before. Single gaps are not checked: on a
	// busy machine a request can leave late and the next one on time.
	if span, want := sent.times[4].Sub(start), 4*interval; span < want {
		t.Errorf("5 requests to one host went out within %v; want at least %v", span, want)
	}
}

func TestFetcherCrawlDelay(t *testing.T) {
	s := newSite(t)
	s.set("/robots.txt", resource{body: "User-agent: vnsearch\nCrawl-delay: 0.1\nDisallow: /search\n\nUser-agent: *\nDisallow: /\n"})
	s.set("/a.html", resource{body: "a"})
	f := NewFetcher(FetchOptions{HostInterval: time.Millisecond})
	start := time.Now()
	for range 3 {
		if _, err := f.Get(t.Context(), Request{URL: s.url("/a.html"), Robots: true}); err != nil {
			t.Fatal(err)
		}
	}
	// Three pages, each at least 100 ms after the one before.
	if d := time.Since(start); d < 190*time.Millisecond {
		t.Errorf("three pages under a 100 ms crawl delay took %v", d)
	}
	if _, err := f.Get(t.Context(), Request{URL: s.url("/search?q=nam+dinh"), Robots: true}); !errors.Is(err, ErrDisallowed) {
		t.Errorf("disallowed page: error %v", err)
	}
}

func TestFetcherAnswers(t *testing.T) {
	s := newSite(t)
	s.set("/page", resource{etag: `"v1"`, body: "Xin chào"})
	s.set("/gone", resource{status: http.StatusGone})
	s.set("/error", resource{status: http.StatusBadGateway})
	s.set("/big", resource{body: strings.Repeat("x", 2000)})
	f := NewFetcher(FetchOptions{HostInterval: time.Millisecond, MaxBytes: 1000})

	res, err := f.Get(t.Context(), Request{URL: s.url("/page")})
	if err != nil || string(res.Body) != "Xin chào" || res.ETag != `"v1"` || res.NotModified {
		t.Fatalf("Get = %+v, %v", res, err)
	}
	res, err = f.Get(t.Context(), Request{URL: s.url("/page"), ETag: res.ETag})
	if err != nil || !res.NotModified || res.ETag != `"v1"` {
		t.Errorf("conditional Get = %+v, %v; want not modified", res, err)
	}
	s.set("/dated", resource{modified: "Sat, 25 May 2024 00:05:00 GMT", body: "Tin cũ"})
	res, err = f.Get(t.Context(), Request{URL: s.url("/dated")})
	if err != nil || res.LastModified != "Sat, 25 May 2024 00:05:00 GMT" {
		t.Fatalf("Get(/dated) = %+v, %v", res, err)
	}
	if res, err = f.Get(t.Context(), Request{URL: s.url("/dated"), LastModified: res.LastModified}); err != nil || !res.NotModified {
		t.Errorf("Get(/dated) If-Modified-Since = %+v, %v; want not modified", res, err)
	}
	for path, want := range map[string]error{"/gone": ErrGone, "/missing": ErrGone, "/error": ErrFetch, "/big": ErrTooLarge} {
		if _, err := f.Get(t.Context(), Request{URL: s.url(path)}); !errors.Is(err, want) {
			t.Errorf("Get(%s) error = %v; want %v", path, err, want)
		}
	}
	var se *StatusError
	if _, err := f.Get(t.Context(), Request{URL: s.url("/error")}); !errors.As(err, &se) || se.Status != http.StatusBadGateway {
		t.Errorf("Get(/error) error = %v; want a StatusError 502", err)
	}
	if _, err := f.Get(t.Context(), Request{URL: "file:///etc/passwd"}); !errors.Is(err, ErrFetch) {
		t.Errorf("Get(file URL) error = %v", err)
	}
}

func TestRobotsFailingMeansDisallowed(t *testing.T) {
	s := newSite(t)
	s.set("/robots.txt", resource{status: http.StatusServiceUnavailable})
	s.set("/a.html", resource{body: "a"})
	f := fastFetcher()
	if _, err := f.Get(t.Context(), Request{URL: s.url("/a.html"), Robots: true}); !errors.Is(err, ErrDisallowed) {
		t.Errorf("robots.txt answering 503: error %v; want ErrDisallowed", err)
	}
	s2 := newSite(t) // no robots.txt at all: 404
	s2.set("/a.html", resource{body: "a"})
	if _, err := f.Get(t.Context(), Request{URL: s2.url("/a.html"), Robots: true}); err != nil {
		t.Errorf("a site without robots.txt: %v", err)
	}
}
