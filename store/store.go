// Package store keeps a vnsearch index directory as a series of
// generations, so that an index can be rebuilt, restored or replaced while
// it is being searched: each generation is a complete bleve index in its
// own subdirectory (gen-000001, gen-000002, …) and the file CURRENT names
// the one to open. Moving CURRENT from one generation to the next is
// atomic: a process that opens the directory, or restarts after a crash,
// finds either the old generation or the new one, whole.
//
// A directory that is itself a bleve index, as vnsearch made them before
// generations, is generation 0 until its first rebuild.
//
// The package also writes and reads backups of a generation and dumps its
// articles as JSON Lines.
package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/atomicfile"
	"github.com/vnsearch/vnsearch/schema"
)

// currentFile names the file that says which generation is current.
const currentFile = "CURRENT"

// genPrefix begins the name of every generation's directory.
const genPrefix = "gen-"

// legacyMeta is the file a bleve index keeps at its top: a directory that
// has it is an index made before generations.
const legacyMeta = "index_meta.json"

// Generation is one complete index in an index directory.
type Generation struct {
	// N numbers the generations of a directory in the order they were
	// made; 0 is a directory that is itself an index.
	N int
	// Dir is the directory of the bleve index.
	Dir string
}

func generation(dir string, n int) Generation {
	if n == 0 {
		return Generation{Dir: dir}
	}
	return Generation{N: n, Dir: filepath.Join(dir, fmt.Sprintf("%s%06d", genPrefix, n))}
}

// Current returns the generation of dir to open, or an error wrapping
// schema.ErrNoIndex when dir holds none.
func Current(dir string) (Generation, error) {
	data, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, legacyMeta)); err == nil {
			return generation(dir, 0), nil
		}
		return Generation{}, fmt.Errorf("open %s: %w", dir, schema.ErrNoIndex)
	}
	if err != nil {
		return Generation{}, fmt.Errorf("open %s: %w", dir, err)
	}
	name := strings.TrimSpace(string(data))
	n, err := strconv.Atoi(strings.TrimPrefix(name, genPrefix))
	if !strings.HasPrefix(name, genPrefix) || err != nil || n <= 0 {
		return Generation{}, fmt.Errorf("open %s: %s names no generation: %q", dir, currentFile, name)
	}
	return generation(dir, n), nil
}

// Open opens the current generation of dir, or returns an error wrapping
// schema.ErrNoIndex when there is none and schema.ErrIncompatible when it
// was built with another schema version.
func Open(dir string) (bleve.Index, Generation, error) {
	return openCurrent(dir, schema.Open)
}

// OpenReadOnly opens the current generation of dir like Open, for
// searching only: nothing is written to it.
func OpenReadOnly(dir string) (bleve.Index, Generation, error) {
	return openCurrent(dir, schema.OpenReadOnly)
}

// OpenAnyVersion opens the current generation of dir whatever schema
// version it was built with, to rebuild or dump it.
func OpenAnyVersion(dir string) (bleve.Index, Generation, error) {
	return openCurrent(dir, schema.OpenAnyVersion)
}

// openCurrent opens the current generation of dir with open.
func openCurrent(dir string, open func(string) (bleve.Index, error)) (bleve.Index, Generation, error) {
	g, err := Current(dir)
	if err != nil {
		return nil, Generation{}, err
	}
	idx, err := openGeneration(g.Dir, open)
	return idx, g, err
}

// OpenOrCreate opens the current generation of dir, or makes dir with an
// empty first generation when it holds no index. created says which
// happened.
func OpenOrCreate(dir string) (idx bleve.Index, g Generation, created bool, err error) {
	idx, g, err = Open(dir)
	if !errors.Is(err, schema.ErrNoIndex) {
		return idx, g, false, err
	}
	idx, g, err = create(dir, nil)
	if err != nil {
		return nil, Generation{}, false, err
	}
	if err := setCurrent(dir, g); err != nil {
		idx.Close()
		return nil, Generation{}, false, err
	}
	return idx, g, true, nil
}

// create makes an empty index, with the current mapping, in a new
// generation of dir, numbered after every generation there: one index
// when shards is nil, else empty shards, opened as one schema.Shards,
// whose manifest countShards writes.
func create(dir string, shards []Shard) (bleve.Index, Generation, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, Generation{}, fmt.Errorf("create index %s: %w", dir, err)
	}
	g := generation(dir, lastGeneration(dir)+1)
	if shards == nil {
		idx, err := schema.Create(g.Dir)
		return idx, g, err
	}
	if err := os.Mkdir(g.Dir, 0o755); err != nil {
		return nil, Generation{}, fmt.Errorf("create index %s: %w", g.Dir, err)
	}
	idx, err := openShards(g.Dir, shards, schema.Create)
	if err != nil {
		os.RemoveAll(g.Dir)
		return nil, Generation{}, err
	}
	return idx, g, nil
}

// RemoveStale deletes the generations of dir older than the current one:
// those a process stopped or crashed before it could delete once their
// searches were done. Call it only where no other process serves dir.
func RemoveStale(dir string) error {
	g, err := Current(dir)
	if err != nil {
		return err
	}
	stale := generations(dir)
	if _, err := os.Stat(filepath.Join(dir, legacyMeta)); err == nil {
		stale = append(stale, 0)
	}
	for _, n := range stale {
		if n < g.N {
			if err := Remove(dir, generation(dir, n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// lastGeneration returns the highest number of the generations in dir,
// current or not (a rebuild that failed leaves one behind), 0 for none.
func lastGeneration(dir string) int {
	last := 0
	for _, n := range generations(dir) {
		last = max(last, n)
	}
	return last
}

// generations returns the numbers of the generation directories in dir.
func generations(dir string) []int {
	entries, _ := os.ReadDir(dir)
	var ns []int
	for _, e := range entries {
		n, err := strconv.Atoi(strings.TrimPrefix(e.Name(), genPrefix))
		if err == nil && strings.HasPrefix(e.Name(), genPrefix) && n > 0 {
			ns = append(ns, n)
		}
	}
	return ns
}

// setCurrent makes g the current generation of dir: CURRENT is written
// beside, synced, and renamed over the old one, and the rename synced, so
// that a crash leaves one or the other.
func setCurrent(dir string, g Generation) error {
	err := atomicfile.Write(filepath.Join(dir, currentFile), 0o600, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, filepath.Base(g.Dir))
		return err
	})
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("switch generation: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Remove deletes generation g of dir, which must be closed and no longer
// current. Of generation 0 it deletes the index files, not dir.
func Remove(dir string, g Generation) error {
	if g.N > 0 {
		return os.RemoveAll(g.Dir)
	}
	for _, name := range []string{legacyMeta, "store"} {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// Build makes a new generation of dir in one load, for a directory that
// nothing serves: load writes into it through w, a writer with opts (with
// opts.Bulk, the index is opened for a bulk load and its batches go to
// disk without waiting one by one). Once load returns, everything is
// synced to disk, CURRENT is switched to the new generation, and it is
// opened again with durable batches for the writes after it, and
// returned. On an error, or a crash, before the switch, dir is as it was:
// the new generation is deleted on an error, and after a crash is a
// directory that CURRENT does not name.
func Build(ctx context.Context, dir string, opts indexer.WriterOptions, load func(idx bleve.Index, w *indexer.Writer) error) (bleve.Index, Generation, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, Generation{}, fmt.Errorf("create index %s: %w", dir, err)
	}
	g := generation(dir, lastGeneration(dir)+1)
	err := buildInto(ctx, g.Dir, opts, load)
	if err == nil {
		err = setCurrent(dir, g)
	}
	if err != nil {
		os.RemoveAll(g.Dir)
		return nil, Generation{}, err
	}
	idx, err := schema.Open(g.Dir)
	return idx, g, err
}

// buildInto makes a new index in dir, loads it with load through a writer
// with opts, syncs it to disk and closes it.
func buildInto(ctx context.Context, dir string, opts indexer.WriterOptions, load func(idx bleve.Index, w *indexer.Writer) error) error {
	create := schema.Create
	if opts.Bulk {
		create = schema.CreateBulk
	}
	idx, err := create(dir)
	if err != nil {
		return err
	}
	w, err := indexer.NewWriter(idx, opts)
	if err == nil {
		err = load(idx, w)
	}
	if err == nil {
		err = w.Sync(ctx)
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	return err
}

// RebuildHooks let the caller of Rebuild follow it.
type RebuildHooks struct {
	// Copied, when set, is called once the new generation holds every
	// article of the old one, writes still going on: build there what
	// searches need, so that the switch is short. An error stops the
	// rebuild.
	Copied func(next bleve.Index) error
	// Switched, when set, is called with the writes held, once CURRENT
	// names the new generation: searches are to move to it.
	Switched func(next bleve.Index, g Generation)
}

// Rebuild builds a new generation of dir from the articles of w's index,
// the current generation, with the current mapping, and switches w and
// CURRENT to it (see indexer.Writer.Rebuild): writes may go on through w
// meanwhile, and none is lost. A generation split into shards is rebuilt
// into shards of the same years. The old generation is left open; close
// it, then Remove it. On an error the new generation is deleted and
// everything stays on the old one.
func Rebuild(ctx context.Context, dir string, w *indexer.Writer, hooks RebuildHooks) (bleve.Index, Generation, indexer.Stats, error) {
	cur, err := Current(dir)
	if err != nil {
		return nil, Generation{}, indexer.Stats{}, err
	}
	plan, err := Shards(cur)
	if err != nil {
		return nil, Generation{}, indexer.Stats{}, err
	}
	next, g, err := create(dir, plan)
	if err != nil {
		return nil, Generation{}, indexer.Stats{}, err
	}
	st, err := w.Rebuild(ctx, next, indexer.RebuildHooks{
		Copied: hooks.Copied,
		Switch: func(idx bleve.Index) error {
			if err := countShards(idx, g, plan); err != nil {
				return err
			}
			if err := setCurrent(dir, g); err != nil {
				return err
			}
			if hooks.Switched != nil {
				hooks.Switched(idx, g)
			}
			return nil
		},
	})
	if err != nil {
		next.Close()
		os.RemoveAll(g.Dir)
		return nil, Generation{}, st, fmt.Errorf("rebuild: %w", err)
	}
	return next, g, st, nil
}
