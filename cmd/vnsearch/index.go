package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
	"github.com/vnsearch/vnsearch/suggest"
)

func runIndex(ctx context.Context, args []string, e env) error {
	fs := newFlags("index", "PATH...", e)
	dir := indexFlag(fs, e)
	batch := fs.Int("batch", 0, "articles written per batch (default 1000)")
	parallel := fs.Int("parallel", 1,
		"batches built at once into a new index or a rebuild; above 1 the load is saved to disk once at its end, which keeps both cores busy but costs more CPU and memory (see docs/performance.md)")
	compact := fs.Bool("compact", true, "merge the index into one segment when done, for faster searches")
	rebuild := fs.Bool("rebuild", false,
		"build a new generation of the index from its stored articles, with this version's analyzers and schema, and switch to it; then index PATHs, if any")
	shards := fs.Int("shards", 1,
		"split a new index, or a rebuilt one, by year of publication into this many shards of about as many articles, searched as one (see docs/scaling.md); the articles without a date go to the last. PATHs indexed later into a sharded index go to the shard of their year")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 && !*rebuild {
		return fmt.Errorf("%w: no file or directory to index", errUsage)
	}
	if *shards < 1 {
		return fmt.Errorf("%w: --shards %d: at least 1", errUsage, *shards)
	}
	if *shards > 1 && *rebuild && fs.NArg() > 0 {
		return fmt.Errorf("%w: --rebuild --shards builds from the stored articles only: index PATHs into a new directory with --shards instead", errUsage)
	}
	opts := indexer.WriterOptions{BatchSize: *batch}
	bulk := opts
	bulk.Bulk, bulk.InFlight = *parallel > 1, *parallel
	read := func(v indexer.Visitor) error { return indexer.ReadPaths(fs.Args(), v) }
	var idx bleve.Index
	var err error
	built := false // a new index, built from PATHs already
	switch {
	case *rebuild && *shards > 1:
		idx, err = rebuildShards(ctx, *dir, *shards, bulk, *compact, e)
	case *rebuild:
		idx, err = rebuildIndex(ctx, *dir, bulk, *compact, e)
	default:
		idx, _, err = store.Open(*dir)
		switch {
		case errors.Is(err, schema.ErrNoIndex) && *shards > 1:
			built = true
			idx, err = buildShards(ctx, *dir, *shards, bulk, *compact, read, e)
		case errors.Is(err, schema.ErrNoIndex):
			// A new index is built in a generation of its own, named
			// current once all of it is on disk.
			built = true
			idx, _, err = store.Build(ctx, *dir, bulk, func(idx bleve.Index, w *indexer.Writer) error {
				if err := indexInto(ctx, idx, w, e, read); err != nil {
					return err
				}
				return compactIf(ctx, *compact, idx, e)
			})
		case err == nil && *shards > 1:
			idx.Close()
			return fmt.Errorf("%w: --shards %d splits a new index, and %s holds one: give another --index, or add --rebuild", errUsage, *shards, *dir)
		default:
			err = withRebuildHint(err, *dir)
		}
		if err == nil {
			removeStale(*dir, e) // what builds killed before, or searches held, left
		}
	}
	if err != nil {
		return err
	}
	defer idx.Close()
	g, err := store.Current(*dir)
	if err != nil {
		return err
	}
	// Suggestions saved beside the index follow the writes, so that only
	// the first indexing of an archive, or one that changes much of it,
	// reads it all to build them.
	suggester := suggest.New(idx, suggest.Options{})
	loaded, err := suggester.Load(g.Dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "the saved suggestions will be built again: %v\n", err)
	}
	if fs.NArg() > 0 && !built {
		wopts := opts
		if loaded {
			wopts.OnCommit = []func(indexer.Commit){func(c indexer.Commit) {
				suggester.Apply(c.Generation, c.Changed, c.Deleted)
			}}
		}
		w, err := indexer.NewWriter(idx, wopts)
		if err != nil {
			return err
		}
		if err := indexInto(ctx, idx, w, e, read); err != nil {
			return err
		}
		if err := compactIf(ctx, *compact, idx, e); err != nil {
			return err
		}
	}
	// Read the spellings of the new archive once, for every later search.
	if err := search.New(idx, search.Options{}).Prepare(); err != nil {
		return err
	}
	if !suggester.Ready() || suggester.RefreshDue() {
		st, err := suggester.Build(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "built the suggestions of %d articles in %.1fs\n", st.Articles, st.Took.Seconds())
	}
	return suggester.Save(g.Dir)
}

// compactIf compacts idx when asked, and says how long it took.
func compactIf(ctx context.Context, compact bool, idx bleve.Index, e env) error {
	if !compact {
		return nil
	}
	started := time.Now()
	if err := indexer.Compact(ctx, idx); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "compacted the index in %.1fs\n", time.Since(started).Seconds())
	return nil
}

// rebuildIndex builds a new generation of the index in dir from the
// current one, of any schema version, in one load, switches to it,
// deletes the old one and returns the new one, open.
func rebuildIndex(ctx context.Context, dir string, opts indexer.WriterOptions, compact bool, e env) (bleve.Index, error) {
	// The old generation stays open, and so locked, until the switch.
	old, g, err := store.OpenAnyVersion(dir)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	var st indexer.Stats
	next, ng, err := store.Build(ctx, dir, opts, func(idx bleve.Index, w *indexer.Writer) error {
		if st, err = w.Copy(ctx, old); err != nil {
			return err
		}
		return compactIf(ctx, compact, idx, e)
	})
	old.Close()
	if err != nil {
		return nil, fmt.Errorf("rebuild: %w", err)
	}
	if err := store.Remove(dir, g); err != nil {
		fmt.Fprintf(e.stderr, "the old generation %s was not deleted: %v\n", g.Dir, err)
	}
	fmt.Fprintf(e.stderr, "rebuilt %d articles into %s in %.1fs\n", st.Indexed, ng.Dir, time.Since(started).Seconds())
	return next, nil
}

// buildShards builds a new index in dir of the articles read by read,
// split by year into at most n shards, each compacted when asked.
func buildShards(ctx context.Context, dir string, n int, opts indexer.WriterOptions, compact bool, read func(indexer.Visitor) error, e env) (bleve.Index, error) {
	idx, g, shards, err := store.BuildByYear(ctx, dir, n, opts, read, func(idx bleve.Index, w *indexer.Writer, read func(indexer.Visitor) error) error {
		if err := indexInto(ctx, idx, w, e, read); err != nil {
			return err
		}
		return compactIf(ctx, compact, idx, e)
	})
	if err != nil {
		return nil, err
	}
	for _, s := range shards {
		fmt.Fprintf(e.stderr, "shard %s: %d articles of %s\n", filepath.Join(g.Dir, s.Dir), s.Articles, shardYears(s))
	}
	return idx, nil
}

// shardYears says which years a shard holds.
func shardYears(s store.Shard) string {
	switch {
	case s.From == 0 && s.To == 0:
		return "every year, and those without a date"
	case s.From == 0:
		return fmt.Sprintf("the years up to %d", s.To)
	case s.To == 0:
		return fmt.Sprintf("the years from %d, and those without a date", s.From)
	}
	return fmt.Sprintf("%d to %d", s.From, s.To)
}

// rebuildShards builds a new generation of the index in dir from the
// current one split by year into at most n shards, switches to it,
// deletes the old one and returns the new one, open.
func rebuildShards(ctx context.Context, dir string, n int, opts indexer.WriterOptions, compact bool, e env) (bleve.Index, error) {
	old, g, err := store.OpenAnyVersion(dir)
	if err != nil {
		return nil, err
	}
	idx, err := buildShards(ctx, dir, n, opts, compact, func(v indexer.Visitor) error {
		return schema.ReadArticles(ctx, old, v.Article)
	}, e)
	old.Close()
	if err != nil {
		return nil, fmt.Errorf("rebuild: %w", err)
	}
	if err := store.Remove(dir, g); err != nil {
		fmt.Fprintf(e.stderr, "the old generation %s was not deleted: %v\n", g.Dir, err)
	}
	return idx, nil
}

// removeStale deletes the generations of dir older than the current one,
// which a server stopped while they were still searched leaves behind.
func removeStale(dir string, e env) {
	if err := store.RemoveStale(dir); err != nil {
		fmt.Fprintf(e.stderr, "old generations of the index not deleted: %v\n", err)
	}
}

// withRebuildHint adds to an error opening the index in dir, when the
// index was built by another version, the command that rebuilds it.
func withRebuildHint(err error, dir string) error {
	if errors.Is(err, schema.ErrIncompatible) {
		return fmt.Errorf("%w\nrebuild it with: vnsearch index --rebuild --index %s", err, dir)
	}
	return err
}

// openIndex opens the current generation of the index in dir to search it.
func openIndex(dir string) (bleve.Index, error) {
	idx, _, err := store.Open(dir)
	return idx, withRebuildHint(err, dir)
}

// indexInto reads articles with read into idx, reporting each bad record on
// e.stderr as it comes, a progress line on a terminal, and a summary. It
// fails only when nothing could be indexed, the index cannot be written, or
// ctx is cancelled.
func indexInto(ctx context.Context, idx bleve.Index, w *indexer.Writer, e env, read func(indexer.Visitor) error) error {
	progress := newProgress(e.stderr, isTerminal(e.stderr))
	written := 0
	started := time.Now()
	st, err := w.Load(ctx, read, func(o indexer.Outcome) {
		if o.Result != indexer.Rejected {
			written++
			progress.update(written)
			return
		}
		progress.clear()
		var re *indexer.RecordError
		if errors.As(o.Err, &re) {
			fmt.Fprintln(e.stderr, re)
			return
		}
		fmt.Fprintf(e.stderr, "article %q: %v\n", o.ID, o.Err)
	})
	progress.clear()
	elapsed := time.Since(started)
	total, _ := idx.DocCount()
	fmt.Fprintf(e.stderr, "indexed %d articles (%d replaced), skipped %d bad records in %.1fs (%.0f docs/s); the index holds %d articles\n",
		st.Indexed, st.Replaced, st.Skipped, elapsed.Seconds(), float64(st.Indexed)/elapsed.Seconds(), total)
	if err != nil {
		return err
	}
	if st.Indexed == 0 {
		return errors.New("nothing was indexed")
	}
	return nil
}

// indexDemo fills idx with the bundled demo corpus.
func indexDemo(ctx context.Context, idx bleve.Index, demo fs.FS, e env) error {
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		return err
	}
	return indexInto(ctx, idx, w, e, func(v indexer.Visitor) error {
		return indexer.ReadFS(demo, ".", v)
	})
}

// progress rewrites one line on a terminal with the count so far, at most
// a few times a second; elsewhere it prints nothing.
type progress struct {
	w       io.Writer
	on      bool
	started time.Time
	last    time.Time
	shown   bool
}

func newProgress(w io.Writer, on bool) *progress {
	return &progress{w: w, on: on, started: time.Now()}
}

func (p *progress) update(n int) {
	if !p.on || time.Since(p.last) < 250*time.Millisecond {
		return
	}
	p.last = time.Now()
	rate := float64(n) / time.Since(p.started).Seconds()
	fmt.Fprintf(p.w, "\r\033[Kindexed %d articles (%.0f docs/s)", n, rate)
	p.shown = true
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
