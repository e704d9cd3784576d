package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/internal/eval"
)

// defaultEvalCorpus is the shared news corpus, relative to the repository
// root, where the eval is run from.
const defaultEvalCorpus = "../shared/corpus/news.jsonl.gz"

// defaultTopicalSet is the project's judged topical queries, relative to
// the repository root.
const defaultTopicalSet = "testdata/relevance/topical.json"

func runEval(ctx context.Context, args []string, e env) error {
	fs := newFlags("eval", "", e)
	corpus := fs.String("corpus", defaultEvalCorpus, "articles to evaluate on (any format index reads)")
	docs := fs.Int("docs", 0, "articles to index, spread over the corpus (default all)")
	queries := fs.Int("queries", 200, "queries per variant")
	seed := fs.Uint64("seed", 1, "seed choosing the articles and words of the queries")
	engines := fs.String("engines", strings.Join(eval.EngineNames(), ","), "comma-separated engines to compare; also vnsearch-2shards and vnsearch-4shards, vnsearch over the articles split by year")
	reuse := fs.String("reuse-index", "", "keep the indexes in `DIR` and reuse them on the next run over the same articles (remove DIR after changing analysis)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	details := fs.Bool("details", false, "with --json, add every query and its rank per engine")
	topical := fs.String("topical", defaultTopicalSet, "judged topical queries scored by nDCG@10 (\"\" for none)")
	poolDepth := fs.Int("pool", 0, "print, as JSON, each topical query's articles in any engine's top `N`, with their text, for judging")
	dateSpan := fs.Int("date-span", 0, "give undated articles dates spread over this many `YEARS`, to measure recency (default none)")
	halfLife := fs.Int("half-life", 0, "vnsearch's recency half-life in `DAYS` (default the searcher's; -1 for none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if _, err := os.Stat(*corpus); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("corpus %s not found; give one with --corpus", *corpus)
	}
	if *topical == defaultTopicalSet {
		if _, err := os.Stat(*topical); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(e.stderr, "topical set %s not found: skipped\n", *topical)
			*topical = ""
		}
	}
	if *poolDepth > 0 && *topical == "" {
		return fmt.Errorf("%w: --pool needs a topical set", errUsage)
	}
	opts := eval.Options{
		Corpus:    *corpus,
		Docs:      *docs,
		Queries:   *queries,
		Seed:      *seed,
		IndexDir:  *reuse,
		Details:   *details,
		Topical:   *topical,
		PoolDepth: *poolDepth,
		DateSpan:  time.Duration(*dateSpan) * 365 * 24 * time.Hour,
		HalfLife:  time.Duration(*halfLife) * 24 * time.Hour,
		Progress:  func(s string) { fmt.Fprintln(e.stderr, s) },
	}
	for _, name := range strings.Split(*engines, ",") {
		if name = strings.TrimSpace(name); name != "" {
			opts.Engines = append(opts.Engines, name)
		}
	}
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	rep, err := eval.Run(ctx, opts)
	if err != nil {
		return err
	}
	if *poolDepth > 0 {
		if rep.Topical.Skipped != "" {
			return fmt.Errorf("no pool: the topical set was skipped: %s", rep.Topical.Skipped)
		}
		return printJSON(e.stdout, rep.Topical.Pool)
	}
	if *asJSON {
		return printJSON(e.stdout, rep)
	}
	return rep.WriteMarkdown(e.stdout)
}
