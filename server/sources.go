package server

import (
	"errors"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/vnsearch/vnsearch/feeds"
)

// errHooksDisabled answers webhooks when the server was given no Hooks.
var errHooksDisabled = errors.New("webhooks are disabled: the server has no page fetcher")

// postHook serves POST /api/hooks: a CMS's publish, update, unpublish or
// delete webhook.
func (s *Server) postHook(c *gin.Context) (feeds.HookResult, error) {
	if s.hooks == nil {
		return feeds.HookResult{}, errHooksDisabled
	}
	body, err := readWriteBody(c)
	if err != nil {
		return feeds.HookResult{}, err
	}
	res, err := s.hooks.Apply(c.Request.Context(), body)
	if err != nil {
		return feeds.HookResult{}, err
	}
	s.suggestionsChanged(false)
	return res, nil
}

// sourcesResult is the body of a /api/admin/sources response.
type sourcesResult struct {
	Sources []feeds.SourceStatus `json:"sources"`
}

// sources serves GET /api/admin/sources: what polling each feed and
// sitemap has done.
func (s *Server) sources(*gin.Context) (sourcesResult, error) {
	res := sourcesResult{Sources: []feeds.SourceStatus{}}
	if s.poller != nil {
		res.Sources = s.poller.Status()
	}
	return res, nil
}

// sourceCollector exports the status of the polled sources as metrics,
// read from the Poller at each scrape.
type sourceCollector struct {
	poller                          *feeds.Poller
	lastPoll, nextPoll, failures    *prometheus.Desc
	polls, articles, errorsOfSource *prometheus.Desc
}

func newSourceCollector(p *feeds.Poller) *sourceCollector {
	labels := []string{"kind", "source"}
	desc := func(name, help string, extra ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, append(labels, extra...), nil)
	}
	return &sourceCollector{
		poller:         p,
		lastPoll:       desc("vnsearch_source_last_poll_timestamp_seconds", "When the last poll of a feed or sitemap ended; 0 before the first."),
		nextPoll:       desc("vnsearch_source_next_poll_timestamp_seconds", "When the next poll of a feed or sitemap starts; 0 while one runs."),
		failures:       desc("vnsearch_source_failures", "Failed polls of a feed or sitemap in a row, which lengthen the wait before the next."),
		polls:          desc("vnsearch_source_polls_total", "Polls of a feed or sitemap."),
		articles:       desc("vnsearch_source_articles_total", "Articles a feed or sitemap brought, by outcome: added, updated or removed (the page answered 404 or 410).", "outcome"),
		errorsOfSource: desc("vnsearch_source_errors_total", "Failed polls and failed article pages of a feed or sitemap."),
	}
}

func (c *sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.lastPoll, c.nextPoll, c.failures, c.polls, c.articles, c.errorsOfSource} {
		ch <- d
	}
}

func (c *sourceCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.poller.Status() {
		l := []string{st.Kind, st.URL}
		ch <- prometheus.MustNewConstMetric(c.lastPoll, prometheus.GaugeValue, unixSeconds(st.LastPoll), l...)
		ch <- prometheus.MustNewConstMetric(c.nextPoll, prometheus.GaugeValue, unixSeconds(st.NextPoll), l...)
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.GaugeValue, float64(st.Failures), l...)
		ch <- prometheus.MustNewConstMetric(c.polls, prometheus.CounterValue, float64(st.Polls), l...)
		ch <- prometheus.MustNewConstMetric(c.errorsOfSource, prometheus.CounterValue, float64(st.Errors), l...)
		for outcome, n := range map[string]int{"added": st.Added, "updated": st.Updated, "removed": st.Removed} {
			ch <- prometheus.MustNewConstMetric(c.articles, prometheus.CounterValue, float64(n), append(l, outcome)...)
		}
	}
}

// unixSeconds is t as a Prometheus timestamp, 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.Unix())
}
