package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/replica"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/suggest"
)

// suggestParams are the query parameters of /api/suggest.
type suggestParams struct {
	Query string   `form:"q"`
	Size  intParam `form:"size"`
}

// suggestResult is the body of an /api/suggest response.
type suggestResult struct {
	Query       string               `json:"query"`
	Suggestions []suggest.Suggestion `json:"suggestions"`
}

// suggest serves GET /api/suggest: completions of the text being typed.
func (s *Server) suggest(c *gin.Context) (suggestResult, error) {
	var p suggestParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return suggestResult{}, fmt.Errorf("%w: %v", errInvalidParam, err)
	}
	if p.Query == "" {
		return suggestResult{}, &search.ParamError{Param: "q", Reason: "is required"}
	}
	size, err := p.Size.value("size")
	if err != nil {
		return suggestResult{}, err
	}
	if s.opts.Suggester == nil {
		return suggestResult{}, fmt.Errorf("suggestions are not enabled: %w", suggest.ErrNotReady)
	}
	out, err := s.live(c.Request.Context()).suggester.Suggest(c.Request.Context(), p.Query, size)
	if err != nil {
		return suggestResult{}, err
	}
	return suggestResult{Query: p.Query, Suggestions: out}, nil
}

// relatedParams are the query parameters of /api/articles/:id/related.
type relatedParams struct {
	Size intParam `form:"size"`
}

// relatedResult is the body of an /api/articles/:id/related response.
type relatedResult struct {
	ID   string       `json:"id"`
	Hits []search.Hit `json:"hits"`
}

// related serves GET /api/articles/:id/related: the articles most like one.
func (s *Server) related(c *gin.Context) (relatedResult, error) {
	var p relatedParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return relatedResult{}, fmt.Errorf("%w: %v", errInvalidParam, err)
	}
	size, err := p.Size.value("size")
	if err != nil {
		return relatedResult{}, err
	}
	id := c.Param("id")
	hits, err := s.live(c.Request.Context()).searcher.Related(c.Request.Context(), id, size)
	if err != nil {
		return relatedResult{}, err
	}
	return relatedResult{ID: id, Hits: hits}, nil
}

// readyResult is the body of a /readyz response.
type readyResult struct {
	Status      string `json:"status"`
	Documents   uint64 `json:"documents"`
	Suggestions bool   `json:"suggestions"` // suggestions are built
	// Replica is where a node of a cluster stands in the cluster's log.
	Replica *replica.Status `json:"replica,omitempty"`
}

// ready serves GET /readyz: the index answers and the suggestions, when
// the server has a Suggester, are built.
func (s *Server) ready(c *gin.Context) (readyResult, error) {
	g := s.live(c.Request.Context())
	n, err := g.searcher.Count()
	if err != nil {
		return readyResult{}, fmt.Errorf("%w: count articles: %w", errUnavailable, err)
	}
	sg := g.suggester
	if sg != nil && !sg.Ready() {
		return readyResult{}, fmt.Errorf("suggestions are being built: %w", suggest.ErrNotReady)
	}
	res := readyResult{Status: "ready", Documents: n, Suggestions: sg != nil}
	if s.replica != nil {
		if err := s.replica.Ready(); err != nil {
			return readyResult{}, err
		}
		st := s.replica.Status()
		res.Replica = &st
	}
	return res, nil
}

// corsMiddleware lets the pages of the configured origins call the API
// from a browser: the embeddable search box runs on the newspaper's own
// site. Requests from other origins are answered as usual, without the
// headers a browser needs to hand the answer to the page.
func (s *Server) corsMiddleware() gin.HandlerFunc {
	if len(s.opts.CORSOrigins) == 0 {
		return func(c *gin.Context) { c.Next() }
	}
	cfg := cors.Config{
		AllowMethods:  []string{http.MethodGet, http.MethodPost},
		AllowHeaders:  []string{"Content-Type", requestIDHeader},
		ExposeHeaders: []string{requestIDHeader},
		// Browsers cache a preflight this long, sparing a round trip per
		// keystroke of the suggestion box.
		MaxAge: 10 * time.Minute,
	}
	any := slices.Contains(s.opts.CORSOrigins, "*")
	if any {
		cfg.AllowAllOrigins = true
	} else {
		cfg.AllowOrigins = s.opts.CORSOrigins
	}
	allow := cors.New(cfg)
	return func(c *gin.Context) {
		// The library refuses other origins with a bare 403; they are
		// answered as usual instead, same-origin pages included, and the
		// browser keeps the answer from a foreign page.
		if origin := c.GetHeader("Origin"); origin == "" || !any && !slices.Contains(s.opts.CORSOrigins, origin) {
			c.Next()
			return
		}
		allow(c)
	}
}

// validOrigin reports whether origin is what a browser sends in Origin:
// an http or https scheme and a host, nothing after it.
func validOrigin(origin string) bool {
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// rebuilder schedules the saving, and the rare builds, of the
// suggestions after writes.
type rebuilder struct {
	mu      sync.Mutex
	timer   *time.Timer // the refresh scheduled, if any
	pending time.Time   // the first write the scheduled refresh is for
	build   bool        // the scheduled refresh builds the suggestions anew
}

// maxRebuildDelays bounds how many SuggestRefresh periods writes may keep
// postponing a refresh: a long import is still saved every minute or so.
const maxRebuildDelays = 12

// suggestionsChanged schedules a refresh of the suggestions once writes
// have paused for SuggestRefresh, or at the latest maxRebuildDelays
// periods after the first write it is for: they are saved beside the
// index, and built anew when build is set or enough articles were written
// since their last build (suggest.Suggester.RefreshDue).
func (s *Server) suggestionsChanged(build bool) {
	if s.opts.Suggester == nil {
		return
	}
	s.rebuild.mu.Lock()
	defer s.rebuild.mu.Unlock()
	s.rebuild.build = s.rebuild.build || build
	if s.rebuild.timer != nil {
		if time.Since(s.rebuild.pending) < maxRebuildDelays*s.opts.SuggestRefresh {
			s.rebuild.timer.Reset(s.opts.SuggestRefresh)
		}
		return
	}
	s.rebuild.pending = time.Now()
	s.rebuild.timer = time.AfterFunc(s.opts.SuggestRefresh, func() {
		s.rebuild.mu.Lock()
		s.rebuild.timer = nil
		build := s.rebuild.build
		s.rebuild.build = false
		s.rebuild.mu.Unlock()
		s.refreshSuggestions(context.Background(), build)
	})
}

// stopRebuilds cancels a scheduled refresh, at shutdown.
func (s *Server) stopRebuilds() {
	s.rebuild.mu.Lock()
	defer s.rebuild.mu.Unlock()
	if s.rebuild.timer != nil {
		s.rebuild.timer.Stop()
		s.rebuild.timer = nil
	}
}

// refreshSuggestions builds the suggestions anew when build is set or a
// build is due, saves them, and logs the outcome.
func (s *Server) refreshSuggestions(ctx context.Context, build bool) error {
	g := s.acquire()
	defer s.release(g)
	if g.suggester == nil {
		return nil
	}
	if build || g.suggester.RefreshDue() {
		st, err := g.suggester.Build(ctx)
		if err != nil {
			s.log.LogAttrs(ctx, slog.LevelError, "suggestions not rebuilt", slog.String("cause", err.Error()))
			return err
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "suggestions rebuilt",
			slog.Int("articles", st.Articles), slog.Int("phrases", st.Phrases), slog.Duration("took", st.Took))
		// The build's garbage, gigabytes on a large archive, is handed
		// back to the system now rather than slowly.
		debug.FreeOSMemory()
	}
	return s.saveSuggestions(g)
}

// saveSuggestions saves the suggestions of g in its directory, so that
// the next start loads them rather than builds them; without
// Options.Dir, or before they are built, there is nothing to do.
func (s *Server) saveSuggestions(g *generation) error {
	if s.opts.Dir == "" || g.suggester == nil || !g.suggester.Ready() {
		return nil
	}
	if err := g.suggester.Save(g.dir.Dir); err != nil {
		s.log.Error("suggestions not saved", "cause", err)
		return err
	}
	return nil
}

// operationRoutes adds the endpoints beside search: suggestions, related
// articles, readiness, metrics, the OpenAPI document, the writes, the
// webhooks, the status of the polled sources, the newsroom's synonyms and
// the query log.
func (s *Server) operationRoutes(e *gin.Engine, api *gin.RouterGroup) {
	api.GET("/suggest", handle(s, s.suggest))
	api.GET("/articles/:id/related", handle(s, s.related))
	api.GET("/openapi.json", serveOpenAPI)
	api.POST("/articles", s.authorize, handle(s, s.postArticles))
	api.POST("/articles/_bulk", s.authorize, handle(s, s.postBulk))
	api.PUT("/articles/:id", s.authorize, handle(s, s.putArticle))
	api.DELETE("/articles/:id", s.authorize, handle(s, s.deleteArticle))
	api.POST("/hooks", s.authorize, handle(s, s.postHook))
	api.GET("/admin/sources", s.authorize, handle(s, s.sources))
	api.GET("/synonyms", handle(s, s.getSynonyms))
	api.PUT("/synonyms", s.authorize, handle(s, s.putSynonyms))
	api.GET("/admin/queries", s.authorize, handle(s, s.adminQueries))
	s.adminRoutes(api)
	e.GET("/readyz", handle(s, s.ready))
	e.GET("/metrics", s.metricsHandler())
}
