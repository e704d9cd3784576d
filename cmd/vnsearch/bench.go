package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vnsearch/vnsearch/internal/bench"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/suggest"
)

func runBench(ctx context.Context, args []string, e env) error {
	fs := newFlags("bench", "", e)
	dir := indexFlag(fs, e)
	queryFile := fs.String("queries", "", "read the queries from `FILE`, one per line (# starts a comment)")
	corpus := fs.String("corpus", "", "derive the queries from the articles of `FILE` (any format index reads), as the relevance eval does")
	seed := fs.Uint64("seed", 1, "seed choosing the derived queries")
	n := fs.Int("n", 2000, "queries measured at each level, cycling through the list")
	levels := fs.String("concurrency", "1,2,8", "comma-separated numbers of queries run at once")
	warmup := fs.Int("warmup", 200, "unmeasured queries before each level (0 for none)")
	size := fs.Int("size", 0, "hits per search (default 10) or suggestions per prefix (default 8)")
	maxTime := fs.Duration("max-time", 10*time.Minute, "stop a level after this long with the queries done so far")
	suggestions := fs.Bool("suggest", false, "measure the suggestions for prefixes of the queries instead of searches")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	case (*queryFile == "") == (*corpus == ""):
		return fmt.Errorf("%w: give the queries with either --queries FILE or --corpus FILE", errUsage)
	}
	opts := bench.Options{Queries: *n, Warmup: *warmup, Size: *size, MaxDuration: *maxTime}
	if opts.Warmup == 0 {
		opts.Warmup = -1 // none; the zero value of Options means the default
	}
	for _, f := range strings.Split(*levels, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("%w: --concurrency %q: want numbers separated by commas", errUsage, *levels)
		}
		opts.Concurrency = append(opts.Concurrency, c)
	}
	if opts.MaxDuration <= 0 {
		return fmt.Errorf("%w: --max-time must be positive", errUsage)
	}
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *suggestions && opts.Size > suggest.MaxSuggestions || opts.Size > search.MaxSize {
		return fmt.Errorf("%w: --size must be at most %d for searches and %d for suggestions", errUsage, search.MaxSize, suggest.MaxSuggestions)
	}

	idx, err := openIndex(*dir)
	if err != nil {
		return err
	}
	defer idx.Close()
	started := time.Now()
	var queries []string
	if *queryFile != "" {
		queries, err = bench.ReadQueries(*queryFile)
	} else {
		queries, err = bench.CorpusQueries(*corpus, opts.Queries, *seed)
		if err == nil {
			fmt.Fprintf(e.stderr, "derived %d queries from %s in %.1fs\n", len(queries), *corpus, time.Since(started).Seconds())
		}
	}
	if err != nil {
		return err
	}

	var rep bench.Report
	if *suggestions {
		sg := suggest.New(idx, suggest.Options{})
		st, berr := sg.Build(ctx)
		if berr != nil {
			return berr
		}
		fmt.Fprintf(e.stderr, "built suggestions from %d articles in %.1fs\n", st.Articles, st.Took.Seconds())
		rep, err = bench.Suggest(ctx, sg, bench.Prefixes(queries), opts)
	} else {
		searcher := search.New(idx, search.Options{})
		if err := searcher.Prepare(); err != nil {
			return err
		}
		rep, err = bench.Search(ctx, searcher, queries, opts)
	}
	if errors.Is(err, context.Canceled) && len(rep.Levels) > 0 {
		err = errors.New("interrupted; the last level is partial") // the report so far is still printed
	} else if err != nil {
		return err
	}
	if perr := printBench(e, rep, *asJSON); perr != nil {
		return perr
	}
	return err
}

// printBench prints rep as JSON or as a table with a line about the run
// above it.
func printBench(e env, rep bench.Report, asJSON bool) error {
	if asJSON {
		return printJSON(e.stdout, rep)
	}
	what := "hits"
	if rep.Mode == bench.ModeSuggest {
		what = "suggestions"
	}
	fmt.Fprintf(e.stdout, "%s: %d queries in the list, %d %s each, warm-up %d, %d CPUs (GOMAXPROCS %d)\n\n",
		rep.Mode, rep.Listed, rep.Size, what, rep.Warmup, rep.CPUs, rep.MaxProcs)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "concurrency\tqueries\tfailed\tQPS\tp50 ms\tp90 ms\tp99 ms\tmax ms\tallocs/query\tKB/query\tCPU ms/query\t")
	for _, lv := range rep.Levels {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f\t%.1f\t%.2f\t\n",
			lv.Concurrency, lv.Count, lv.Failed, lv.QPS, lv.P50MS, lv.P90MS, lv.P99MS, lv.MaxMS,
			lv.AllocsPerQuery, lv.BytesPerQuery/1024, lv.CPUMSPerQuery)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, lv := range rep.Levels {
		if lv.Stopped != "" {
			fmt.Fprintf(e.stdout, "concurrency %d stopped (%s) after %d queries in %.1fs\n", lv.Concurrency, lv.Stopped, lv.Count, lv.Seconds)
		}
	}
	return nil
}
