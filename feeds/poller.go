package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Kinds of source.
const (
	KindFeed    = "feed"
	KindSitemap = "sitemap"
)

// PollOptions configure a Poller. The zero value means the defaults, with
// nothing to poll.
type PollOptions struct {
	// Feeds are the RSS, Atom or JSON feeds to poll.
	Feeds []string
	// Sitemaps are the sitemaps and sitemap indexes to poll.
	Sitemaps []string
	// Interval is the time between two polls of a source. Default 5m.
	Interval time.Duration
	// MaxBackoff bounds the wait after failed polls, which doubles from
	// Interval with each failure in a row. Default 1h, and at least
	// Interval.
	MaxBackoff time.Duration
	// MaxSitemapDepth bounds how deep sitemap indexes nest: 1 reads only
	// the sitemap given, 2 the sitemaps its index lists, and so on.
	// Default 3, which no real site exceeds, so that an index listing
	// itself ends.
	MaxSitemapDepth int
}

// SetDefaults fills zero fields with their defaults.
func (o *PollOptions) SetDefaults() {
	setDefault(&o.Interval, 5*time.Minute)
	setDefault(&o.MaxBackoff, time.Hour)
	o.MaxBackoff = max(o.MaxBackoff, o.Interval)
	if o.MaxSitemapDepth <= 0 {
		o.MaxSitemapDepth = 3
	}
}

// Validate reports sources that cannot be polled.
func (o *PollOptions) Validate() error {
	for _, u := range slices.Concat(o.Feeds, o.Sitemaps) {
		if _, err := Canonical(u); err != nil {
			return fmt.Errorf("source %w", err)
		}
	}
	return nil
}

// SourceStatus is what polling one source has done since the Poller
// started.
type SourceStatus struct {
	URL  string `json:"url"`
	Kind string `json:"kind"` // KindFeed or KindSitemap
	// LastPoll is when the last poll ended; zero before the first.
	LastPoll time.Time `json:"last_poll,omitzero"`
	// NextPoll is when the next poll starts; zero while one runs.
	NextPoll time.Time `json:"next_poll,omitzero"`
	Polls    int       `json:"polls"`
	// Added counts articles new to this Poller, Updated those it had
	// fetched before and found changed, Removed those whose page answered
	// 404 or 410.
	Added   int `json:"added"`
	Updated int `json:"updated"`
	Removed int `json:"removed"`
	// Errors counts failed polls and failed article pages; Failures the
	// failed polls in a row, which set the backoff.
	Errors      int       `json:"errors"`
	Failures    int       `json:"failures"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
}

// Poller polls feeds and sitemaps and writes the articles they list. It
// is safe for concurrent use: Status may be called while Run runs.
type Poller struct {
	w     Writer
	f     *Fetcher
	opts  PollOptions
	mu    sync.Mutex
	srcs  []*source
	pages map[string]pageState // by canonical address listed
}

// source is one feed or sitemap being polled; its fields are guarded by
// Poller.mu.
type source struct {
	status SourceStatus
	// docs holds the validators of every document of the source fetched
	// (the feed, a sitemap index and its sitemaps), for conditional GETs,
	// and the lastmod a sitemap index gave each sitemap.
	docs map[string]docState
}

type docState struct {
	etag, lastModified string
	updated            time.Time
}

// pageState is what the Poller knows of an article page it wrote.
type pageState struct {
	id                 string
	updated            time.Time // as the listing said
	etag, lastModified string
}

// NewPoller returns a Poller writing to w what it fetches with f.
func NewPoller(w Writer, f *Fetcher, opts PollOptions) (*Poller, error) {
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	p := &Poller{w: w, f: f, opts: opts, pages: map[string]pageState{}}
	for _, kind := range []struct {
		name string
		urls []string
	}{{KindFeed, opts.Feeds}, {KindSitemap, opts.Sitemaps}} {
		for _, u := range kind.urls {
			p.srcs = append(p.srcs, &source{status: SourceStatus{URL: u, Kind: kind.name}, docs: map[string]docState{}})
		}
	}
	return p, nil
}

// Status returns the status of every source, feeds first, in the order
// given.
func (p *Poller) Status() []SourceStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]SourceStatus, len(p.srcs))
	for i, s := range p.srcs {
		out[i] = s.status
	}
	return out
}

// Run polls every source, each at once and then every Interval (longer
// after failures), until ctx is done; it then waits for the polls in
// flight to stop and returns.
func (p *Poller) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, s := range p.srcs {
		wg.Go(func() { p.loop(ctx, s) })
	}
	wg.Wait()
}

func (p *Poller) loop(ctx context.Context, s *source) {
	for {
		p.mu.Lock()
		s.status.NextPoll = time.Time{}
		p.mu.Unlock()
		p.poll(ctx, s)
		if ctx.Err() != nil {
			return
		}
		p.mu.Lock()
		wait := p.wait(s.status.Failures)
		s.status.NextPoll = time.Now().Add(wait)
		p.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// wait returns the time to the next poll of a source after failures
// failed polls in a row: Interval, doubled with each failure, at most
// MaxBackoff.
func (p *Poller) wait(failures int) time.Duration {
	wait := p.opts.Interval
	for i := 0; i < failures && wait < p.opts.MaxBackoff; i++ {
		wait *= 2
	}
	return min(wait, p.opts.MaxBackoff)
}

// PollOnce polls every source once, at the same time, and returns the
// errors that failed polls. Run does this every Interval; PollOnce is for
// a backfill run to its end, and for tests.
func (p *Poller) PollOnce(ctx context.Context) error {
	errs := make([]error, len(p.srcs))
	var wg sync.WaitGroup
	for i, s := range p.srcs {
		wg.Go(func() { errs[i] = p.poll(ctx, s) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// poll polls one source once. It returns the error that failed the poll
// (the feed or the root sitemap could not be got or read); articles that
// fail are counted in the source's status and tried again next time.
func (p *Poller) poll(ctx context.Context, s *source) error {
	var err error
	if s.status.Kind == KindFeed {
		err = p.pollFeed(ctx, s)
	} else {
		err = p.pollSitemap(ctx, s, s.status.URL, 1)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s.status.Polls++
	s.status.LastPoll = time.Now()
	if err != nil && ctx.Err() == nil {
		s.status.Failures++
		p.recordError(s, err)
	} else if err == nil {
		s.status.Failures = 0
	}
	return err
}

// recordError counts err against s; p.mu is held.
func (p *Poller) recordError(s *source, err error) {
	s.status.Errors++
	s.status.LastError = err.Error()
	s.status.LastErrorAt = time.Now()
}

// getDoc fetches a document of s (a feed or a sitemap) conditionally. It
// returns nil when the document has not changed since it was last read.
func (p *Poller) getDoc(ctx context.Context, s *source, url string) (*Response, error) {
	p.mu.Lock()
	st := s.docs[url]
	p.mu.Unlock()
	res, err := p.f.Get(ctx, Request{URL: url, ETag: st.etag, LastModified: st.lastModified, Robots: true})
	if err != nil || res.NotModified {
		return nil, err
	}
	return res, nil
}

// docRead remembers the validators of a document read, so that it is
// fetched again only when changed.
func (p *Poller) docRead(s *source, url string, res *Response, updated time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s.docs[url] = docState{etag: res.ETag, lastModified: res.LastModified, updated: updated}
}

func (p *Poller) pollFeed(ctx context.Context, s *source) error {
	res, err := p.getDoc(ctx, s, s.status.URL)
	if err != nil || res == nil {
		return err
	}
	entries, err := ParseFeed(res.Body)
	if err != nil {
		return fmt.Errorf("%s: %w", s.status.URL, err)
	}
	p.fetchEntries(ctx, s, entries)
	// Remembered only once the articles are in: a poll stopped half way
	// reads the feed again.
	if ctx.Err() == nil {
		p.docRead(s, s.status.URL, res, time.Time{})
	}
	return nil
}

// pollSitemap reads the sitemap at url, depth levels below the source,
// and, for an index, the sitemaps it lists that changed.
func (p *Poller) pollSitemap(ctx context.Context, s *source, url string, depth int) error {
	res, err := p.getDoc(ctx, s, url)
	if err != nil || res == nil {
		return err
	}
	sm, err := ParseSitemap(bytes.NewReader(res.Body))
	if err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	p.fetchEntries(ctx, s, sm.URLs)
	for _, child := range sm.Sitemaps {
		if ctx.Err() != nil {
			return nil
		}
		if depth >= p.opts.MaxSitemapDepth {
			p.mu.Lock()
			p.recordError(s, fmt.Errorf("%s: sitemap indexes nested over %d deep", child.URL, p.opts.MaxSitemapDepth))
			p.mu.Unlock()
			continue
		}
		p.mu.Lock()
		known, seen := s.docs[child.URL]
		p.mu.Unlock()
		if seen && !child.Updated.IsZero() && !child.Updated.After(known.updated) {
			continue // the index says it has not changed
		}
		if err := p.pollSitemap(ctx, s, child.URL, depth+1); err != nil {
			p.mu.Lock()
			p.recordError(s, err)
			p.mu.Unlock()
			continue
		}
		p.mu.Lock()
		if st, ok := s.docs[child.URL]; ok {
			st.updated = child.Updated
			s.docs[child.URL] = st
		}
		p.mu.Unlock()
	}
	if ctx.Err() == nil {
		p.mu.Lock()
		updated := s.docs[url].updated
		p.mu.Unlock()
		p.docRead(s, url, res, updated)
	}
	return nil
}

// fetchEntries fetches and writes the articles of entries that are new or
// changed, and removes those whose page is gone.
func (p *Poller) fetchEntries(ctx context.Context, s *source, entries []Entry) {
	for _, e := range entries {
		if ctx.Err() != nil {
			return
		}
		if err := p.fetchEntry(ctx, s, e); err != nil && ctx.Err() == nil {
			p.mu.Lock()
			p.recordError(s, err)
			p.mu.Unlock()
		}
	}
}

func (p *Poller) fetchEntry(ctx context.Context, s *source, e Entry) error {
	addr, err := Canonical(e.URL)
	if err != nil {
		return err
	}
	p.mu.Lock()
	known, seen := p.pages[addr]
	p.mu.Unlock()
	req := Request{URL: addr, Robots: true}
	switch {
	case !seen:
	case !e.Updated.IsZero() && !e.Updated.After(known.updated):
		return nil // unchanged, as the listing says
	case e.Updated.IsZero():
		// No date to go by: ask the page itself whether it changed.
		req.ETag, req.LastModified = known.etag, known.lastModified
	}
	got, err := fetchArticle(ctx, p.f, req)
	switch {
	case errors.Is(err, ErrGone):
		id := known.id
		if !seen {
			id = ArticleID(addr)
		}
		if err := p.w.Delete(ctx, id); err != nil {
			return fmt.Errorf("remove %s: %w", id, err)
		}
		p.mu.Lock()
		delete(p.pages, addr)
		if seen {
			s.status.Removed++
		}
		p.mu.Unlock()
		return nil
	case err != nil:
		return err
	case got.response.NotModified:
		p.mu.Lock()
		p.pages[addr] = pageState{id: known.id, updated: e.Updated, etag: got.response.ETag, lastModified: got.response.LastModified}
		p.mu.Unlock()
		return nil
	}
	if err := p.w.Put(ctx, got.article); err != nil {
		return fmt.Errorf("write %s: %w", got.article.ID, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages[addr] = pageState{id: got.article.ID, updated: e.Updated, etag: got.response.ETag, lastModified: got.response.LastModified}
	if seen {
		s.status.Updated++
	} else {
		s.status.Added++
	}
	return nil
}
