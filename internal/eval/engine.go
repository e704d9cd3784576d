package eval

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
)

// Engine names.
const (
	EngineVnsearch      = "vnsearch"
	EngineVnsearch2     = "vnsearch-2shards"
	EngineVnsearch4     = "vnsearch-4shards"
	EngineBleveStandard = "bleve-standard"
	EngineBleveFolding  = "bleve-folding"
	EngineSQLite        = "sqlite-fts5"
)

// engine is one search engine under evaluation: it builds an index of
// articles in a directory of its own, or opens one it built before.
// ranking tunes vnsearch's searcher; the other engines have nothing to
// tune.
type engine struct {
	name     string
	describe string
	build    func(ctx context.Context, dir string, articles []schema.Article, ranking search.Options) (engineIndex, error)
	open     func(dir string, ranking search.Options) (engineIndex, error)
}

// engineIndex is a built index of one engine.
type engineIndex interface {
	// search returns the ids of the top k articles for query, best first.
	search(ctx context.Context, query string, k int) ([]string, error)
	close() error
}

// engines lists every engine, vnsearch first.
var engines = []engine{
	{
		name:     EngineVnsearch,
		describe: "vnsearch: schema mapping and indexer, search.Searcher.Search with op=and",
		build:    buildVnsearch,
		open:     openVnsearch,
	},
	{
		name:     EngineBleveStandard,
		describe: "bleve, standard analyzer (unicode tokenizer, lower case, English stop words)",
		build: func(ctx context.Context, dir string, as []schema.Article, _ search.Options) (engineIndex, error) {
			return buildBleve(ctx, dir, as, false)
		},
		open: openBleve,
	},
	{
		name:     EngineBleveFolding,
		describe: "bleve, asciifolding char filter, unicode tokenizer, lower case",
		build: func(ctx context.Context, dir string, as []schema.Article, _ search.Options) (engineIndex, error) {
			return buildBleve(ctx, dir, as, true)
		},
		open: openBleve,
	},
	{
		name:     EngineSQLite,
		describe: "SQLite FTS5, tokenize='unicode61 remove_diacritics 2', ranked by bm25()",
		build:    buildSQLite,
		open:     openSQLite,
	},
}

// shardedEngines are vnsearch over shards, run only when named: their
// ranking is vnsearch's, at the cost of building the index again.
var shardedEngines = []engine{shardedVnsearch(EngineVnsearch2, 2), shardedVnsearch(EngineVnsearch4, 4)}

// EngineNames lists the engines Run runs by default, vnsearch first.
func EngineNames() []string {
	names := make([]string, len(engines))
	for i, e := range engines {
		names[i] = e.name
	}
	return names
}

func engineNamed(name string) (engine, error) {
	all := slices.Concat(engines, shardedEngines)
	i := slices.IndexFunc(all, func(e engine) bool { return e.name == name })
	if i < 0 {
		return engine{}, fmt.Errorf("unknown engine %q (known: %v, %s, %s)", name, EngineNames(), EngineVnsearch2, EngineVnsearch4)
	}
	return all[i], nil
}

// vnsearchIndex searches a vnsearch index the way the API does.
type vnsearchIndex struct {
	close_ func() error
	s      *search.Searcher
}

func buildVnsearch(ctx context.Context, dir string, articles []schema.Article, ranking search.Options) (engineIndex, error) {
	idx, _, err := schema.OpenOrCreate(dir)
	if err != nil {
		return nil, err
	}
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err == nil {
		err = w.Put(ctx, articles...)
	}
	if err == nil {
		// As vnsearch index leaves it, so that query times are those of
		// a served archive.
		err = indexer.Compact(ctx, idx)
	}
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("vnsearch: %w", err)
	}
	return newVnsearchIndex(idx, ranking)
}

func openVnsearch(dir string, ranking search.Options) (engineIndex, error) {
	idx, err := schema.Open(dir)
	if err != nil {
		return nil, err
	}
	return newVnsearchIndex(idx, ranking)
}

// shardedVnsearch is vnsearch over the articles split by year into n
// shards, as vnsearch index --shards builds them: its ranking should be
// one index's.
func shardedVnsearch(name string, n int) engine {
	return engine{
		name:     name,
		describe: fmt.Sprintf("vnsearch, the articles split by year into %d shards searched as one", n),
		build: func(ctx context.Context, dir string, articles []schema.Article, ranking search.Options) (engineIndex, error) {
			read := func(v indexer.Visitor) error { return indexer.ReadList(articles, v) }
			idx, _, _, err := store.BuildByYear(ctx, dir, n, indexer.WriterOptions{}, read,
				func(idx bleve.Index, w *indexer.Writer, read func(indexer.Visitor) error) error {
					if _, err := w.Load(ctx, read, nil); err != nil {
						return err
					}
					return indexer.Compact(ctx, idx)
				})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return newVnsearchIndex(idx, ranking)
		},
		open: func(dir string, ranking search.Options) (engineIndex, error) {
			idx, _, err := store.Open(dir)
			if err != nil {
				return nil, err
			}
			return newVnsearchIndex(idx, ranking)
		},
	}
}

// newVnsearchIndex searches idx as the server does, once the searcher
// has read the index's spellings.
func newVnsearchIndex(idx bleve.Index, ranking search.Options) (engineIndex, error) {
	s := search.New(idx, ranking)
	if err := s.Prepare(); err != nil {
		idx.Close()
		return nil, fmt.Errorf("vnsearch: %w", err)
	}
	return &vnsearchIndex{close_: idx.Close, s: s}, nil
}

func (v *vnsearchIndex) search(ctx context.Context, q string, k int) ([]string, error) {
	res, err := v.s.Search(ctx, search.Request{Query: q, Size: k, Operator: search.And})
	if errors.Is(err, search.ErrInvalidQuery) {
		return nil, nil // nothing searchable: no hits, as a user would see
	}
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func (v *vnsearchIndex) close() error { return v.close_() }
