package schema

import (
	"time"
)

// VietnamTime is Indochina Time (UTC+7, no daylight saving), the zone of
// dates published without one.
var VietnamTime = time.FixedZone("ICT", 7*60*60)

// StoredFields lists the fields to ask bleve for to rebuild an Article.
var StoredFields = []string{
	Title.Exact, Lead.Exact, Body.Exact, Section, Source, Author, URL, Published, Tags,
}

// FromStored rebuilds the Article with the given id from the stored field
// values bleve returns with a hit or a document (strings, a string slice for
// repeated fields, and dates as RFC 3339 text).
func FromStored(id string, fields map[string]interface{}) Article {
	str := func(name string) string {
		s, _ := fields[name].(string)
		return s
	}
	a := Article{
		ID:      id,
		Title:   str(Title.Exact),
		Lead:    str(Lead.Exact),
		Body:    str(Body.Exact),
		Section: str(Section),
		Source:  str(Source),
		Author:  str(Author),
		URL:     str(URL),
	}
	if t, err := time.Parse(time.RFC3339Nano, str(Published)); err == nil {
		a.Published = t.In(VietnamTime)
	}
	switch tags := fields[Tags].(type) {
	case string:
		a.Tags = []string{tags}
	case []interface{}:
		for _, t := range tags {
			if s, ok := t.(string); ok {
				a.Tags = append(a.Tags, s)
			}
		}
	}
	return a
}
