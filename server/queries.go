package server

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/querylog"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
)

// errQueryLogOff reports a look at the query log of a server that keeps
// none.
var errQueryLogOff = errors.New("the query log is off: start the server with --query-log")

// Sizes of a query list: what an editor reads in one sitting.
const (
	defaultQueryListSize = 50
	maxQueryListSize     = 1000
)

// queriesParams are the parameters of GET /api/admin/queries.
type queriesParams struct {
	Kind string   `form:"kind"`
	Size intParam `form:"size"`
}

// queriesResult is the body of a GET /api/admin/queries response.
type queriesResult struct {
	Kind    querylog.Kind         `json:"kind"`
	Queries []querylog.QueryCount `json:"queries"`
}

// recordSearch counts a search that ran: in the metrics always, in the
// query log when there is one. A later page of the same search is not
// asked again, so only the first is logged, and a query still being typed
// is not asked yet.
func (s *Server) recordSearch(res search.Result, typing bool) {
	outcome := "hits"
	if res.Total == 0 {
		outcome = "none"
	}
	s.metrics.searches.WithLabelValues(outcome).Inc()
	if s.opts.QueryLog != nil && res.Page == 1 && !typing {
		s.opts.QueryLog.Record(res.Query, res.Total)
	}
}

// adminQueries serves GET /api/admin/queries: the queries asked most, or
// found nothing most, with their counts.
func (s *Server) adminQueries(c *gin.Context) (queriesResult, error) {
	var p queriesParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return queriesResult{}, fmt.Errorf("%w: %v", errInvalidParam, err)
	}
	return s.queryList(p)
}

// queryList lists the queries p asks for.
func (s *Server) queryList(p queriesParams) (queriesResult, error) {
	if s.opts.QueryLog == nil {
		return queriesResult{}, errQueryLogOff
	}
	kind := querylog.Kind(cmp.Or(p.Kind, string(querylog.Top)))
	if kind != querylog.Top && kind != querylog.Zero {
		return queriesResult{}, &search.ParamError{Param: "kind", Reason: `must be "top" or "zero"`}
	}
	size, err := p.Size.value("size")
	if err != nil {
		return queriesResult{}, err
	}
	size = cmp.Or(size, defaultQueryListSize)
	if size < 1 || size > maxQueryListSize {
		return queriesResult{}, &search.ParamError{Param: "size", Reason: fmt.Sprintf("must be from 1 to %d", maxQueryListSize)}
	}
	queries, err := s.opts.QueryLog.Queries(kind, size)
	return queriesResult{Kind: kind, Queries: queries}, err
}

// adminView is what the admin page's template renders.
type adminView struct {
	Kind   string
	Listed bool   // the token was right and a list is shown
	Error  string // why not, for the editor
	Result queriesResult
	Links  map[string]string // the search page's URL for each query listed
}

// adminPage serves the query log's page for editors: GET shows a form for
// the token, POST (the token in the form's body, never in a URL, so that
// it stays out of logs and history) the list asked for.
func (s *Server) adminPage(c *gin.Context, ui *webUI) {
	view := adminView{Kind: string(querylog.Zero)}
	status := http.StatusOK
	if c.Request.Method == http.MethodPost {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
		view.Kind = cmp.Or(c.PostForm("kind"), view.Kind)
		err := s.checkToken(c.PostForm("token"))
		if err == nil {
			view.Result, err = s.queryList(queriesParams{Kind: view.Kind, Size: intParam(c.PostForm("size"))})
		}
		if err != nil {
			status, _ = errorStatus(err)
			view.Error = adminErrorMessage(err, status)
			if status >= http.StatusInternalServerError {
				s.logFault(c, status, err)
			}
		} else {
			view.Listed = true
			view.Links = make(map[string]string, len(view.Result.Queries))
			for _, q := range view.Result.Queries {
				view.Links[q.Query] = pageParams{searchParams: searchParams{Query: q.Query}}.href()
			}
		}
	}
	ui.writePage(s, c, status, "admin.html", view, map[string]string{
		"Referrer-Policy": "no-referrer",
		// The list is for the editor who asked, not for a shared cache.
		"Cache-Control": "no-store",
	})
}

// adminErrorMessage says in Vietnamese why the list is not shown.
func adminErrorMessage(err error, status int) string {
	switch {
	case errors.Is(err, errWritesDisabled):
		return "Máy chủ chưa đặt mã truy cập (--api-token): trang này bị khóa."
	case errors.Is(err, errUnauthorized):
		return "Mã truy cập không đúng."
	case errors.Is(err, errQueryLogOff):
		return "Máy chủ không ghi các câu tìm kiếm. Hãy chạy lại với --query-log."
	case status >= http.StatusInternalServerError:
		return "Máy chủ đang gặp sự cố. Xin thử lại sau ít phút."
	}
	return fmt.Sprintf("Yêu cầu không hợp lệ: số câu hiển thị từ 1 đến %d.", maxQueryListSize)
}

// viDateTime writes a time as a Vietnamese reader reads it, in Vietnam
// time: "07:05 25/05/2026".
func viDateTime(t time.Time) string {
	return t.In(schema.VietnamTime).Format("15:04 02/01/2006")
}
