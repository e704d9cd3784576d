package search

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// bleve searches one index on one goroutine. A first pass over thousands
// of hits is split instead into ranges of document numbers searched at
// once, one per core, whose hits, totals and facets add up to the whole:
// every range scores with the statistics of the whole index, so a hit
// scores alike in either.

// docRange restricts a query to the documents of one snapshot numbered
// from from up to to (exclusive; 0 for no end), in scorch's numbering
// (see docNumber).
type docRange struct {
	query.Query
	from, to uint64
}

func (r docRange) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	inner, err := r.Query.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	rs := &rangeSearcher{Searcher: inner, from: internalID(r.from)}
	if r.to > 0 {
		rs.to = internalID(r.to)
	}
	return rs, nil
}

func internalID(doc uint64) index.IndexInternalID {
	return binary.BigEndian.AppendUint64(nil, doc)
}

// rangeSearcher hands on the matches of its Searcher within [from, to).
type rangeSearcher struct {
	bsearch.Searcher
	from, to index.IndexInternalID // to nil for no end
	started  bool
}

func (s *rangeSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		return s.Advance(ctx, s.from)
	}
	return s.within(ctx)(s.Searcher.Next(ctx))
}

func (s *rangeSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	s.started = true
	if id.Compare(s.from) < 0 {
		id = s.from
	}
	return s.within(ctx)(s.Searcher.Advance(ctx, id))
}

// within drops a match past the range's end.
func (s *rangeSearcher) within(ctx *bsearch.SearchContext) func(*bsearch.DocumentMatch, error) (*bsearch.DocumentMatch, error) {
	return func(dm *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
		if err != nil || dm == nil || s.to == nil || dm.IndexInternalID.Compare(s.to) < 0 {
			return dm, err
		}
		ctx.DocumentMatchPool.Put(dm)
		return nil, nil
	}
}

// docRanges splits the document numbers of the index's snapshot into n
// ranges, or returns nil when its numbering is not known: before the
// facet table (which reads it) is built.
func (s *Searcher) docRanges(n int) [][2]uint64 {
	t := s.facets.table.Load()
	if t == nil || n < 2 {
		return nil
	}
	docs := uint64(len(t.start) - 1)
	var out [][2]uint64
	for i := range uint64(n) {
		out = append(out, [2]uint64{docs * i / uint64(n), docs * (i + 1) / uint64(n)})
	}
	// Documents added since the table was built are numbered after it.
	out[n-1][1] = 0
	return out
}

// searchAll runs reqs at once, one goroutine each, the context of each
// made by ctxOf.
func (s *Searcher) searchAll(reqs []*bleve.SearchRequest, ctxOf func(int) context.Context) ([]*bleve.SearchResult, error) {
	out := make([]*bleve.SearchResult, len(reqs))
	if len(reqs) == 1 {
		var err error
		out[0], err = s.idx.SearchInContext(ctxOf(0), reqs[0])
		return out, err
	}
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() { out[i], errs[i] = s.idx.SearchInContext(ctxOf(i), r) })
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// mergeHits merges the hits of results, each sorted by order, and returns
// size of them from offset. bleve orders hits that sort alike by the
// order it met them in, which each result numbers from zero; numbered on
// from the hits of the results before, they keep the order one search of
// consecutive document ranges would give them.
func mergeHits(results []*bleve.SearchResult, order bsearch.SortOrder, offset, size int) bsearch.DocumentMatchCollection {
	var all bsearch.DocumentMatchCollection
	met := uint64(0)
	for _, r := range results {
		for _, h := range r.Hits {
			h.HitNumber += met
		}
		met += r.Total
		all = append(all, r.Hits...)
	}
	scoring, desc := order.CacheIsScore(), order.CacheDescending()
	slices.SortFunc(all, func(a, b *bsearch.DocumentMatch) int { return order.Compare(scoring, desc, a, b) })
	if offset >= len(all) {
		return nil
	}
	return all[offset:min(len(all), offset+size)]
}
