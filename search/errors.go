package search

import (
	"errors"

	vnquery "github.com/vnsearch/vnsearch/query"
)

// Errors the searcher returns for a request it cannot answer.
var (
	// ErrInvalidQuery reports a query with nothing searchable in it.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrNotFound reports an article id that is not in the index.
	ErrNotFound = errors.New("not found")
)

// ParamError reports a request parameter with a value out of its range.
// It is query.ParamError, which the suggester returns too, named here so
// that callers of the searcher need not import query.
type ParamError = vnquery.ParamError
