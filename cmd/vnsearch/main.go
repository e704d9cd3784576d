// Vnsearch indexes and serves Vietnamese news for full-text search.
//
// Usage:
//
//	vnsearch index   [--index DIR] PATH...   build or update an index
//	vnsearch serve   [--index DIR] [--addr HOST:PORT]
//	vnsearch search  [--index DIR] [--json] [--size N] QUERY
//	vnsearch analyze [--analyzer NAME] [--json] TEXT
//
// The index directory defaults to $VNSEARCH_INDEX, else data/index.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}
