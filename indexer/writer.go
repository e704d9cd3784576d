package indexer

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/schema"
)

// Errors of a write that could not be made durable.
var (
	// ErrNoSpace reports that the disk of the index is (nearly) full:
	// nothing was written.
	ErrNoSpace = errors.New("no space left for the index")
	// ErrNotDurable reports that the index could not be saved to disk
	// (full disk, read-only directory). The write may be visible to
	// searches and saved later, once the cause is gone, but it was not
	// acknowledged: send it again.
	ErrNotDurable = errors.New("index not saved to disk")
)

// WriterOptions configure a Writer. The zero value means the defaults.
type WriterOptions struct {
	// BatchSize is how many records are written to the index at once.
	// Default 1000: larger batches index faster (fewer segments to merge)
	// but hold more articles in memory at once.
	BatchSize int
	// MinFreeBytes is the free space below which writes are refused with
	// ErrNoSpace before anything is written, so that the index's own
	// merges still have room. Default 64 MiB.
	MinFreeBytes uint64
	// Dir is the index's directory, whose free space is checked. Default
	// the index's name, which bleve sets to its path.
	Dir string
	// OnCommit functions are called after each batch is on disk, in the
	// order of the batches, one at a time, before the batch's writes are
	// acknowledged: derived data (suggestions, spellings) follows the
	// writes through them. They must be quick: schedule work, not do it.
	OnCommit []func(Commit)
	// Bulk says the index was opened for a bulk load (schema.CreateBulk):
	// its batches return before they are on disk, so several are built at
	// once, each record's outcome is reported once its batch is
	// searchable, and nothing is durable until Sync returns. A bulk
	// writer applies one call at a time and has no OnCommit.
	Bulk bool
	// InFlight is how many batches of a bulk load are built at once: each
	// batch's segment is built by one goroutine inside bleve's Batch.
	// Default GOMAXPROCS.
	InFlight int
}

// SetDefaults fills zero fields with their defaults.
func (o *WriterOptions) SetDefaults() {
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	if o.MinFreeBytes == 0 {
		o.MinFreeBytes = 64 << 20
	}
	if o.InFlight <= 0 {
		o.InFlight = runtime.GOMAXPROCS(0)
	}
}

// Commit is what one durable batch changed.
type Commit struct {
	Generation uint64           // the index's write generation after it
	Changed    []schema.Article // indexed, new or replacing
	Deleted    []string         // ids removed
	Sequence   uint64           // the last log sequence applied after it
}

// Result is what became of one record of a write.
type Result string

// Results of a record.
const (
	Indexed  Result = "indexed"   // a new article
	Replaced Result = "replaced"  // an article whose id was in the index
	Deleted  Result = "deleted"   // removed
	NotFound Result = "not_found" // a delete of an id not in the index
	Rejected Result = "rejected"  // invalid; see Outcome.Err
)

// Record is one change for Apply: an article to index or, with Delete, the
// id of one to remove.
type Record struct {
	// Line is where the record came from (its line in JSON Lines), echoed
	// in its Outcome.
	Line    int
	Article schema.Article // to index, or whose ID to delete
	Delete  bool
	// Err, when set, is why the record could not be read: it is rejected
	// with it.
	Err error
	// Sequence, when not 0, is the record's position in a replicated log
	// of writes (package replica): each batch keeps the highest one in the
	// index, in the same batch, so that a restarted replica resumes right
	// after it. A logged record was prepared before it was logged (see
	// PrepareRecord): only its id is checked again.
	Sequence uint64
	// prepared says Article went through Prepare already (the readers
	// do), which is not to be done twice: it decodes HTML entities.
	prepared bool
}

// Outcome is what became of one Record, reported once it is on disk.
type Outcome struct {
	Line   int
	ID     string
	Result Result
	// Err is the reason of a rejection; a *FieldError names the field.
	Err error
}

// Stats counts what a Writer did in one call.
type Stats struct {
	Indexed  int // articles written, new or replacing an old version
	Replaced int // of Indexed, those whose id was already in the index
	Deleted  int // articles removed
	Skipped  int // records refused as invalid
}

// Add counts one outcome.
func (st *Stats) Add(r Result) {
	switch r {
	case Indexed:
		st.Indexed++
	case Replaced:
		st.Indexed++
		st.Replaced++
	case Deleted:
		st.Deleted++
	case Rejected:
		st.Skipped++
	}
}

// Writer is the one way articles get into an index and out of it, for
// every source: it validates them (Prepare), writes them in batches,
// returns only once a batch is on disk and searchable, and then tells the
// OnCommit listeners. It is safe for concurrent use; writes are applied one
// batch at a time, and the index may be searched meanwhile.
type Writer struct {
	idx  bleve.Index
	opts WriterOptions
	mu   sync.Mutex // one batch at a time; guards every field below
	// shards are where the writes go: idx, or the shards of idx when it
	// is a schema.Shards (see finishMoves). gens are their write
	// generations, and gen their sum, schema.Generation of idx.
	shards []bleve.Index
	gens   []uint64
	gen    uint64
	seq    uint64 // the highest Record.Sequence written
	// moving says a move between shards may be half done.
	moving bool
	// journal, while a rebuild copies the index, collects the ids every
	// batch wrote or deleted since it began, to copy again before the
	// switch.
	journal map[string]struct{}
}

// NewWriter returns a Writer into idx.
func NewWriter(idx bleve.Index, opts WriterOptions) (*Writer, error) {
	opts.SetDefaults()
	if opts.Bulk && len(opts.OnCommit) > 0 {
		return nil, errors.New("a bulk writer has no OnCommit: nothing is on disk before Sync")
	}
	shards := schema.ShardsOf(idx)
	if opts.Bulk && len(shards) > 1 {
		return nil, fmt.Errorf("a bulk load writes one index: %w", schema.ErrSharded)
	}
	if opts.Dir == "" {
		opts.Dir = dirOf(idx)
	}
	w := &Writer{idx: idx, opts: opts, shards: shards, moving: len(shards) > 1}
	for i, shard := range shards {
		gen, err := schema.Generation(shard)
		if err != nil {
			return nil, err
		}
		w.gens = append(w.gens, gen)
		w.gen += gen
		seq, err := schema.Counter(shard, sequenceKey, "log sequence")
		if err != nil {
			return nil, err
		}
		// Every batch from the log writes its position to every shard; a
		// crash may have cut it short after some of them, whose position
		// is then ahead. The log is applied again from the lowest: its
		// records are the latest version of each article, applied twice
		// to the same effect.
		if i == 0 || seq < w.seq {
			w.seq = seq
		}
	}
	if err := w.finishMoves(); err != nil {
		return nil, err
	}
	return w, nil
}

// dirOf returns the directory whose free space the writes into idx use:
// the index's, or that of its shards, directories of one generation on
// one disk.
func dirOf(idx bleve.Index) string {
	shards := schema.ShardsOf(idx)
	if len(shards) > 1 {
		return filepath.Dir(shards[0].Name())
	}
	return idx.Name()
}

// on points w at idx, one index or shards, whose write generations are
// gens, one per shard.
func (w *Writer) on(idx bleve.Index, gens []uint64) {
	w.idx, w.shards, w.gens, w.gen = idx, schema.ShardsOf(idx), gens, 0
	for _, g := range gens {
		w.gen += g
	}
}

// sequenceKey is where an index keeps the highest Record.Sequence written
// into it.
var sequenceKey = []byte("vnsearch.sequence")

// Sequence returns the highest Record.Sequence on disk in the index: 0
// for an index never written from a log.
func (w *Writer) Sequence() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seq
}

// Put indexes articles, replacing those whose id is in the index, and
// returns once they are on disk. An invalid article fails the call with
// its *FieldError, the others still being written.
func (w *Writer) Put(ctx context.Context, articles ...schema.Article) error {
	return w.applyAll(ctx, func(yield func(Record) bool) {
		for _, a := range articles {
			if !yield(Record{Article: a}) {
				return
			}
		}
	})
}

// Delete removes the articles with these ids, those in the index, and
// returns once that is on disk.
func (w *Writer) Delete(ctx context.Context, ids ...string) error {
	return w.applyAll(ctx, func(yield func(Record) bool) {
		for _, id := range ids {
			if !yield(Record{Article: schema.Article{ID: id}, Delete: true}) {
				return
			}
		}
	})
}

// applyAll applies records and returns the first rejection, if any.
func (w *Writer) applyAll(ctx context.Context, records iter.Seq[Record]) error {
	var rejected error
	_, err := w.Apply(ctx, records, func(o Outcome) {
		if o.Result == Rejected && rejected == nil {
			rejected = fmt.Errorf("article %q: %w", o.ID, o.Err)
		}
	})
	if err != nil {
		return err
	}
	return rejected
}

// Load writes every article read (read is a reader such as ReadPaths,
// given a Visitor), reporting bad records as rejected outcomes whose Err
// is the *RecordError. The error is read's or the index's.
func (w *Writer) Load(ctx context.Context, read func(Visitor) error, report func(Outcome)) (Stats, error) {
	var readErr error
	st, err := w.Apply(ctx, func(yield func(Record) bool) {
		stopped := errors.New("stopped")
		readErr = read(Visitor{
			Article: func(a schema.Article) error {
				if !yield(Record{Article: a, prepared: true}) {
					return stopped
				}
				return nil
			},
			Bad: func(e *RecordError) { yield(Record{Line: e.Line, Err: e}) },
		})
		if readErr == stopped {
			readErr = nil
		}
	}, report)
	if err == nil {
		err = readErr
	}
	return st, err
}

// Apply writes records in batches and reports each record's outcome to
// report (when not nil) once its batch is on disk (for a Bulk writer:
// searchable), in input order. A bad record is rejected and the others go
// on. It stops at the first error writing the index, or when ctx is done;
// the outcomes reported before stay true.
func (w *Writer) Apply(ctx context.Context, records iter.Seq[Record], report func(Outcome)) (Stats, error) {
	var st Stats
	reportAll := func(outcomes []Outcome) {
		for _, o := range outcomes {
			st.Add(o.Result)
			if report != nil {
				report(o)
			}
		}
	}
	commit := w.commit
	var bulk *pipeline
	if w.opts.Bulk {
		w.mu.Lock()
		defer w.mu.Unlock()
		bulk = &pipeline{w: w, report: reportAll}
		commit = bulk.commit
	}
	var (
		batch []pending
		err   error
	)
	flush := func() error {
		outcomes, err := commit(batch)
		batch = nil
		reportAll(outcomes)
		return err
	}
	for rec := range records {
		if err = ctx.Err(); err != nil {
			break
		}
		batch = append(batch, prepareRecord(rec))
		if len(batch) >= w.opts.BatchSize {
			if err = flush(); err != nil {
				break
			}
		}
	}
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if bulk != nil {
		if derr := bulk.drain(); err == nil {
			err = derr
		}
	}
	return st, err
}

// pending is one record of a batch being built, checked.
type pending struct {
	rec Record
	err error
}

// prepareRecord validates a record for a batch.
func prepareRecord(rec Record) pending {
	rec, err := PrepareRecord(rec)
	return pending{rec: rec, err: err}
}

// PrepareRecord validates a record as the Writer does before writing it,
// and returns it ready: an article through Prepare, a delete's id alone, a
// logged record's id alone. The error is why the record is rejected. A
// record is prepared once: the Writer does not prepare the one returned
// again.
func PrepareRecord(rec Record) (Record, error) {
	switch {
	case rec.Err != nil:
		return rec, rec.Err
	case rec.Delete:
		id, err := checkID(rec.Article.ID)
		rec.Article = schema.Article{ID: id}
		return rec, err
	case rec.prepared:
		return rec, nil
	case rec.Sequence != 0:
		var err error
		rec.Article.ID, err = checkID(rec.Article.ID)
		return rec, err
	}
	a, err := Prepare(rec.Article)
	rec.Article, rec.prepared = a, err == nil
	return rec, err
}

// commit writes one batch and returns the outcome of each of its records
// once it is on disk and searchable: scorch's Batch, on an index with a
// directory, returns only after the persister has written the batch's
// segment and synced the root of the index (bleve's "safe batch", its
// default), or with the error that kept it from doing so.
func (w *Writer) commit(records []pending) ([]Outcome, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.finishMoves(); err != nil {
		return nil, err
	}
	steps, c, outcomes, err := w.prepareBatch(records)
	if err != nil || steps == nil {
		return outcomes, err
	}
	err = schema.Exclusive(w.idx, func() error {
		for _, step := range steps {
			for _, sb := range step {
				if err := w.writeShard(sb); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		// A move's first step may be on disk: finish it before the next
		// batch.
		w.moving = w.moving || len(steps[2]) > 0
		return nil, err
	}
	w.seq = c.Sequence
	for _, fn := range w.opts.OnCommit {
		fn(c)
	}
	return outcomes, nil
}

// prepareBatch checks that a batch can be written and makes it of
// records: the batches of its shards, in the steps of a move (see
// writePlan.batches), with the outcome each record will have and the
// Commit it will be once they are all written. steps is nil when nothing
// is to be written. It is called with w.mu held.
func (w *Writer) prepareBatch(records []pending) (steps *[3][]shardBatch, c Commit, outcomes []Outcome, err error) {
	// A batch that scorch fails to save stays in its memory half-made
	// (searches over it can panic), so what would make the save fail is
	// checked first.
	if err := checkFreeSpace(w.opts.Dir, w.opts.MinFreeBytes); err != nil {
		return nil, c, nil, err
	}
	if err := probeWritable(w.opts.Dir); err != nil {
		return nil, c, nil, fmt.Errorf("%w: %w", ErrNotDurable, err)
	}
	ids := make([]string, 0, len(records))
	for _, p := range records {
		if p.err == nil {
			ids = append(ids, p.rec.Article.ID)
		}
	}
	holder, err := w.holders(ids)
	if err != nil {
		return nil, c, nil, err
	}
	outcomes = make([]Outcome, len(records))
	plan := newWritePlan(len(w.shards))
	last := map[string]int{} // id → its last record in the batch, which wins
	for i, p := range records {
		id := p.rec.Article.ID
		o := &outcomes[i]
		o.Line, o.ID = p.rec.Line, id
		from, held := holder[id]
		switch {
		case p.err != nil:
			o.Result, o.Err = Rejected, p.err
			continue
		case p.rec.Delete:
			o.Result = NotFound
			if held {
				o.Result = Deleted
				plan.remove(id, from)
			}
			delete(holder, id)
		default:
			to, err := w.shardFor(p.rec.Article)
			if err != nil {
				return nil, c, nil, err
			}
			o.Result = Indexed
			if held {
				o.Result = Replaced
			} else {
				from = -1
			}
			plan.index(&p.rec.Article, from, to)
			holder[id] = to
		}
		last[id] = i
	}
	for _, p := range records {
		plan.sequence = max(plan.sequence, p.rec.Sequence)
	}
	if plan.sequence <= w.seq {
		plan.sequence = 0 // nothing past the position on disk
	}
	if plan.empty() {
		return nil, c, outcomes, nil // only rejections, and deletes of ids not there
	}
	batches, err := plan.batches(w.shards)
	if err != nil {
		return nil, c, nil, err
	}
	c.Generation = w.gen + uint64(len(batches[0])+len(batches[1])+len(batches[2]))
	for i, p := range records {
		switch {
		case p.err != nil || last[p.rec.Article.ID] != i:
		case p.rec.Delete:
			c.Deleted = append(c.Deleted, p.rec.Article.ID)
		default:
			c.Changed = append(c.Changed, p.rec.Article)
		}
	}
	for id := range last {
		if w.journal != nil {
			w.journal[id] = struct{}{}
		}
	}
	c.Sequence = max(w.seq, plan.sequence)
	return &batches, c, outcomes, nil
}

// writeShard applies one shard's batch, with the shard's next write
// generation.
func (w *Writer) writeShard(sb shardBatch) error {
	sb.b.SetInternal(schema.GenerationKey(), schema.CounterValue(w.gens[sb.shard]+1))
	if err := w.write(w.shards[sb.shard], sb.b); err != nil {
		return err
	}
	w.gens[sb.shard]++
	w.gen++
	return nil
}

// write applies b to idx, the index or one of its shards.
func (w *Writer) write(idx bleve.Index, b *bleve.Batch) error {
	if err := idx.Batch(b); err != nil {
		if errors.Is(err, bleve.ErrorIndexClosed) {
			return err
		}
		return fmt.Errorf("%w: %w", ErrNotDurable, err)
	}
	return nil
}

// Sync returns once everything the writer wrote is on disk: it writes the
// write generation in a batch of its own to each shard (or the index) and
// waits until the persisters have saved them, and with them every batch
// before. A Bulk writer's load is durable only then; for another it is a
// no-op in effect.
func (w *Writer) Sync(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	persisted := make(chan error, len(w.shards))
	for i, shard := range w.shards {
		b := shard.NewBatch()
		b.SetInternal(schema.GenerationKey(), schema.CounterValue(w.gens[i]))
		b.SetPersistedCallback(func(err error) { persisted <- err })
		if err := w.write(shard, b); err != nil {
			return err
		}
	}
	for range w.shards {
		select {
		case err := <-persisted:
			if err != nil {
				return fmt.Errorf("%w: %w", ErrNotDurable, err)
			}
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrNotDurable, ctx.Err())
		}
	}
	return nil
}

// pipeline builds the batches of one bulk Apply several at once. Its
// batches are introduced into the index in any order, so a batch that
// writes an id one in flight writes waits until those are done: the last
// write of an id wins, and its outcome (indexed or replaced) is right.
type pipeline struct {
	w        *Writer
	report   func([]Outcome)
	inFlight []*flight // oldest first
	err      error     // the first batch's that failed
}

// flight is one batch being written.
type flight struct {
	ids      map[string]struct{}
	outcomes []Outcome
	done     chan error
}

// commit prepares records as a batch and starts writing it, once fewer
// than InFlight batches are being written and none writes the same ids.
// It reports the outcomes of the batches done meanwhile. The outcomes it
// returns are those of a batch with only rejections.
func (p *pipeline) commit(records []pending) ([]Outcome, error) {
	ids := make(map[string]struct{}, len(records))
	for _, r := range records {
		if r.err == nil {
			ids[r.rec.Article.ID] = struct{}{}
		}
	}
	for p.overlaps(ids) || len(p.inFlight) >= p.w.opts.InFlight {
		p.finishOldest()
	}
	if p.err != nil {
		return nil, p.err
	}
	steps, c, outcomes, err := p.w.prepareBatch(records)
	if err != nil || steps == nil {
		return outcomes, err
	}
	// A bulk writer writes one index: one batch, whose generation Sync
	// writes.
	b := steps[0][0].b
	p.w.gens[0], p.w.gen, p.w.seq = c.Generation, c.Generation, c.Sequence
	f := &flight{ids: ids, outcomes: outcomes, done: make(chan error, 1)}
	p.inFlight = append(p.inFlight, f)
	go func() { f.done <- p.w.write(p.w.idx, b) }()
	return nil, nil
}

func (p *pipeline) overlaps(ids map[string]struct{}) bool {
	for _, f := range p.inFlight {
		for id := range ids {
			if _, ok := f.ids[id]; ok {
				return true
			}
		}
	}
	return false
}

// finishOldest waits for the oldest batch in flight and reports its
// outcomes, or notes its error.
func (p *pipeline) finishOldest() {
	f := p.inFlight[0]
	p.inFlight = p.inFlight[1:]
	if err := <-f.done; err != nil {
		if p.err == nil {
			p.err = err
		}
		return
	}
	if p.err == nil {
		p.report(f.outcomes)
	}
}

// drain waits for every batch in flight and returns the first error of
// one.
func (p *pipeline) drain() error {
	for len(p.inFlight) > 0 {
		p.finishOldest()
	}
	return p.err
}

// holders returns the ids of ids in the index, each with its shard (0
// over one index).
func (w *Writer) holders(ids []string) (map[string]int, error) {
	out := make(map[string]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	for i, shard := range w.shards {
		res, err := shard.Search(req)
		if err != nil {
			return nil, fmt.Errorf("look up existing ids: %w", err)
		}
		for _, h := range res.Hits {
			out[h.ID] = i
		}
	}
	return out, nil
}
