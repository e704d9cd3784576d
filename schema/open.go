package schema

import (
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// ErrNoIndex reports that a directory holds no vnsearch index yet.
var ErrNoIndex = errors.New("no index")

// Open opens the index in dir, or returns an error wrapping ErrNoIndex when
// there is none there. The returned index is safe for concurrent use.
func Open(dir string) (bleve.Index, error) {
	idx, err := bleve.Open(dir)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || errors.Is(err, bleve.ErrorIndexMetaMissing) {
		return nil, fmt.Errorf("open %s: %w", dir, ErrNoIndex)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return idx, nil
}

// OpenOrCreate opens the index in dir, creating an empty one with
// NewMapping when there is none. created says which happened.
func OpenOrCreate(dir string) (idx bleve.Index, created bool, err error) {
	idx, err = Open(dir)
	if !errors.Is(err, ErrNoIndex) {
		return idx, false, err
	}
	idx, err = bleve.New(dir, NewMapping())
	if err != nil {
		return nil, false, fmt.Errorf("create index %s: %w", dir, err)
	}
	return idx, true, nil
}
