package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch"
	"github.com/vnsearch/vnsearch/feeds"
	"github.com/vnsearch/vnsearch/querylog"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/server"
	"github.com/vnsearch/vnsearch/store"
	"github.com/vnsearch/vnsearch/suggest"
)

func runServe(ctx context.Context, args []string, e env) error {
	fs := newFlags("serve", "", e)
	dir := indexFlag(fs, e)
	defAddr := e.getenv("VNSEARCH_ADDR")
	if defAddr == "" {
		defAddr = "127.0.0.1:8080"
	}
	addr := fs.String("addr", defAddr, "address to listen on (env VNSEARCH_ADDR)")
	origins := fs.String("cors-origins", e.getenv("VNSEARCH_CORS_ORIGINS"),
		"comma-separated origins whose pages may call the API, as https://example.vn, or * (env VNSEARCH_CORS_ORIGINS)")
	// The token from the environment is not the flag's default, which
	// -h and usage errors print.
	token := fs.String("api-token", "",
		"bearer token for the write endpoints; none disables them (default env VNSEARCH_API_TOKEN, which ps does not show)")
	var sources sourceFlags
	sources.register(fs)
	var cluster clusterFlags
	cluster.register(fs, e)
	queryLog := fs.Bool("query-log", false,
		"count the queries searched, and those that find nothing, in "+querylog.FileName+" in the index directory, for /admin/queries")
	cacheMiB := fs.Int("cache-mb", search.DefaultCacheBytes>>20, "memory in `MiB` of the results of recent searches kept to answer them again until the index changes (0 for none)")
	halfLife := fs.Int("half-life", 0, "recency half-life of a ranking by relevance in `DAYS`; a request's half_life overrides it (default the searcher's; -1 for none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *token == "" {
		*token = e.getenv("VNSEARCH_API_TOKEN")
	}
	pollOpts, err := sources.pollOptions()
	if err != nil {
		return err
	}
	var corsOrigins []string
	for _, o := range strings.Split(*origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			corsOrigins = append(corsOrigins, o)
		}
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	logger := slog.New(slog.NewJSONHandler(e.stderr, nil))
	replicate, err := cluster.replicate(logger)
	if err != nil {
		return err
	}

	idx, err := openIndex(*dir)
	if errors.Is(err, schema.ErrNoIndex) && cluster.enabled() {
		// A node's articles come from the cluster: its newest snapshot,
		// then its stream; never the demo.
		if err := cluster.restore(ctx, *dir, logger); err != nil {
			return err
		}
		idx, _, _, err = store.OpenOrCreate(*dir)
	}
	if errors.Is(err, schema.ErrNoIndex) {
		logger.Info("no index yet: indexing the bundled demo articles", "index", *dir)
		if idx, _, _, err = store.OpenOrCreate(*dir); err != nil {
			return err
		}
		if err := indexDemo(ctx, idx, vnsearch.DemoCorpus(), e); err != nil {
			idx.Close()
			return err
		}
	}
	if err != nil {
		return err
	}
	removeStale(*dir, e)

	var qlog *querylog.Log
	if *queryLog {
		if qlog, err = querylog.Open(querylog.Options{Path: filepath.Join(*dir, querylog.FileName)}); err != nil {
			idx.Close()
			return err
		}
		// Written every minute and once more after the last request.
		flushCtx, stopFlush := context.WithCancel(context.WithoutCancel(ctx))
		flushed := make(chan struct{})
		defer func() {
			stopFlush()
			<-flushed
		}()
		go func() {
			defer close(flushed)
			qlog.FlushEvery(flushCtx, time.Minute, func(err error) { logger.Error("query log not written", "cause", err) })
		}()
	}

	suggester := suggest.New(idx, suggest.Options{})
	cacheBytes := int64(*cacheMiB) << 20
	if cacheBytes == 0 {
		cacheBytes = -1 // none
	}
	searcher := search.New(idx, search.Options{RecencyHalfLife: time.Duration(*halfLife) * 24 * time.Hour, CacheBytes: cacheBytes})
	srv, err := server.New(server.Options{
		Searcher:  searcher,
		Suggester: suggester,
		Index:     idx,
		Dir:       *dir,
		Replicate: replicate,
		// Webhooks and polled sources write through the server's writer.
		Sources: func(w feeds.Writer) (*feeds.Hooks, *feeds.Poller, error) {
			fetcher := feeds.NewFetcher(feeds.FetchOptions{})
			if len(pollOpts.Feeds)+len(pollOpts.Sitemaps) == 0 {
				return feeds.NewHooks(w, fetcher), nil, nil
			}
			poller, err := feeds.NewPoller(w, fetcher, pollOpts)
			return feeds.NewHooks(w, fetcher), poller, err
		},
		APIToken:    *token,
		QueryLog:    qlog,
		CORSOrigins: corsOrigins,
		Logger:      logger,
	})
	if err != nil {
		idx.Close()
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	defer srv.Close() // closes the index
	// Polling runs while the server serves, and is stopped and waited for
	// before the index is closed.
	pollCtx, stopPolling := context.WithCancel(ctx)
	polled := make(chan struct{})
	defer func() {
		stopPolling()
		<-polled
	}()
	go func() {
		defer close(polled)
		if poller := srv.Poller(); poller != nil {
			logger.Info("polling sources", "feeds", len(pollOpts.Feeds), "sitemaps", len(pollOpts.Sitemaps))
			poller.Run(pollCtx)
		}
	}()
	// Snapshots are uploaded while the server serves, and stopped and
	// waited for before the index is closed.
	snapshotCtx, stopSnapshots := context.WithCancel(ctx)
	snapshotted := make(chan struct{})
	defer func() {
		stopSnapshots()
		<-snapshotted
	}()
	go func() {
		defer close(snapshotted)
		cluster.snapshots(snapshotCtx, srv, logger)
	}()
	// What the searcher learns from the whole index, then suggestions, are
	// loaded from where they were kept, or built when they cannot be,
	// while the server already answers searches; /readyz says 503 until
	// suggestions are ready. A build stops, and is waited for, before the
	// index is closed.
	gen, err := store.Current(*dir)
	if err != nil {
		return err
	}
	buildCtx, stopBuild := context.WithCancel(ctx)
	built := make(chan struct{})
	defer func() {
		stopBuild()
		<-built
	}()
	go func() {
		defer close(built)
		if err := searcher.Prepare(); err != nil {
			logger.Error("diacritics of the index not read", "cause", err)
		}
		st, err := suggester.Prepare(buildCtx, gen.Dir)
		switch {
		case err != nil && !suggester.Ready():
			if buildCtx.Err() == nil {
				logger.Error("suggestions not built", "cause", err)
			}
			return
		case err != nil:
			logger.Warn("suggestions built, not saved", "cause", err)
		}
		how := "suggestions loaded"
		if !st.Loaded {
			how = "suggestions built"
			// A build reads every article: gigabytes of garbage at
			// 60,000, which the runtime would hand back only slowly.
			debug.FreeOSMemory()
		}
		logger.Info(how, "articles", st.Articles, "phrases", st.Phrases, "titles", st.Titles, "recent", st.Recent, "took", st.Took)
	}()
	unmark := func() {}
	defer func() { unmark() }()
	return srv.ListenAndServe(ctx, *addr, func(bound string) {
		if unmark, err = markServing(*dir, "http://"+bound); err != nil {
			logger.Warn("backup --index will not find the server", "cause", err)
			unmark = func() {}
		}
		n, _ := idx.DocCount()
		fmt.Fprintf(e.stdout, "vnsearch: serving %d articles from %s at http://%s/\n", n, *dir, bound)
	})
}
