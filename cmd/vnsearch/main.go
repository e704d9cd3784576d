// Vnsearch indexes and serves Vietnamese news for full-text search.
//
// Usage:
//
//	vnsearch index   [--index DIR] [--rebuild] PATH...   build, update or rebuild an index
//	vnsearch serve   [--index DIR] [--addr HOST:PORT]
//	vnsearch search  [--index DIR] [--json] [--size N] QUERY
//	vnsearch analyze [--analyzer NAME] [--json] TEXT
//	vnsearch eval    [--corpus FILE] [--docs N] [--queries N] [--seed N]
//	vnsearch bench   [--index DIR] (--queries FILE | --corpus FILE) [--concurrency LIST]
//	vnsearch bench   --url URL (--queries FILE | --corpus FILE) [--rate LIST] [--duration D]
//	vnsearch backup  [--index DIR | --url URL] --out FILE
//	vnsearch restore [--index DIR] [--force] --in FILE
//	vnsearch dump    [--index DIR] [--out FILE]
//	vnsearch generate --corpus FILE --n N [--seed S] [--out FILE] [--from DATE --to DATE] [--report]
//	vnsearch healthcheck [--url URL]
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
