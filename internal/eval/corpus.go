package eval

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

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

// fingerprint identifies a set of articles, ids and texts, so that a kept
// index is reused only for the articles it was built from.
func fingerprint(articles []schema.Article) string {
	h := sha256.New()
	for _, a := range articles {
		for _, s := range []string{a.ID, a.Title, a.Lead, a.Body} {
			fmt.Fprintf(h, "%d:%s", len(s), s)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
