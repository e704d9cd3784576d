package feeds

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
)

// ErrBadConfig reports a line of a sources file that cannot be read.
var ErrBadConfig = errors.New("bad sources line")

// ReadConfig reads a sources file, one source or setting a line:
//
//	# comments and blank lines are ignored
//	feed https://baonamdinh.vn/rss/thoi-su.rss
//	sitemap https://baonamdinh.vn/sitemap-news.xml
//	interval 10m
//
// into opts, adding its feeds and sitemaps to those already there (a
// source given twice is polled once) and setting Interval unless it is
// set already, as a command-line flag wins over the file. Errors are
// *indexer.RecordError values naming the file and line.
func ReadConfig(name string, r io.Reader, opts *PollOptions) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, _ := strings.Cut(line, " ")
		value = strings.TrimSpace(value)
		bad := func(format string, args ...any) error {
			return &indexer.RecordError{File: name, Line: n, Err: fmt.Errorf("%w: "+format, append([]any{ErrBadConfig}, args...)...)}
		}
		switch key {
		case KindFeed, KindSitemap:
			if _, err := Canonical(value); err != nil {
				return bad("%v", err)
			}
			list := &opts.Feeds
			if key == KindSitemap {
				list = &opts.Sitemaps
			}
			*list = appendNew(*list, value)
		case "interval":
			d, err := time.ParseDuration(value)
			if err != nil || d <= 0 {
				return bad("interval %q: want a duration such as 5m", value)
			}
			if opts.Interval == 0 {
				opts.Interval = d
			}
		default:
			return bad("%q: want feed URL, sitemap URL or interval DURATION", key)
		}
	}
	if err := sc.Err(); err != nil {
		return &indexer.RecordError{File: name, Err: err}
	}
	return nil
}

// appendNew appends s to list unless it is there.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
