package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/vnsearch/vnsearch"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/server"
)

func runServe(ctx context.Context, args []string, e env) error {
	fs := newFlags("serve", "", e)
	dir := indexFlag(fs, e)
	defAddr := e.getenv("VNSEARCH_ADDR")
	if defAddr == "" {
		defAddr = "127.0.0.1:8080"
	}
	addr := fs.String("addr", defAddr, "address to listen on (env VNSEARCH_ADDR)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	logger := slog.New(slog.NewJSONHandler(e.stderr, nil))

	idx, err := schema.Open(*dir)
	if errors.Is(err, schema.ErrNoIndex) {
		logger.Info("no index yet: indexing the bundled demo articles", "index", *dir)
		if idx, _, err = schema.OpenOrCreate(*dir); err != nil {
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
	defer idx.Close()

	srv, err := server.New(server.Options{Searcher: search.New(idx, search.Options{}), Logger: logger})
	if err != nil {
		return err
	}
	return srv.ListenAndServe(ctx, *addr, func(bound string) {
		n, _ := idx.DocCount()
		fmt.Fprintf(e.stdout, "vnsearch: serving %d articles from %s at http://%s/\n", n, *dir, bound)
	})
}
