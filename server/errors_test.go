package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/feeds"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/suggest"
)

func TestErrorStatus(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"invalid query", search.ErrInvalidQuery, 400, "invalid_query"},
		{"wrapped invalid query", fmt.Errorf("%w: no words to search for in %q", search.ErrInvalidQuery, "!!!"), 400, "invalid_query"},
		{"param error", &search.ParamError{Param: "page", Reason: "must be an integer"}, 400, "invalid_param"},
		{"wrapped param error", fmt.Errorf("bind: %w", &search.ParamError{Param: "size", Reason: "must be from 1 to 100"}), 400, "invalid_param"},
		{"unbindable parameters", fmt.Errorf("%w: bad query string", errInvalidParam), 400, "invalid_param"},
		{"malformed body", fmt.Errorf("%w: unexpected EOF", errInvalidBody), 400, "invalid_body"},
		{"body too large", fmt.Errorf("%w: larger than 65536 bytes", errBodyTooLarge), 413, "body_too_large"},
		{"unknown article", fmt.Errorf("article %q: %w", "x", search.ErrNotFound), 404, "not_found"},
		{"unknown route", errNoRoute, 404, "not_found"},
		{"query log off", errQueryLogOff, 404, "not_found"},
		{"wrong method", errMethodNotAllowed, 405, "method_not_allowed"},
		{"client gone", fmt.Errorf("search %q: %w", "nam định", context.Canceled), 503, "unavailable"},
		{"timed out", fmt.Errorf("search %q: %w", "nam định", context.DeadlineExceeded), 503, "unavailable"},
		{"not ready", fmt.Errorf("%w: count articles: %w", errUnavailable, errors.New("index closed")), 503, "unavailable"},
		{"bad records", &badRecordsError{result: writeResult{Indexed: 1, Rejected: []rejectedRecord{{Record: 2, Reason: "missing id"}}}}, 400, "invalid_records"},
		{"bad synonym line", &analyzers.AbbreviationError{Line: 2, Reason: "want two tab-separated fields"}, 400, "invalid_synonyms"},
		{"synonyms changed since read", fmt.Errorf("%w: synonyms are at version 3, not 2", search.ErrVersionConflict), 412, "version_conflict"},
		{"no token", errUnauthorized, 401, "unauthorized"},
		{"writes disabled", errWritesDisabled, 403, "forbidden"},
		{"rebuild running", errRebuildRunning, 409, "rebuild_running"},
		{"rebuild without an index directory", errNoIndexDir, 409, "no_index_dir"},
		{"suggestions not built", fmt.Errorf("suggestions: %w", suggest.ErrNotReady), 503, "unavailable"},
		{"webhook field", fmt.Errorf("hook: %w", &feeds.FieldError{Field: "post.current.url", Reason: "is required"}), 400, "invalid_body"},
		{"page fetch failed", fmt.Errorf("%w: https://x.vn/a: status 503", feeds.ErrFetch), 502, "fetch_failed"},
		{"robots.txt", feeds.ErrDisallowed, 502, "fetch_failed"},
		{"page without an article", fmt.Errorf("https://x.vn/a: %w", feeds.ErrNotArticle), 422, "not_an_article"},
		{"webhooks disabled", errHooksDisabled, 403, "forbidden"},
		{"anything else", errors.New("segment 12 is corrupt"), 500, "internal"},
		{"a file error", &os.PathError{Op: "open", Path: "index/store", Err: os.ErrPermission}, 500, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code := errorStatus(tt.err)
			if status != tt.status || code != tt.code {
				t.Errorf("errorStatus(%v) = %d, %q; want %d, %q", tt.err, status, code, tt.status, tt.code)
			}
			if status >= http.StatusInternalServerError && serverFaultMessage[status] == "" {
				t.Errorf("errorStatus(%v) = %d, which has no generic message", tt.err, status)
			}
		})
	}
}
