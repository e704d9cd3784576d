package server

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
	"github.com/vnsearch/vnsearch/suggest"
)

// generation is one index the server searches, with what searches need
// of it. Each request holds a reference to the generation it began on, and
// finishes there even when a rebuild swaps in another meanwhile; the
// generation swapped out is closed, and its directory removed, once its
// last request is done.
type generation struct {
	idx       bleve.Index // nil when the server was given none
	searcher  *search.Searcher
	suggester *suggest.Suggester // nil when suggestions are off
	dir       store.Generation   // zero without Options.Dir
	// refs counts the requests holding the generation, plus one while it
	// is the server's current one.
	refs    atomic.Int64
	retired atomic.Bool // swapped out: remove its directory once closed
	closed  sync.Once
}

// acquire returns the current generation, held until release.
func (s *Server) acquire() *generation {
	for {
		g := s.current.Load()
		g.refs.Add(1)
		if s.current.Load() == g {
			return g
		}
		// Swapped out between the two loads: let go and take the new one.
		s.release(g)
	}
}

// release lets go of g, closing it if it was the last holder.
func (s *Server) release(g *generation) {
	if g.refs.Add(-1) > 0 {
		return
	}
	g.closed.Do(func() {
		if g.idx == nil {
			return
		}
		if err := g.idx.Close(); err != nil {
			s.log.Error("index not closed", "dir", g.dir.Dir, "cause", err)
		}
		if !g.retired.Load() {
			return
		}
		defer s.retiring.Done()
		if s.opts.Dir != "" {
			if err := store.Remove(s.opts.Dir, g.dir); err != nil {
				s.log.Error("old generation not removed", "dir", g.dir.Dir, "cause", err)
			}
		}
	})
}

// swap makes next the current generation; the old one is closed once its
// requests are done.
func (s *Server) swap(next *generation) {
	next.refs.Add(1)
	old := s.current.Swap(next)
	s.retiring.Add(1)
	old.retired.Store(true)
	s.release(old)
}

// generationKey keys the generation of a request in its context.
type generationKey struct{}

// holdGeneration holds the current generation for the whole request: a
// search runs on one index from start to end.
func (s *Server) holdGeneration(c *gin.Context) {
	g := s.acquire()
	defer s.release(g)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), generationKey{}, g))
	c.Next()
}

// live returns the generation a request holds, or the current one outside
// a request.
func (s *Server) live(ctx context.Context) *generation {
	if g, ok := ctx.Value(generationKey{}).(*generation); ok {
		return g
	}
	return s.current.Load()
}
