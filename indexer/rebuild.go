package indexer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/schema"
)

// ErrRebuilding reports that the writer is being rebuilt already.
var ErrRebuilding = errors.New("a rebuild is running already")

// RebuildHooks let the caller of Rebuild follow it.
type RebuildHooks struct {
	// Copied, when set, is called once the new index holds every article
	// of the old one, writes still going on: it builds there what searches
	// need (spellings, suggestions), so that the switch itself is short.
	Copied func(next bleve.Index) error
	// Switch, when set, is called with the writes held, once the new
	// index holds every write made so far: it makes the new index the one
	// opened and searched (a pointer on disk, the searchers). An error
	// leaves the writer on the old index.
	Switch func(next bleve.Index) error
}

// Rebuild copies every article of the writer's index into next, an empty
// index made with the current mapping (or empty shards, whatever the
// writer's index is: each article goes to the shard of its year), then
// switches the writer to it:
// after an analyzer or schema change, the articles are analysed again
// from their stored text. Writes go on into the old index meanwhile; the
// ids they touch are noted, and copied again with the writes held just
// before the switch, so that none is lost. The old index is left open:
// closing it, once its searches are done, is the caller's.
//
// Only one rebuild of a writer runs at a time; another fails with
// ErrRebuilding. On an error the writer stays on the old index, and next
// holds a partial copy to throw away.
func (w *Writer) Rebuild(ctx context.Context, next bleve.Index, hooks RebuildHooks) (Stats, error) {
	w.mu.Lock()
	if w.journal != nil {
		w.mu.Unlock()
		return Stats{}, ErrRebuilding
	}
	w.journal = map[string]struct{}{}
	old, gen := w.idx, w.gen
	w.mu.Unlock()

	into := &Writer{opts: w.opts}
	// The first shard carries on the write generation, which never goes
	// back: the searches' caches are keyed by it.
	gens := make([]uint64, len(schema.ShardsOf(next)))
	gens[0] = gen
	into.on(next, gens)
	into.opts.Dir, into.opts.OnCommit = dirOf(next), nil
	st, err := into.Copy(ctx, old)
	if err == nil && hooks.Copied != nil {
		err = hooks.Copied(next)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	journal := w.journal
	w.journal = nil
	if err != nil {
		return st, err
	}
	caught, err := w.catchUp(ctx, old, into, journal)
	st.Indexed += caught.Indexed
	st.Deleted += caught.Deleted
	if err != nil {
		return st, err
	}
	// The log position written so far goes with the articles, to every
	// shard.
	if w.seq != 0 {
		for _, shard := range schema.ShardsOf(next) {
			if err := shard.SetInternal(sequenceKey, schema.CounterValue(w.seq)); err != nil {
				return st, fmt.Errorf("copy the log sequence: %w", err)
			}
		}
	}
	if hooks.Switch != nil {
		if err := hooks.Switch(next); err != nil {
			return st, err
		}
	}
	if w.opts.Dir == dirOf(old) {
		w.opts.Dir = dirOf(next)
	}
	if w.gen > into.gen {
		into.gens[0] += w.gen - into.gen
	}
	w.on(next, into.gens)
	return st, nil
}

// Copy writes every article stored in from, an index of any schema
// version, as it was stored: an index made with another mapping or
// analyzers gets its articles analysed again.
func (w *Writer) Copy(ctx context.Context, from bleve.Index) (Stats, error) {
	var readErr error
	st, err := w.Apply(ctx, func(yield func(Record) bool) {
		stopped := errors.New("stopped")
		readErr = schema.ReadArticles(ctx, from, func(a schema.Article) error {
			if !yield(Record{Article: a, prepared: true}) {
				return stopped
			}
			return nil
		})
		if readErr == stopped {
			readErr = nil
		}
	}, nil)
	if err == nil {
		err = readErr
	}
	return st, err
}

// catchUp copies into the articles of old whose ids were written or
// deleted since the rebuild began, as they are now. It is called with the
// writes held; each batch written to old was on disk before its commit
// let the writes go.
func (w *Writer) catchUp(ctx context.Context, old bleve.Index, into *Writer, journal map[string]struct{}) (Stats, error) {
	ids := slices.Sorted(maps.Keys(journal))
	var records []Record
	for chunk := range slices.Chunk(ids, w.opts.BatchSize) {
		found, err := storedArticles(ctx, old, chunk)
		if err != nil {
			return Stats{}, err
		}
		for _, id := range chunk {
			if a, ok := found[id]; ok {
				records = append(records, Record{Article: a, prepared: true})
			} else {
				records = append(records, Record{Article: schema.Article{ID: id}, Delete: true})
			}
		}
	}
	return into.Apply(ctx, slices.Values(records), nil)
}

// storedArticles returns the articles of idx with these ids, those it
// holds.
func storedArticles(ctx context.Context, idx bleve.Index, ids []string) (map[string]schema.Article, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = schema.StoredFields
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("read articles: %w", err)
	}
	out := make(map[string]schema.Article, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = schema.FromStored(h.ID, h.Fields)
	}
	return out, nil
}
