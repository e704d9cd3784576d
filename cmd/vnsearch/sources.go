package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/feeds"
)

// urlList is a flag that may be given several times.
type urlList []string

func (l *urlList) String() string { return strings.Join(*l, ", ") }

func (l *urlList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// sourceFlags are the serve flags that name the feeds and sitemaps to poll.
type sourceFlags struct {
	feeds, sitemaps urlList
	interval        time.Duration
	config          string
}

// register adds the flags to fs.
func (sf *sourceFlags) register(fs *flag.FlagSet) {
	fs.Var(&sf.feeds, "feed", "RSS or Atom feed `URL` to poll for new and changed articles; repeatable")
	fs.Var(&sf.sitemaps, "sitemap", "news sitemap or sitemap index `URL` to poll, gzipped or not; repeatable")
	fs.DurationVar(&sf.interval, "feed-interval", 0, "time between two polls of a feed or sitemap (default 5m)")
	fs.StringVar(&sf.config, "config", "", "`file` of sources, one a line: 'feed URL', 'sitemap URL', 'interval 5m' (see docs/feeds.md)")
}

// pollOptions merges the sources of the flags and of the --config file,
// the flags' interval winning over the file's.
func (sf *sourceFlags) pollOptions() (feeds.PollOptions, error) {
	opts := feeds.PollOptions{Feeds: sf.feeds, Sitemaps: sf.sitemaps, Interval: sf.interval}
	if sf.config != "" {
		f, err := os.Open(sf.config)
		if err != nil {
			return opts, fmt.Errorf("%w: --config: %v", errUsage, err)
		}
		defer f.Close()
		if err := feeds.ReadConfig(sf.config, f, &opts); err != nil {
			return opts, fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	if err := opts.Validate(); err != nil {
		return opts, fmt.Errorf("%w: %v", errUsage, err)
	}
	return opts, nil
}
