package schema

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// ErrSharded reports an operation that one index supports and an archive
// split into shards does not: a bulk load, a batch of the alias, a write
// where no rule says which shard an article goes to.
var ErrSharded = errors.New("the archive is split into shards")

// Shards is an archive split into several indexes, each holding the
// articles of some years, searched as one through bleve's IndexAlias. An
// article is in one shard only. The values kept of the whole archive
// (the spellings learnt from it, the newsroom's synonyms) are kept in the
// first shard. It is safe for concurrent use.
type Shards struct {
	bleve.IndexAlias
	shards []bleve.Index
	route  func(Article) int
	// exclusive is held while a write changes several shards, and while
	// a copy takes their snapshots: a copy never sees half of a write.
	exclusive sync.Mutex
}

// NewShards returns shards as one index. It owns them: Close closes them
// all. Each shard must have a name of its own (bleve names an index by its
// path), as the alias tells their answers apart by name. route says which
// shard (its place in shards) an article goes to; nil when the archive
// takes no writes.
func NewShards(route func(Article) int, shards ...bleve.Index) (*Shards, error) {
	if len(shards) == 0 {
		return nil, errors.New("shards: none given")
	}
	alias := bleve.NewIndexAlias(shards...)
	// The mapping says the scoring is BM25, which global scoring needs.
	if err := alias.SetIndexMapping(shards[0].Mapping()); err != nil {
		return nil, fmt.Errorf("shards: %w", err)
	}
	return &Shards{IndexAlias: alias, shards: slices.Clone(shards), route: route}, nil
}

// ShardFor returns the place in the shards of the one article a goes to,
// or an error wrapping ErrSharded when the shards have no route.
func (s *Shards) ShardFor(a Article) (int, error) {
	if s.route == nil {
		return 0, fmt.Errorf("write: %w, with no rule to choose the shard of an article", ErrSharded)
	}
	i := s.route(a)
	if i < 0 || i >= len(s.shards) {
		return 0, fmt.Errorf("write %s: shard %d of %d", a.ID, i, len(s.shards))
	}
	return i, nil
}

// ShardsOf returns the shards of idx, or idx alone when it is one index.
func ShardsOf(idx bleve.Index) []bleve.Index {
	if s, ok := idx.(*Shards); ok {
		return slices.Clone(s.shards)
	}
	return []bleve.Index{idx}
}

// Holding returns the places, in ShardsOf(idx), of the shards holding
// id: one or none, two only for a move between shards cut short.
func Holding(idx bleve.Index, id string) ([]int, error) {
	var held []int
	for i, shard := range ShardsOf(idx) {
		doc, err := shard.Document(id)
		if err != nil {
			return nil, err
		}
		if doc != nil {
			held = append(held, i)
		}
	}
	return held, nil
}

// Exclusive runs fn with no other function given to Exclusive for the
// same shards running meanwhile: writes that change several shards, and
// the snapshots of a copy, are run through it, so that a copy holds every
// shard's part of a write or none. Over one index it runs fn.
func Exclusive(idx bleve.Index, fn func() error) error {
	s, ok := idx.(*Shards)
	if !ok {
		return fn()
	}
	s.exclusive.Lock()
	defer s.exclusive.Unlock()
	return fn()
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

// Batch refuses writes: an article goes to the shard ShardFor chooses,
// and out of the others, which one batch of the alias cannot do; the
// indexer's Writer does it.
func (s *Shards) Batch(*bleve.Batch) error {
	return fmt.Errorf("write: %w", ErrSharded)
}
