package server

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/search"
)

// metrics are one Server's Prometheus metrics, on a registry of their own
// so that two servers in one process (tests do this) count apart.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	indexed  *prometheus.CounterVec
	searches *prometheus.CounterVec
	// generation is the index's write generation after the last write.
	generation prometheus.Gauge
}

// unmatchedRoute labels requests that no route matched, so that scanners
// probing random paths cannot make a label value per path.
const unmatchedRoute = "unmatched"

func newMetrics(s *Server) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vnsearch_http_requests_total",
			Help: "HTTP requests answered, by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vnsearch_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route.",
			// From a suggestion (well under a millisecond) to a search
			// abandoned at the 10 s request timeout.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		indexed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vnsearch_indexed_articles_total",
			Help: "Articles written through this server, by outcome: indexed (new or replacing), replaced (of indexed, an id already there), deleted, skipped (refused as invalid).",
		}, []string{"outcome"}),
		searches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vnsearch_searches_total",
			Help: "Searches run from the API and the page, as-you-type ones included, by result: hits (some found) or none (nothing found).",
		}, []string{"result"}),
		generation: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vnsearch_index_generation",
			Help: "The index's write generation after the last write through this server: one more per durable batch.",
		}),
	}
	for _, result := range []string{"hits", "none"} {
		m.searches.WithLabelValues(result)
	}
	for _, outcome := range []string{"indexed", "replaced", "deleted", "skipped"} {
		m.indexed.WithLabelValues(outcome) // present at 0 from the start
	}
	documents := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "vnsearch_index_documents",
		Help: "Articles in the index; -1 when the index cannot be read.",
	}, func() float64 {
		g := s.acquire()
		defer s.release(g)
		n, err := g.searcher.Count()
		if err != nil {
			return -1
		}
		return float64(n)
	})
	cacheStats := func() search.CacheStats {
		g := s.acquire()
		defer s.release(g)
		return g.searcher.CacheStats()
	}
	cacheHits := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "vnsearch_search_cache_hits_total",
		Help: "Searches answered from the result cache of the index searched (it starts again at 0 after a rebuild).",
	}, func() float64 { return float64(cacheStats().Hits) })
	cacheMisses := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "vnsearch_search_cache_misses_total",
		Help: "Searches not found in the result cache, run on the index.",
	}, func() float64 { return float64(cacheStats().Misses) })
	cacheBytes := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "vnsearch_search_cache_bytes",
		Help: "Estimated memory of the results in the result cache.",
	}, func() float64 { return float64(cacheStats().Bytes) })
	m.registry.MustRegister(m.requests, m.latency, m.indexed, m.searches, m.generation, documents,
		cacheHits, cacheMisses, cacheBytes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if s.poller != nil {
		m.registry.MustRegister(newSourceCollector(s.poller))
	}
	if s.replica != nil {
		m.registry.MustRegister(s.replica.Collectors()...)
	}
	return m
}

// RecordIndexing adds the counts of one write to the indexing totals.
func (s *Server) RecordIndexing(st indexer.Stats) {
	s.metrics.indexed.WithLabelValues("indexed").Add(float64(st.Indexed))
	s.metrics.indexed.WithLabelValues("replaced").Add(float64(st.Replaced))
	s.metrics.indexed.WithLabelValues("deleted").Add(float64(st.Deleted))
	s.metrics.indexed.WithLabelValues("skipped").Add(float64(st.Skipped))
}

// measure counts every request and times it, by the route that matched.
func (s *Server) measure(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = unmatchedRoute
	}
	s.metrics.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	s.metrics.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
}

// metricsHandler serves GET /metrics in the Prometheus text format.
func (s *Server) metricsHandler() gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
}
