package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
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
	n := fs.Int("n", 2000, "queries measured at each level, cycling through the list (with --url: how many to derive from --corpus)")
	levels := fs.String("concurrency", "1,2,8", "comma-separated numbers of queries run at once")
	warmup := fs.Int("warmup", 200, "unmeasured queries before each level (0 for none)")
	size := fs.Int("size", 0, "hits per search (default 10) or suggestions per prefix (default 8)")
	maxTime := fs.Duration("max-time", 10*time.Minute, "stop a level after this long with the queries done so far")
	suggestions := fs.Bool("suggest", false, "measure the suggestions for prefixes of the queries instead of searches")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	server := fs.String("url", "", "send the searches to the server at `URL` (http://127.0.0.1:8080) over HTTP, through vegeta, instead of an index in this process")
	rates := fs.String("rate", "max", "with --url: comma-separated searches per second, each a level; max for as fast as --workers requests at a time go")
	duration := fs.Duration("duration", 10*time.Second, "with --url: how long each level is measured")
	warmupTime := fs.Duration("warmup-time", 2*time.Second, "with --url: how long each level runs unmeasured first (0 for none)")
	workers := fs.Int("workers", 16, "with --url: requests in flight at most (exactly, at max)")
	findRate := fs.Duration("find-rate", 0, "with --url: search for the highest rate answered in full with a p99 latency at most this long, from the first --rate (default 50) up")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured searches in this process to `FILE` (go tool pprof reads it)")
	memProfile := fs.String("memprofile", "", "write a profile of the allocations of this process to `FILE` after the run")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	case (*queryFile == "") == (*corpus == ""):
		return fmt.Errorf("%w: give the queries with either --queries FILE or --corpus FILE", errUsage)
	case *server != "" && *suggestions:
		return fmt.Errorf("%w: --url measures searches; --suggest is for an index in this process", errUsage)
	case *server != "" && (*cpuProfile != "" || *memProfile != ""):
		return fmt.Errorf("%w: --cpuprofile and --memprofile profile this process, not the server of --url", errUsage)
	}
	if *server != "" {
		opts := bench.HTTPOptions{URL: *server, Duration: *duration, Warmup: *warmupTime, Workers: *workers, Size: *size}
		if opts.Warmup == 0 {
			opts.Warmup = -1
		}
		for _, f := range strings.Split(*rates, ",") {
			f = strings.TrimSpace(f)
			r, err := strconv.Atoi(f)
			if f == "max" {
				r, err = 0, nil
			}
			if err != nil || r <= 0 && f != "max" {
				return fmt.Errorf("%w: --rate %q: want searches per second or max, separated by commas", errUsage, *rates)
			}
			opts.Rates = append(opts.Rates, r)
		}
		if opts.Duration <= 0 || opts.Workers <= 0 {
			return fmt.Errorf("%w: --duration and --workers must be positive", errUsage)
		}
		opts.SetDefaults()
		if err := opts.Validate(); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		queries, err := benchQueries(e, *queryFile, *corpus, *n, *seed)
		if err != nil {
			return err
		}
		var rep bench.HTTPReport
		if *findRate > 0 {
			rep, err = bench.SustainedRate(ctx, queries, opts, *findRate)
		} else {
			rep, err = bench.HTTPSearch(ctx, queries, opts)
		}
		return printReport(err, len(rep.Levels), func() error { return printHTTPBench(e, rep, *asJSON) })
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
	queries, err := benchQueries(e, *queryFile, *corpus, opts.Queries, *seed)
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
		// The searches are measured, not a cache's answers to the queries
		// of the level before.
		searcher := search.New(idx, search.Options{CacheBytes: -1})
		if err := searcher.Prepare(); err != nil {
			return err
		}
		err = profiled(*cpuProfile, *memProfile, func() (err error) {
			rep, err = bench.Search(ctx, searcher, queries, opts)
			return err
		})
	}
	return printReport(err, len(rep.Levels), func() error { return printBench(e, rep, *asJSON) })
}

// benchQueries reads the queries of a file, or derives about n from the
// articles of a corpus, saying how many.
func benchQueries(e env, file, corpus string, n int, seed uint64) ([]string, error) {
	if file != "" {
		return bench.ReadQueries(file)
	}
	started := time.Now()
	queries, err := bench.CorpusQueries(corpus, n, seed)
	if err == nil {
		fmt.Fprintf(e.stderr, "derived %d queries from %s in %.1fs\n", len(queries), corpus, time.Since(started).Seconds())
	}
	return queries, err
}

// printReport prints a run's report with print, unless the run failed
// before measuring anything; an interrupted run prints the levels
// measured so far and then fails.
func printReport(err error, measured int, print func() error) error {
	if errors.Is(err, context.Canceled) && measured > 0 {
		err = errors.New("interrupted; the last level is partial") // the report so far is still printed
	} else if err != nil {
		return err
	}
	if perr := print(); perr != nil {
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

// printHTTPBench prints rep as JSON or as a table with a line about the
// run above it.
func printHTTPBench(e env, rep bench.HTTPReport, asJSON bool) error {
	if asJSON {
		return printJSON(e.stdout, rep)
	}
	fmt.Fprintf(e.stdout, "GET %s/api/search through vegeta: %d queries in the list, %d hits each, warm-up %.0fs per level, load from %d CPUs\n\n",
		strings.TrimSuffix(rep.URL, "/"), rep.Listed, rep.Size, rep.Warmup, rep.CPUs)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rate\tworkers\trequests\tsent/s\tok/s\tsuccess %\tmean ms\tp50 ms\tp90 ms\tp99 ms\tmax ms\tserver CPU ms/search\tcache hits %\t")
	for _, lv := range rep.Levels {
		rate := "max"
		if lv.Rate > 0 {
			rate = strconv.Itoa(lv.Rate)
		}
		cpu, hits := "-", "-"
		if sv := lv.Server; sv != nil && lv.Requests > 0 {
			cpu = fmt.Sprintf("%.2f", 1000*sv.CPUSeconds/float64(lv.Requests))
			if n := sv.CacheHits + sv.CacheMisses; n > 0 {
				hits = fmt.Sprintf("%.1f", 100*sv.CacheHits/n)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%s\t\n",
			rate, lv.Workers, lv.Requests, lv.Sent, lv.Throughput, 100*lv.Success,
			lv.MeanMS, lv.P50MS, lv.P90MS, lv.P99MS, lv.MaxMS, cpu, hits)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if rep.MaxP99MS > 0 {
		fmt.Fprintf(e.stdout, "sustained: %d searches/s answered in full with p99 at most %.0f ms\n", rep.Sustained, rep.MaxP99MS)
	}
	for _, lv := range rep.Levels {
		if len(lv.Errors) > 0 {
			fmt.Fprintf(e.stdout, "rate %d: status codes %v; errors: %s\n", lv.Rate, lv.StatusCodes, strings.Join(lv.Errors, "; "))
		}
		if lv.Stopped != "" {
			fmt.Fprintf(e.stdout, "rate %d stopped (%s) after %d requests\n", lv.Rate, lv.Stopped, lv.Requests)
		}
	}
	return nil
}

// profiled runs f, with a CPU profile written to cpu and one of the
// allocations to mem after it, where these name files.
func profiled(cpu, mem string, f func() error) error {
	if cpu != "" {
		out, err := os.Create(cpu)
		if err != nil {
			return err
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	err := f()
	if mem != "" {
		if perr := writeProfile("allocs", mem); perr != nil {
			return errors.Join(err, perr)
		}
	}
	return err
}

// writeProfile writes the named runtime profile to path.
func writeProfile(name, path string) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(out, 0); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
