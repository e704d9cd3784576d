package search

import (
	"container/list"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultCacheBytes is the default Options.CacheBytes: some 10,000 pages
// of ten hits, the queries of a busy news day.
const DefaultCacheBytes = 64 << 20

// cacheMaxAge is how long a cached result is served. Its hits' recency
// factors were computed when it was searched; a minute moves them by
// under two millionths, but a result kept for days would rank as of then.
const cacheMaxAge = time.Minute

// cacheVersion is what a search's result depends on beside its request:
// the index's articles (its write generation and count, so that a write
// makes every result cached before it unreachable), the spellings learned
// from them and the newsroom's synonyms.
type cacheVersion struct {
	generation, docs uint64
	spellings        *diacriticsTable
	synonyms         *synonymTable
}

// version returns the cacheVersion of the index as it is now. It asks
// for the spellings through diacriticsTable, which starts their reading
// when due: a result served from the cache would otherwise keep the
// spellings from being read again until it expired.
func (s *Searcher) version() (cacheVersion, error) {
	docs, gen, err := indexVersion(s.idx)
	if err != nil {
		return cacheVersion{}, err
	}
	syn, err := s.synonymTable()
	if err != nil {
		return cacheVersion{}, err
	}
	return cacheVersion{generation: gen, docs: docs, spellings: s.diacriticsTable(), synonyms: syn}, nil
}

// CacheStats counts what a Searcher's result cache did since it was made.
type CacheStats struct {
	Hits, Misses uint64
	Entries      int
	Bytes        int64 // estimated size of the results held
}

// resultCache keeps the results of recent searches, least recently used
// first out, within a bound in bytes. It holds the results of one version
// of the index: a search that finds the version changed empties it. It is
// safe for concurrent use; its zero value is not: see newResultCache.
type resultCache struct {
	mu       sync.Mutex
	maxBytes int64
	bytes    int64
	version  cacheVersion
	order    *list.List // of *cached, most recently used first
	byKey    map[string]*list.Element
	hits     uint64
	misses   uint64
}

// cached is one result in a resultCache.
type cached struct {
	key    string
	result Result
	bytes  int64
	stored time.Time
}

func newResultCache(maxBytes int64) *resultCache {
	return &resultCache{maxBytes: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns a copy of the result cached for key at version v, if any.
func (c *resultCache) get(key string, v cacheVersion) (Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.renew(v)
	e, ok := c.byKey[key]
	if ok && time.Since(e.Value.(*cached).stored) > cacheMaxAge {
		c.remove(e)
		ok = false
	}
	if !ok {
		c.misses++
		return Result{}, false
	}
	c.hits++
	c.order.MoveToFront(e)
	return e.Value.(*cached).result.clone(), true
}

// put caches res for key, found at version v, unless the index has
// changed since or res alone would take more than an eighth of the bound.
func (c *resultCache) put(key string, v cacheVersion, res Result) {
	size := resultBytes(key, res)
	if size > c.maxBytes/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.version {
		return // searched on an older version, or one not yet seen
	}
	if e, ok := c.byKey[key]; ok {
		c.remove(e)
	}
	c.byKey[key] = c.order.PushFront(&cached{key: key, result: res.clone(), bytes: size, stored: time.Now()})
	c.bytes += size
	for c.bytes > c.maxBytes {
		c.remove(c.order.Back())
	}
}

// renew empties the cache when v is not the version its results were
// found at. The caller holds c.mu.
func (c *resultCache) renew(v cacheVersion) {
	if v == c.version {
		return
	}
	c.version = v
	c.order.Init()
	clear(c.byKey)
	c.bytes = 0
}

// remove drops e. The caller holds c.mu.
func (c *resultCache) remove(e *list.Element) {
	r := c.order.Remove(e).(*cached)
	delete(c.byKey, r.key)
	c.bytes -= r.bytes
}

func (c *resultCache) stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Hits: c.hits, Misses: c.misses, Entries: c.order.Len(), Bytes: c.bytes}
}

// clone returns a copy of r whose slices a caller may change without
// changing r's.
func (r Result) clone() Result {
	r.Hits = slices.Clone(r.Hits)
	r.Explain.Expanded = slices.Clone(r.Explain.Expanded)
	if r.Facets != nil {
		f := *r.Facets
		for _, counts := range []*[]FacetCount{&f.Section, &f.Year, &f.Source, &f.Place} {
			*counts = slices.Clone(*counts)
		}
		r.Facets = &f
	}
	return r
}

// resultBytes estimates the memory res and its key take in the cache:
// their strings and the fixed size of each part, rounded up.
func resultBytes(key string, res Result) int64 {
	n := 512 + len(key) + len(res.Query) + len(res.Explain.Parsed) + len(res.Explain.Restored) +
		len(res.Explain.Decoded) + len(res.Explain.DidYouMean)
	for _, e := range res.Explain.Expanded {
		n += 16 + len(e)
	}
	for _, h := range res.Hits {
		n += 256 + len(h.ID) + len(h.Title) + len(h.TitleHTML) + len(h.URL) + len(h.Section) +
			len(h.Author) + len(h.Source) + len(h.Snippet)
	}
	if f := res.Facets; f != nil {
		for _, counts := range [][]FacetCount{f.Section, f.Year, f.Source, f.Place} {
			for _, fc := range counts {
				n += 24 + len(fc.Value)
			}
		}
	}
	return int64(n)
}

// cacheKey is a request, defaults filled in, as a string: two requests
// with the same key find the same results.
func (r Request) cacheKey() string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Quote(s))
		b.WriteByte(' ')
	}
	field(r.Query)
	field(strconv.Itoa(r.Page))
	field(strconv.Itoa(r.Size))
	field(string(r.Operator))
	field(r.Sort)
	field(strings.Join(r.Sections, "\x00"))
	field(strings.Join(r.Places, "\x00"))
	field(r.Author)
	field(r.Source)
	for _, t := range []time.Time{r.From, r.To} {
		if t.IsZero() {
			field("")
		} else {
			field(strconv.FormatInt(t.UnixNano(), 10))
		}
	}
	field(strconv.FormatInt(int64(r.HalfLife), 10))
	return b.String()
}
