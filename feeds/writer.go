package feeds

import (
	"context"
	"errors"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// Writer is where feeds, sitemaps and webhooks write their articles. Both
// methods are durable on return; deleting an id that is not there is not
// an error.
type Writer interface {
	Put(ctx context.Context, articles ...schema.Article) error
	Delete(ctx context.Context, ids ...string) error
}

// IndexWriter is a Writer over a bleve index through indexer.Indexer: a
// stand-in until the core has one write path that every source shares.
// It is safe for concurrent use.
type IndexWriter struct {
	idx bleve.Index
	mu  sync.Mutex // indexer.Indexer is not safe for concurrent use
}

var _ Writer = (*IndexWriter)(nil)

// NewIndexWriter returns a Writer into idx.
func NewIndexWriter(idx bleve.Index) *IndexWriter { return &IndexWriter{idx: idx} }

// Put indexes articles, replacing those with the same ids, and returns
// once they are written. An invalid article fails the call and is not
// written; the valid ones are.
func (w *IndexWriter) Put(ctx context.Context, articles ...schema.Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	ix := indexer.New(w.idx, indexer.Options{})
	var errs []error
	for _, a := range articles {
		if err := ix.Add(a); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, ix.Flush())
	return errors.Join(errs...)
}

// Delete removes the articles with the given ids.
func (w *IndexWriter) Delete(ctx context.Context, ids ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, id := range ids {
		if _, err := indexer.Delete(w.idx, id); err != nil {
			return err
		}
	}
	return nil
}
