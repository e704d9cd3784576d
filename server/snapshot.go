package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/replica"
)

// errNoCluster refuses a snapshot of a server that is no node of a
// cluster.
var errNoCluster = errors.New("the server is not a node of a cluster (serve --nats): back it up with POST /api/admin/backup")

// postSnapshot serves POST /api/admin/snapshot: the node uploads a
// snapshot of its index to the cluster's object store now, and answers
// with its manifest.
func (s *Server) postSnapshot(c *gin.Context) (replica.Snapshot, error) {
	// An index of millions of articles takes far longer to copy and
	// upload than a request usually may.
	err := http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(backupWriteTimeout))
	if err != nil && !errors.Is(err, http.ErrNotSupported) {
		return replica.Snapshot{}, fmt.Errorf("extend the write deadline: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), backupWriteTimeout)
	defer cancel()
	return s.Snapshot(ctx)
}

// Snapshot uploads a snapshot of the index searched now to the cluster's
// object store (see replica.Node.Snapshot). It fails with a 409 error
// when the server is no node of a cluster.
func (s *Server) Snapshot(ctx context.Context) (replica.Snapshot, error) {
	if s.replica == nil {
		return replica.Snapshot{}, errNoCluster
	}
	g := s.acquire()
	defer s.release(g)
	return s.replica.Snapshot(ctx, g.idx, "")
}

// Replica returns the node of the cluster the server is, or nil.
func (s *Server) Replica() *replica.Node { return s.replica }
