package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/vnsearch/vnsearch"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/server"
	"github.com/vnsearch/vnsearch/store"
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
	token := fs.String("api-token", e.getenv("VNSEARCH_API_TOKEN"),
		"bearer token for the write endpoints; none disables them (env VNSEARCH_API_TOKEN, which ps does not show)")
	if err := parseFlags(fs, args); err != nil {
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

	idx, err := openIndex(*dir)
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

	suggester := search.NewSuggester(idx, search.SuggestOptions{})
	searcher := search.New(idx, search.Options{})
	srv, err := server.New(server.Options{
		Searcher:    searcher,
		Suggester:   suggester,
		Index:       idx,
		Dir:         *dir,
		APIToken:    *token,
		CORSOrigins: corsOrigins,
		Logger:      logger,
	})
	if err != nil {
		idx.Close()
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	defer srv.Close() // closes the index
	// What the searcher learns from the whole index, then suggestions, are
	// built while the server already answers searches; /readyz says 503
	// until suggestions are. The build stops, and is waited for,
	// before the index is closed.
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
		st, err := suggester.Build(buildCtx)
		if err != nil {
			if buildCtx.Err() == nil {
				logger.Error("suggestions not built", "cause", err)
			}
			return
		}
		logger.Info("suggestions built", "articles", st.Articles, "phrases", st.Phrases, "titles", st.Titles, "took", st.Took)
	}()
	return srv.ListenAndServe(ctx, *addr, func(bound string) {
		n, _ := idx.DocCount()
		fmt.Fprintf(e.stdout, "vnsearch: serving %d articles from %s at http://%s/\n", n, *dir, bound)
	})
}
