// Package bench measures how fast vnsearch answers: it runs a list of
// queries through a search.Searcher (or prefixes through a
// suggest.Suggester) at one or more levels of concurrency and reports the
// rate, the latency percentiles, the allocations and the CPU time per
// query; or it sends the searches to a running server over HTTP through
// the vegeta load generator (HTTPSearch) and reports what a client sees.
// It prints nothing; `vnsearch bench` prints its reports.
package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/suggest"
)

// Limits on Options, so that a mistyped flag cannot keep a machine busy
// for hours or hold a latency sample larger than memory.
const (
	MaxQueries     = 1_000_000
	MaxWarmup      = 100_000
	MaxConcurrency = 256
)

// Options configure a run. The zero value of each field means its default.
type Options struct {
	// Queries is how many queries are measured at each level, cycling
	// through the list given. Default 2000, at most MaxQueries.
	Queries int
	// Concurrency lists the levels: how many queries run at once. Default
	// [1]; each at most MaxConcurrency.
	Concurrency []int
	// Warmup is how many queries run, unmeasured, before each level, so
	// that the index's files are in the page cache and the pools are
	// filled. Default 200; a negative value means none. At most MaxWarmup.
	Warmup int
	// Size is the hits per search (default search.DefaultSize) or the
	// suggestions per prefix (default suggest.DefaultSuggestions).
	Size int
	// MaxDuration bounds the measured part of each level: when it is
	// reached the level stops with the queries done so far and says so.
	// Default 10 minutes, long enough for the default count on a busy
	// machine.
	MaxDuration time.Duration
}

// SetDefaults fills zero fields with their defaults; Size depends on the
// mode and is decided by Search and Suggest.
func (o *Options) SetDefaults() {
	if o.Queries == 0 {
		o.Queries = 2000
	}
	if len(o.Concurrency) == 0 {
		o.Concurrency = []int{1}
	}
	switch {
	case o.Warmup == 0:
		o.Warmup = 200
	case o.Warmup < 0:
		o.Warmup = 0
	}
	if o.MaxDuration == 0 {
		o.MaxDuration = 10 * time.Minute
	}
}

// ErrInvalidOptions marks an option out of range; the message says which.
var ErrInvalidOptions = errors.New("invalid options")

// Validate reports the first option out of range, wrapping
// ErrInvalidOptions.
func (o *Options) Validate() error {
	if err := o.validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidOptions, err)
	}
	return nil
}

func (o *Options) validate() error {
	switch {
	case o.Queries < 1 || o.Queries > MaxQueries:
		return fmt.Errorf("queries must be from 1 to %d", MaxQueries)
	case o.Warmup > MaxWarmup:
		return fmt.Errorf("warmup must be at most %d", MaxWarmup)
	case o.Size < 0:
		return errors.New("size must not be negative")
	case o.MaxDuration < 0:
		return errors.New("max duration must not be negative")
	}
	for _, c := range o.Concurrency {
		if c < 1 || c > MaxConcurrency {
			return fmt.Errorf("concurrency must be from 1 to %d, not %d", MaxConcurrency, c)
		}
	}
	return nil
}

// Modes of a run.
const (
	ModeSearch  = "search"
	ModeSuggest = "suggest"
)

// Report is the outcome of a run.
type Report struct {
	Mode string `json:"mode"` // ModeSearch or ModeSuggest
	// Listed is how many queries (or prefixes) the list cycled through
	// holds.
	Listed   int     `json:"queries_listed"`
	Size     int     `json:"size"`
	Warmup   int     `json:"warmup"`
	CPUs     int     `json:"cpus"`       // runtime.NumCPU
	MaxProcs int     `json:"gomaxprocs"` // runtime.GOMAXPROCS
	Levels   []Level `json:"levels"`
}

// Level is what one level of concurrency measured. Latencies are of one
// call, from the moment it is made to its return, in milliseconds.
type Level struct {
	Concurrency int `json:"concurrency"`
	// Count is how many calls were measured; it is below the count asked
	// for when the level was stopped.
	Count int `json:"count"`
	// Failed counts calls refused as invalid (a query with no words to
	// search for); they are in Count but not in the latencies.
	Failed  int     `json:"failed"`
	Seconds float64 `json:"seconds"` // wall time of the measured calls
	QPS     float64 `json:"qps"`
	P50MS   float64 `json:"p50_ms"`
	P90MS   float64 `json:"p90_ms"`
	P99MS   float64 `json:"p99_ms"`
	MaxMS   float64 `json:"max_ms"`
	// AllocsPerQuery and BytesPerQuery are the heap allocations of the
	// whole process during the level, divided by Count.
	AllocsPerQuery float64 `json:"allocs_per_query"`
	BytesPerQuery  float64 `json:"bytes_per_query"`
	// CPUMSPerQuery is the process's user and system CPU time during the
	// level, divided by Count: unlike the latencies it does not grow when
	// other processes take the machine's cores. Zero where the system
	// does not report it.
	CPUMSPerQuery float64 `json:"cpu_ms_per_query"`
	// Stopped says why the level ended before Count reached the count
	// asked for: "time limit" or "cancelled". Empty when it did not.
	Stopped string `json:"stopped,omitempty"`
}

// Search runs queries through s with the request the API makes for a
// plain query (first page, relevance, facets and highlights) and Size
// hits. When ctx is cancelled it returns the levels measured so far, the
// interrupted one included, with ctx's error. Any error of the searcher
// other than an invalid query ends the run.
func Search(ctx context.Context, s *search.Searcher, queries []string, opts Options) (Report, error) {
	if opts.Size == 0 {
		opts.Size = search.DefaultSize
	}
	if opts.Size > search.MaxSize {
		return Report{}, fmt.Errorf("%w: size must be at most %d hits", ErrInvalidOptions, search.MaxSize)
	}
	size := opts.Size
	return run(ctx, ModeSearch, queries, opts, func(ctx context.Context, q string) error {
		_, err := s.Search(ctx, search.Request{Query: q, Size: size})
		return err
	})
}

// Suggest runs prefixes through sg, which must have been built, asking
// for Size suggestions each (see Prefixes for prefixes as readers type
// them). It stops as Search does.
func Suggest(ctx context.Context, sg *suggest.Suggester, prefixes []string, opts Options) (Report, error) {
	if opts.Size == 0 {
		opts.Size = suggest.DefaultSuggestions
	}
	if opts.Size > suggest.MaxSuggestions {
		return Report{}, fmt.Errorf("%w: size must be at most %d suggestions", ErrInvalidOptions, suggest.MaxSuggestions)
	}
	if !sg.Ready() {
		return Report{}, fmt.Errorf("suggestions: %w", suggest.ErrNotReady)
	}
	size := opts.Size
	return run(ctx, ModeSuggest, prefixes, opts, func(ctx context.Context, p string) error {
		_, err := sg.Suggest(ctx, p, size)
		return err
	})
}

// ErrNoQueries reports an empty list of queries.
var ErrNoQueries = errors.New("no queries")

func run(ctx context.Context, mode string, queries []string, opts Options, call func(context.Context, string) error) (Report, error) {
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return Report{}, err
	}
	if len(queries) == 0 {
		return Report{}, ErrNoQueries
	}
	rep := Report{
		Mode:     mode,
		Listed:   len(queries),
		Size:     opts.Size,
		Warmup:   opts.Warmup,
		CPUs:     runtime.NumCPU(),
		MaxProcs: runtime.GOMAXPROCS(0),
	}
	for _, c := range opts.Concurrency {
		r := runner{queries: queries, call: call, workers: c}
		// The warm-up takes the queries the measured calls start after,
		// so that these do not begin with answers just computed.
		if _, err := r.calls(ctx, 0, opts.Warmup, time.Now().Add(opts.MaxDuration)); err != nil {
			return rep, err
		}
		lv, err := r.measure(ctx, opts.Warmup, opts.Queries, opts.MaxDuration)
		rep.Levels = append(rep.Levels, lv)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// runner runs calls over a list of queries with a number of workers.
type runner struct {
	queries []string
	call    func(context.Context, string) error
	workers int
}

// sample is what the calls of one run gave.
type sample struct {
	took    []time.Duration // of the calls that succeeded
	count   int             // calls made, failed or not
	failed  int
	stopped string
}

// calls makes n calls, the i-th with query (first+i) modulo the list, and
// returns their latencies. After deadline, when it is not zero, no call is
// started; the ones running finish. It stops with ctx's error when ctx is
// cancelled and with the first error that is not an invalid query.
func (r runner) calls(ctx context.Context, first, n int, deadline time.Time) (sample, error) {
	if n == 0 {
		return sample{}, nil
	}
	var (
		next    atomic.Int64
		mu      sync.Mutex
		out     = sample{took: make([]time.Duration, 0, n)}
		fatal   error
		wg      sync.WaitGroup
		aborted atomic.Bool
	)
	for range min(r.workers, n) {
		wg.Go(func() {
			took := make([]time.Duration, 0, n/r.workers+1)
			count, failed := 0, 0
			var stopped string
			var werr error
			for !aborted.Load() {
				if ctx.Err() != nil {
					stopped = "cancelled"
					break
				}
				if !deadline.IsZero() && time.Now().After(deadline) {
					stopped = "time limit"
					break
				}
				i := int(next.Add(1) - 1)
				if i >= n {
					break
				}
				q := r.queries[(first+i)%len(r.queries)]
				start := time.Now()
				err := r.call(ctx, q)
				elapsed := time.Since(start)
				switch {
				case err == nil:
					took = append(took, elapsed)
				case invalid(err):
					failed++
				case ctx.Err() != nil:
					stopped = "cancelled" // this call was cut short: not counted
				default:
					werr = fmt.Errorf("%q: %w", q, err)
				}
				if stopped != "" || werr != nil {
					break
				}
				count++
			}
			if werr != nil {
				aborted.Store(true)
			}
			mu.Lock()
			defer mu.Unlock()
			out.took = append(out.took, took...)
			out.count += count
			out.failed += failed
			if out.stopped == "" {
				out.stopped = stopped
			}
			if fatal == nil {
				fatal = werr
			}
		})
	}
	wg.Wait()
	switch {
	case fatal != nil:
		return out, fatal
	case ctx.Err() != nil:
		out.stopped = "cancelled"
		return out, ctx.Err()
	}
	return out, nil
}

// invalid reports whether err refuses the query itself, not the index.
func invalid(err error) bool {
	var pe *search.ParamError
	return errors.Is(err, search.ErrInvalidQuery) || errors.As(err, &pe)
}

// measure makes n calls starting at query first and reports them, with
// the process's allocations and CPU time over the same span.
func (r runner) measure(ctx context.Context, first, n int, limit time.Duration) (Level, error) {
	runtime.GC() // not to charge these calls with the garbage of the last ones
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpuBefore, cpuOK := cpuTime()
	started := time.Now()
	s, err := r.calls(ctx, first, n, started.Add(limit))
	elapsed := time.Since(started)
	cpuAfter, _ := cpuTime()
	runtime.ReadMemStats(&after)

	lv := Level{Concurrency: r.workers, Count: s.count, Failed: s.failed, Seconds: elapsed.Seconds(), Stopped: s.stopped}
	if s.count == 0 {
		return lv, err
	}
	per := 1 / float64(s.count)
	lv.QPS = float64(s.count) / elapsed.Seconds()
	lv.AllocsPerQuery = float64(after.Mallocs-before.Mallocs) * per
	lv.BytesPerQuery = float64(after.TotalAlloc-before.TotalAlloc) * per
	if cpuOK {
		lv.CPUMSPerQuery = ms(cpuAfter-cpuBefore) * per
	}
	slices.Sort(s.took)
	lv.P50MS, lv.P90MS, lv.P99MS = percentile(s.took, 0.50), percentile(s.took, 0.90), percentile(s.took, 0.99)
	if len(s.took) > 0 {
		lv.MaxMS = ms(s.took[len(s.took)-1])
	}
	return lv, err
}

// percentile returns the nearest-rank p-th percentile of sorted, in
// milliseconds: the smallest latency at least a share p of the calls took
// no longer than. Zero for no calls.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted))))
	return ms(sorted[min(max(rank, 1), len(sorted))-1])
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
