package eval

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// ErrNoArticles reports a corpus with nothing to evaluate on.
var ErrNoArticles = errors.New("no articles")

// LoadCorpus reads the articles of path (any file or directory the indexer
// reads) through indexer.ReadPaths, so they are exactly what the index
// would hold: NFC, entities decoded, and a short first paragraph promoted to
// the lead. Records the indexer refuses are left out. With n > 0 it keeps n
// articles spread evenly over the corpus in its order (every k-th, not the
// first n, which in a corpus sorted by topic would be a few topics only);
// n <= 0 or n over the corpus size keeps them all. The choice depends on n
// and the corpus alone, not on the seed, so queries of any seed run on one
// built index.
func LoadCorpus(path string, n int) ([]schema.Article, error) {
	var all []schema.Article
	var bad error
	err := indexer.ReadPaths([]string{path}, indexer.Visitor{
		Article: func(a schema.Article) error {
			all = append(all, a)
			return nil
		},
		Bad: func(e *indexer.RecordError) {
			if e.Line == 0 && bad == nil {
				bad = e // the whole file could not be read
			}
		},
	})
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		if bad != nil {
			return nil, bad
		}
		return nil, fmt.Errorf("%s: %w", path, ErrNoArticles)
	}
	if n <= 0 || n >= len(all) {
		return all, nil
	}
	kept := make([]schema.Article, n)
	for i := range kept {
		kept[i] = all[i*len(all)/n]
	}
	return kept, nil
}

// fingerprint identifies a set of articles, ids, texts and dates, so that
// a kept index is reused only for the articles it was built from.
func fingerprint(articles []schema.Article) string {
	h := sha256.New()
	for _, a := range articles {
		for _, s := range []string{a.ID, a.Title, a.Lead, a.Body} {
			fmt.Fprintf(h, "%d:%s", len(s), s)
		}
		if !a.Published.IsZero() {
			// Only when dated, so that undated articles keep the
			// fingerprint of indexes kept before dates counted.
			fmt.Fprintf(h, "@%d", a.Published.UnixNano())
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// datesEnd is the day the dates spreadDates gives end on, fixed so that
// a kept index of dated articles can be reused.
var datesEnd = time.Date(2025, 7, 1, 0, 0, 0, 0, schema.VietnamTime)

// spreadDates gives every undated article a date in the span before
// datesEnd, drawn uniformly by a hash of its id, so that the dates are
// the same in every run and unrelated to the article's text.
func spreadDates(articles []schema.Article, span time.Duration) {
	for i, a := range articles {
		if !a.Published.IsZero() {
			continue
		}
		h := fnv.New64a()
		h.Write([]byte(a.ID))
		articles[i].Published = datesEnd.Add(-time.Duration(h.Sum64() % uint64(span)))
	}
}
