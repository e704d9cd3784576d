package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/vnsearch/vnsearch/search"
)

// ModeHTTP is the mode of a run against a server over HTTP.
const ModeHTTP = "http"

// Limits on HTTPOptions, for the same reason as MaxQueries.
const (
	MaxRate       = 1_000_000 // searches per second
	MaxWorkers    = 4096
	MaxLevelTime  = time.Hour
	maxErrorsKept = 10 // distinct error messages kept per level
)

// HTTPOptions configure a run of GET /api/search against a running
// server. The zero value of each field means its default.
type HTTPOptions struct {
	// URL is the server's address, as http://127.0.0.1:8080. Required.
	URL string
	// Rates lists the levels: searches per second asked for, sent at that
	// pace whether or not the answers keep up (an open loop, as readers
	// arrive), a 0 meaning as fast as Workers requests at a time can go
	// (a closed loop: the saturation rate). Default [0].
	Rates []int
	// Duration is how long each level's measured part lasts. Default 10s.
	Duration time.Duration
	// Warmup is how long each level runs, unmeasured, before it is
	// measured. Default 2s; negative means none.
	Warmup time.Duration
	// Workers bounds the requests in flight: at a rate, vegeta adds
	// workers up to this many while answers fall behind; as fast as
	// possible, exactly this many send requests. Default 16, at most
	// MaxWorkers.
	Workers int
	// Size is the hits per search; default search.DefaultSize.
	Size int
	// Timeout bounds one request. Default 10s, the server's own limit.
	Timeout time.Duration
}

// SetDefaults fills zero fields with their defaults.
func (o *HTTPOptions) SetDefaults() {
	if len(o.Rates) == 0 {
		o.Rates = []int{0}
	}
	if o.Duration == 0 {
		o.Duration = 10 * time.Second
	}
	switch {
	case o.Warmup == 0:
		o.Warmup = 2 * time.Second
	case o.Warmup < 0:
		o.Warmup = 0
	}
	if o.Workers == 0 {
		o.Workers = 16
	}
	if o.Size == 0 {
		o.Size = search.DefaultSize
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
}

// Validate reports the first option out of range, wrapping
// ErrInvalidOptions.
func (o *HTTPOptions) Validate() error {
	if err := o.validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidOptions, err)
	}
	return nil
}

func (o *HTTPOptions) validate() error {
	u, err := url.Parse(o.URL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("url %q must be http:// or https:// and a host", o.URL)
	case o.Duration < 0 || o.Duration > MaxLevelTime:
		return fmt.Errorf("duration must be positive and at most %v", MaxLevelTime)
	case o.Warmup > MaxLevelTime:
		return fmt.Errorf("warm-up must be at most %v", MaxLevelTime)
	case o.Workers < 1 || o.Workers > MaxWorkers:
		return fmt.Errorf("workers must be from 1 to %d", MaxWorkers)
	case o.Size < 1 || o.Size > search.MaxSize:
		return fmt.Errorf("size must be from 1 to %d hits", search.MaxSize)
	case o.Timeout < 0:
		return errors.New("timeout must not be negative")
	}
	for _, r := range o.Rates {
		if r < 0 || r > MaxRate {
			return fmt.Errorf("rate must be from 0 (as fast as possible) to %d, not %d", MaxRate, r)
		}
	}
	return nil
}

// HTTPReport is the outcome of a run over HTTP.
type HTTPReport struct {
	Mode   string      `json:"mode"` // ModeHTTP
	URL    string      `json:"url"`
	Listed int         `json:"queries_listed"`
	Size   int         `json:"size"`
	Warmup float64     `json:"warmup_seconds"`
	CPUs   int         `json:"cpus"` // of the machine the load comes from
	Levels []HTTPLevel `json:"levels"`
	// MaxP99MS and Sustained are the outcome of SustainedRate: the highest
	// rate tried that kept up within the bound, 0 when none did.
	MaxP99MS  float64 `json:"max_p99_ms,omitempty"`
	Sustained int     `json:"sustained_rate,omitempty"`
}

// HTTPLevel is what one level measured. Latencies are from the moment a
// request is sent to the end of its answer's body, in milliseconds, as
// vegeta estimates their quantiles.
type HTTPLevel struct {
	// Rate is the searches per second asked for; 0 for as fast as
	// Workers allow.
	Rate    int `json:"rate"`
	Workers int `json:"workers"`
	// Requests is how many were sent; Sent is their rate and Throughput
	// the rate of successful answers over the level, the wait for the
	// last ones included.
	Requests   uint64  `json:"requests"`
	Seconds    float64 `json:"seconds"`
	Sent       float64 `json:"sent_per_second"`
	Throughput float64 `json:"throughput"`
	// Success is the share of requests answered 2xx.
	Success float64 `json:"success"`
	MeanMS  float64 `json:"mean_ms"`
	P50MS   float64 `json:"p50_ms"`
	P90MS   float64 `json:"p90_ms"`
	P99MS   float64 `json:"p99_ms"`
	MaxMS   float64 `json:"max_ms"`
	// StatusCodes counts the answers by HTTP status, "0" for requests
	// that got none.
	StatusCodes map[string]int `json:"status_codes"`
	// Errors holds the first distinct errors, as "400 Bad Request" or a
	// connection's failure.
	Errors []string `json:"errors,omitempty"`
	// Stopped is "cancelled" when the run was interrupted in this level.
	Stopped string `json:"stopped,omitempty"`
	// Server is what the server's /metrics counted over the measured
	// part of the level; nil when it exposes none.
	Server *ServerCounts `json:"server,omitempty"`
}

// ServerCounts are counters a vnsearch server exposes at /metrics, as
// differences over a level: its CPU time and its result cache's hits and
// misses, which tell a search it ran from one it answered from the cache.
type ServerCounts struct {
	CPUSeconds  float64 `json:"cpu_seconds"`
	CacheHits   float64 `json:"cache_hits"`
	CacheMisses float64 `json:"cache_misses"`
}

// serverCounters names the /metrics counters read into ServerCounts.
var serverCounters = []string{"process_cpu_seconds_total", "vnsearch_search_cache_hits_total", "vnsearch_search_cache_misses_total"}

// readServerCounts returns the server's counters, nil when base serves
// no metrics in the Prometheus text format.
func readServerCounts(ctx context.Context, client *http.Client, base string) *ServerCounts {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/metrics", nil)
	if err != nil {
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	values := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if ok && slices.Contains(serverCounters, name) {
			if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
				values[name] = v
			}
		}
	}
	if sc.Err() != nil || len(values) == 0 {
		return nil
	}
	return &ServerCounts{CPUSeconds: values[serverCounters[0]], CacheHits: values[serverCounters[1]], CacheMisses: values[serverCounters[2]]}
}

// since returns the counts from before to c.
func (c *ServerCounts) since(before *ServerCounts) *ServerCounts {
	if c == nil || before == nil {
		return nil
	}
	return &ServerCounts{CPUSeconds: c.CPUSeconds - before.CPUSeconds,
		CacheHits: c.CacheHits - before.CacheHits, CacheMisses: c.CacheMisses - before.CacheMisses}
}

// SearchTargets returns, for each query, the GET /api/search request of
// base (a server's address) that a search box makes, asking for size
// hits: first page, relevance, facets and snippets.
func SearchTargets(base string, queries []string, size int) []vegeta.Target {
	base = strings.TrimSuffix(base, "/")
	out := make([]vegeta.Target, len(queries))
	for i, q := range queries {
		v := url.Values{"q": {q}, "size": {strconv.Itoa(size)}}
		out[i] = vegeta.Target{Method: http.MethodGet, URL: base + "/api/search?" + v.Encode()}
	}
	return out
}

// HTTPSearch sends the queries, in turn and round again, as GET
// /api/search requests to the server at opts.URL, through vegeta, at
// each level of opts.Rates. When ctx is cancelled it returns the levels
// measured so far, the interrupted one included, with ctx's error.
func HTTPSearch(ctx context.Context, queries []string, opts HTTPOptions) (HTTPReport, error) {
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return HTTPReport{}, err
	}
	if len(queries) == 0 {
		return HTTPReport{}, ErrNoQueries
	}
	rep := HTTPReport{Mode: ModeHTTP, URL: opts.URL, Listed: len(queries), Size: opts.Size,
		Warmup: opts.Warmup.Seconds(), CPUs: runtime.NumCPU()}
	targets := SearchTargets(opts.URL, queries, opts.Size)
	metricsClient := &http.Client{Timeout: opts.Timeout}
	for _, rate := range opts.Rates {
		// One targeter per level: the measured part goes on from where the
		// warm-up left the list, not to answers just computed.
		tr := vegeta.NewStaticTargeter(targets...)
		if opts.Warmup > 0 {
			if _, err := attack(ctx, tr, rate, opts.Warmup, opts); err != nil {
				return rep, err
			}
		}
		before := readServerCounts(ctx, metricsClient, opts.URL)
		lv, err := attack(ctx, tr, rate, opts.Duration, opts)
		lv.Server = readServerCounts(ctx, metricsClient, opts.URL).since(before)
		rep.Levels = append(rep.Levels, lv)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// keptUp is the share of a level's rate that must be answered, in time,
// for the server to have kept up with it.
const keptUp = 0.95

// SustainedRate searches for the highest rate the server keeps up with:
// every answer successful, at least 95% of the rate answered over the
// level, and a p99 latency at most maxP99. It tries opts.Rates[0] (default
// 50) searches per second and doubles the rate until a level fails, then
// halves the gap between the best rate that passed and the lowest that
// failed until it is within a tenth of the best. Every level tried is in
// the report, in the order tried, with the rate found.
func SustainedRate(ctx context.Context, queries []string, opts HTTPOptions, maxP99 time.Duration) (HTTPReport, error) {
	if len(opts.Rates) == 0 || opts.Rates[0] <= 0 {
		opts.Rates = []int{50}
	}
	if maxP99 <= 0 {
		return HTTPReport{}, fmt.Errorf("%w: the p99 bound must be positive", ErrInvalidOptions)
	}
	var rep HTTPReport
	passed, failed := 0, 0 // the best rate that kept up, the lowest that did not
	for rate := opts.Rates[0]; rate <= MaxRate; {
		level := opts
		level.Rates = []int{rate}
		r, err := HTTPSearch(ctx, queries, level)
		if rep.Mode == "" {
			rep, rep.Levels = r, nil
		}
		rep.Levels = append(rep.Levels, r.Levels...)
		rep.MaxP99MS, rep.Sustained = ms(maxP99), passed
		if err != nil {
			return rep, err
		}
		if lv := r.Levels[0]; lv.Success == 1 && lv.Throughput >= keptUp*float64(rate) && lv.P99MS <= ms(maxP99) {
			passed = rate
		} else {
			failed = rate
		}
		switch {
		case failed == 0:
			rate *= 2
		case failed-passed <= max(1, passed/10):
			rate = MaxRate + 1
		default:
			rate = passed + (failed-passed)/2
		}
	}
	rep.Sustained = passed
	return rep, nil
}

// attack runs one level of rate searches per second (0: as fast as the
// workers go) for d.
func attack(ctx context.Context, tr vegeta.Targeter, rate int, d time.Duration, opts HTTPOptions) (HTTPLevel, error) {
	workers := uint64(opts.Workers)
	start := min(workers, vegeta.DefaultWorkers)
	if rate == 0 {
		start = workers // a closed loop needs them all from the start
	}
	a := vegeta.NewAttacker(vegeta.Workers(start), vegeta.MaxWorkers(workers),
		vegeta.Timeout(opts.Timeout), vegeta.KeepAlive(true), vegeta.Connections(opts.Workers))
	var m vegeta.Metrics
	results := a.Attack(tr, vegeta.Rate{Freq: rate, Per: time.Second}, d, "search")
	lv := HTTPLevel{Rate: rate, Workers: opts.Workers}
	for {
		select {
		case r, ok := <-results:
			if !ok {
				m.Close()
				fill(&lv, &m)
				return lv, nil
			}
			m.Add(r)
		case <-ctx.Done():
			a.Stop()
			for r := range results {
				m.Add(r)
			}
			m.Close()
			fill(&lv, &m)
			lv.Stopped = "cancelled"
			return lv, ctx.Err()
		}
	}
}

// fill copies what m measured into lv.
func fill(lv *HTTPLevel, m *vegeta.Metrics) {
	lv.Requests = m.Requests
	lv.Seconds = (m.Duration + m.Wait).Seconds()
	lv.Sent, lv.Throughput, lv.Success = m.Rate, m.Throughput, m.Success
	lv.MeanMS = ms(m.Latencies.Mean)
	lv.P50MS, lv.P90MS, lv.P99MS, lv.MaxMS = ms(m.Latencies.P50), ms(m.Latencies.P90), ms(m.Latencies.P99), ms(m.Latencies.Max)
	lv.StatusCodes = maps.Clone(m.StatusCodes)
	lv.Errors = slices.Clone(m.Errors[:min(len(m.Errors), maxErrorsKept)])
}
