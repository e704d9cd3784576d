package schema

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
)

// Errors opening an index.
var (
	// ErrNoIndex reports that a directory holds no vnsearch index yet.
	ErrNoIndex = errors.New("no index")
	// ErrIncompatible reports an index built with another layout of
	// fields than this version of vnsearch searches.
	ErrIncompatible = errors.New("index built by another version of vnsearch; rebuild it")
)

// Version names the layout of fields NewMapping makes. It changes whenever
// an index built before would be searched wrongly, and is stored in every
// index so that such an index is refused rather than silently finding
// nothing.
const Version = "3"

// versionKey is where an index keeps the Version it was built with.
var versionKey = []byte("vnsearch.schema")

// Open opens the index in dir, or returns an error wrapping ErrNoIndex when
// there is none there and ErrIncompatible when it was built with another
// Version. The returned index is safe for concurrent use.
func Open(dir string) (bleve.Index, error) {
	idx, err := OpenAnyVersion(dir)
	if err != nil {
		return nil, err
	}
	v, err := StoredVersion(idx)
	if err != nil || v != Version {
		idx.Close()
		if err != nil {
			return nil, fmt.Errorf("open index %s: %w", dir, err)
		}
		return nil, fmt.Errorf("open %s: schema %q, want %q: %w", dir, v, Version, ErrIncompatible)
	}
	return idx, nil
}

// OpenAnyVersion opens the index in dir whatever Version it was built
// with, to read its stored articles back (a rebuild, a dump): searching an
// index of another Version finds the wrong articles.
func OpenAnyVersion(dir string) (bleve.Index, error) {
	idx, err := bleve.Open(dir)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || errors.Is(err, bleve.ErrorIndexMetaMissing) {
		return nil, fmt.Errorf("open %s: %w", dir, ErrNoIndex)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return idx, nil
}

// StoredVersion returns the Version idx was built with.
func StoredVersion(idx bleve.Index) (string, error) {
	v, err := idx.GetInternal(versionKey)
	if err != nil {
		return "", fmt.Errorf("read the index's schema version: %w", err)
	}
	return string(v), nil
}

// OpenOrCreate opens the index in dir, creating an empty one with
// NewMapping when there is none. created says which happened.
func OpenOrCreate(dir string) (idx bleve.Index, created bool, err error) {
	idx, err = Open(dir)
	if !errors.Is(err, ErrNoIndex) {
		return idx, false, err
	}
	idx, err = Create(dir)
	return idx, err == nil, err
}

// Create makes an empty index with NewMapping in dir, which must not hold
// one.
func Create(dir string) (bleve.Index, error) {
	idx, err := bleve.New(dir, NewMapping())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	if err := idx.SetInternal(versionKey, []byte(Version)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	return idx, nil
}

// generationKey is where an index keeps its write generation: a counter
// that every batch of writes bumps, so that a process can tell cheaply
// whether the index changed since it last looked.
var generationKey = []byte("vnsearch.generation")

// GenerationKey returns the internal key of the write generation, for the
// writer that bumps it in each of its batches.
func GenerationKey() []byte { return slices.Clone(generationKey) }

// Generation returns the write generation of idx: 0 for an index never
// written through the indexer's Writer, then one more for each of its
// batches.
func Generation(idx bleve.Index) (uint64, error) {
	v, err := idx.GetInternal(generationKey)
	if err != nil {
		return 0, fmt.Errorf("read the index's generation: %w", err)
	}
	if len(v) != 8 {
		return 0, nil
	}
	return binary.BigEndian.Uint64(v), nil
}
