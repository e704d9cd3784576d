package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnsearch/vnsearch/schema"
)

// Counting facets through bleve decodes every hit's doc values and looks
// each term up in a map: a fifth of a search whose words are in half the
// archive. The facet terms of an article change only when the index does,
// so they are read once per snapshot of the index into a table of small
// numbers (what Lucene calls global ordinals), and a search counts a hit
// with an increment per facet. A search on a snapshot the table was not
// built from counts through the doc values, as bleve would, and asks for
// the table to be rebuilt.

// facetTable holds the schema.Facets terms of every article of one
// snapshot, by the snapshot's document number.
type facetTable struct {
	snapshot index.IndexReader // identifies the snapshot; it may be closed
	terms    []string          // term by ordinal
	start    []uint32          // doc's ordinals are ords[start[doc]:start[doc+1]]
	ords     []uint32
}

// errNoDocNumbers says the index's internal IDs are not the document
// numbers of bleve's scorch index, so no table can be built.
var errNoDocNumbers = errors.New("internal ids are not document numbers")

// docNumber reads a scorch internal ID: the document's number in its
// snapshot, as eight bytes big-endian.
func docNumber(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

func buildFacetTable(r index.IndexReader) (*facetTable, error) {
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer all.Close()
	dv, err := r.DocValueReader([]string{schema.Facets})
	if err != nil {
		return nil, err
	}
	t := &facetTable{snapshot: r, start: []uint32{0}}
	ordinal := map[string]uint32{}
	visit := func(_ string, term []byte) {
		o, ok := ordinal[string(term)]
		if !ok {
			o = uint32(len(t.terms))
			ordinal[string(term)] = o
			t.terms = append(t.terms, string(term))
		}
		t.ords = append(t.ords, o)
	}
	for {
		id, err := all.Next()
		if err != nil {
			return nil, err
		}
		if id == nil {
			return t, nil
		}
		doc, ok := docNumber(id)
		if !ok || doc < uint64(len(t.start)-1) {
			return nil, errNoDocNumbers
		}
		// Deleted documents have no ordinals.
		for uint64(len(t.start)-1) < doc {
			t.start = append(t.start, uint32(len(t.ords)))
		}
		if err := dv.VisitDocValues(id, visit); err != nil {
			return nil, err
		}
		t.start = append(t.start, uint32(len(t.ords)))
	}
}

// facetCache keeps a Searcher's tables, one for the newest snapshot it
// has seen of each shard (of the index, when it is one).
type facetCache struct {
	tables   atomic.Pointer[[]*facetTable]
	building atomic.Bool
}

// lookup returns the table of snapshot r, or nil when there is none.
func (c *facetCache) lookup(r index.IndexReader) *facetTable {
	if tables := c.tables.Load(); tables != nil {
		for _, t := range *tables {
			if t.snapshot == r {
				return t
			}
		}
	}
	return nil
}

// rebuild builds the tables of the shards' current snapshots in the
// background, keeping those still current, unless a rebuild is under way.
func (c *facetCache) rebuild(s *Searcher) {
	if !c.building.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer c.building.Store(false)
		var tables []*facetTable
		for _, shard := range s.shards {
			r, err := schema.OpenReader(shard)
			if err != nil {
				return // closed since the search that asked
			}
			t := c.lookup(r)
			if t == nil {
				t, err = buildFacetTable(r)
			}
			r.Close()
			if err != nil {
				return
			}
			tables = append(tables, t)
		}
		c.tables.Store(&tables)
	}()
}

// facetCounter counts the facet terms of one search's hits in one index:
// internal IDs are document numbers of that index's snapshot, which those
// of another shard's collide with.
type facetCounter struct {
	table  *facetTable // nil when the search's snapshot has none
	counts []int       // by ordinal of table
	dv     index.DocValueReader
	terms  map[string]int // without a table
	err    error
}

func (c *facetCounter) add(id index.IndexInternalID) {
	if c.table != nil {
		if doc, ok := docNumber(id); ok && doc+1 < uint64(len(c.table.start)) {
			for _, o := range c.table.ords[c.table.start[doc]:c.table.start[doc+1]] {
				c.counts[o]++
			}
			return
		}
	}
	if c.dv == nil || c.err != nil {
		return
	}
	c.err = c.dv.VisitDocValues(id, func(_ string, term []byte) { c.terms[string(term)]++ })
}

// addTo adds the count of each facet term to out, and returns the first
// error met.
func (c *facetCounter) addTo(out map[string]int) error {
	if c.table == nil {
		for term, n := range c.terms {
			out[term] += n
		}
		return c.err
	}
	for o, n := range c.counts {
		if n > 0 {
			out[c.table.terms[o]] += n
		}
	}
	return nil
}

// facetTally gathers the counters of one search, one for each index the
// search ran on: the shards are searched at once.
type facetTally struct {
	mu       sync.Mutex
	counters []*facetCounter
}

func (t *facetTally) newCounter() *facetCounter {
	c := &facetCounter{}
	t.mu.Lock()
	t.counters = append(t.counters, c)
	t.mu.Unlock()
	return c
}

// result returns the count of each facet term over every index, and the
// first error met.
func (t *facetTally) result() (map[string]int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]int{}
	for _, c := range t.counters {
		if err := c.addTo(out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// withFacetCounting returns a context under which bleve's collector also
// hands every hit to a counter of tally, one for each index searched,
// before ranking it.
func (s *Searcher) withFacetCounting(ctx context.Context, tally *facetTally) context.Context {
	maker := func(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		rank, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || rank == nil {
			return nil, false, fmt.Errorf("facets need bleve's top-N collector: %w", err)
		}
		counter := tally.newCounter()
		if t := s.facets.lookup(sctx.IndexReader); t != nil {
			counter.table, counter.counts = t, make([]int, len(t.terms))
		} else {
			s.facets.rebuild(s)
			counter.terms = map[string]int{}
			if counter.dv, err = sctx.IndexReader.DocValueReader([]string{schema.Facets}); err != nil {
				return nil, false, err
			}
		}
		return func(d *bsearch.DocumentMatch) error {
			// The ranking may hand d back to its pool: count it first.
			if d != nil {
				counter.add(d.IndexInternalID)
			}
			return rank(d)
		}, loadID, nil
	}
	return context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, bsearch.MakeDocumentMatchHandler(maker))
}

// facetCounts splits the counts of schema.Facets' terms into each facet's
// values, most frequent first (then by value), at most facetSizes of each.
func facetCounts(terms map[string]int) map[string][]FacetCount {
	out := map[string][]FacetCount{}
	for facet := range facetSizes {
		out[facet] = []FacetCount{}
	}
	for term, n := range terms {
		if facet, value, ok := schema.SplitFacetTerm(term); ok {
			if _, known := facetSizes[facet]; known {
				out[facet] = append(out[facet], FacetCount{Value: value, Count: n})
			}
		}
	}
	for facet, counts := range out {
		sort.Slice(counts, func(i, j int) bool {
			if counts[i].Count != counts[j].Count {
				return counts[i].Count > counts[j].Count
			}
			return counts[i].Value < counts[j].Value
		})
		out[facet] = counts[:min(len(counts), facetSizes[facet])]
	}
	return out
}
