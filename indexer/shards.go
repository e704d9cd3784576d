package indexer

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/schema"
)

// Over shards (schema.Shards), each article goes to the shard its route
// chooses, and an article whose new version belongs to another shard than
// its old one (its date was corrected to another year) moves. No batch
// spans two bleve indexes, so a move is made in three steps, each on disk
// before the next:
//
//  1. the shards written get their batches, and the one an article moves
//     into also notes its id under movingKey;
//  2. the shards it moves out of delete it;
//  3. the notes are removed.
//
// A crash (or a failed write) after step 1 leaves the article in two
// shards, and its note says which copy is the new one: before any other
// batch, finishMoves deletes it from every shard but the noting one, as
// step 2 would have. Deleting the old copy first would lose the article
// in a crash between the steps.

// movingKey is where a shard notes the ids of the articles that moved
// into it and may still be in another shard: a JSON array.
var movingKey = []byte("vnsearch.moving")

// writePlan is one batch of records as the shards get it.
type writePlan struct {
	// writes are each shard's indexes (an article) and deletes (nil), the
	// last record of an id winning, as in a bleve batch.
	writes []map[string]*schema.Article
	// movedOut are, by shard, the ids of articles moved to another one,
	// deleted once the writes are on disk; movedIn, the ids each shard
	// notes as moved into it.
	movedOut, movedIn []map[string]bool
	// sequence, when not 0, is the log position written with the batch.
	sequence uint64
}

func newWritePlan(shards int) *writePlan {
	p := &writePlan{
		writes:   make([]map[string]*schema.Article, shards),
		movedOut: make([]map[string]bool, shards),
		movedIn:  make([]map[string]bool, shards),
	}
	for i := range shards {
		p.writes[i], p.movedOut[i], p.movedIn[i] = map[string]*schema.Article{}, map[string]bool{}, map[string]bool{}
	}
	return p
}

// index writes a into shard to; from is the shard holding its id before
// the record (-1 when none does).
func (p *writePlan) index(a *schema.Article, from, to int) {
	p.writes[to][a.ID] = a
	delete(p.movedOut[to], a.ID)
	if from < 0 || from == to {
		return
	}
	// An id moved twice in one batch is noted by its last shard only,
	// which deletes it from all the others.
	delete(p.writes[from], a.ID)
	p.movedOut[from][a.ID] = true
	for _, in := range p.movedIn {
		delete(in, a.ID)
	}
	p.movedIn[to][a.ID] = true
}

// remove deletes id from shard from.
func (p *writePlan) remove(id string, from int) { p.writes[from][id] = nil }

// empty reports whether the plan writes nothing.
func (p *writePlan) empty() bool {
	for i := range p.writes {
		if len(p.writes[i]) > 0 || len(p.movedOut[i]) > 0 {
			return false
		}
	}
	return p.sequence == 0
}

// shardBatch is a batch of one shard.
type shardBatch struct {
	shard int
	b     *bleve.Batch
}

// batches returns the plan's batches in the three steps of a move: the
// writes, the deletes of what moved out, and the removal of the notes.
// The last two are empty when nothing moved.
func (p *writePlan) batches(shards []bleve.Index) (steps [3][]shardBatch, err error) {
	for i, shard := range shards {
		writes, in := p.writes[i], p.movedIn[i]
		// The log position goes to every shard, so that each says how far
		// the log was applied when it was last written.
		if len(writes) == 0 && len(in) == 0 && p.sequence == 0 {
			continue
		}
		b := shard.NewBatch()
		for _, id := range slices.Sorted(maps.Keys(writes)) {
			a := writes[id]
			if a == nil {
				b.Delete(id)
				continue
			}
			if err := b.Index(id, schema.Document(*a)); err != nil {
				return steps, fmt.Errorf("index %s: %w", id, err)
			}
		}
		if len(in) > 0 {
			note, err := json.Marshal(slices.Sorted(maps.Keys(in)))
			if err != nil {
				return steps, err
			}
			b.SetInternal(movingKey, note)
			clear := shard.NewBatch()
			clear.DeleteInternal(movingKey)
			steps[2] = append(steps[2], shardBatch{i, clear})
		}
		if p.sequence != 0 {
			b.SetInternal(sequenceKey, schema.CounterValue(p.sequence))
		}
		steps[0] = append(steps[0], shardBatch{i, b})
	}
	for i, shard := range shards {
		if len(p.movedOut[i]) == 0 {
			continue
		}
		b := shard.NewBatch()
		for id := range p.movedOut[i] {
			b.Delete(id)
		}
		steps[1] = append(steps[1], shardBatch{i, b})
	}
	return steps, nil
}

// finishMoves completes the moves a batch left half done, a crash or a
// failed write ago: each id a shard notes as moved into it is deleted from
// every other shard, then the note is removed. It is called with w.mu
// held, or before the writer is shared.
func (w *Writer) finishMoves() error {
	if !w.moving {
		return nil
	}
	for i, shard := range w.shards {
		note, err := shard.GetInternal(movingKey)
		if err != nil {
			return fmt.Errorf("read the moves between shards: %w", err)
		}
		if len(note) == 0 {
			continue
		}
		var ids []string
		if err := json.Unmarshal(note, &ids); err != nil {
			return fmt.Errorf("read the moves between shards: shard %d: %w", i+1, err)
		}
		for j, other := range w.shards {
			if j == i {
				continue
			}
			b := other.NewBatch()
			for _, id := range ids {
				b.Delete(id)
			}
			if err := w.writeShard(shardBatch{j, b}); err != nil {
				return err
			}
		}
		b := shard.NewBatch()
		b.DeleteInternal(movingKey)
		if err := w.writeShard(shardBatch{i, b}); err != nil {
			return err
		}
	}
	w.moving = false
	return nil
}

// shardFor returns the shard a goes to: over one index, that index.
func (w *Writer) shardFor(a schema.Article) (int, error) {
	if s, ok := w.idx.(*schema.Shards); ok {
		return s.ShardFor(a)
	}
	return 0, nil
}
