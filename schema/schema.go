// Package schema defines what a vnsearch index holds: the stored Article,
// the names of the index fields each article property is analysed into, and
// the bleve mapping that ties them to the Vietnamese analyzers. Importing it
// registers those analyzers, so any program that opens an index can read it.
package schema

import (
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

// TextField names the four index fields one article text is analysed into.
// Exact holds the stored text and its diacritic-keeping terms; the others
// are index-only views of the same text with identical token positions and
// offsets, so a match in any of them highlights the stored text.
type TextField struct {
	Exact       string // with diacritics (analyzers.Exact); stored
	Folded      string // without (analyzers.Folded)
	Pairs       string // adjacent syllables with diacritics (analyzers.ExactPairs); "" when not indexed
	FoldedPairs string // adjacent syllables without (analyzers.FoldedPairs)
}

func textField(name string, exactPairs bool) TextField {
	f := TextField{
		Exact:       name,
		Folded:      name + "_folded",
		FoldedPairs: name + "_pairs_folded",
	}
	if exactPairs {
		f.Pairs = name + "_pairs"
	}
	return f
}

// The searchable article texts, most important first. The body has no
// exact pairs view: in a body of hundreds of syllables it would be the
// largest part of the index and its slowest to build, while exact single
// syllables and folded pairs already tell "Nam Định" from "năm định" there.
var (
	Title = textField("title", true)
	Lead  = textField("lead", true)
	Body  = textField("body", false)
)

// TextFields lists the searchable texts in order of importance.
var TextFields = []TextField{Title, Lead, Body}

// Keyword and metadata field names.
const (
	Section       = "section"        // keyword, stored; filter and facet
	SectionFolded = "section_folded" // folded text, for section: queries
	Source        = "source"         // keyword, stored; filter and facet
	Author        = "author"         // keyword, stored; filter
	AuthorFolded  = "author_folded"  // folded text, for author: queries
	Tags          = "tags"           // keyword, stored
	URL           = "url"            // stored only
	Published     = "published"      // date, stored; filter and sort
	Year          = "year"           // keyword ("2012"); facet
)

// view is one indexed view of an article text.
type view struct {
	field, analyzer string
}

// views lists the indexed views of f.
func (f TextField) views() []view {
	vs := []view{{f.Exact, analyzers.Exact}, {f.Folded, analyzers.Folded}}
	if f.Pairs != "" {
		vs = append(vs, view{f.Pairs, analyzers.ExactPairs})
	}
	return append(vs, view{f.FoldedPairs, analyzers.FoldedPairs})
}
