package search

import (
	"errors"
	"fmt"
)

// Errors the searcher returns for a request it cannot answer.
var (
	// ErrInvalidQuery reports a query with nothing searchable in it.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrNotFound reports an article id that is not in the index.
	ErrNotFound = errors.New("not found")
)

// ParamError reports a request parameter with a value out of its range.
type ParamError struct {
	Param  string // the parameter's name as the API spells it
	Reason string
}

func (e *ParamError) Error() string { return fmt.Sprintf("%s: %s", e.Param, e.Reason) }
