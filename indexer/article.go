package indexer

import (
	"errors"
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// Reasons an article is refused.
var (
	ErrMissingID   = errors.New("missing id")
	ErrBadID       = errors.New(`bad id: want at most 2048 bytes, no control characters, no "." or ".." between slashes`)
	ErrEmptyText   = errors.New("no title and no body")
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
)

// FieldError is a reason an article is refused that lies in one field.
type FieldError struct {
	Field string // as JSON Lines spells it: "id", "title", "tags"
	Err   error
}

// Error returns the reason alone: the reasons name their field already.
func (e *FieldError) Error() string { return e.Err.Error() }

func (e *FieldError) Unwrap() error { return e.Err }

// idMaxBytes bounds an article id: a canonical URL is well under it.
const idMaxBytes = 2048

// checkID trims id and refuses one that is empty, holds control
// characters, or has a "." or ".." segment: ids are often URLs, and
// travel in URLs and file names, where such segments walk the path.
func checkID(id string) (string, error) {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		return id, &FieldError{Field: "id", Err: ErrMissingID}
	case !utf8.ValidString(id):
		return id, &FieldError{Field: "id", Err: ErrInvalidUTF8}
	case len(id) > idMaxBytes, strings.ContainsFunc(id, unicode.IsControl),
		slices.ContainsFunc(strings.Split(id, "/"), func(seg string) bool { return seg == "." || seg == ".." }):
		return id, &FieldError{Field: "id", Err: ErrBadID}
	}
	return id, nil
}

// leadMaxBytes bounds the first paragraph that Prepare promotes to the lead
// of an article that has none: a longer one is body text, not a sapo.
const leadMaxBytes = 800

// Prepare validates a and returns it ready to index: text NFC-normalised
// with HTML entities decoded (archives exported from CMSs keep "&amp;"),
// white space trimmed, and, when a has no lead, a short first paragraph of a
// multi-paragraph body promoted to the lead, as news sites print it.
func Prepare(a schema.Article) (schema.Article, error) {
	fields := []struct{ name, value string }{{"title", a.Title}, {"lead", a.Lead}, {"body", a.Body},
		{"section", a.Section}, {"source", a.Source}, {"author", a.Author}, {"url", a.URL}}
	for _, f := range fields {
		if !utf8.ValidString(f.value) {
			return a, &FieldError{Field: f.name, Err: ErrInvalidUTF8}
		}
	}
	for _, t := range a.Tags {
		if !utf8.ValidString(t) {
			return a, &FieldError{Field: "tags", Err: ErrInvalidUTF8}
		}
	}
	var err error
	if a.ID, err = checkID(a.ID); err != nil {
		return a, err
	}
	clean := func(s string) string {
		return strings.TrimSpace(analyzers.NormalizeText(html.UnescapeString(s)))
	}
	a.Title, a.Lead, a.Body = clean(a.Title), clean(a.Lead), clean(a.Body)
	a.Section, a.Source, a.Author = clean(a.Section), clean(a.Source), clean(a.Author)
	a.URL = strings.TrimSpace(a.URL)
	var tags []string
	for _, t := range a.Tags {
		if t = clean(t); t != "" {
			tags = append(tags, t)
		}
	}
	a.Tags = tags
	if a.Title == "" && a.Body == "" && a.Lead == "" {
		return a, &FieldError{Field: "title", Err: ErrEmptyText}
	}
	if a.Lead == "" {
		if first, rest, ok := strings.Cut(a.Body, "\n"); ok && len(first) <= leadMaxBytes && strings.TrimSpace(rest) != "" {
			a.Lead, a.Body = strings.TrimSpace(first), strings.TrimSpace(rest)
		}
	}
	return a, nil
}
