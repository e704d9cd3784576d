package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// requestIDHeader carries a request's id in and out, so that a client or a
// proxy in front can match its logs with ours.
const requestIDHeader = "X-Request-ID"

// requestIDKey is the gin context key of the request id.
const requestIDKey = "vnsearch.request_id"

// maxRequestIDLength bounds an incoming request id: ids from proxies are
// UUIDs or shorter, and anything longer would only bloat the log.
const maxRequestIDLength = 64

// withRequestID gives the request an id, the incoming one when it is sane,
// else a new random one, and echoes it in the response.
func withRequestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !saneRequestID(id) {
		id = rand.Text()
	}
	c.Set(requestIDKey, id)
	c.Header(requestIDHeader, id)
	c.Next()
}

// saneRequestID accepts short ids of letters, digits and -_.: so that a
// client cannot inject spaces, quotes or control characters into the log.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLength {
		return false
	}
	for _, r := range id {
		ok := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
			r == '-' || r == '_' || r == '.' || r == ':'
		if !ok {
			return false
		}
	}
	return true
}

// requestID returns the id withRequestID gave the request.
func requestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// accessLog logs one line per request once it is answered.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("duration", time.Since(start)),
		slog.String("request_id", requestID(c)),
		slog.Int("bytes", max(c.Writer.Size(), 0)))
}

// recoverPanic answers a request whose handler panicked with a 500 JSON
// error, and logs the panic with its stack, instead of letting net/http
// drop the connection.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if r == http.ErrAbortHandler {
			// The handler asked net/http to abort the response on purpose.
			panic(r)
		}
		s.writeError(c, fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
	}()
	c.Next()
}

// withTimeout bounds the request's context by RequestTimeout, so that a
// search nobody will wait for stops using the index.
func (s *Server) withTimeout(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}
