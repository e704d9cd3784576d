package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/indexer"
)

// bulkTimeout bounds the reading and writing of one bulk request, far
// beyond the API's usual timeouts: 256 MiB of articles take a few minutes
// to index on a small server.
const bulkTimeout = 15 * time.Minute

// bulkResult is the body of a bulk write's response: the counts, and what
// became of each line.
type bulkResult struct {
	Indexed  int        `json:"indexed"`
	Replaced int        `json:"replaced"`
	Deleted  int        `json:"deleted"`
	NotFound int        `json:"not_found"`
	Rejected int        `json:"rejected"`
	Items    []bulkItem `json:"items"`
}

// bulkItem is what became of one line of a bulk write.
type bulkItem struct {
	Line   int            `json:"line"`
	ID     string         `json:"id"`
	Result indexer.Result `json:"result"`
	Field  string         `json:"field,omitempty"`
	Reason string         `json:"reason,omitempty"`
}

// postBulk serves POST /api/articles/_bulk: JSON Lines of articles to
// index and ids to delete, read as they arrive. Every line gets a result,
// a bad line never stopping the good ones; the answer is sent once every
// line's batch is on disk.
func (s *Server) postBulk(c *gin.Context) (bulkResult, error) {
	rc := http.NewResponseController(c.Writer)
	deadline := time.Now().Add(bulkTimeout)
	// Not every ResponseWriter has deadlines (tests' recorders do not);
	// where there are none, there is nothing to extend.
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline)
	ctx, cancel := context.WithDeadline(context.WithoutCancel(c.Request.Context()), deadline)
	defer cancel()

	body := indexer.NewBulkReader(http.MaxBytesReader(c.Writer, c.Request.Body, s.opts.MaxBulkBytes))
	res := bulkResult{Items: []bulkItem{}}
	_, err := s.writes.Apply(ctx, body.Records(), func(o indexer.Outcome) {
		item := bulkItem{Line: o.Line, ID: o.ID, Result: o.Result}
		switch o.Result {
		case indexer.Indexed:
			res.Indexed++
		case indexer.Replaced:
			res.Indexed++
			res.Replaced++
		case indexer.Deleted:
			res.Deleted++
		case indexer.NotFound:
			res.NotFound++
		case indexer.Rejected:
			res.Rejected++
			item.Field, item.Reason = fieldOf(o.Err), o.Err.Error()
		}
		res.Items = append(res.Items, item)
	})
	s.RecordIndexing(indexer.Stats{Indexed: res.Indexed, Replaced: res.Replaced, Deleted: res.Deleted, Skipped: res.Rejected})
	switch {
	case err != nil:
		return bulkResult{}, err
	case body.Err() != nil:
		// The lines before were written; sending the whole body again
		// is safe, as every line is idempotent.
		return bulkResult{}, bodyError(body.Err())
	case len(res.Items) == 0:
		return bulkResult{}, fmt.Errorf("%w: no lines in it", errInvalidBody)
	}
	return res, nil
}
