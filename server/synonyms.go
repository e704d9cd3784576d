package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/search"
)

// synonymsBody is the JSON body a PUT /api/synonyms may send, the shape
// GET answers with, so that a client can read, edit and send back.
type synonymsBody struct {
	Lines []string `json:"lines"`
}

// getSynonyms serves GET /api/synonyms: the newsroom's own lines and their
// version, also as the ETag, for an If-Match on the next PUT.
func (s *Server) getSynonyms(c *gin.Context) (search.Synonyms, error) {
	syn, err := s.live(c.Request.Context()).searcher.Synonyms()
	if err == nil {
		c.Header("ETag", versionTag(syn.Version))
	}
	return syn, err
}

// putSynonyms serves PUT /api/synonyms: the newsroom's own lines replace
// those set before and apply to the next search. The body is the lines as
// text, in the shipped table's format, or JSON {"lines": [...]}.
func (s *Server) putSynonyms(c *gin.Context) (search.Synonyms, error) {
	ifVersion, err := ifMatchVersion(c.GetHeader("If-Match"))
	if err != nil {
		return search.Synonyms{}, err
	}
	body, err := readWriteBody(c)
	if err != nil {
		return search.Synonyms{}, err
	}
	lines, err := synonymLines(c.ContentType(), body)
	if err != nil {
		return search.Synonyms{}, err
	}
	syn, err := s.live(c.Request.Context()).searcher.SetSynonyms(lines, ifVersion)
	if err == nil {
		c.Header("ETag", versionTag(syn.Version))
	}
	return syn, err
}

// synonymLines reads the lines of a PUT body of the given media type.
func synonymLines(contentType string, body []byte) ([]string, error) {
	if media, _, _ := mime.ParseMediaType(contentType); media == "application/json" {
		var b synonymsBody
		if err := json.Unmarshal(body, &b); err != nil {
			return nil, fmt.Errorf("%w: want {\"lines\": [...]}: %v", errInvalidBody, err)
		}
		return b.Lines, nil
	}
	lines := []string{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, len(body)+1) // the searcher bounds the lines, with their numbers
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// versionTag is the ETag of a version of the synonyms.
func versionTag(version int) string { return strconv.Quote(strconv.Itoa(version)) }

// ifMatchVersion reads an If-Match header: a version as GET's ETag gives
// it; -1, any version, when absent or "*".
func ifMatchVersion(header string) (int, error) {
	header = strings.TrimSpace(header)
	if header == "" || header == "*" {
		return -1, nil
	}
	v, err := strconv.Atoi(strings.Trim(header, `"`))
	if err != nil || v < 0 {
		return 0, &search.ParamError{Param: "If-Match", Reason: `must be the ETag of GET /api/synonyms, as "3"`}
	}
	return v, nil
}
