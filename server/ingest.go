package server

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/search"
)

// maxWriteBytes bounds a write body: a few thousand articles of JSON, what
// a newsroom's export job sends at once, without letting one request fill
// the server's memory.
const maxWriteBytes = 32 << 20

// Errors of the write endpoints.
var (
	errWritesDisabled = errors.New("writes are disabled: the server has no API token")
	errUnauthorized   = errors.New("missing or wrong bearer token")
	errBadRecords     = errors.New("invalid records")
)

// authorize lets a write, or a look at the query log, through only with
// the configured bearer token,
// compared in constant time so that its bytes cannot be guessed one by one
// from response times.
func (s *Server) authorize(c *gin.Context) {
	token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok {
		token = ""
	}
	if err := s.checkToken(token); err != nil {
		if errors.Is(err, errUnauthorized) {
			c.Header("WWW-Authenticate", `Bearer realm="vnsearch"`)
		}
		s.writeError(c, err)
		return
	}
	c.Next()
}

// checkToken returns nil for the configured token, errUnauthorized for
// any other and errWritesDisabled when none is configured.
func (s *Server) checkToken(token string) error {
	switch {
	case s.opts.APIToken == "":
		return errWritesDisabled
	case token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.APIToken)) != 1:
		return errUnauthorized
	}
	return nil
}

// writeResult is the body of a write's response.
type writeResult struct {
	Indexed  int              `json:"indexed"`
	Replaced int              `json:"replaced"`
	Skipped  int              `json:"skipped"`
	Rejected []rejectedRecord `json:"rejected,omitempty"`
}

// rejectedRecord says why one record of a write was refused.
type rejectedRecord struct {
	Record int    `json:"record"` // 1-based: its line in JSON Lines, its element in an array
	Reason string `json:"reason"`
}

// badRecordsError carries the outcome of a write some of whose records
// were refused; it is answered 400 with the counts and the reasons.
type badRecordsError struct {
	result writeResult
}

func (e *badRecordsError) Error() string {
	return fmt.Sprintf("%d of %d records refused", len(e.result.Rejected), len(e.result.Rejected)+e.result.Indexed)
}

func (e *badRecordsError) Unwrap() error { return errBadRecords }

// badRecordsBody is the body of a 400 answer to a write with bad records:
// the usual error, and what became of every record.
type badRecordsBody struct {
	Error errorDetail `json:"error"`
	writeResult
}

// postArticles serves POST /api/articles: one JSON article, a JSON array
// of them, or JSON Lines.
func (s *Server) postArticles(c *gin.Context) (writeResult, error) {
	body, err := readWriteBody(c)
	if err != nil {
		return writeResult{}, err
	}
	return s.write(body)
}

// putArticle serves PUT /api/articles/:id: one JSON article, its id taken
// from the path.
func (s *Server) putArticle(c *gin.Context) (writeResult, error) {
	body, err := readWriteBody(c)
	if err != nil {
		return writeResult{}, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return writeResult{}, fmt.Errorf("%w: want one JSON object: %v", errInvalidBody, err)
	}
	id := c.Param("id")
	if raw, ok := fields["id"]; ok {
		var got string
		if json.Unmarshal(raw, &got) != nil && string(raw) != "null" {
			got = string(raw) // a number, as the JSON Lines reader takes
		}
		if got != "" && got != id {
			return writeResult{}, &search.ParamError{Param: "id", Reason: fmt.Sprintf("the body's id %q is not the path's %q", got, id)}
		}
	}
	fields["id"], _ = json.Marshal(id)
	body, _ = json.Marshal(fields)
	return s.write(body)
}

// deleteResult is the body of a DELETE response.
type deleteResult struct {
	Deleted string `json:"deleted"`
}

// deleteArticle serves DELETE /api/articles/:id.
func (s *Server) deleteArticle(c *gin.Context) (deleteResult, error) {
	id := c.Param("id")
	s.writes.Lock()
	found, err := indexer.Delete(s.opts.Index, id)
	s.writes.Unlock()
	if err != nil {
		return deleteResult{}, err
	}
	if !found {
		return deleteResult{}, fmt.Errorf("article %q: %w", id, search.ErrNotFound)
	}
	s.suggestionsChanged()
	return deleteResult{Deleted: id}, nil
}

func readWriteBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxWriteBytes))
	if err != nil {
		return nil, bodyError(err)
	}
	return body, nil
}

// write indexes the articles of body and flushes them, so that they are
// searchable when the response is sent.
func (s *Server) write(body []byte) (writeResult, error) {
	s.writes.Lock()
	defer s.writes.Unlock()
	ix := indexer.New(s.opts.Index, indexer.Options{})
	var res writeResult
	err := indexer.ReadJSON("body", body, indexer.Visitor{
		Article: ix.Add,
		Bad: func(e *indexer.RecordError) {
			res.Rejected = append(res.Rejected, rejectedRecord{Record: e.Line, Reason: e.Err.Error()})
		},
	})
	if ferr := ix.Flush(); err == nil {
		err = ferr
	}
	st := ix.Stats()
	st.Skipped += len(res.Rejected)
	s.RecordIndexing(st)
	if st.Indexed > 0 {
		s.suggestionsChanged()
	}
	res.Indexed, res.Replaced, res.Skipped = st.Indexed, st.Replaced, st.Skipped
	var re *indexer.RecordError
	switch {
	case errors.As(err, &re) && re.Line == 0:
		return writeResult{}, fmt.Errorf("%w: %v", errInvalidBody, re.Err)
	case err != nil:
		return writeResult{}, err
	case len(res.Rejected) > 0:
		return writeResult{}, &badRecordsError{result: res}
	case st.Indexed == 0:
		return writeResult{}, fmt.Errorf("%w: no articles in it", errInvalidBody)
	}
	return res, nil
}

// writeBadRecords answers a write with bad records, if err is one.
func writeBadRecords(c *gin.Context, err error) bool {
	var bad *badRecordsError
	if !errors.As(err, &bad) {
		return false
	}
	status, code := errorStatus(err)
	c.AbortWithStatusJSON(status, badRecordsBody{
		Error:       errorDetail{Code: code, Message: err.Error()},
		writeResult: bad.result,
	})
	return true
}
