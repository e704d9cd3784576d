package indexer

import (
	"errors"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// Reasons an article is refused.
var (
	ErrMissingID   = errors.New("missing id")
	ErrEmptyText   = errors.New("no title and no body")
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
)

// leadMaxBytes bounds the first paragraph that Prepare promotes to the lead
// of an article that has none: a longer one is body text, not a sapo.
const leadMaxBytes = 800

// Prepare validates a and returns it ready to index: text NFC-normalised
// with HTML entities decoded (archives exported from CMSs keep "&amp;"),
// white space trimmed, and, when a has no lead, a short first paragraph of a
// multi-paragraph body promoted to the lead, as news sites print it.
func Prepare(a schema.Article) (schema.Article, error) {
	for _, s := range []string{a.ID, a.Title, a.Lead, a.Body, a.Section, a.Source, a.Author, a.URL} {
		if !utf8.ValidString(s) {
			return a, ErrInvalidUTF8
		}
	}
	clean := func(s string) string {
		return strings.TrimSpace(analyzers.NormalizeText(html.UnescapeString(s)))
	}
	a.ID = strings.TrimSpace(a.ID)
	if a.ID == "" {
		return a, ErrMissingID
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
		return a, ErrEmptyText
	}
	if a.Lead == "" {
		if first, rest, ok := strings.Cut(a.Body, "\n"); ok && len(first) <= leadMaxBytes && strings.TrimSpace(rest) != "" {
			a.Lead, a.Body = strings.TrimSpace(first), strings.TrimSpace(rest)
		}
	}
	return a, nil
}
