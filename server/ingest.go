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
	"github.com/vnsearch/vnsearch/schema"
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
	Field  string `json:"field,omitempty"`
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
	return s.write(c, body)
}

// errSlashInPathID explains why an id with "/" cannot be written through
// its path: such ids (URLs) are written in a body.
var errSlashInPathID = &search.ParamError{Param: "id",
	Reason: `has "/": an id such as a URL is written with POST /api/articles or /api/articles/_bulk`}

// putArticle serves PUT /api/articles/:id: one JSON article, its id taken
// from the path.
func (s *Server) putArticle(c *gin.Context) (writeResult, error) {
	if strings.Contains(c.Param("id"), "/") {
		return writeResult{}, errSlashInPathID
	}
	body, err := readWriteBody(c)
	if err != nil {
		return writeResult{}, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return writeResult{}, fmt.Errorf("%w: want one JSON object, not %s", errInvalidBody, jsonKindOf(body))
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
	return s.write(c, body)
}

// jsonKindOf names what a body that is not a JSON object is, for errors.
func jsonKindOf(body []byte) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return "valid JSON"
	}
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "an object"
}

// deleteResult is the body of a DELETE response.
type deleteResult struct {
	Deleted string `json:"deleted"`
}

// deleteArticle serves DELETE /api/articles/:id.
func (s *Server) deleteArticle(c *gin.Context) (deleteResult, error) {
	id := c.Param("id")
	if strings.Contains(id, "/") {
		return deleteResult{}, errSlashInPathID
	}
	var out indexer.Outcome
	_, err := s.writes.Apply(c.Request.Context(), oneRecord(indexer.Record{Article: schema.Article{ID: id}, Delete: true}),
		func(o indexer.Outcome) { out = o })
	switch {
	case err != nil:
		return deleteResult{}, err
	case out.Result == indexer.Rejected:
		return deleteResult{}, &search.ParamError{Param: "id", Reason: out.Err.Error()}
	case out.Result == indexer.NotFound:
		return deleteResult{}, fmt.Errorf("article %q: %w", id, search.ErrNotFound)
	}
	s.RecordIndexing(indexer.Stats{Deleted: 1})
	return deleteResult{Deleted: id}, nil
}

func oneRecord(r indexer.Record) func(func(indexer.Record) bool) {
	return func(yield func(indexer.Record) bool) { yield(r) }
}

func readWriteBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxWriteBytes))
	if err != nil {
		return nil, bodyError(err)
	}
	return body, nil
}

// write indexes the articles of body through the writer, which returns
// once they are on disk and searchable.
func (s *Server) write(c *gin.Context, body []byte) (writeResult, error) {
	var records []indexer.Record
	err := indexer.ReadJSON("body", body, indexer.Visitor{
		Article: func(a schema.Article) error {
			records = append(records, indexer.Record{Line: len(records) + 1, Article: a})
			return nil
		},
		Bad: func(e *indexer.RecordError) {
			records = append(records, indexer.Record{Line: e.Line, Err: e.Err})
		},
	})
	var re *indexer.RecordError
	if errors.As(err, &re) && re.Line == 0 {
		return writeResult{}, fmt.Errorf("%w: %v", errInvalidBody, re.Err)
	}
	if err != nil {
		return writeResult{}, err
	}
	var res writeResult
	st, err := s.writes.Apply(c.Request.Context(), func(yield func(indexer.Record) bool) {
		for _, r := range records {
			if !yield(r) {
				return
			}
		}
	}, func(o indexer.Outcome) {
		if o.Result == indexer.Rejected {
			res.Rejected = append(res.Rejected, rejectedRecord{Record: o.Line, Field: fieldOf(o.Err), Reason: o.Err.Error()})
		}
	})
	s.RecordIndexing(st)
	if err != nil {
		return writeResult{}, err
	}
	res.Indexed, res.Replaced, res.Skipped = st.Indexed, st.Replaced, st.Skipped
	switch {
	case len(res.Rejected) > 0:
		return writeResult{}, &badRecordsError{result: res}
	case st.Indexed == 0:
		return writeResult{}, fmt.Errorf("%w: no articles in it", errInvalidBody)
	}
	return res, nil
}

// fieldOf names the field a rejection lies in, if one.
func fieldOf(err error) string {
	var fe *indexer.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
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
