package search

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/analyzers"
	vnquery "github.com/vnsearch/vnsearch/query"
	"github.com/vnsearch/vnsearch/schema"
)

// Options configure a Searcher. The zero value means the defaults.
type Options struct {
	// SnippetLength is the length of a hit's snippet in characters.
	// Default 240: two lines of a results page.
	SnippetLength int
	// RecencyHalfLife is the age at which an article's recency boost in a
	// ranking by relevance is half that of one published at the time of
	// the search; a request may set its own (Request.HalfLife). Default
	// DefaultRecencyHalfLife; negative: no recency boost.
	RecencyHalfLife time.Duration
	// Now is the clock recency is measured from. Default time.Now; an
	// archive no longer added to may take its last day instead.
	Now func() time.Time
	// SpellingsRefresh is how long after the spellings of the index are
	// read that a write makes them be read again, in the background, and
	// at least 30 times as long as the last reading took. Default 10s: on
	// a small index a write is reflected within seconds, and a burst of
	// writes costs one reading of every title and lead term.
	SpellingsRefresh time.Duration
	// ReadOnly says the index was opened read-only: Prepare keeps what it
	// learns in memory instead of in the index. Default false.
	ReadOnly bool
	// CacheBytes bounds the memory of the results of recent searches kept
	// to answer the same request again, until the index or what is learnt
	// from it changes, for at most a minute. Default DefaultCacheBytes;
	// negative: no cache.
	CacheBytes int64
}

// DefaultRecencyHalfLife is the default Options.RecencyHalfLife: the
// longest half-life at which no known-item query of the eval over a
// ten-year archive ranked lower than with none; a year moved two of
// 1,800 (docs/relevance.md, "Freshness").
const DefaultRecencyHalfLife = 30 * 24 * time.Hour

// SetDefaults fills zero fields with their defaults.
func (o *Options) SetDefaults() {
	if o.SnippetLength <= 0 {
		o.SnippetLength = 240
	}
	if o.RecencyHalfLife == 0 {
		o.RecencyHalfLife = DefaultRecencyHalfLife
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SpellingsRefresh <= 0 {
		o.SpellingsRefresh = 10 * time.Second
	}
	if o.CacheBytes == 0 {
		o.CacheBytes = DefaultCacheBytes
	}
}

// Searcher answers searches over one index, or over the shards of one
// archive (schema.Shards) as if they were one index: the same hits, the
// same scores. It is safe for concurrent use.
type Searcher struct {
	idx        bleve.Index
	shards     []bleve.Index // idx alone when it is one index
	opts       Options
	diacritics diacritics
	facets     facetCache
	bm25       archiveStats // over shards
	synonyms   synonyms
	results    *resultCache // nil without a cache
}

// New returns a Searcher over idx, one index or schema.Shards.
func New(idx bleve.Index, opts Options) *Searcher {
	opts.SetDefaults()
	s := &Searcher{idx: idx, shards: schema.ShardsOf(idx), opts: opts}
	if opts.CacheBytes > 0 {
		s.results = newResultCache(opts.CacheBytes)
	}
	return s
}

// CacheStats counts what the result cache did; zero without one.
func (s *Searcher) CacheStats() CacheStats {
	if s.results == nil {
		return CacheStats{}
	}
	return s.results.stats()
}

// Options returns the options s was made with, defaults filled in: a
// searcher of a rebuilt index is made with the same.
func (s *Searcher) Options() Options { return s.opts }

// Result is one page of a search's hits.
type Result struct {
	Query    string   `json:"query"`
	Total    uint64   `json:"total"`
	TookMS   float64  `json:"took_ms"`
	Page     int      `json:"page"`
	Size     int      `json:"size"`
	Operator Operator `json:"op"`
	// Relaxed says that requiring every word found nothing, so these hits
	// match any word.
	Relaxed bool    `json:"relaxed"`
	Hits    []Hit   `json:"hits"`
	Facets  *Facets `json:"facets,omitempty"`
	// Explain says what the engine read in the query and did to it.
	Explain Explanation `json:"explain"`
}

// Explanation tells a reader what the engine did to the query, so a page
// can say "showing results for …". Empty fields mean nothing of that kind
// was done.
type Explanation struct {
	// Parsed is the query tree as the engine read it.
	Parsed string `json:"parsed"`
	// Restored is the query with its diacritics restored from the index's
	// vocabulary, when it was typed without them and the restoration was
	// unambiguous: "nam dinh" → "nam định".
	Restored string `json:"restored,omitempty"`
	// Decoded is the query decoded from Telex or VNI typed with the
	// keyboard's Vietnamese mode off: "Nam Ddinhj" → "Nam Định".
	Decoded string `json:"decoded,omitempty"`
	// Expanded lists the abbreviations expanded, as "UBND → ủy ban nhân dân".
	Expanded []string `json:"expanded,omitempty"`
	// Fuzzy says that the words as typed found little, so words within a
	// small edit distance were searched too.
	Fuzzy bool `json:"fuzzy,omitempty"`
	// DidYouMean is a spelling of the query that the index knows better.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// MinWords, when the query was relaxed, is how many of its words each
	// hit has at least.
	MinWords int `json:"min_words,omitempty"`
}

// Hit is one article found.
type Hit struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	TitleHTML string     `json:"title_html"` // title with matched words in <mark>
	URL       string     `json:"url,omitempty"`
	Date      *time.Time `json:"date,omitempty"`
	Section   string     `json:"section,omitempty"`
	Author    string     `json:"author,omitempty"`
	Source    string     `json:"source,omitempty"`
	Score     float64    `json:"score"`
	Snippet   string     `json:"snippet"` // HTML: escaped text, matched words in <mark>
}

// Facets counts the matching articles by section, year, source and place.
type Facets struct {
	Section []FacetCount `json:"section"`
	Year    []FacetCount `json:"year"`
	Source  []FacetCount `json:"source"`
	// Place counts the provinces and cities the articles are about, each
	// under its name and the province it has been part of since 1 July
	// 2025: an article about Nam Định counts for "Nam Định" and "Ninh
	// Bình".
	Place []FacetCount `json:"place"`
}

// FacetCount is how many matching articles have one value.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// facetSizes caps the values returned for each facet.
var facetSizes = map[string]int{schema.SectionFacet: 20, schema.YearFacet: 30, schema.SourceFacet: 10, schema.PlaceFacet: 20}

// rerankDepth is how many of the best first-pass candidates the second
// pass scores with every clause. The first pass ranks by the words in the
// whole text, the title and side by side, which puts a known article well
// inside the first hundred; scoring all clauses on every match would cost
// several times more on common words.
const rerankDepth = 100

// onePassHits is how many hits a query may have for one pass to score
// them all with every clause. Up to the rerank depth that is what the
// two passes do; up to ten times more still cost less than the cheap pass
// and the second together, and rank every hit rather than the best of the
// cheap ranking.
const onePassHits = 1000

// Search runs req and returns its page of hits, from the cache when the
// same request was answered since the index last changed. It returns
// ErrInvalidQuery or a *ParamError for a request it cannot run.
func (s *Searcher) Search(ctx context.Context, req Request) (Result, error) {
	started := time.Now()
	req.SetDefaults()
	if err := req.Validate(); err != nil {
		return Result{}, err
	}
	if s.results == nil {
		return s.search(ctx, req, started)
	}
	// The version is read before searching: a write meanwhile leaves the
	// result under the older version, which no later search asks for.
	v, err := s.version()
	if err != nil {
		return Result{}, err
	}
	key := req.cacheKey()
	if res, ok := s.results.get(key, v); ok {
		res.TookMS = float64(time.Since(started).Microseconds()) / 1000
		return res, nil
	}
	res, err := s.search(ctx, req, started)
	if err == nil {
		s.results.put(key, v, res)
	}
	return res, err
}

// search runs req, defaults filled in and valid.
func (s *Searcher) search(ctx context.Context, req Request, started time.Time) (Result, error) {
	parsed := vnquery.Parse(req.Query)
	synonyms, err := s.synonymTable()
	if err != nil {
		return Result{}, err
	}
	vocab, err := s.vocabulary()
	if err != nil {
		return Result{}, err
	}
	defer vocab.close()
	p := compile(parsed, vocab, synonyms.abbreviations)
	ctx = s.archiveScoring(ctx, vocab)
	if len(p.must) == 0 && len(p.filter) == 0 && len(p.mustNot) == 0 && len(p.restrict) == 0 && parsed.From.IsZero() && parsed.To.IsZero() {
		return Result{}, fmt.Errorf("%w: no words to search for in %q", ErrInvalidQuery, req.Query)
	}
	req.From, req.To = narrower(req.From, parsed.From, true), narrower(req.To, parsed.To, false)
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return Result{}, &ParamError{Param: "to", Reason: "is before from"}
	}
	p.explain.DidYouMean = p.didYouMean(req.Query)
	p.explain.Restored = strings.Join(p.restored, " ")
	res := Result{Query: req.Query, Page: req.Page, Size: req.Size, Operator: req.Operator, Explain: p.explain}

	minWords := 0 // all
	if req.Operator == Or {
		minWords = 1
	}
	sr, err := s.run(ctx, p, req, minWords)
	if err != nil {
		return Result{}, err
	}
	// Requiring every word found nothing: most of them, then any.
	if n := len(p.must) + len(p.filter); sr.total == 0 && req.Operator == And && n > 1 {
		res.Relaxed, res.Operator = true, Or
		for _, m := range []int{(2*n + 2) / 3, 1} {
			if m >= n {
				continue
			}
			res.Explain.MinWords = m
			if sr, err = s.run(ctx, p, req, m); err != nil {
				return Result{}, err
			}
			if sr.total > 0 {
				break
			}
		}
	}
	res.Total = sr.total
	res.Hits = s.hits(sr.hits, p.highlight)
	counts := facetCounts(sr.facets)
	res.Facets = &Facets{
		Section: counts[schema.SectionFacet],
		Year:    counts[schema.YearFacet],
		Source:  counts[schema.SourceFacet],
		Place:   counts[schema.PlaceFacet],
	}
	sort.Slice(res.Facets.Year, func(i, j int) bool { return res.Facets.Year[i].Value > res.Facets.Year[j].Value })
	res.TookMS = float64(time.Since(started).Microseconds()) / 1000
	return res, nil
}

// narrower returns the later of two start dates, or the earlier of two end
// dates, a zero one meaning open.
func narrower(a, b time.Time, start bool) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero():
		return a
	case start == a.After(b):
		return a
	}
	return b
}

// match is the query that decides which articles are hits: the words
// (scored and common, from words), none of the excluded, and the
// request's filters.
func (p plan) match(req Request, scored, common query.Query) query.Query {
	must := append(append([]query.Query{scored}, p.restrict...), req.filters()...)
	if len(p.mustNot) == 0 && common == nil {
		return conjunction(must)
	}
	b := query.NewBooleanQuery(must, nil, p.mustNot)
	if common != nil {
		b.AddFilter(common)
	}
	return b
}

// words returns the part of match that scores, the required words or at
// least minWords of them (all when 0), and the words too common to score
// that every hit must also have (nil when none).
func (p plan) words(minWords int) (scored, common query.Query) {
	words := len(p.must) + len(p.filter)
	var filter []query.Query
	for _, f := range p.filter {
		filter = append(filter, f.query)
	}
	switch {
	case words == 0:
		return query.NewMatchAllQuery(), nil
	case minWords == 0 || minWords >= words:
		return conjunction(p.must), conjunction(filter)
	}
	d := query.NewDisjunctionQuery(append(slices.Clone(p.must), filter...))
	d.SetMin(float64(minWords))
	return d, nil
}

// run searches in two passes: the first finds every hit, counts the
// facets and ranks the hits by the cheap clauses; the second scores the
// best of them with every clause and returns the page. Sorted by date,
// the first pass is all there is. A query with few hits (onePassHits)
// is searched in one pass that scores them all with every clause.
func (s *Searcher) run(ctx context.Context, p plan, req Request, minWords int) (found, error) {
	scored, common := p.words(minWords)
	offset := (req.Page - 1) * req.Size
	if req.Sort == SortRelevance && minWords == 0 && p.maxHits <= onePassHits {
		if p.mustOnlyDrives {
			scored = p.unscoredDriver // as the second pass leaves it out
		}
		one := bleve.NewSearchRequestOptions(query.NewBooleanQuery([]query.Query{p.match(req, scored, common)}, p.bonus, nil),
			req.Size, offset, false)
		one.Fields = schema.StoredFields
		one.SortBy(byRelevance)
		page := s.finalRanking(ctx, p, req).widen(one)
		out, err := s.counted(ctx, req, one)
		out.hits = page(out.hits)
		return out, err
	}
	match := p.match(req, scored, common)
	first := bleve.NewSearchRequestOptions(query.NewBooleanQuery([]query.Query{match}, p.cheap, nil),
		max(rerankDepth, offset+req.Size), 0, false)
	switch req.Sort {
	case SortDate:
		first.SortBy([]string{"-" + schema.Published, "-_score"})
	case SortDateAsc:
		first.SortBy([]string{schema.Published, "-_score"})
	}
	if req.Sort != SortRelevance {
		first.Size, first.From = req.Size, offset
		first.Fields = schema.StoredFields
	}
	out, err := s.counted(ctx, req, first)
	if err != nil || req.Sort != SortRelevance {
		return out, err
	}
	if len(out.hits) <= offset {
		out.hits = nil // a page past the last hit
		return out, nil
	}
	ids := make([]string, len(out.hits))
	for i, h := range out.hits {
		ids[i] = h.ID
	}
	// The candidates are hits already: the second pass scores them without
	// walking the filters and exclusions again, nor a common word that only
	// drove the matching.
	must := []query.Query{query.NewDocIDQuery(ids)}
	if minWords != 0 || !p.mustOnlyDrives {
		must = append(must, scored)
	}
	second := bleve.NewSearchRequestOptions(query.NewBooleanQuery(must, p.bonus, nil), req.Size, offset, false)
	second.Fields = schema.StoredFields
	second.SortBy(byRelevance)
	page := s.finalRanking(ctx, p, req).widen(second)
	ranked, err := s.searchIndex(ctx, second)
	if err != nil {
		return found{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	out.hits = page(ranked.Hits)
	return out, nil
}

// finalRanking returns the last step of ranking p by relevance for req.
func (s *Searcher) finalRanking(ctx context.Context, p plan, req Request) finalRanking {
	halfLife := req.HalfLife
	if halfLife == 0 {
		halfLife = s.opts.RecencyHalfLife
	}
	return finalRanking{run: p.whole, halfLife: max(halfLife, 0), now: s.opts.Now(),
		mayHold: func(ids []string) map[string]bool { return s.mayHold(ctx, p.whole, ids) }}
}

// mayHold returns which of ids have every pair of run's neighbouring
// words, as finalRanking.mayHold; nil when the index could not tell.
func (s *Searcher) mayHold(ctx context.Context, run wholeRun, ids []string) map[string]bool {
	sr := bleve.NewSearchRequestOptions(query.NewBooleanQuery(
		[]query.Query{query.NewDocIDQuery(ids), run.pairsQuery()}, nil, nil), len(ids), 0, false)
	sr.Score = "none"
	res, err := s.searchIndex(ctx, sr)
	if err != nil {
		return nil // reading every hit gives the same ranking, later
	}
	out := make(map[string]bool, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = true
	}
	return out
}

// byRelevance sorts hits by score and articles that score alike, as
// copies of one agency story do, newest first.
var byRelevance = []string{"-_score", "-" + schema.Published}

// counted runs sr for req, counting the facets of all its hits.
func (s *Searcher) counted(ctx context.Context, req Request, sr *bleve.SearchRequest) (found, error) {
	var tally facetTally
	res, err := s.searchIndex(s.withFacetCounting(ctx, &tally), sr)
	if err != nil {
		return found{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	out := found{total: res.Total, hits: res.Hits}
	if out.facets, err = tally.result(); err != nil {
		return found{}, fmt.Errorf("search %q: count facets: %w", req.Query, err)
	}
	return out, nil
}

// found is what one run of a search found: how many hits, the page of
// them, and the count of each schema.Facets term over all of them.
type found struct {
	total  uint64
	hits   bsearch.DocumentMatchCollection
	facets map[string]int
}

// filters returns the queries that restrict hits to req's filters. Values
// are normalised as stored values were, so an NFD "Thể thao" still matches.
func (req Request) filters() []query.Query {
	keyword := func(field, value string) query.Query {
		return termQuery(field, strings.TrimSpace(analyzers.NormalizeText(value)), 1)
	}
	var qs []query.Query
	if len(req.Sections) > 0 {
		var any []query.Query
		for _, sec := range req.Sections {
			any = append(any, keyword(schema.Section, sec))
		}
		qs = append(qs, query.NewDisjunctionQuery(any))
	}
	if len(req.Places) > 0 {
		var any []query.Query
		for _, p := range req.Places {
			any = append(any, placeQuery(p))
		}
		qs = append(qs, query.NewDisjunctionQuery(any))
	}
	if req.Author != "" {
		qs = append(qs, keyword(schema.Author, req.Author))
	}
	if req.Source != "" {
		qs = append(qs, keyword(schema.Source, req.Source))
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		inclusive := true
		dq := query.NewDateRangeInclusiveQuery(req.From, req.To, &inclusive, &inclusive)
		dq.SetField(schema.Published)
		qs = append(qs, dq)
	}
	return qs
}

// hits makes the page's hits. Cutting their snippets is most of what is
// left of a search after the passes, and each hit's is its own, so they
// are cut on every core at once.
func (s *Searcher) hits(dms bsearch.DocumentMatchCollection, h highlightTerms) []Hit {
	out := make([]Hit, len(dms))
	onEveryCore(len(dms), func(i int) { out[i] = s.hit(dms[i], h) })
	return out
}

// onEveryCore calls f for each i from 0 to n-1, on as many goroutines as
// there are cores to run them, and returns when all calls have.
func onEveryCore(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}

func (s *Searcher) hit(dm *bsearch.DocumentMatch, h highlightTerms) Hit {
	return newHit(schema.FromStored(dm.ID, dm.Fields), dm.Score, h.title,
		func(text string) string { return h.snippet(text, s.opts.SnippetLength) })
}

// newHit makes a hit of article a, with its title and snippet as HTML made
// by title and snippet from the title and from the lead and body.
func newHit(a schema.Article, score float64, title, snippet func(string) string) Hit {
	hit := Hit{
		ID:        a.ID,
		Title:     a.Title,
		TitleHTML: title(a.Title),
		URL:       a.URL,
		Section:   a.Section,
		Author:    a.Author,
		Source:    a.Source,
		Score:     score,
		Snippet:   snippet(strings.TrimSpace(a.Lead + "\n" + a.Body)),
	}
	if !a.Published.IsZero() {
		hit.Date = &a.Published
	}
	return hit
}

// Article returns the stored article with the given id, or ErrNotFound.
func (s *Searcher) Article(ctx context.Context, id string) (schema.Article, error) {
	sr := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	sr.Fields = schema.StoredFields
	res, err := s.searchIndex(ctx, sr)
	if err != nil {
		return schema.Article{}, fmt.Errorf("article %q: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return schema.Article{}, fmt.Errorf("article %q: %w", id, ErrNotFound)
	}
	return schema.FromStored(id, res.Hits[0].Fields), nil
}

// Count returns the number of articles in the index.
func (s *Searcher) Count() (uint64, error) { return s.idx.DocCount() }
