package server

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
)

// maxBodyBytes bounds a POST body: a search request is a few hundred
// bytes, and the bound keeps one client from filling the server's memory.
const maxBodyBytes = 64 << 10

// maxAnalyzeLength bounds the text /api/analyze takes, in characters: it
// is a tool for looking at a phrase or a paragraph, not at an archive.
const maxAnalyzeLength = 10_000

// routes builds the router with the middleware and every endpoint.
func (s *Server) routes() *gin.Engine {
	// Release mode keeps gin from printing its banner and route table to
	// stdout; gin keeps the mode in a package variable it sets atomically.
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	// One URL per endpoint: "/api/search/" is a 404 like any unknown path,
	// not a redirect.
	e.RedirectTrailingSlash = false
	// Route on the path as sent, so that an article id with an escaped "/"
	// ("a%2Fb") stays one path segment.
	e.UseRawPath = true

	// The access log and request id wrap everything, panics included.
	e.Use(withRequestID, s.accessLog, s.measure, s.recoverPanic, s.corsMiddleware(), s.withTimeout, s.holdGeneration)
	e.NoRoute(func(c *gin.Context) {
		s.writeError(c, fmt.Errorf("%w: %s", errNoRoute, c.Request.URL.Path))
	})
	e.NoMethod(func(c *gin.Context) {
		s.writeError(c, fmt.Errorf("%w: %s %s; allowed: %s",
			errMethodNotAllowed, c.Request.Method, c.Request.URL.Path, c.Writer.Header().Get("Allow")))
	})

	api := e.Group("/api")
	api.GET("/search", handle(s, s.getSearch))
	api.POST("/search", handle(s, s.postSearch))
	api.GET("/articles/:id", handle(s, s.article))
	api.GET("/analyze", handle(s, s.analyze))
	e.GET("/healthz", handle(s, s.health))
	s.operationRoutes(e, api)
	s.webRoutes(e)
	return e
}

// handle adapts an endpoint, which returns a result or an error, to gin.
// It is the one place where results are rendered, always as 200 JSON.
func handle[T any](s *Server, endpoint func(*gin.Context) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		res, err := endpoint(c)
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, res)
	}
}

// getSearch serves GET /api/search, parameters in the query string.
func (s *Server) getSearch(c *gin.Context) (search.Result, error) {
	var p searchParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return search.Result{}, fmt.Errorf("%w: %v", errInvalidParam, err)
	}
	return s.search(c, p)
}

// postSearch serves POST /api/search, parameters in a JSON body.
func (s *Server) postSearch(c *gin.Context) (search.Result, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	var p searchParams
	if err := c.ShouldBindJSON(&p); err != nil {
		return search.Result{}, bodyError(err)
	}
	return s.search(c, p)
}

func (s *Server) search(c *gin.Context, p searchParams) (search.Result, error) {
	req, err := p.request()
	if err != nil {
		return search.Result{}, err
	}
	res, err := s.live(c.Request.Context()).searcher.Search(c.Request.Context(), req)
	if err == nil {
		s.recordSearch(res, p.Typing)
	}
	return res, err
}

// article serves GET /api/articles/:id.
func (s *Server) article(c *gin.Context) (schema.Article, error) {
	return s.live(c.Request.Context()).searcher.Article(c.Request.Context(), c.Param("id"))
}

// analyzeParams are the query parameters of /api/analyze.
type analyzeParams struct {
	Text     string `form:"text"`
	Analyzer string `form:"analyzer"`
}

// analyzeResult is the body of an /api/analyze response.
type analyzeResult struct {
	Analyzer string  `json:"analyzer"`
	Tokens   []token `json:"tokens"`
}

// token is one term an analyzer made of the text. Start and End are byte
// offsets into the text as UTF-8, End exclusive.
type token struct {
	Term     string `json:"term"`
	Position int    `json:"position"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

// analyze serves GET /api/analyze: the terms one analyzer makes of a text,
// to see why an article matches or does not.
func (s *Server) analyze(c *gin.Context) (analyzeResult, error) {
	var p analyzeParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return analyzeResult{}, fmt.Errorf("%w: %v", errInvalidParam, err)
	}
	switch {
	case p.Text == "":
		return analyzeResult{}, &search.ParamError{Param: "text", Reason: "is required"}
	case !utf8.ValidString(p.Text):
		return analyzeResult{}, &search.ParamError{Param: "text", Reason: "not valid UTF-8"}
	case utf8.RuneCountInString(p.Text) > maxAnalyzeLength:
		return analyzeResult{}, &search.ParamError{Param: "text",
			Reason: fmt.Sprintf("longer than %d characters", maxAnalyzeLength)}
	}
	name := cmp.Or(p.Analyzer, analyzers.Exact)
	a, err := analyzers.New(name)
	if err != nil {
		return analyzeResult{}, &search.ParamError{Param: "analyzer",
			Reason: "must be one of " + strings.Join(analyzers.Names(), ", ")}
	}
	stream := a.Analyze([]byte(p.Text))
	res := analyzeResult{Analyzer: name, Tokens: make([]token, 0, len(stream))}
	for _, t := range stream {
		res.Tokens = append(res.Tokens, token{Term: string(t.Term), Position: t.Position, Start: t.Start, End: t.End})
	}
	return res, nil
}

// healthResult is the body of a /healthz response.
type healthResult struct {
	Status    string `json:"status"`
	Documents uint64 `json:"documents"`
}

// health serves GET /healthz: the index answers and holds this many
// articles.
func (s *Server) health(c *gin.Context) (healthResult, error) {
	n, err := s.live(c.Request.Context()).searcher.Count()
	if err != nil {
		return healthResult{}, fmt.Errorf("%w: count articles: %w", errUnavailable, err)
	}
	return healthResult{Status: "ok", Documents: n}, nil
}
