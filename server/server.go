// Package server serves a vnsearch index over HTTP with a JSON API: search,
// suggestions as the reader types, stored and related articles, what an
// analyzer makes of a text, authenticated writes, health, readiness and
// Prometheus metrics, described by an OpenAPI document.
//
// The package is a thin layer over search.Searcher: it binds parameters,
// calls the searcher and renders its result or its error. Which HTTP status
// an error gets is decided in one place, errorStatus. It is the only package
// of vnsearch that imports gin.
package server

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/feeds"
	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/querylog"
	"github.com/vnsearch/vnsearch/replica"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
	"github.com/vnsearch/vnsearch/suggest"
)

// maxHeaderBytes bounds request headers and so the query string: a search
// query is at most search.MaxQueryLength characters, and a text to analyze
// at most maxAnalyzeLength, both far below it even percent-encoded.
const maxHeaderBytes = 1 << 20

// Options configure a Server. The zero value of each field but Searcher
// means its default. New copies the options; changing them afterwards has
// no effect.
type Options struct {
	// Searcher answers the searches. Required.
	Searcher *search.Searcher
	// Suggester answers /api/suggest; nil answers it 503. /readyz waits
	// for it to be built.
	Suggester *suggest.Suggester
	// Index is written by the write endpoints; required when APIToken is
	// set. The server owns it: Close closes it, or a rebuild once it is
	// replaced and its searches are done. An archive split into shards
	// (schema.Shards) takes writes, each into the shard of its year, is
	// rebuilt into shards of the same years, and may be a node of a
	// cluster.
	Index bleve.Index
	// Sources, when not nil, makes the handler of the CMS webhooks of POST
	// /api/hooks and the poller of feeds and sitemaps, over the server's
	// writer, so that they write through the one write path. Without it
	// webhooks answer 403, as writes without a token, and no source is
	// polled. A nil poller means none runs.
	Sources func(feeds.Writer) (*feeds.Hooks, *feeds.Poller, error)
	// Replicate, when not nil, makes the server a node of a cluster: it
	// is called with the index's writer, and every write, whatever its
	// source, then goes through the node it returns (into the cluster's
	// log first, then into every node's index); /readyz waits for the
	// node to catch up. Close closes the node. Default nil: writes go
	// straight into the index.
	Replicate func(*indexer.Writer) (*replica.Node, error)
	// Dir is the index directory (see package store) whose current
	// generation Index is. It enables POST /api/admin/rebuild, which
	// builds a new generation there and switches to it; searches in the
	// new generation use the default search and suggest options. Default
	// none: rebuilds answer 409.
	Dir string
	// APIToken is the bearer token the write endpoints require. Empty
	// (the default) disables writes: they answer 403.
	APIToken string
	// QueryLog, when not nil, counts the queries searched, for
	// /api/admin/queries and the editors' page; the caller opens, flushes
	// and closes it. Default nil: nothing is kept.
	QueryLog *querylog.Log
	// CORSOrigins lists the origins whose pages may call the API from a
	// browser, as "https://example.vn"; "*" allows any. Default none.
	CORSOrigins []string
	// SuggestRefresh is how long writes must pause before the
	// suggestions are saved in the index directory (Dir), and built anew
	// from the whole archive when enough articles were written since
	// their last build; the headlines written are suggested at once.
	// Default 5s: a burst of writes costs one save.
	SuggestRefresh time.Duration
	// MaxBulkBytes bounds the body of a bulk write. Default 256 MiB: about
	// 50,000 news articles, a year of an archive in one request; a longer
	// import is sent in several. The body is read as it arrives, a line
	// at a time, so the bound is on a request's time, not on memory.
	MaxBulkBytes int64
	// Writer tunes the writes: batch size, the wait for the disk, the free
	// space kept. Its OnCommit listeners are called beside the server's
	// own, which refresh the suggestions.
	Writer indexer.WriterOptions
	// Logger receives the access log and server errors. Default
	// slog.Default().
	Logger *slog.Logger

	// ReadHeaderTimeout bounds reading a request's headers. Default 5s:
	// enough for any client, short enough that idle half-open connections
	// do not pile up.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included. Default
	// 15s; bodies are at most 64 KiB.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of the request headers to
	// the end of the response. Default 30s.
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a keep-alive connection waits for its
	// next request. Default 120s.
	IdleTimeout time.Duration
	// RequestTimeout bounds the work done for one request: a search still
	// running then is abandoned and answered 503. Default 10s, well inside
	// WriteTimeout so that the client still receives that answer.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds how long ListenAndServe waits for requests in
	// flight to finish once its context is done. Default 10s.
	ShutdownTimeout time.Duration
}

// SetDefaults fills zero fields, but Searcher, with their defaults.
func (o *Options) SetDefaults() {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	setDefault(&o.ReadHeaderTimeout, 5*time.Second)
	setDefault(&o.ReadTimeout, 15*time.Second)
	setDefault(&o.WriteTimeout, 30*time.Second)
	setDefault(&o.IdleTimeout, 120*time.Second)
	setDefault(&o.RequestTimeout, 10*time.Second)
	setDefault(&o.ShutdownTimeout, 10*time.Second)
	setDefault(&o.SuggestRefresh, 5*time.Second)
	if o.MaxBulkBytes <= 0 {
		o.MaxBulkBytes = 256 << 20
	}
}

func setDefault(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// Validate reports options the server cannot run with.
func (o *Options) Validate() error {
	if o.Searcher == nil {
		return errors.New("server: Options.Searcher is required")
	}
	if o.Replicate != nil && o.Index == nil {
		return errors.New("server: Options.Index is required in a cluster (Options.Replicate is set)")
	}
	if o.APIToken != "" && o.Index == nil {
		return errors.New("server: Options.Index is required for writes (Options.APIToken is set)")
	}
	for _, origin := range o.CORSOrigins {
		if origin != "*" && !validOrigin(origin) {
			return fmt.Errorf("server: CORS origin %q: want scheme://host[:port], as a browser sends it, or *", origin)
		}
	}
	return nil
}

// Server serves the JSON API over one searcher. It is safe for concurrent
// use, and ListenAndServe may be called more than once, on several
// addresses.
type Server struct {
	opts    Options
	log     *slog.Logger
	engine  *gin.Engine
	metrics *metrics
	writer  *indexer.Writer // nil without Options.Index
	writes  writePath       // the writer, or the node of a cluster
	replica *replica.Node   // nil without Options.Replicate
	hooks   *feeds.Hooks    // nil without Options.Sources
	poller  *feeds.Poller   // nil when no source is polled
	rebuild rebuilder
	current atomic.Pointer[generation]
	// retiring counts the generations swapped out and not yet closed.
	retiring sync.WaitGroup
	admin    adminState
}

// New returns a Server configured by opts, or an error when opts are not
// valid.
func New(opts Options) (*Server, error) {
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, log: opts.Logger}
	first := &generation{idx: opts.Index, searcher: opts.Searcher, suggester: opts.Suggester}
	if opts.Dir != "" {
		var err error
		if first.dir, err = store.Current(opts.Dir); err != nil {
			return nil, err
		}
	}
	first.refs.Add(1)
	s.current.Store(first)
	switch {
	case opts.Index != nil:
		wopts := opts.Writer
		wopts.OnCommit = append([]func(indexer.Commit){s.committed}, wopts.OnCommit...)
		var err error
		if s.writer, err = indexer.NewWriter(opts.Index, wopts); err != nil {
			return nil, err
		}
		s.writes = s.writer
		if opts.Replicate != nil {
			if s.replica, err = opts.Replicate(s.writer); err != nil {
				return nil, err
			}
			s.writes = s.replica
		}
	}
	if opts.Index != nil && opts.Sources != nil {
		var err error
		if s.hooks, s.poller, err = opts.Sources(s.writes); err != nil {
			if s.replica != nil {
				s.replica.Close()
			}
			return nil, err
		}
	}
	s.metrics = newMetrics(s)
	s.engine = s.routes()
	return s, nil
}

// writePath is where the server's writes go, from every source.
type writePath interface {
	feeds.Writer
	Apply(ctx context.Context, records iter.Seq[indexer.Record], report func(indexer.Outcome)) (indexer.Stats, error)
}

var (
	_ writePath = (*indexer.Writer)(nil)
	_ writePath = (*replica.Node)(nil)
)

// Writer returns the writer of the server's index, for other sources of
// articles in the same process (feeds, webhooks): their writes are then
// locked, counted and followed by the suggestions like the API's. It is
// nil when the server has no Options.Index. On a node of a cluster it
// writes this node's index alone: other sources there go through
// Options.Sources, whose writer is the node's.
func (s *Server) Writer() *indexer.Writer { return s.writer }

// Poller returns the poller of feeds and sitemaps made by Options.Sources,
// for the caller to run while the server serves; nil when there is none.
func (s *Server) Poller() *feeds.Poller { return s.poller }

// committed follows a durable batch of writes, whatever its source: the
// headlines written are suggested at once, and the suggestions saved a
// little later, one save for a burst.
func (s *Server) committed(c indexer.Commit) {
	s.metrics.generation.Set(float64(c.Generation))
	if g := s.current.Load(); g.suggester != nil {
		g.suggester.Apply(c.Generation, c.Changed, c.Deleted)
	}
	s.suggestionsChanged(false)
}

// Close stops a rebuild in progress, saves the suggestions and closes the
// index, waiting for an index a rebuild replaced to be closed and deleted.
// Call it once the server no longer serves.
func (s *Server) Close() {
	if s.replica != nil {
		s.replica.Close()
	}
	s.stopAdmin()
	s.stopRebuilds()
	g := s.current.Load()
	// The headlines written since the last save, for the next start.
	s.saveSuggestions(g)
	s.release(g)
	s.retiring.Wait()
}

// Handler returns the HTTP handler of the API, for tests and for mounting
// the API in another server.
func (s *Server) Handler() http.Handler { return s.engine }

// ListenAndServe serves the API on addr until ctx is done, then shuts down
// gracefully: it stops accepting connections and waits, at most
// ShutdownTimeout, for requests in flight to finish. Once listening it calls
// ready, when not nil, with the address actually listened on, so that ":0"
// can be used and the caller can tell where. It returns nil after a clean
// shutdown, and an error when it cannot listen, serving fails, or requests
// were still running at the end of ShutdownTimeout.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(addr string)) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.engine,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		ReadTimeout:       s.opts.ReadTimeout,
		WriteTimeout:      s.opts.WriteTimeout,
		IdleTimeout:       s.opts.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		// Requests get their own contexts, not ctx: when ctx is done the
		// requests in flight are to finish, not be cancelled.
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}

	select {
	case err := <-served:
		// Serve returns only on failure before Shutdown is called.
		return fmt.Errorf("serve on %s: %w", addr, err)
	case <-ctx.Done():
	}
	s.stopRebuilds()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		return fmt.Errorf("shut down %s: %w", addr, err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", addr, err)
	}
	return nil
}
