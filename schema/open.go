package schema

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolt "go.etcd.io/bbolt"
)

// Errors opening an index.
var (
	// ErrNoIndex reports that a directory holds no vnsearch index yet.
	ErrNoIndex = errors.New("no index")
	// ErrIncompatible reports an index built with another layout of
	// fields than this version of vnsearch searches.
	ErrIncompatible = errors.New("index built by another version of vnsearch; rebuild it")
	// ErrDamaged reports an index whose files cannot be read (a segment
	// truncated or corrupt). Nothing in it was changed or removed.
	ErrDamaged = errors.New("index damaged: build a new one with `vnsearch index --index NEWDIR ARCHIVE...` (or restore a backup) and serve that; the damaged directory was left as it is")
	// ErrLocked reports an index that another process has open.
	ErrLocked = errors.New("index in use by another process (a running vnsearch serve or index); stop it, or search through its API")
)

// lockTimeout is how long opening an index waits for another process to
// let go of it: long enough for a server being restarted, short enough
// that a command run beside a server fails at once.
const lockTimeout = "500ms"

// Version names the layout of fields NewMapping makes. It changes whenever
// an index built before would be searched wrongly, and is stored in every
// index so that such an index is refused rather than silently finding
// nothing.
const Version = "4"

// versionKey is where an index keeps the Version it was built with.
var versionKey = []byte("vnsearch.schema")

// Open opens the index in dir for reading and writing, or returns an error
// wrapping ErrNoIndex when there is none there, ErrIncompatible when it
// was built with another Version and ErrLocked when another process has
// it open. The returned index is safe for concurrent use.
func Open(dir string) (bleve.Index, error) {
	return checkedFirst(open, dir)
}

// checkedFirst opens dir with open read-only, then for writing: a damaged
// index is found by the read-only open, as a writable one would start
// cleaning up the files the damaged snapshot does not name.
func checkedFirst(open func(dir string, readOnly bool) (bleve.Index, error), dir string) (bleve.Index, error) {
	ro, err := open(dir, true)
	if err != nil {
		return nil, err
	}
	ro.Close()
	return open(dir, false)
}

// OpenReadOnly opens the index in dir like Open, for searching only:
// nothing is ever written to the directory.
func OpenReadOnly(dir string) (bleve.Index, error) {
	return open(dir, true)
}

// OpenAnyVersion opens the index in dir whatever Version it was built
// with, to read its stored articles back (a rebuild, a dump): searching an
// index of another Version finds the wrong articles.
func OpenAnyVersion(dir string) (bleve.Index, error) {
	return checkedFirst(openAnyVersion, dir)
}

// StoredVersion returns the Version idx was built with.
func StoredVersion(idx bleve.Index) (string, error) {
	v, err := idx.GetInternal(versionKey)
	if err != nil {
		return "", fmt.Errorf("read the index's schema version: %w", err)
	}
	return string(v), nil
}

func open(dir string, readOnly bool) (bleve.Index, error) {
	idx, err := openAnyVersion(dir, readOnly)
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

func openAnyVersion(dir string, readOnly bool) (idx bleve.Index, err error) {
	defer func() {
		// Some damage makes the segment reader panic rather than fail.
		if p := recover(); p != nil {
			idx, err = nil, fmt.Errorf("open %s: %v: %w", dir, p, ErrDamaged)
		}
	}()
	idx, err = bleve.OpenUsing(dir, map[string]any{
		"bolt_timeout": lockTimeout,
		"read_only":    readOnly,
		// A batch returns once it is on disk: what the writer
		// acknowledges survives a crash. This is bleve's default, kept
		// whatever the index's stored config says.
		"unsafe_batch": false,
	})
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || errors.Is(err, bleve.ErrorIndexMetaMissing):
		return nil, fmt.Errorf("open %s: %w", dir, ErrNoIndex)
	case errors.Is(err, bolt.ErrTimeout):
		return nil, fmt.Errorf("open %s: %w", dir, ErrLocked)
	case err != nil && isDamage(err):
		return nil, fmt.Errorf("open %s: %v: %w", dir, err, ErrDamaged)
	case err != nil:
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	if !readOnly {
		return idx, nil
	}
	// Read-only, no persister runs that loading a snapshot would race.
	if err := loadNewestSnapshot(idx); err != nil {
		idx.Close()
		return nil, fmt.Errorf("open %s: %v: %w", dir, err, ErrDamaged)
	}
	return idx, nil
}

// loadNewestSnapshot loads the newest snapshot of idx on disk again.
// Scorch, when a segment of it cannot be read, opens an older snapshot
// with no more than a log line, which would serve an index without its
// latest articles as if nothing were wrong.
func loadNewestSnapshot(idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	epochs, err := sc.RootBoltSnapshotEpochs()
	if err != nil || len(epochs) == 0 {
		return err
	}
	snapshot, err := sc.LoadSnapshot(epochs[0])
	if err != nil {
		return err
	}
	return snapshot.Close()
}

// isDamage tells the errors of opening an index that come from its files'
// content rather than from reaching them (permissions, a missing disk).
func isDamage(err error) bool {
	var pe *fs.PathError
	return !errors.As(err, &pe)
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

// CreateBulk makes an empty index like Create and opens it for one bulk
// load: a batch returns once searchable, before it is on disk (bleve's
// unsafe batches), so that the next one is built meanwhile. Nothing the
// load wrote is durable until a batch with a persisted callback reports
// it on disk (indexer.Writer.Sync), and a crash before that leaves the
// index holding any earlier part of the load: build it where nothing
// searches it, such as a generation not yet current. The setting is not
// stored in the index; Open opens it with safe batches again.
func CreateBulk(dir string) (bleve.Index, error) {
	idx, err := Create(dir)
	if err != nil {
		return nil, err
	}
	if err := idx.Close(); err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	idx, err = bleve.OpenUsing(dir, map[string]any{
		"bolt_timeout": lockTimeout,
		"unsafe_batch": true,
	})
	if err != nil {
		return nil, fmt.Errorf("open index %s for a bulk load: %w", dir, err)
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
// batches; of Shards, the sum of theirs, which any batch of any shard
// moves.
func Generation(idx bleve.Index) (uint64, error) {
	sum := uint64(0)
	for _, shard := range ShardsOf(idx) {
		n, err := Counter(shard, generationKey, "generation")
		if err != nil {
			return 0, err
		}
		sum += n
	}
	return sum, nil
}

// Counter returns the counter idx keeps under the internal key, 0 when it
// has none yet; what names the counter in an error.
func Counter(idx bleve.Index, key []byte, what string) (uint64, error) {
	v, err := idx.GetInternal(key)
	if err != nil {
		return 0, fmt.Errorf("read the index's %s: %w", what, err)
	}
	if len(v) != 8 {
		return 0, nil
	}
	return binary.BigEndian.Uint64(v), nil
}

// CounterValue returns counter v as an internal value Counter reads back.
func CounterValue(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
