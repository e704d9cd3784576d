package feeds

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/vnsearch/vnsearch/schema"
)

// Limits of the sitemap protocol (sitemaps.org): a sitemap or an index
// lists at most 50,000 addresses in at most 50 MB uncompressed.
const (
	sitemapMaxEntries = 50_000
	sitemapMaxBytes   = 50 << 20
)

// ErrBadSitemap reports a document that is not a sitemap or a sitemap
// index.
var ErrBadSitemap = errors.New("not a sitemap")

// Entry is one article address a feed or a sitemap lists.
type Entry struct {
	URL string
	// Updated is when the article last changed, as the feed or sitemap
	// says; zero when it does not say.
	Updated time.Time
	Title   string // the title the listing gives, if any
}

// Sitemap is a parsed sitemap: a urlset lists articles, a sitemap index
// lists other sitemaps (their Updated from <lastmod>).
type Sitemap struct {
	URLs     []Entry
	Sitemaps []Entry
}

// sitemapXML holds either root element; the namespaces are matched by
// local name, as sitemaps in the wild get them wrong.
type sitemapXML struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
		News    struct {
			PublicationDate string `xml:"publication_date"`
			Title           string `xml:"title"`
		} `xml:"news"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

// ParseSitemap reads a sitemap or sitemap index, gzipped or not, with the
// Google News extension (news:publication_date, news:title). An article's
// Updated is its lastmod, else its publication date. Addresses that are
// empty are left out; more than the protocol's 50,000 addresses or 50 MB
// is an error.
func ParseSitemap(r io.Reader) (Sitemap, error) {
	return parseSitemap(r, sitemapMaxBytes)
}

// parseSitemap is ParseSitemap refusing more than maxBytes of XML.
func parseSitemap(r io.Reader, maxBytes int64) (Sitemap, error) {
	// A .xml.gz file is served gzipped without a Content-Encoding, so its
	// magic number is what tells.
	br := bufio.NewReader(r)
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return Sitemap{}, fmt.Errorf("%w: gzip: %w", ErrBadSitemap, err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	lr := &io.LimitedReader{R: r, N: maxBytes + 1}
	var doc sitemapXML
	dec := xml.NewDecoder(lr)
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	if err := dec.Decode(&doc); err != nil {
		if lr.N <= 0 {
			return Sitemap{}, fmt.Errorf("%w: over %d bytes", ErrBadSitemap, maxBytes)
		}
		return Sitemap{}, fmt.Errorf("%w: %w", ErrBadSitemap, err)
	}
	if lr.N <= 0 {
		return Sitemap{}, fmt.Errorf("%w: over %d bytes", ErrBadSitemap, maxBytes)
	}
	var sm Sitemap
	switch doc.XMLName.Local {
	case "urlset":
		for _, u := range doc.URLs {
			loc := strings.TrimSpace(u.Loc)
			if loc == "" {
				continue
			}
			updated := parseW3CDate(u.Lastmod)
			if updated.IsZero() {
				updated = parseW3CDate(u.News.PublicationDate)
			}
			sm.URLs = append(sm.URLs, Entry{URL: loc, Updated: updated, Title: strings.TrimSpace(u.News.Title)})
		}
	case "sitemapindex":
		for _, s := range doc.Sitemaps {
			if loc := strings.TrimSpace(s.Loc); loc != "" {
				sm.Sitemaps = append(sm.Sitemaps, Entry{URL: loc, Updated: parseW3CDate(s.Lastmod)})
			}
		}
	default:
		return Sitemap{}, fmt.Errorf("%w: root element <%s>", ErrBadSitemap, doc.XMLName.Local)
	}
	if n := len(sm.URLs) + len(sm.Sitemaps); n > sitemapMaxEntries {
		return Sitemap{}, fmt.Errorf("%w: %d addresses, over %d", ErrBadSitemap, n, sitemapMaxEntries)
	}
	return sm, nil
}

// parseW3CDate reads a sitemap date: W3C Datetime, as
// "2024-05-25T07:05:00+07:00" or "2024-05-25", and the other forms the
// index command reads. A date that does not parse is zero.
func parseW3CDate(s string) time.Time {
	t, err := schema.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}
