package search

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/places"
)

// Operator says how the words of a query combine.
type Operator string

// The operators.
const (
	// And requires every word; when nothing matches, Search relaxes the
	// query to Or and says so in Result.Relaxed.
	And Operator = "and"
	// Or requires any word, ranking documents with more words higher.
	Or Operator = "or"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"  // newest first
	SortDateAsc   = "-date" // oldest first
)

// Limits on a request, so that one query cannot make the server walk the
// whole index for a page nobody reads.
const (
	DefaultSize    = 10
	MaxSize        = 100
	MaxPage        = 100
	MaxQueryLength = 500 // characters
)

// Request is one search. The zero value of each field means its default.
type Request struct {
	Query    string   // the text the user typed
	Page     int      // 1-based page; default 1, at most MaxPage
	Size     int      // hits per page; default DefaultSize, at most MaxSize
	Operator Operator // default And
	Sort     string   // SortRelevance (default), SortDate or SortDateAsc
	Sections []string // keep articles in any of these sections
	// Places keeps articles about any of these provinces or cities, as
	// place: in a query does: "Nam Định", "nam dinh", "TP.HCM".
	Places   []string
	Author   string    // keep articles by this author
	Source   string    // keep articles from this source
	From, To time.Time // keep articles published in [From, To]; zero means open
	// HalfLife is the recency half-life of a ranking by relevance (see
	// Options.RecencyHalfLife); 0: the Searcher's; negative: no recency
	// boost.
	HalfLife time.Duration
}

// SetDefaults fills zero fields with their defaults.
func (r *Request) SetDefaults() {
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	if r.Operator == "" {
		r.Operator = And
	}
	if r.Sort == "" {
		r.Sort = SortRelevance
	}
}

// Validate reports the first parameter out of range as a *ParamError, or
// ErrInvalidQuery for an empty query.
func (r *Request) Validate() error {
	switch {
	case strings.TrimSpace(r.Query) == "":
		return fmt.Errorf("%w: empty query", ErrInvalidQuery)
	case !utf8.ValidString(r.Query):
		return &ParamError{Param: "q", Reason: "not valid UTF-8"}
	case utf8.RuneCountInString(r.Query) > MaxQueryLength:
		return &ParamError{Param: "q", Reason: fmt.Sprintf("longer than %d characters", MaxQueryLength)}
	case r.Page < 1 || r.Page > MaxPage:
		return &ParamError{Param: "page", Reason: fmt.Sprintf("must be from 1 to %d", MaxPage)}
	case r.Size < 1 || r.Size > MaxSize:
		return &ParamError{Param: "size", Reason: fmt.Sprintf("must be from 1 to %d", MaxSize)}
	case r.Operator != And && r.Operator != Or:
		return &ParamError{Param: "op", Reason: `must be "and" or "or"`}
	case r.Sort != SortRelevance && r.Sort != SortDate && r.Sort != SortDateAsc:
		return &ParamError{Param: "sort", Reason: `must be "relevance", "date" or "-date"`}
	case !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From):
		return &ParamError{Param: "to", Reason: "is before from"}
	}
	for _, p := range r.Places {
		if _, ok := places.Default().Lookup(p); !ok {
			return &ParamError{Param: "place", Reason: fmt.Sprintf("%q is not a province or city of Vietnam", p)}
		}
	}
	return nil
}
