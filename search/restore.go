package search

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// diacriticsTable restores the diacritics of words typed without them,
// from the spellings the index's titles and leads use: "nam dinh" is
// "nam định" in nearly every headline that has it. It is immutable once
// built and safe for concurrent use.
type diacriticsTable struct {
	Pairs map[string]string `json:"pairs"` // folded pair → its one dominant spelling
	Words map[string]string `json:"words"` // folded syllable → its one dominant spelling
	Docs  uint64            `json:"docs"`  // articles in the index when built
	// Generation is the index's write generation when built: a replaced
	// article changes it, not the count.
	Generation uint64 `json:"generation"`
	// Took is how long reading the spellings took, which spaces the
	// readings out (see refreshCost).
	Took  time.Duration `json:"took"`
	built time.Time
}

// refreshCost spaces the readings of the spellings under a steady feed of
// writes: the next is due refreshCost times as long after one as it took,
// so that they take at most a thirtieth of a core; on an archive of
// 60,000 articles, whose spellings take seconds to read, every few minutes
// rather than every SpellingsRefresh.
const refreshCost = 30

// spellingsKey is where an index keeps its diacriticsTable, so that a
// command that opens the index reads it rather than builds it again.
var spellingsKey = []byte("vnsearch.spellings")

// dominantShare is the share of a folded form's occurrences its most
// frequent spelling must have to be restored: "nam dinh" is restored,
// "nam" (nam, năm, nằm, nấm) is not.
const dominantShare = 0.85

// minOccurrences is how many articles must spell a form before it is
// restored at all: one headline is no evidence of how a word is spelt.
const minOccurrences = 3

// buildDiacriticsTable reads the dictionaries of the exact title and lead
// views, of every shard.
func buildDiacriticsTable(idx bleve.Index) (*diacriticsTable, error) {
	docs, gen, err := indexVersion(idx)
	if err != nil {
		return nil, err
	}
	var readers []index.IndexReader
	defer func() {
		for _, r := range readers {
			r.Close()
		}
	}()
	for _, shard := range schema.ShardsOf(idx) {
		r, err := schema.OpenReader(shard)
		if err != nil {
			return nil, err
		}
		readers = append(readers, r)
	}
	t := &diacriticsTable{Docs: docs, Generation: gen, built: time.Now()}
	if t.Pairs, err = dominantSpellings(readers, schema.Title.Pairs, schema.Lead.Pairs); err != nil {
		return nil, err
	}
	if t.Words, err = dominantSpellings(readers, schema.Title.Exact, schema.Lead.Exact); err != nil {
		return nil, err
	}
	t.Took = time.Since(t.built)
	return t, nil
}

// dominantSpellings maps each folded term of fields to its dominant
// spelling, for the forms that have one, counting the articles of every
// reader. The dictionaries list terms without their counts, so each is
// counted through a term reader.
func dominantSpellings(readers []index.IndexReader, fields ...string) (map[string]string, error) {
	counts := map[string]map[string]uint64{} // folded → spelling → articles
	for _, r := range readers {
		for _, field := range fields {
			if err := countSpellings(r, field, counts); err != nil {
				return nil, err
			}
		}
	}
	out := map[string]string{}
	for folded, spellings := range counts {
		best, bestN, allN := "", uint64(0), uint64(0)
		for s, n := range spellings {
			allN += n
			if n > bestN || (n == bestN && s < best) {
				best, bestN = s, n
			}
		}
		if best != folded && allN >= minOccurrences && float64(bestN) >= dominantShare*float64(allN) {
			out[folded] = best
		}
	}
	return out, nil
}

// countSpellings adds the articles of r holding each term of field to
// counts, under the term folded.
func countSpellings(r index.IndexReader, field string, counts map[string]map[string]uint64) error {
	dict, err := r.FieldDict(field)
	if err != nil {
		return err
	}
	defer dict.Close()
	for e, err := dict.Next(); e != nil || err != nil; e, err = dict.Next() {
		if err != nil {
			return err
		}
		n, err := termCount(r, field, e.Term)
		if err != nil {
			return err
		}
		// A term spelt without diacritics is a spelling of its own,
		// which counts against restoring.
		folded := analyzers.Fold(e.Term)
		if counts[folded] == nil {
			counts[folded] = map[string]uint64{}
		}
		counts[folded][e.Term] += n
	}
	return nil
}

// termCount returns how many articles hold term in field.
func termCount(r index.IndexReader, field, term string) (uint64, error) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// diacritics holds a Searcher's table, read by Prepare and again in the
// background when the index has been written since.
type diacritics struct {
	table    atomic.Pointer[diacriticsTable]
	building atomic.Bool
}

// indexVersion returns what tells whether idx changed: its article count
// and its write generation.
func indexVersion(idx bleve.Index) (docs, gen uint64, err error) {
	if docs, err = idx.DocCount(); err != nil {
		return 0, 0, err
	}
	gen, err = schema.Generation(idx)
	return docs, gen, err
}

// Prepare reads what the searcher learns from the whole index, the
// spellings with diacritics that its titles and leads mostly use, so that
// a query typed without diacritics ranks those spellings a little higher
// and Result.Explain.Restored shows them. Reading them takes seconds on an
// archive of 60,000 articles, so the result is kept in the index
// (Options.ReadOnly keeps it in memory only) and read from there. When the
// index has been written since it was kept, the kept one is used at once
// and read again in the background at the first search: spellings are
// statistics of the whole archive, which a few articles barely move.
// Until Prepare is done, searches restore nothing. Over shards it also
// counts, or reads where they were kept, the terms of every field of the
// archive that BM25 scores with (see archiveStats), which the first
// search would otherwise count. It is safe to call while searches run.
func (s *Searcher) Prepare() error {
	if len(s.shards) > 1 {
		if err := s.prepareArchiveStats(); err != nil {
			return fmt.Errorf("read the shards' statistics: %w", err)
		}
	}
	docs, gen, err := indexVersion(s.idx)
	if err != nil {
		return fmt.Errorf("read the index's spellings: %w", err)
	}
	if kept, err := s.idx.GetInternal(spellingsKey); err == nil && kept != nil {
		var t diacriticsTable
		if json.Unmarshal(kept, &t) == nil {
			t.built = time.Now()
			if t.Docs != docs || t.Generation != gen {
				t.built = time.Time{} // due for a reading at the first search
			}
			s.diacritics.table.Store(&t)
			return nil
		}
	}
	t, err := buildDiacriticsTable(s.idx)
	if err != nil {
		return fmt.Errorf("read the index's spellings: %w", err)
	}
	s.diacritics.table.Store(t)
	if err := s.keepDiacritics(t); err != nil {
		return fmt.Errorf("keep the index's spellings: %w", err)
	}
	return nil
}

// keepDiacritics keeps t in the index, for the next Prepare.
func (s *Searcher) keepDiacritics(t *diacriticsTable) error {
	if s.opts.ReadOnly {
		return nil
	}
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return s.idx.SetInternal(spellingsKey, data)
}

// diacriticsTable returns the current table, nil before Prepare, and
// starts a new reading in the background when the table is due for one
// and the index has changed since.
func (s *Searcher) diacriticsTable() *diacriticsTable {
	d := &s.diacritics
	t := d.table.Load()
	if t == nil || time.Since(t.built) < max(s.opts.SpellingsRefresh, refreshCost*t.Took) || !d.building.CompareAndSwap(false, true) {
		return t
	}
	go func() {
		defer d.building.Store(false)
		if docs, gen, err := indexVersion(s.idx); err != nil || docs == t.Docs && gen == t.Generation {
			return
		}
		if fresh, err := buildDiacriticsTable(s.idx); err == nil {
			d.table.Store(fresh)
			// Kept for the next start; one not kept is read again then.
			_ = s.keepDiacritics(fresh)
		}
	}()
	return t
}

// restore returns the spelling with diacritics of each folded term, or ""
// where none is dominant: by pairs first, since "nam dinh" decides what
// "dinh" alone cannot, then by single syllables.
func (t *diacriticsTable) restore(folded []string) []string {
	out := make([]string, len(folded))
	if t == nil {
		return out
	}
	for i := 1; i < len(folded); i++ {
		pair, ok := t.Pairs[pairTerm(folded[i-1], folded[i])]
		if !ok {
			continue
		}
		a, b, _ := strings.Cut(pair, analyzers.PairSeparator)
		if out[i-1] == "" {
			out[i-1] = a
		}
		out[i] = b
	}
	for i, f := range folded {
		if out[i] == "" {
			out[i] = t.Words[f]
		}
	}
	return out
}
