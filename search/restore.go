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
	built time.Time
}

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
// views.
func buildDiacriticsTable(idx bleve.Index) (*diacriticsTable, error) {
	docs, err := idx.DocCount()
	if err != nil {
		return nil, err
	}
	r, err := schema.OpenReader(idx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	t := &diacriticsTable{Docs: docs, built: time.Now()}
	if t.Pairs, err = dominantSpellings(r, schema.Title.Pairs, schema.Lead.Pairs); err != nil {
		return nil, err
	}
	if t.Words, err = dominantSpellings(r, schema.Title.Exact, schema.Lead.Exact); err != nil {
		return nil, err
	}
	return t, nil
}

// dominantSpellings maps each folded term of fields to its dominant
// spelling, for the forms that have one. The dictionaries list terms
// without their counts, so each is counted through a term reader.
func dominantSpellings(r index.IndexReader, fields ...string) (map[string]string, error) {
	counts := map[string]map[string]uint64{} // folded → spelling → articles
	for _, field := range fields {
		dict, err := r.FieldDict(field)
		if err != nil {
			return nil, err
		}
		for e, err := dict.Next(); e != nil || err != nil; e, err = dict.Next() {
			if err != nil {
				dict.Close()
				return nil, err
			}
			n, err := termCount(r, field, e.Term)
			if err != nil {
				dict.Close()
				return nil, err
			}
			// A term spelt without diacritics is a spelling of its own,
			// which counts against restoring.
			folded := analyzers.Fold(e.Term)
			if counts[folded] == nil {
				counts[folded] = map[string]uint64{}
			}
			counts[folded][e.Term] += n
		}
		dict.Close()
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

// termCount returns how many articles hold term in field.
func termCount(r index.IndexReader, field, term string) (uint64, error) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// diacritics holds a Searcher's table, built by Prepare and rebuilt in
// the background when the index has grown or shrunk since.
type diacritics struct {
	table    atomic.Pointer[diacriticsTable]
	building atomic.Bool
}

// refreshAfter is how old a table must be before a change in the index
// rebuilds it: restoring is a ranking hint, and a rebuild reads every
// title and lead term.
const refreshAfter = 5 * time.Minute

// Prepare reads what the searcher learns from the whole index, the
// spellings with diacritics that its titles and leads mostly use, so that
// a query typed without diacritics ranks those spellings a little higher
// and Result.Explain.Restored shows them. Reading them takes a few seconds
// on an archive of 60,000 articles, so the result is kept in the index and
// read from there while the index holds as many articles as when it was
// kept; until Prepare is done, searches restore nothing. It is safe to
// call while searches run.
func (s *Searcher) Prepare() error {
	docs, err := s.idx.DocCount()
	if err != nil {
		return fmt.Errorf("read the index's spellings: %w", err)
	}
	if kept, err := s.idx.GetInternal(spellingsKey); err == nil && kept != nil {
		var t diacriticsTable
		if json.Unmarshal(kept, &t) == nil && t.Docs == docs {
			t.built = time.Now()
			s.diacritics.table.Store(&t)
			return nil
		}
	}
	t, err := buildDiacriticsTable(s.idx)
	if err != nil {
		return fmt.Errorf("read the index's spellings: %w", err)
	}
	s.diacritics.table.Store(t)
	data, err := json.Marshal(t)
	if err == nil {
		err = s.idx.SetInternal(spellingsKey, data)
	}
	if err != nil {
		return fmt.Errorf("keep the index's spellings: %w", err)
	}
	return nil
}

// get returns the current table, nil before Prepare, and starts a rebuild
// when the table is old and the index has changed since.
func (d *diacritics) get(idx bleve.Index) *diacriticsTable {
	t := d.table.Load()
	if t != nil && time.Since(t.built) > refreshAfter && d.building.CompareAndSwap(false, true) {
		go func() {
			defer d.building.Store(false)
			if n, err := idx.DocCount(); err != nil || n == t.Docs {
				return
			}
			if fresh, err := buildDiacriticsTable(idx); err == nil {
				d.table.Store(fresh)
			}
		}()
	}
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
