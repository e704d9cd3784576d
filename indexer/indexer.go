package indexer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/schema"
)

// Options configure an Indexer. The zero value means the defaults.
type Options struct {
	// BatchSize is how many articles are written to the index at once.
	// Default 1000: larger batches index faster (fewer segments to merge)
	// but hold more articles in memory at once.
	BatchSize int
}

// SetDefaults fills zero fields with their defaults.
func (o *Options) SetDefaults() {
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
}

// Stats counts what an Indexer did.
type Stats struct {
	Indexed  int // articles written, new or replacing an old version
	Replaced int // of Indexed, those whose id was already in the index
	Skipped  int // records refused as invalid
}

// Indexer writes articles into an index in batches. It is not safe for
// concurrent use; the index it writes to may be searched meanwhile.
type Indexer struct {
	idx     bleve.Index
	opts    Options
	batch   *bleve.Batch
	pending map[string]bool
	stats   Stats
}

// New returns an Indexer writing into idx.
func New(idx bleve.Index, opts Options) *Indexer {
	opts.SetDefaults()
	return &Indexer{idx: idx, opts: opts, batch: idx.NewBatch(), pending: map[string]bool{}}
}

// Add prepares a (see Prepare) and queues it, writing the batch when it is
// full. An invalid article is counted as skipped and its error returned; an
// error writing the index is returned wrapped.
func (ix *Indexer) Add(a schema.Article) error {
	a, err := Prepare(a)
	if err != nil {
		ix.stats.Skipped++
		return err
	}
	if ix.pending[a.ID] {
		// The same id twice in one batch: the later version wins.
		ix.stats.Replaced++
		ix.stats.Indexed--
	}
	if err := ix.batch.Index(a.ID, schema.Document(a)); err != nil {
		return fmt.Errorf("index %s: %w", a.ID, err)
	}
	ix.pending[a.ID] = true
	ix.stats.Indexed++
	if ix.batch.Size() >= ix.opts.BatchSize {
		return ix.Flush()
	}
	return nil
}

// Flush writes the queued articles to the index.
func (ix *Indexer) Flush() error {
	if len(ix.pending) == 0 {
		return nil
	}
	existing, err := ix.countExisting()
	if err != nil {
		return err
	}
	if err := ix.idx.Batch(ix.batch); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	ix.stats.Replaced += existing
	ix.batch.Reset()
	clear(ix.pending)
	return nil
}

// countExisting counts the queued ids already in the index.
func (ix *Indexer) countExisting() (int, error) {
	ids := make([]string, 0, len(ix.pending))
	for id := range ix.pending {
		ids = append(ids, id)
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), 0, 0, false)
	res, err := ix.idx.Search(req)
	if err != nil {
		return 0, fmt.Errorf("look up existing ids: %w", err)
	}
	return int(res.Total), nil
}

// Stats returns the counts so far.
func (ix *Indexer) Stats() Stats { return ix.stats }
