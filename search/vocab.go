package search

import (
	"strings"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// indexVocabulary answers the typo pass from the terms of one snapshot of
// each shard of the index (of the index itself when it is one), counting
// the articles of all of them. It is for one query: close it when done.
type indexVocabulary struct {
	shards    []shardVocabulary
	diacritic *diacriticsTable
	// counts remembers articles' answers: a query asks for the same term
	// in the same field several times, and each look-up opens its postings.
	counts map[[2]string]uint64
}

// shardVocabulary reads the terms of one shard's snapshot.
type shardVocabulary struct {
	r index.IndexReader
	// dictionaries holds each segment's dictionary of a field, once
	// opened, for a scorch index.
	dictionaries map[string][]segment.TermDictionary
}

var _ vocabulary = indexVocabulary{}

// readers returns the reader of each shard.
func (v indexVocabulary) readers() []index.IndexReader {
	rs := make([]index.IndexReader, len(v.shards))
	for i, shard := range v.shards {
		rs[i] = shard.r
	}
	return rs
}

func (s *Searcher) vocabulary() (indexVocabulary, error) {
	v := indexVocabulary{diacritic: s.diacriticsTable(), counts: map[[2]string]uint64{}}
	for _, shard := range s.shards {
		r, err := schema.OpenReader(shard)
		if err != nil {
			v.close()
			return indexVocabulary{}, err
		}
		v.shards = append(v.shards, shardVocabulary{r: r, dictionaries: map[string][]segment.TermDictionary{}})
	}
	return v, nil
}

func (v indexVocabulary) close() {
	for _, shard := range v.shards {
		shard.r.Close()
	}
}

func (v indexVocabulary) restore(folded []string) []string { return v.diacritic.restore(folded) }

// fuzziness is the edit distance within which a word is taken for a typo
// of another: one for a syllable of three letters or more, two for a long
// token (a name or a foreign word). None for shorter words, where every
// edit is another real word, and none for numbers: 9002 is not a typo of
// 9001.
func fuzziness(term string) int {
	if strings.ContainsAny(term, "0123456789") {
		return 0
	}
	switch n := utf8.RuneCountInString(term); {
	case n < 3:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

func (v indexVocabulary) closest(term string) string {
	d := fuzziness(term)
	if d == 0 || v.count(term) > 0 {
		return ""
	}
	// The nearest spelling wins, then the most frequent in the whole
	// archive; the dictionaries list candidates without their counts.
	best, bestDistance, bestCount := "", uint8(d+1), uint64(0)
	for _, shard := range v.shards {
		fuzzy, ok := shard.r.(index.IndexReaderFuzzy)
		if !ok {
			continue
		}
		dict, automaton, err := fuzzy.FieldDictFuzzyAutomaton(schema.Text.Folded, term, d, "")
		if err != nil {
			continue
		}
		for e, err := dict.Next(); err == nil && e != nil; e, err = dict.Next() {
			_, distance := automaton.MatchAndDistance(e.Term)
			if distance > bestDistance {
				continue
			}
			if n := v.count(e.Term); distance < bestDistance || n > bestCount || n == bestCount && e.Term < best {
				best, bestDistance, bestCount = e.Term, distance, n
			}
		}
		dict.Close()
	}
	return best
}

// count returns how many articles hold the folded term.
func (v indexVocabulary) count(term string) uint64 { return v.articles(schema.Text.Folded, term) }

func (v indexVocabulary) articles(field, term string) uint64 {
	key := [2]string{field, term}
	n, ok := v.counts[key]
	if !ok {
		for _, shard := range v.shards {
			n += shard.postingsCount(field, term)
		}
		v.counts[key] = n
	}
	return n
}

// postingsCount counts the articles holding term in field from each
// segment's postings, without the iterators a term reader sets up.
func (v shardVocabulary) postingsCount(field, term string) uint64 {
	snap, segs, ok := v.segments(field)
	if !ok {
		n, _ := termCount(v.r, field, term)
		return n
	}
	n := uint64(0)
	for i, seg := range snap.Segments() {
		pl, err := segs[i].PostingsList([]byte(term), seg.Deleted(), nil)
		if err != nil {
			return 0
		}
		n += pl.Count()
	}
	return n
}

// segments returns the snapshot a scorch index reader reads and each of
// its segments' dictionaries of field; false for any other reader.
func (v shardVocabulary) segments(field string) (*scorch.IndexSnapshot, []segment.TermDictionary, bool) {
	snap, ok := v.r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil, false
	}
	dicts, ok := v.dictionaries[field]
	if !ok {
		for _, seg := range snap.Segments() {
			d, err := seg.Segment().Dictionary(field)
			if err != nil {
				return nil, nil, false
			}
			dicts = append(dicts, d)
		}
		v.dictionaries[field] = dicts
	}
	return snap, dicts, true
}

// matching counts the articles that hold a term of every group in their
// text by intersecting the terms' postings, shard by shard, which costs
// microseconds where walking them costs a search. It reports false when
// a shard is not a scorch index.
func (v indexVocabulary) matching(groups [][]string) (uint64, bool) {
	total := uint64(0)
	for _, shard := range v.shards {
		n, ok := shard.matching(groups)
		if !ok {
			return 0, false
		}
		total += n
	}
	return total, true
}

func (v shardVocabulary) matching(groups [][]string) (uint64, bool) {
	snap, dicts, ok := v.segments(schema.Text.Folded)
	if !ok {
		return 0, false
	}
	total := uint64(0)
	for i, seg := range snap.Segments() {
		var all *roaring.Bitmap
		for _, terms := range groups {
			anyOf := roaring.New()
			for _, term := range terms {
				pl, err := dicts[i].PostingsList([]byte(term), nil, nil)
				if err != nil {
					return 0, false
				}
				bits, ok := pl.(bitmapPostings)
				if !ok {
					return 0, false
				}
				bits.OrInto(anyOf)
			}
			if all == nil {
				all = anyOf
			} else {
				all.And(anyOf)
			}
			if all.IsEmpty() {
				break
			}
		}
		if deleted := seg.Deleted(); deleted != nil {
			all.AndNot(deleted)
		}
		total += all.GetCardinality()
	}
	return total, true
}

// bitmapPostings is a postings list that adds its documents to a bitmap,
// as zap's do.
type bitmapPostings interface{ OrInto(*roaring.Bitmap) }

// didYouMean returns the query with each word the typo pass corrected
// replaced by its correction, or "" when none was.
func (p plan) didYouMean(text string) string {
	if len(p.fuzzy) == 0 {
		return ""
	}
	words := strings.Fields(text)
	changed := false
	for i, w := range words {
		if near, ok := p.fuzzy[analyzers.Fold(w)]; ok {
			words[i], changed = near, true
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}
