package feeds

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
)

func TestReadConfig(t *testing.T) {
	const file = `# Báo Nam Định
feed https://baonamdinh.vn/rss/thoi-su.rss
feed   https://baonamdinh.vn/rss/kinh-te.rss

sitemap https://baonamdinh.vn/sitemap-news.xml
interval 10m
`
	opts := PollOptions{Feeds: []string{"https://baonamdinh.vn/rss/thoi-su.rss"}}
	if err := ReadConfig("sources.conf", strings.NewReader(file), &opts); err != nil {
		t.Fatal(err)
	}
	wantFeeds := []string{"https://baonamdinh.vn/rss/thoi-su.rss", "https://baonamdinh.vn/rss/kinh-te.rss"}
	if !slices.Equal(opts.Feeds, wantFeeds) || !slices.Equal(opts.Sitemaps, []string{"https://baonamdinh.vn/sitemap-news.xml"}) || opts.Interval != 10*time.Minute {
		t.Errorf("ReadConfig = %+v", opts)
	}
	// A flag's interval wins over the file's.
	opts = PollOptions{Interval: time.Minute}
	if err := ReadConfig("sources.conf", strings.NewReader(file), &opts); err != nil || opts.Interval != time.Minute {
		t.Errorf("interval %v, %v; want the flag's 1m", opts.Interval, err)
	}

	for _, tt := range []struct {
		name, file string
		line       int
	}{
		{"unknown key", "feed https://x.vn/rss\nrss https://x.vn/rss\n", 2},
		{"relative URL", "\n\nsitemap /sitemap.xml\n", 3},
		{"bad interval", "interval năm phút\n", 1},
		{"negative interval", "interval -5m\n", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadConfig("sources.conf", strings.NewReader(tt.file), &PollOptions{})
			var re *indexer.RecordError
			if !errors.As(err, &re) || re.File != "sources.conf" || re.Line != tt.line || !errors.Is(err, ErrBadConfig) {
				t.Errorf("ReadConfig(%q) = %v; want an error at sources.conf:%d", tt.file, err, tt.line)
			}
		})
	}
}

func FuzzReadConfig(f *testing.F) {
	f.Add("feed https://baonamdinh.vn/rss\nsitemap https://baonamdinh.vn/sitemap.xml\ninterval 5m\n")
	f.Add("# chú thích\n\nfeed\n")
	f.Fuzz(func(t *testing.T, file string) {
		var opts PollOptions
		err := ReadConfig("sources.conf", strings.NewReader(file), &opts)
		var re *indexer.RecordError
		if err != nil && (!errors.As(err, &re) || re.File != "sources.conf") {
			t.Errorf("ReadConfig(%q) error %v does not name the file", file, err)
		}
		if err == nil {
			if verr := opts.Validate(); verr != nil {
				t.Errorf("ReadConfig(%q) accepted sources that do not validate: %v", file, verr)
			}
		}
	})
}
