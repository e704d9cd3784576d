package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Over shards (schema.Shards), bleve's alias searches every shard at once
// and merges their hits. BM25 needs three statistics of the whole archive
// for an article to score as in one index, and bleve's own global scoring
// (a first round over the shards, switched on by search.GlobalScoring)
// gives one of them only:
//
//   - N, the number of articles: the sum of the shards', as bleve's.
//   - The field length bleve divides by, which it takes to be the number
//     of distinct terms in the field's dictionary over N. Its global
//     scoring sums the shards' dictionaries, counting a word of every
//     year once per shard: over 2 shards of the bundled corpus, 28
//     instead of one index's 18, which moves every score. archiveStats
//     counts the terms of the shards' dictionaries merged, as one index
//     merged into one segment (as vnsearch index leaves it) has them.
//   - The number of articles holding a term: bleve's global scoring
//     keeps each shard's own, and a word common in 2012 and rare since
//     would weigh more in the shard of later years. Each term query's
//     searcher reads it of every shard (archiveDocFreq) instead.
//
// The first two reach the shards' searches through bleve's key for global
// statistics (search.BM25StatsKey), the third through the term queries.

// unscoredField is the field of the one searcher scorch merges the
// unscored terms of a conjunction or disjunction into, which no index has.
const unscoredField = "*"

// archiveStats keeps the number of distinct terms of each field over all
// shards. Counting walks every dictionary, seconds at a million articles,
// so after a write the counts of the earlier version serve (a few articles
// barely move them) while they are counted again in the background.
type archiveStats struct {
	mu      sync.Mutex
	version [2]uint64      // article count and write generation of terms
	terms   map[string]int // counted at version
	earlier map[string]int // counted at an earlier version
	// counting says a count runs in the background.
	counting atomic.Bool
}

// at makes v the version counted, what was counted before earlier.
func (a *archiveStats) at(v [2]uint64) {
	if a.version == v && a.terms != nil {
		return
	}
	if a.earlier == nil {
		a.earlier = map[string]int{}
	}
	maps.Copy(a.earlier, a.terms)
	a.version, a.terms = v, map[string]int{}
}

// archiveBM25 returns the BM25 statistics of the archive for fields. A
// field never counted is counted now through vocab's shards; one counted
// at an earlier version of the archive only is counted again in the
// background, its earlier count serving meanwhile.
func (s *Searcher) archiveBM25(vocab indexVocabulary, fields []string) (*bsearch.BM25Stats, error) {
	docs, gen, err := indexVersion(s.idx)
	if err != nil {
		return nil, err
	}
	a := &s.bm25
	a.mu.Lock()
	defer a.mu.Unlock()
	a.at([2]uint64{docs, gen})
	stats := &bsearch.BM25Stats{DocCount: float64(docs), FieldCardinality: map[string]int{unscoredField: 0}}
	stale := false
	for _, field := range fields {
		n, ok := a.terms[field]
		if !ok {
			n, ok = a.earlier[field]
			stale = stale || ok
		}
		if !ok {
			if n, err = distinctTerms(vocab.readers(), field); err != nil {
				return nil, err
			}
			a.terms[field] = n
		}
		stats.FieldCardinality[field] = n
	}
	if stale {
		s.recountArchiveStats()
	}
	return stats, nil
}

// recountArchiveStats counts again, in the background, every field counted
// at an earlier version of the archive, and keeps the counts in the index
// for the next start. One count runs at a time.
func (s *Searcher) recountArchiveStats() {
	a := &s.bm25
	if !a.counting.CompareAndSwap(false, true) {
		return
	}
	fields := slices.Sorted(maps.Keys(a.earlier)) // a.mu is held
	go func() {
		defer a.counting.Store(false)
		docs, gen, err := indexVersion(s.idx)
		if err != nil {
			return
		}
		vocab, err := s.vocabulary()
		if err != nil {
			return
		}
		defer vocab.close()
		counts := map[string]int{}
		for _, field := range fields {
			if counts[field], err = distinctTerms(vocab.readers(), field); err != nil {
				return
			}
		}
		a.mu.Lock()
		a.at([2]uint64{docs, gen})
		maps.Copy(a.terms, counts)
		a.mu.Unlock()
		// Kept for the next start; counts not kept are counted again then.
		_ = s.keepArchiveStats(docs, gen, counts)
	}()
}

// archiveTermsKey is where the first shard keeps archiveStats' counts of
// every field, so that a server started on a sharded archive reads them
// rather than walks every dictionary again.
var archiveTermsKey = []byte("vnsearch.shards.terms")

// keptTerms is archiveStats as kept in the index.
type keptTerms struct {
	Docs       uint64         `json:"docs"`
	Generation uint64         `json:"generation"`
	Terms      map[string]int `json:"terms"`
}

// prepareArchiveStats reads the distinct terms of every field of the
// shards where they were kept, as counts of an earlier version when the
// archive has been written since (counted again at the first search), or
// counts them and keeps them there.
func (s *Searcher) prepareArchiveStats() error {
	docs, gen, err := indexVersion(s.idx)
	if err != nil {
		return err
	}
	if data, err := s.idx.GetInternal(archiveTermsKey); err == nil && data != nil {
		var kept keptTerms
		if json.Unmarshal(data, &kept) == nil {
			a := &s.bm25
			a.mu.Lock()
			a.at([2]uint64{kept.Docs, kept.Generation})
			maps.Copy(a.terms, kept.Terms)
			a.at([2]uint64{docs, gen})
			a.mu.Unlock()
			return nil
		}
	}
	vocab, err := s.vocabulary()
	if err != nil {
		return err
	}
	defer vocab.close()
	fields, err := s.shards[0].Fields()
	if err != nil {
		return err
	}
	fields = slices.DeleteFunc(fields, func(f string) bool { return f == "_id" })
	stats, err := s.archiveBM25(vocab, fields)
	if err != nil {
		return err
	}
	terms := maps.Clone(stats.FieldCardinality)
	delete(terms, unscoredField)
	return s.keepArchiveStats(docs, gen, terms)
}

// keepArchiveStats keeps the counts of terms, of the archive at docs
// articles and generation gen, in the index for the next start.
func (s *Searcher) keepArchiveStats(docs, gen uint64, terms map[string]int) error {
	if s.opts.ReadOnly {
		return nil
	}
	data, err := json.Marshal(keptTerms{Docs: docs, Generation: gen, Terms: terms})
	if err != nil {
		return err
	}
	return s.idx.SetInternal(archiveTermsKey, data)
}

// distinctTerms counts the terms of field in the dictionaries of readers,
// each once however many hold it: the dictionaries list their terms in
// order, and are walked side by side.
func distinctTerms(readers []index.IndexReader, field string) (int, error) {
	dicts := make([]index.FieldDict, 0, len(readers))
	defer func() {
		for _, d := range dicts {
			d.Close()
		}
	}()
	heads := make([]*string, len(readers)) // each dictionary's next term; nil when done
	next := func(i int) error {
		e, err := dicts[i].Next()
		switch {
		case err != nil:
			return err
		case e == nil:
			heads[i] = nil
		default:
			term := e.Term // the entry is reused by the next call
			heads[i] = &term
		}
		return nil
	}
	for i, r := range readers {
		d, err := r.FieldDict(field)
		if err != nil {
			return 0, err
		}
		dicts = append(dicts, d)
		if err := next(i); err != nil {
			return 0, err
		}
	}
	n := 0
	for {
		var least *string
		for _, h := range heads {
			if h != nil && (least == nil || *h < *least) {
				least = h
			}
		}
		if least == nil {
			return n, nil
		}
		n++
		term := *least
		for i, h := range heads {
			if h != nil && *h == term {
				if err := next(i); err != nil {
					return 0, err
				}
			}
		}
	}
}

// archiveDocFreqKey keys the archiveDocFreq of a search in its context.
type archiveDocFreqKey struct{}

// archiveDocFreq counts the articles holding a term in every shard, for
// the shards' searches of one request, which run at once.
type archiveDocFreq struct {
	mu    sync.Mutex
	vocab indexVocabulary
}

func (d *archiveDocFreq) count(field, term string) uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.vocab.articles(field, term)
}

// archiveScoring returns ctx under which searches of the searcher's shards
// score with the statistics of the whole archive, read through vocab, open
// for as long as the searches run. Over one index it returns ctx.
func (s *Searcher) archiveScoring(ctx context.Context, vocab indexVocabulary) context.Context {
	if len(s.shards) < 2 {
		return ctx
	}
	return context.WithValue(ctx, archiveDocFreqKey{}, &archiveDocFreq{vocab: vocab})
}

// searchIndex runs sr on the index or, over shards, on all of them, with
// the BM25 statistics of the archive when ctx is from archiveScoring and
// sr is scored. A shard that fails fails the search: the alias only notes
// it in the result's status and returns the other shards' hits, which
// would be served as if they were all.
func (s *Searcher) searchIndex(ctx context.Context, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if df, ok := ctx.Value(archiveDocFreqKey{}).(*archiveDocFreq); ok && sr.Score != "none" {
		fields, err := query.ExtractFields(sr.Query, s.idx.Mapping(), nil)
		if err != nil {
			return nil, err
		}
		delete(fields, "_id")
		stats, err := s.archiveBM25(df.vocab, slices.Sorted(maps.Keys(fields)))
		if err != nil {
			return nil, err
		}
		ctx = context.WithValue(ctx, bsearch.BM25StatsKey, stats)
	}
	res, err := s.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, err
	}
	if res.Status != nil && res.Status.Failed > 0 {
		var errs []error
		for _, name := range slices.Sorted(maps.Keys(res.Status.Errors)) {
			errs = append(errs, fmt.Errorf("shard %s: %w", name, res.Status.Errors[name]))
		}
		return nil, errors.Join(errs...)
	}
	return res, nil
}

// archiveTermQuery is a term query that, in a search of shards, scores
// with the article count of its term in the whole archive. Elsewhere it is
// bleve's term query.
type archiveTermQuery struct{ *query.TermQuery }

var _ query.FieldableQuery = archiveTermQuery{}

// Searcher returns the term's searcher over the index that r reads.
func (q archiveTermQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	df, ok := ctx.Value(archiveDocFreqKey{}).(*archiveDocFreq)
	if !ok || opts.Score == "none" {
		return q.TermQuery.Searcher(ctx, r, m, opts)
	}
	field := q.Field()
	if field == "" {
		field = m.DefaultSearchField()
	}
	return searcher.NewTermSearcher(ctx, archiveReader{IndexReader: r, df: df}, q.Term, field, q.Boost(), opts)
}

// archiveReader reads one shard, but counts a term's articles in all.
type archiveReader struct {
	index.IndexReader
	df *archiveDocFreq
}

var _ index.BM25Reader = archiveReader{}

func (r archiveReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (index.TermFieldReader, error) {
	tfr, err := r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil {
		return nil, err
	}
	// Never fewer than the shard has: a write since the archive's count
	// was read must not make the shard's searcher skip its term.
	return archiveTermReader{TermFieldReader: tfr, count: max(r.df.count(field, string(term)), tfr.Count())}, nil
}

// FieldCardinality is the shard's: global scoring gives BM25 the
// archive's, and without it a term searcher reads it here.
func (r archiveReader) FieldCardinality(field string) (int, error) {
	if b, ok := r.IndexReader.(index.BM25Reader); ok {
		return b.FieldCardinality(field)
	}
	return 0, nil
}

// archiveTermReader iterates one shard's postings of a term and counts
// its articles in the whole archive.
type archiveTermReader struct {
	index.TermFieldReader
	count uint64
}

func (t archiveTermReader) Count() uint64 { return t.count }

// Optimize lets scorch intersect a conjunction's postings as it does with
// its own readers.
func (t archiveTermReader) Optimize(kind string, octx index.OptimizableContext) (index.OptimizableContext, error) {
	if o, ok := t.TermFieldReader.(index.Optimizable); ok {
		return o.Optimize(kind, octx)
	}
	return nil, nil
}
