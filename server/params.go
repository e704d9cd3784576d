package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
)

// searchParams are the parameters of a search, as a query string or a JSON
// body carries them. Numbers and dates are kept as sent and converted by
// request, so that an error names the parameter: gin's binding errors name
// none.
type searchParams struct {
	Query    string   `form:"q" json:"q"`
	Page     intParam `form:"page" json:"page"`
	Size     intParam `form:"size" json:"size"`
	Operator string   `form:"op" json:"op"`
	Sort     string   `form:"sort" json:"sort"`
	Sections []string `form:"section" json:"section"`
	Places   []string `form:"place" json:"place"`
	Author   string   `form:"author" json:"author"`
	Source   string   `form:"source" json:"source"`
	From     string   `form:"from" json:"from"`
	To       string   `form:"to" json:"to"`
	// Typing marks a search asked while the reader is still typing, as
	// the search box asks: it is left out of the query log, which would
	// otherwise fill with the beginnings of words.
	Typing   bool     `form:"typing" json:"typing"`
	HalfLife intParam `form:"half_life" json:"half_life"`
}

// request converts p into a search request, or returns a *search.ParamError
// for a number or date it cannot read. Ranges are the searcher's to check.
func (p searchParams) request() (search.Request, error) {
	req := search.Request{
		Query:    p.Query,
		Operator: search.Operator(p.Operator),
		Sort:     p.Sort,
		Author:   p.Author,
		Source:   p.Source,
	}
	// An empty section= or place=, as an HTML form sends with nothing
	// chosen, means no filter rather than a filter nothing passes.
	req.Sections, req.Places = nonEmpty(p.Sections), nonEmpty(p.Places)
	var err error
	if req.Page, err = p.Page.value("page"); err != nil {
		return req, err
	}
	if req.Size, err = p.Size.value("size"); err != nil {
		return req, err
	}
	if req.From, err = parseDate("from", p.From, false); err != nil {
		return req, err
	}
	if req.To, err = parseDate("to", p.To, true); err != nil {
		return req, err
	}
	if req.HalfLife, err = p.HalfLife.halfLife(); err != nil {
		return req, err
	}
	return req, nil
}

func nonEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// maxHalfLifeDays bounds half_life: a century is no recency at all, and
// a larger number of days would overflow a time.Duration.
const maxHalfLifeDays = 36500

// halfLife reads half_life, in days: absent, the searcher's; 0, no
// recency boost.
func (p intParam) halfLife() (time.Duration, error) {
	days, err := p.value("half_life")
	switch {
	case err != nil:
		return 0, err
	case days < 0 || days > maxHalfLifeDays:
		return 0, &search.ParamError{Param: "half_life", Reason: fmt.Sprintf("must be from 0 to %d days", maxHalfLifeDays)}
	case days == 0 && strings.TrimSpace(string(p)) != "":
		return -1, nil
	}
	return time.Duration(days) * 24 * time.Hour, nil
}

// intParam is an integer parameter as sent: query-string text, or a JSON
// number or string.
type intParam string

// Without UnmarshalJSON, a JSON number would not decode into a string.
var _ json.Unmarshaler = (*intParam)(nil)

// UnmarshalJSON keeps the JSON value's text, unquoted when it is a string,
// for value to accept or refuse with the parameter's name.
func (p *intParam) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		s = string(b)
	}
	*p = intParam(s)
	return nil
}

// value returns the integer, 0 (the default) when absent, or a
// *search.ParamError naming the parameter.
func (p intParam) value(param string) (int, error) {
	s := strings.TrimSpace(string(p))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, &search.ParamError{Param: param, Reason: "must be an integer"}
	}
	return n, nil
}

// parseDate reads a from or to parameter in any form the query language's
// from: and to: take (schema.ParseDateSpan): an RFC 3339 time, a day
// ("2012-05-25", "25/05/2012", "ngày 25 tháng 5 năm 2012"), a month or a
// year, in Vietnam time when it has no zone. A day, month or year given as
// the end of a range includes the whole of it, as a person asking for
// articles "to 25 May" means.
func parseDate(param, s string, endOfRange bool) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	span, err := schema.ParseDateSpan(s)
	if err != nil {
		return time.Time{}, &search.ParamError{Param: param,
			Reason: `must be a date like "2012-05-25", "25/05/2012" or "5/2012", or an RFC 3339 time like "2012-05-25T08:00:00+07:00"`}
	}
	if endOfRange {
		return span.End, nil
	}
	return span.Start, nil
}

// bodyError classifies an error reading a JSON request body.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	var wrongType *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return fmt.Errorf("%w: larger than %d bytes", errBodyTooLarge, tooLarge.Limit)
	case errors.As(err, &wrongType) && wrongType.Field != "":
		param, _, _ := strings.Cut(wrongType.Field, ".")
		return &search.ParamError{Param: param, Reason: "must be " + wantJSON(param)}
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: empty, want a JSON object", errInvalidBody)
	default:
		return fmt.Errorf("%w: %v", errInvalidBody, err)
	}
}

// wantJSON says what JSON value the search parameter named param takes,
// for the error about a value of another type. The parameter's own type
// says it: the decoding error names the type of the element that failed,
// a string for [1] sent as section.
func wantJSON(param string) string {
	t := reflect.TypeFor[searchParams]()
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name == param && f.Type.Kind() == reflect.Slice {
			return "an array of strings"
		}
	}
	return "a string"
}
