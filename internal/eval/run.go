package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
)

// Options configure Run. The zero value of each field means its default,
// except Corpus, which is required.
type Options struct {
	// Corpus is the file or directory of articles, in any format the
	// indexer reads.
	Corpus string
	// Docs is how many articles to index, spread over the corpus (see
	// LoadCorpus). Default 0: all of them.
	Docs int
	// Queries is how many queries to derive per variant. Default 200:
	// enough for a success rate to about ±0.03 (one standard error at 0.9),
	// few enough that a run's queries take seconds.
	Queries int
	// Seed chooses the articles and windows queries come from. Zero is a
	// seed like any other.
	Seed uint64
	// Engines lists the engines to run, by name (EngineNames). Default all.
	Engines []string
	// IndexDir, when set, keeps each engine's index in IndexDir/ENGINE and
	// reuses it in later runs on the same articles, so that only queries
	// run again. Default "": indexes go to a temporary directory removed
	// at the end. An index is rebuilt when the articles differ or
	// schema.Open refuses it (another schema.Version), but not when
	// analysis changes within a version: remove the directory then.
	IndexDir string
	// TempDir is where the temporary directory goes. Default os.TempDir().
	TempDir string
	// Details asks for every query's rank per engine in Report.Details.
	Details bool
	// Topical is the file of the topical set (LoadTopical), scored by
	// nDCG@10 and P@10 when its judged articles are all indexed. Default
	// "": no topical set.
	Topical string
	// PoolDepth, when over 0, asks for the pool of the topical set in
	// Report.Topical.Pool: each query's articles in any engine's top
	// PoolDepth hits, with their text, for judging. Default 0: none.
	PoolDepth int
	// DateSpan, when positive, dates every undated article (see
	// spreadDates) so that a recency boost has something to act on: the
	// shared corpus carries no dates. vnsearch then searches as on
	// datesEnd. Default 0: articles keep their dates, and searches run at
	// the time of the run.
	DateSpan time.Duration
	// HalfLife is vnsearch's recency half-life (search.Request.HalfLife):
	// 0 its default, negative none.
	HalfLife time.Duration
	// Progress, when set, is told what Run is doing, a line at a time.
	Progress func(string)
}

// SetDefaults fills zero fields with their defaults.
func (o *Options) SetDefaults() {
	if o.Queries <= 0 {
		o.Queries = 200
	}
	if len(o.Engines) == 0 {
		o.Engines = EngineNames()
	}
	if o.Progress == nil {
		o.Progress = func(string) {}
	}
}

// Validate reports a missing corpus or an unknown or repeated engine.
func (o *Options) Validate() error {
	if o.Corpus == "" {
		return errors.New("no corpus")
	}
	for i, name := range o.Engines {
		if _, err := engineNamed(name); err != nil {
			return err
		}
		if slices.Contains(o.Engines[:i], name) {
			return fmt.Errorf("engine %q given twice", name)
		}
	}
	return nil
}

// Report is the result of a run.
type Report struct {
	Corpus            string          `json:"corpus"`
	Docs              int             `json:"docs"` // articles indexed
	Seed              uint64          `json:"seed"`
	QueriesPerVariant int             `json:"queries_per_variant"`
	Engines           []EngineReport  `json:"engines"`
	Variants          []VariantReport `json:"variants"`
	Topical           *TopicalReport  `json:"topical,omitempty"`
	Details           []QueryResult   `json:"details,omitempty"`
}

// EngineReport says how one engine was built and how fast it answered.
type EngineReport struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Reused      bool    `json:"reused"`        // the index was kept from an earlier run
	BuildSec    float64 `json:"build_seconds"` // of this run's build, or of the kept index's
	Queries     int     `json:"queries"`
	MeanQueryMS float64 `json:"mean_query_ms"`
}

// VariantReport holds each engine's scores on one variant's queries.
type VariantReport struct {
	Variant     Variant `json:"variant"`
	Description string  `json:"description"`
	Queries     int     `json:"queries"`
	// Shared is how many of the queries more than one article holds
	// (Query.Holders), and CeilingMRR10 the best MRR@10 an engine can
	// reach on them all: the mean of ceilingMRR over the queries.
	Shared       int       `json:"shared"`
	CeilingMRR10 float64   `json:"ceiling_mrr_at_10"`
	Scores       []Metrics `json:"scores"` // in the order of Report.Engines
}

// Metrics are an engine's known-item scores over a set of queries:
// success@k is the share of queries whose article is in the top k, MRR@10
// the mean of 1/rank, counting 0 for a rank over 10.
type Metrics struct {
	Engine    string  `json:"engine"`
	Success1  float64 `json:"success_at_1"`
	Success5  float64 `json:"success_at_5"`
	Success10 float64 `json:"success_at_10"`
	MRR10     float64 `json:"mrr_at_10"`
	// OfCeiling is MRR10 over the variant's CeilingMRR10.
	OfCeiling float64 `json:"of_ceiling"`
	// RunFirst, for a span variant, is the share of queries whose first
	// hit holds the query's words in that order, whichever article it is;
	// 0 for the other variants.
	RunFirst float64 `json:"run_first,omitempty"`
}

// QueryResult is one query's rank on each engine (0: not in the top 10).
type QueryResult struct {
	Query
	Ranks map[string]int `json:"ranks"`
}

// topK is how deep each engine's hits are read.
const topK = 10

// Run loads the corpus, derives the queries, builds every engine over the
// same articles and scores each on each variant.
func Run(ctx context.Context, opts Options) (Report, error) {
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return Report{}, err
	}
	opts.Progress(fmt.Sprintf("reading %s", opts.Corpus))
	articles, err := LoadCorpus(opts.Corpus, opts.Docs)
	if err != nil {
		return Report{}, err
	}
	ranking := search.Options{RecencyHalfLife: opts.HalfLife}
	if opts.DateSpan > 0 {
		spreadDates(articles, opts.DateSpan)
		ranking.Now = func() time.Time { return datesEnd }
	}
	queries := Derive(articles, opts.Seed, opts.Queries)
	holders := runHolders(articles, queries)
	for qi := range queries {
		queries[qi].Holders = len(holders[qi])
	}
	rep := Report{Corpus: filepath.Base(opts.Corpus), Docs: len(articles), Seed: opts.Seed, QueriesPerVariant: opts.Queries}
	opts.Progress(fmt.Sprintf("%d articles, %d queries", len(articles), len(queries)))
	var topical []TopicalQuery
	if opts.Topical != "" {
		if topical, err = LoadTopical(opts.Topical); err != nil {
			return Report{}, err
		}
		rep.Topical = &TopicalReport{Set: filepath.Base(opts.Topical), Queries: len(topical)}
		missing, judged := missingJudged(topical, articles)
		rep.Topical.Judgments = judged
		if missing > 0 {
			rep.Topical.Skipped = fmt.Sprintf("%d of its %d judged articles are not indexed: it is judged over the shared corpus, all 60,000 articles", missing, judged)
			opts.Progress("topical set skipped: " + rep.Topical.Skipped)
			topical = nil
		}
	}

	base := opts.IndexDir
	if base == "" {
		if base, err = os.MkdirTemp(opts.TempDir, "vnsearch-eval-"); err != nil {
			return Report{}, err
		}
		defer os.RemoveAll(base)
	} else if err := os.MkdirAll(base, 0o755); err != nil {
		return Report{}, err
	}

	ranks := make([][]int, len(opts.Engines))            // engine -> query -> rank
	firsts := make([][]string, len(opts.Engines))        // engine -> query -> first hit
	topicalHits := make([][][]string, len(opts.Engines)) // engine -> topical query -> ids
	for i, name := range opts.Engines {
		e, _ := engineNamed(name)
		run := engineRun{keep: opts.IndexDir != "", ranking: ranking, articles: articles, queries: queries,
			topical: topical, topicalDepth: max(topK, opts.PoolDepth), progress: opts.Progress}
		er, err := run.do(ctx, e, base)
		if err != nil {
			return Report{}, fmt.Errorf("%s: %w", name, err)
		}
		rep.Engines = append(rep.Engines, er)
		ranks[i], firsts[i], topicalHits[i] = run.ranks, run.firsts, run.topicalHits
	}
	if len(topical) > 0 {
		rep.Topical.Scores = scoreTopical(opts.Engines, topical, topicalHits)
		if opts.PoolDepth > 0 {
			rep.Topical.Pool = pool(opts.Engines, topical, topicalHits, opts.PoolDepth, articles)
		}
	}
	for _, v := range Variants {
		vr := VariantReport{Variant: v, Description: v.Describe()}
		var of []int // the variant's queries
		for qi, q := range queries {
			if q.Variant == v {
				of = append(of, qi)
				vr.CeilingMRR10 += ceilingMRR(q.Holders)
				if q.Holders > 1 {
					vr.Shared++
				}
			}
		}
		vr.Queries = len(of)
		if len(of) > 0 {
			vr.CeilingMRR10 /= float64(len(of))
		}
		for i, name := range opts.Engines {
			rs := make([]int, len(of))
			runFirst := 0
			for j, qi := range of {
				rs[j] = ranks[i][qi]
				if slices.Contains(holders[qi], firsts[i][qi]) {
					runFirst++
				}
			}
			m := score(name, rs)
			if vr.CeilingMRR10 > 0 {
				m.OfCeiling = m.MRR10 / vr.CeilingMRR10
			}
			if v.isSpan() && len(of) > 0 {
				m.RunFirst = float64(runFirst) / float64(len(of))
			}
			vr.Scores = append(vr.Scores, m)
		}
		rep.Variants = append(rep.Variants, vr)
	}
	if opts.Details {
		for qi, q := range queries {
			qr := QueryResult{Query: q, Ranks: map[string]int{}}
			for i, name := range opts.Engines {
				qr.Ranks[name] = ranks[i][qi]
			}
			rep.Details = append(rep.Details, qr)
		}
	}
	return rep, nil
}

// score computes the metrics of a list of ranks.
func score(engine string, ranks []int) Metrics {
	m := Metrics{Engine: engine}
	if len(ranks) == 0 {
		return m
	}
	for _, r := range ranks {
		if r < 1 {
			continue
		}
		if r == 1 {
			m.Success1++
		}
		if r <= 5 {
			m.Success5++
		}
		if r <= 10 {
			m.Success10++
			m.MRR10 += 1 / float64(r)
		}
	}
	n := float64(len(ranks))
	m.Success1, m.Success5, m.Success10, m.MRR10 = m.Success1/n, m.Success5/n, m.Success10/n, m.MRR10/n
	return m
}

// keptIndex is what a kept index's manifest, ENGINE.json beside its
// directory, records.
type keptIndex struct {
	Fingerprint string  `json:"fingerprint"`
	Docs        int     `json:"docs"`
	BuildSec    float64 `json:"build_seconds"`
}

// engineRun is one engine's part of a run: what it searches, and, once
// done, what it found.
type engineRun struct {
	keep     bool // keep the index for later runs
	ranking  search.Options
	articles []schema.Article
	queries  []Query
	topical  []TopicalQuery
	// topicalDepth is how many hits of each topical query are kept.
	topicalDepth int
	progress     func(string)

	ranks       []int      // each query's rank, 0 when not in the top 10
	firsts      []string   // each query's first hit, "" for none
	topicalHits [][]string // each topical query's hits, best first
}

// do builds or reopens the engine's index under base and runs every query
// on it. The mean query time is the known-item queries'.
func (run *engineRun) do(ctx context.Context, e engine, base string) (EngineReport, error) {
	er := EngineReport{Name: e.name, Description: e.describe}
	ix, err := run.open(ctx, e, base, &er)
	if err != nil {
		return er, err
	}
	defer ix.close()
	run.ranks = make([]int, len(run.queries))
	run.firsts = make([]string, len(run.queries))
	var took time.Duration
	for qi, q := range run.queries {
		started := time.Now()
		ids, err := ix.search(ctx, q.Text, topK)
		took += time.Since(started)
		if err != nil {
			return er, fmt.Errorf("query %q: %w", q.Text, err)
		}
		run.ranks[qi] = slices.Index(ids, q.ID) + 1
		if len(ids) > 0 {
			run.firsts[qi] = ids[0]
		}
	}
	er.Queries = len(run.queries)
	if len(run.queries) > 0 {
		er.MeanQueryMS = took.Seconds() * 1000 / float64(len(run.queries))
	}
	run.topicalHits = make([][]string, len(run.topical))
	for qi, q := range run.topical {
		if run.topicalHits[qi], err = ix.search(ctx, q.Query, run.topicalDepth); err != nil {
			return er, fmt.Errorf("topical query %q: %w", q.Query, err)
		}
	}
	return er, nil
}

// open reopens the engine's index kept under base for the same articles,
// or builds it, noting which in er.
func (run *engineRun) open(ctx context.Context, e engine, base string, er *EngineReport) (engineIndex, error) {
	dir := filepath.Join(base, e.name)
	manifest := dir + ".json"
	fp := fingerprint(run.articles)
	if run.keep {
		var k keptIndex
		if data, err := os.ReadFile(manifest); err == nil && json.Unmarshal(data, &k) == nil && k.Fingerprint == fp {
			if ix, err := e.open(dir, run.ranking); err == nil {
				er.Reused, er.BuildSec = true, k.BuildSec
				run.progress(fmt.Sprintf("%s: reusing the index in %s", e.name, dir))
				return ix, nil
			}
		}
	}
	os.Remove(manifest)
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	run.progress(fmt.Sprintf("%s: indexing %d articles", e.name, len(run.articles)))
	started := time.Now()
	ix, err := e.build(ctx, dir, run.articles, run.ranking)
	if err != nil {
		return nil, err
	}
	er.BuildSec = time.Since(started).Seconds()
	run.progress(fmt.Sprintf("%s: built in %.1fs", e.name, er.BuildSec))
	if run.keep {
		data, _ := json.Marshal(keptIndex{Fingerprint: fp, Docs: len(run.articles), BuildSec: er.BuildSec})
		if err := os.WriteFile(manifest, data, 0o644); err != nil {
			ix.close()
			return nil, err
		}
	}
	return ix, nil
}
