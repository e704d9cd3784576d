package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
	"github.com/vnsearch/vnsearch/suggest"
)

// Errors of the admin endpoints.
var (
	errRebuildRunning = errors.New("a rebuild is running already")
	errNoIndexDir     = errors.New("the server was started without an index directory: rebuild with the index command")
)

// backupWriteTimeout bounds the time to send a backup: an archive of
// millions of articles is gigabytes, far beyond the usual WriteTimeout.
const backupWriteTimeout = 6 * time.Hour

// rebuildStatus is the body of the rebuild endpoints: the last rebuild
// started, or "idle" when none was.
type rebuildStatus struct {
	State      string     `json:"state"` // idle, running, done or failed
	Started    *time.Time `json:"started,omitempty"`
	Finished   *time.Time `json:"finished,omitempty"`
	Articles   int        `json:"articles"`             // copied into the new generation
	Generation int        `json:"generation,omitempty"` // the new generation, once done
	Error      string     `json:"error,omitempty"`
}

// adminState is the rebuild running or last run.
type adminState struct {
	mu     sync.Mutex
	status rebuildStatus
	cancel context.CancelFunc // stops the running rebuild
	done   chan struct{}      // closed when it has stopped
}

// adminRoutes adds the authenticated operations on the whole index.
func (s *Server) adminRoutes(api *gin.RouterGroup) {
	admin := api.Group("/admin", s.authorize)
	admin.POST("/rebuild", handle(s, s.postRebuild))
	admin.GET("/rebuild", handle(s, s.getRebuild))
	admin.POST("/backup", s.postBackup)
	admin.POST("/snapshot", handle(s, s.postSnapshot))
}

// getRebuild serves GET /api/admin/rebuild: how the last rebuild went.
func (s *Server) getRebuild(*gin.Context) (rebuildStatus, error) {
	s.admin.mu.Lock()
	defer s.admin.mu.Unlock()
	if s.admin.status.State == "" {
		return rebuildStatus{State: "idle"}, nil
	}
	return s.admin.status, nil
}

// postRebuild serves POST /api/admin/rebuild: it starts building a new
// generation of the index in the background and answers at once; searches
// and writes go on meanwhile.
func (s *Server) postRebuild(*gin.Context) (rebuildStatus, error) {
	if err := s.rebuildable(); err != nil {
		return rebuildStatus{}, err
	}
	s.admin.mu.Lock()
	defer s.admin.mu.Unlock()
	if s.admin.status.State == "running" {
		return rebuildStatus{}, errRebuildRunning
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := time.Now().UTC()
	s.admin.status = rebuildStatus{State: "running", Started: &started}
	s.admin.cancel, s.admin.done = cancel, make(chan struct{})
	go func() {
		defer close(s.admin.done)
		defer cancel()
		articles, g, err := s.Rebuild(ctx)
		finished := time.Now().UTC()
		s.admin.mu.Lock()
		defer s.admin.mu.Unlock()
		st := &s.admin.status
		st.Finished, st.Articles, st.Generation, st.State = &finished, articles, g.N, "done"
		if err != nil {
			st.State, st.Error = "failed", err.Error()
		}
	}()
	return s.admin.status, nil
}

// stopAdmin cancels a running rebuild and waits for it to stop.
func (s *Server) stopAdmin() {
	s.admin.mu.Lock()
	cancel, done := s.admin.cancel, s.admin.done
	s.admin.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// rebuildable reports why the server cannot rebuild its index while it
// serves, if it cannot.
func (s *Server) rebuildable() error {
	if s.opts.Dir == "" || s.writer == nil {
		return errNoIndexDir
	}
	return nil
}

// Rebuild builds a new generation of the index in Options.Dir from the
// current one's articles and swaps it in, while the server goes on
// answering searches and taking writes (see store.Rebuild). It returns
// the number of articles copied and the new generation.
func (s *Server) Rebuild(ctx context.Context) (int, store.Generation, error) {
	if err := s.rebuildable(); err != nil {
		return 0, store.Generation{}, err
	}
	started := time.Now()
	var next *generation
	_, g, st, err := store.Rebuild(ctx, s.opts.Dir, s.writer, store.RebuildHooks{
		Copied: func(idx bleve.Index) error {
			// The newsroom's synonyms are kept in the index; one changed
			// from here to the switch is lost with the old generation.
			cur := s.acquire()
			err := search.CopySynonyms(cur.idx, idx)
			s.release(cur)
			if err != nil {
				return err
			}
			next = &generation{idx: idx, searcher: search.New(idx, s.opts.Searcher.Options())}
			if err := next.searcher.Prepare(); err != nil {
				return err
			}
			if s.opts.Suggester == nil {
				return nil
			}
			next.suggester = suggest.New(idx, suggest.Options{})
			_, err = next.suggester.Build(ctx)
			return err
		},
		Switched: func(_ bleve.Index, g store.Generation) {
			next.dir = g
			s.swap(next)
		},
	})
	if err != nil {
		s.log.Error("rebuild failed", "cause", err)
		return st.Indexed, g, err
	}
	// The suggestions were built before the last writes were copied.
	s.suggestionsChanged(true)
	s.log.Info("rebuilt the index", "generation", g.N, "articles", st.Indexed, "took", time.Since(started))
	return st.Indexed, g, nil
}

// postBackup serves POST /api/admin/backup: a consistent snapshot of the
// index as it is now, streamed as a gzipped tar (see store.Backup) while
// searches and writes go on.
func (s *Server) postBackup(c *gin.Context) {
	g := s.live(c.Request.Context())
	if g.idx == nil {
		s.writeError(c, errNoIndexDir)
		return
	}
	err := http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(backupWriteTimeout))
	if err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.writeError(c, fmt.Errorf("extend the write deadline: %w", err))
		return
	}
	c.Header("Content-Type", "application/gzip")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="vnsearch-%s.tar.gz"`, time.Now().UTC().Format("20060102-150405")))
	if _, err := store.Backup(g.idx, c.Writer, ""); err != nil {
		s.writeError(c, err)
	}
}
