package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// ErrBadFeed reports a document that is not an RSS, Atom or JSON feed.
var ErrBadFeed = errors.New("not a feed")

// ParseFeed reads an RSS, Atom or JSON feed and returns its items' links.
// An item's Updated is its updated date, else its publication date.
func ParseFeed(data []byte) ([]Entry, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadFeed, err)
	}
	entries := make([]Entry, 0, len(feed.Items))
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		if link == "" {
			continue
		}
		e := Entry{URL: link, Title: strings.TrimSpace(it.Title)}
		for _, t := range []*time.Time{it.UpdatedParsed, it.PublishedParsed} {
			if t != nil && e.Updated.IsZero() {
				e.Updated = *t
			}
		}
		entries = append(entries, e)
	}
	return entries, nil
}
