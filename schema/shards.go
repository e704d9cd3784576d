package schema

import (
	"errors"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
)

// ErrSharded reports an operation that one index supports and an archive
// split into shards does not (yet): a write, a backup, a rebuild.
var ErrSharded = errors.New("the archive is split into shards")

// Shards is an archive split into several indexes, each holding the
// articles of some years, searched as one through bleve's IndexAlias. An
// article is in one shard only. The values kept of the whole archive
// (the spellings learnt from it, the newsroom's synonyms) are kept in the
// first shard. It is safe for concurrent use.
type Shards struct {
	bleve.IndexAlias
	shards []bleve.Index
}

// NewShards returns shards as one index. It owns them: Close closes them
// all. Each shard must have a name of its own (bleve names an index by its
// path), as the alias tells their answers apart by name.
func NewShards(shards ...bleve.Index) (*Shards, error) {
	if len(shards) == 0 {
		return nil, errors.New("shards: none given")
	}
	alias := bleve.NewIndexAlias(shards...)
	// The mapping says the scoring is BM25, which global scoring needs.
	if err := alias.SetIndexMapping(shards[0].Mapping()); err != nil {
		return nil, fmt.Errorf("shards: %w", err)
	}
	return &Shards{IndexAlias: alias, shards: slices.Clone(shards)}, nil
}

// ShardsOf returns the shards of idx, or idx alone when it is one index.
func ShardsOf(idx bleve.Index) []bleve.Index {
	if s, ok := idx.(*Shards); ok {
		return slices.Clone(s.shards)
	}
	return []bleve.Index{idx}
}

// Close closes the alias and every shard.
func (s *Shards) Close() error {
	errs := []error{s.IndexAlias.Close()}
	for _, shard := range s.shards {
		errs = append(errs, shard.Close())
	}
	return errors.Join(errs...)
}

// GetInternal reads a value kept of the whole archive, in the first shard.
func (s *Shards) GetInternal(key []byte) ([]byte, error) { return s.shards[0].GetInternal(key) }

// SetInternal keeps a value of the whole archive, in the first shard.
func (s *Shards) SetInternal(key, val []byte) error { return s.shards[0].SetInternal(key, val) }

// DeleteInternal deletes a value kept of the whole archive.
func (s *Shards) DeleteInternal(key []byte) error { return s.shards[0].DeleteInternal(key) }

// Batch refuses writes: an article goes to the shard of its year, and
// out of the others, which a batch of the alias cannot do.
func (s *Shards) Batch(*bleve.Batch) error {
	return fmt.Errorf("write: %w", ErrSharded)
}
