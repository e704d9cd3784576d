package feeds

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFetcherSpacesRequestsToAHost(t *testing.T) {
	s := newSite(t)
	s.set("/a.html", resource{body: "a"})
	const interval = 40 * time.Millisecond
	f := NewFetcher(FetchOptions{HostInterval: interval})
	for range 5 {
		if _, err := f.Get(t.Context(), Request{URL: s.url("/a.html")}); err != nil {
			t.Fatal(err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.times) != 5 {
		t.Fatalf("%d requests, want 5", len(s.times))
	}
	for i := 1; i < len(s.times); i++ {
		// A little slack for the server's clock reading after the
		// client's limiter released the request.
		if gap := s.times[i].Sub(s.times[i-1]); gap < interval-5*time.Millisecond {
			t.Errorf("request %d came %v after the one before; want at least %v", i, gap, interval)
		}
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
