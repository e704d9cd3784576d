// Package schema defines what a vnsearch index holds: the stored Article,
// the names of the index fields each article property is analysed into, and
// the bleve mapping that ties them to the Vietnamese analyzers. Importing it
// registers those analyzers, so any program that opens an index can read it.
package schema

import (
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/analyzers"
)

// Article is one news article as vnsearch stores and returns it. Text is
// kept as published after NFC normalisation. The zero Published time means
// the date is unknown.
type Article struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Lead      string    `json:"lead,omitempty"`
	Body      string    `json:"body,omitempty"`
	Section   string    `json:"section,omitempty"`
	Source    string    `json:"source,omitempty"`
	Author    string    `json:"author,omitempty"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Tags      []string  `json:"tags,omitempty"`
}

// TextField names the index fields one article text is analysed into.
// Exact holds the stored text and its diacritic-keeping terms; the others
// are index-only views of the same text with identical token positions and
// offsets, so a match in any of them highlights the stored text. A view
// that is not indexed has the name "".
type TextField struct {
	Exact       string // with diacritics (analyzers.Exact); stored
	Folded      string // without (analyzers.Folded)
	Pairs       string // adjacent syllables with diacritics (analyzers.ExactPairs)
	FoldedPairs string // adjacent syllables without (analyzers.FoldedPairs)
}

func textField(name string) TextField {
	return TextField{
		Exact:       name,
		Folded:      name + "_folded",
		Pairs:       name + "_pairs",
		FoldedPairs: name + "_pairs_folded",
	}
}

// The article texts, most important first, and Text, all three at once.
//
// Every word of a query must be somewhere in an article, so matching looks
// words up in Text: one term per word rather than one per text. The title
// and lead have views of their own to rank by where a word is; the body
// has only its exact view, since its folded views would repeat most of
// Text, the largest part of the index.
var (
	Title = textField("title")
	Lead  = textField("lead")
	Body  = TextField{Exact: "body"}
	Text  = TextField{Folded: "text_folded", FoldedPairs: "text_pairs_folded"}
)

// TextFields lists the stored article texts in order of importance.
var TextFields = []TextField{Title, Lead, Body}

// WholeTextView returns the view of Text holding, folded, every term of
// field, a view of one of TextFields: the whole text has each part's
// words and pairs. It returns false for any other field.
func WholeTextView(field string) (string, bool) {
	for _, f := range TextFields {
		switch field {
		case "":
		case f.Exact, f.Folded:
			return Text.Folded, true
		case f.Pairs, f.FoldedPairs:
			return Text.FoldedPairs, true
		}
	}
	return "", false
}

// Keyword and metadata field names.
const (
	Section       = "section"        // keyword, stored; filter
	SectionFolded = "section_folded" // folded text, for section: queries
	Source        = "source"         // keyword, stored; filter
	Author        = "author"         // keyword, stored; filter
	AuthorFolded  = "author_folded"  // folded text, for author: queries
	Tags          = "tags"           // keyword, stored
	URL           = "url"            // stored only
	Published     = "published"      // date, stored; filter and sort
	// Facets holds, with doc values, one FacetTerm for each facet of an
	// article: counting the facets of a search's hits then reads one
	// field of each hit rather than three.
	Facets = "facets"
)

// The facets of an article, named as in FacetTerm.
const (
	SectionFacet = Section
	YearFacet    = "year" // the year of publication in Vietnam time, "2012"
	SourceFacet  = Source
	// PlaceFacet holds the provinces and cities an article is about
	// (places.Gazetteer.About), each under its name and under the
	// province it has been part of since 1 July 2025 (places.Values):
	// "Nam Định" and "Ninh Bình".
	PlaceFacet = "place"
)

// FacetTerm is the term of Facets that says an article's facet has value:
// "section:Thể thao".
func FacetTerm(facet, value string) string { return facet + ":" + value }

// SplitFacetTerm returns the facet and value of a term of Facets.
func SplitFacetTerm(term string) (facet, value string, ok bool) {
	return strings.Cut(term, ":")
}

// view is one indexed view of an article text.
type view struct {
	field, analyzer string
}

// views lists the indexed views of f, and of Text, which every article
// text is also analysed into.
func (f TextField) views() []view {
	var vs []view
	for _, v := range []view{
		{f.Exact, analyzers.Exact}, {f.Folded, analyzers.Folded},
		{f.Pairs, analyzers.ExactPairs}, {f.FoldedPairs, analyzers.FoldedPairs},
		{Text.Folded, analyzers.Folded}, {Text.FoldedPairs, analyzers.FoldedPairs},
	} {
		if v.field != "" {
			vs = append(vs, v)
		}
	}
	return vs
}
