package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"syscall"

	"github.com/gin-gonic/gin"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/feeds"
	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/replica"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/suggest"
)

// Errors of the HTTP layer itself, beside those search returns.
var (
	errInvalidParam     = errors.New("invalid parameters")
	errInvalidBody      = errors.New("invalid request body")
	errBodyTooLarge     = errors.New("request body too large")
	errNoRoute          = errors.New("no such endpoint")
	errMethodNotAllowed = errors.New("method not allowed")
	errUnavailable      = errors.New("service unavailable")
)

// errorBody is the body of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorStatus decides the HTTP status and the error code of err. It is the
// one place where errors meet HTTP; a status of 500 or more means the fault
// is the server's and err is not for the client to see.
func errorStatus(err error) (status int, code string) {
	var pe *search.ParamError
	var fe *feeds.FieldError
	var ae *analyzers.AbbreviationError
	switch {
	case errors.As(err, &pe), errors.Is(err, errInvalidParam):
		return http.StatusBadRequest, "invalid_param"
	case errors.Is(err, search.ErrInvalidQuery):
		return http.StatusBadRequest, "invalid_query"
	case errors.Is(err, errInvalidBody):
		return http.StatusBadRequest, "invalid_body"
	case errors.As(err, &fe):
		return http.StatusBadRequest, "invalid_body"
	case errors.Is(err, feeds.ErrNotArticle):
		return http.StatusUnprocessableEntity, "not_an_article"
	case errors.Is(err, feeds.ErrFetch):
		return http.StatusBadGateway, "fetch_failed"
	case errors.Is(err, errBadRecords):
		return http.StatusBadRequest, "invalid_records"
	case errors.As(err, &ae):
		return http.StatusBadRequest, "invalid_synonyms"
	case errors.Is(err, search.ErrVersionConflict):
		return http.StatusPreconditionFailed, "version_conflict"
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized, "unauthorized"
	case errors.Is(err, errWritesDisabled), errors.Is(err, errHooksDisabled):
		return http.StatusForbidden, "forbidden"
	case errors.Is(err, errBodyTooLarge):
		return http.StatusRequestEntityTooLarge, "body_too_large"
	case errors.Is(err, search.ErrNotFound), errors.Is(err, errNoRoute), errors.Is(err, errQueryLogOff):
		return http.StatusNotFound, "not_found"
	case errors.Is(err, errRebuildRunning):
		return http.StatusConflict, "rebuild_running"
	case errors.Is(err, errNoIndexDir):
		return http.StatusConflict, "no_index_dir"
	case errors.Is(err, errNoCluster):
		return http.StatusConflict, "no_cluster"
	case errors.Is(err, errMethodNotAllowed):
		return http.StatusMethodNotAllowed, "method_not_allowed"
	case errors.Is(err, indexer.ErrNoSpace), errors.Is(err, indexer.ErrNotDurable) && errors.Is(err, syscall.ENOSPC):
		return http.StatusInsufficientStorage, "insufficient_storage"
	case errors.Is(err, indexer.ErrNotDurable):
		return http.StatusServiceUnavailable, "not_durable"
	case errors.Is(err, replica.ErrNoQuorum):
		return http.StatusServiceUnavailable, "no_quorum"
	case errors.Is(err, replica.ErrBehind):
		return http.StatusServiceUnavailable, "catching_up"
	case errors.Is(err, replica.ErrUnavailable):
		return http.StatusServiceUnavailable, "cluster_unavailable"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, errUnavailable), errors.Is(err, suggest.ErrNotReady):
		return http.StatusServiceUnavailable, "unavailable"
	default:
		return http.StatusInternalServerError, "internal"
	}
}

// Messages of the server's own faults, which hide the cause.
var serverFaultMessage = map[int]string{
	http.StatusInternalServerError: "internal server error",
	http.StatusServiceUnavailable:  "service unavailable; try again",
	http.StatusBadGateway:          "the page could not be fetched; try again",
}

// writeError answers the request with err. A client's mistake is explained
// to it; a server fault is logged with its cause and answered with a
// generic message, as causes can reveal paths and internals.
func (s *Server) writeError(c *gin.Context, err error) {
	if writeBadRecords(c, err) {
		return
	}
	status, code := errorStatus(err)
	message := err.Error()
	// What is not ready yet ("suggestions are being built") is no secret,
	// and tells an operator what to wait for; nor is why a write could not
	// be saved.
	switch {
	case status < http.StatusInternalServerError, errors.Is(err, suggest.ErrNotReady), errors.Is(err, replica.ErrBehind):
	case errors.Is(err, replica.ErrNoQuorum):
		message = replica.ErrNoQuorum.Error()
		s.logFault(c, status, err)
	case errors.Is(err, indexer.ErrNoSpace), errors.Is(err, indexer.ErrNotDurable):
		message = diskFaultMessage(err)
		s.logFault(c, status, err)
	default:
		message = serverFaultMessage[status]
		s.logFault(c, status, err)
	}
	if c.Writer.Written() {
		// Too late for an error body; the client sees a cut-off response.
		c.Abort()
		return
	}
	c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: code, Message: message}})
}

// diskFaultMessage says why a write was not saved, without the paths the
// cause names.
func diskFaultMessage(err error) string {
	switch {
	case errors.Is(err, indexer.ErrNoSpace), errors.Is(err, syscall.ENOSPC):
		return "the disk of the index is full; the write was not acknowledged: free space and send it again"
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return "the index directory is read-only; the write was not acknowledged: send it again once it is writable"
	}
	return "the index could not be saved to disk in time; the write was not acknowledged: send it again"
}

// logFault logs a server fault with its cause, for the API and the page
// alike. A timeout, a client gone away or a site that cannot be fetched is
// expected now and then; only a 500 is a bug or a broken index to look
// into.
func (s *Server) logFault(c *gin.Context, status int, err error) {
	level := slog.LevelError
	if status == http.StatusServiceUnavailable || status == http.StatusBadGateway {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(c.Request.Context(), level, "request failed",
		slog.String("request_id", requestID(c)),
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", status),
		slog.String("cause", err.Error()))
}
