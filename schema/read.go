package schema

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// OpenReader opens a reader of idx's current snapshot; close it when
// done. A closed index is an error, not a nil snapshot.
func OpenReader(idx bleve.Index) (index.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	if snap, ok := r.(*scorch.IndexSnapshot); ok && snap == nil {
		// A closed scorch index answers with no snapshot and no error.
		return nil, fmt.Errorf("open index reader: %w", bleve.ErrorIndexClosed)
	}
	return r, nil
}

// ReadArticles calls fn with every article of idx, read from its stored
// fields in one snapshot of the index, in the index's own order (of
// Shards, shard after shard). It reads an index of any Version: only the
// stored fields are used. An error from fn stops the read and is returned
// as is.
func ReadArticles(ctx context.Context, idx bleve.Index, fn func(Article) error) error {
	for _, shard := range ShardsOf(idx) {
		if err := readArticles(ctx, shard, fn); err != nil {
			return err
		}
	}
	return nil
}

func readArticles(ctx context.Context, idx bleve.Index, fn func(Article) error) error {
	r, err := OpenReader(idx)
	if err != nil {
		return fmt.Errorf("read articles: %w", err)
	}
	defer r.Close()
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return fmt.Errorf("read articles: %w", err)
	}
	defer ids.Close()
	fields := map[string]interface{}{}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		iid, err := ids.Next()
		if err != nil {
			return fmt.Errorf("read articles: %w", err)
		}
		if iid == nil {
			return nil
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			return fmt.Errorf("read articles: %w", err)
		}
		doc, err := r.Document(id)
		if err != nil {
			return fmt.Errorf("read article %q: %w", id, err)
		}
		if doc == nil {
			continue
		}
		clear(fields)
		doc.VisitFields(func(f index.Field) {
			var v string
			switch f := f.(type) {
			case interface{ Text() string }:
				v = f.Text()
			case interface {
				DateTime() (time.Time, string, error)
			}:
				t, _, err := f.DateTime()
				if err != nil {
					return
				}
				v = t.Format(time.RFC3339Nano)
			default:
				return
			}
			addStored(fields, f.Name(), v)
		})
		if err := fn(FromStored(id, fields)); err != nil {
			return err
		}
	}
}

// addStored adds one stored value to fields the way bleve returns them
// with a hit: a repeated field (the tags) as a slice.
func addStored(fields map[string]interface{}, name, v string) {
	switch old := fields[name].(type) {
	case nil:
		fields[name] = v
	case string:
		fields[name] = []interface{}{old, v}
	case []interface{}:
		fields[name] = append(old, v)
	}
}
