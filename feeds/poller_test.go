package feeds

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func newPoller(t *testing.T, f *Fetcher, opts PollOptions) (*Poller, *indexWriter) {
	t.Helper()
	w := newIndexWriter(t)
	p, err := NewPoller(w, f, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p, w
}

func TestPollFeedChangesBetweenPolls(t *testing.T) {
	s := newSite(t)
	a, b, c := s.url("/thoi-su/a.html"), s.url("/thoi-su/b.html"), s.url("/thoi-su/c.html")
	s.set("/thoi-su/a.html", resource{body: articlePage("", "Nam Định khánh thành cầu Tân Phong", "Cầu mới nối hai huyện.", "Cầu dài 800 mét, vốn 500 tỷ đồng.")})
	s.set("/thoi-su/b.html", resource{etag: `"b1"`, body: articlePage("", "Thành phố Nam Định đạt chuẩn ISO 9001:2000", "UBND thành phố nhận chứng chỉ.", "Hệ thống quản lý chất lượng được công nhận.")})
	s.set("/rss/thoi-su.rss", resource{etag: `"v1"`, contentType: "application/rss+xml",
		body: rss([2]string{a + "?utm_source=rss#top", "Sat, 25 May 2024 07:05:00 +0700"}, [2]string{b, ""})})

	p, w := newPoller(t, fastFetcher(), PollOptions{Feeds: []string{s.url("/rss/thoi-su.rss")}})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, ok := stored(t, w.idx, idOf(t, a)); !ok || got.Title != "Nam Định khánh thành cầu Tân Phong" || got.URL != a {
		t.Errorf("after the first poll, article a = %+v, %v", got, ok)
	}
	if _, ok := stored(t, w.idx, idOf(t, b)); !ok {
		t.Errorf("after the first poll, article b is missing")
	}
	if st := p.Status()[0]; st.Added != 2 || st.Errors != 0 || st.Polls != 1 || st.LastPoll.IsZero() {
		t.Errorf("status after the first poll = %+v", st)
	}
	if !strings.HasPrefix(s.agent, "vnsearch/") {
		t.Errorf("User-Agent %q does not name vnsearch", s.agent)
	}

	// Unchanged: the feed answers 304 and no page is fetched.
	s.hitsOf("/thoi-su/a.html")
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := s.hitsOf("/thoi-su/a.html"); n != 0 {
		t.Errorf("an unchanged feed fetched article a %d times", n)
	}

	// a corrected, b gone, c new.
	s.set("/thoi-su/a.html", resource{body: articlePage("", "Nam Định khánh thành cầu Tân Phong mới", "Cầu mới nối hai huyện.", "Cầu dài 850 mét.")})
	s.set("/thoi-su/b.html", resource{status: 410, body: "gone"})
	s.set("/thoi-su/c.html", resource{body: articlePage("", "Hội nghị Khoa học và Công nghệ", "KH và CN tỉnh tổng kết năm.", "Nhiều đề tài được nghiệm thu.")})
	s.set("/rss/thoi-su.rss", resource{etag: `"v2"`, body: rss(
		[2]string{a, "Sun, 26 May 2024 08:00:00 +0700"}, [2]string{b, ""}, [2]string{c, "Sun, 26 May 2024 09:00:00 +0700"})})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, _ := stored(t, w.idx, idOf(t, a)); got.Title != "Nam Định khánh thành cầu Tân Phong mới" {
		t.Errorf("article a after its correction: title %q", got.Title)
	}
	if _, ok := stored(t, w.idx, idOf(t, b)); ok {
		t.Errorf("article b answers 410 but is still indexed")
	}
	if _, ok := stored(t, w.idx, idOf(t, c)); !ok {
		t.Errorf("new article c not indexed")
	}
	if n := docCount(t, w.idx); n != 2 {
		t.Errorf("index holds %d articles, want 2 (a and c)", n)
	}
	st := p.Status()[0]
	if st.Added != 3 || st.Updated != 1 || st.Removed != 1 || st.Polls != 3 {
		t.Errorf("status after the third poll = %+v; want 3 added, 1 updated, 1 removed", st)
	}
}

func TestPollPageWithoutDateIsAskedIfChanged(t *testing.T) {
	s := newSite(t)
	a := s.url("/a.html")
	s.set("/a.html", resource{etag: `"a1"`, body: articlePage("", "Giá lúa tăng", "Nông dân phấn khởi.", "Giá lúa tăng 500 đồng mỗi ký.")})
	s.set("/rss", resource{body: rss([2]string{a, ""})})
	p, w := newPoller(t, fastFetcher(), PollOptions{Feeds: []string{s.url("/rss")}})
	for range 2 {
		if err := p.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.hitsOf("/a.html"); n != 2 {
		t.Errorf("page fetched %d times in 2 polls, want 2 (one answered 304)", n)
	}
	if st := p.Status()[0]; st.Added != 1 || st.Updated != 0 {
		t.Errorf("a 304 counted as a change: %+v", st)
	}
	s.set("/a.html", resource{etag: `"a2"`, body: articlePage("", "Giá lúa tăng mạnh", "Nông dân phấn khởi.", "Giá lúa tăng 800 đồng mỗi ký.")})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, _ := stored(t, w.idx, idOf(t, a)); got.Title != "Giá lúa tăng mạnh" {
		t.Errorf("changed page not re-read: title %q", got.Title)
	}
}

func TestPollCanonicalLinkMakesOneArticle(t *testing.T) {
	s := newSite(t)
	canonical := s.url("/tin/cau-tan-phong.html")
	page := articlePage(canonical, "Cầu Tân Phong thông xe", "Cầu nối hai huyện.", "Cầu dài 800 mét.")
	s.set("/tin/cau-tan-phong.html", resource{body: page})
	s.set("/amp/cau-tan-phong.html", resource{body: page})
	s.set("/rss", resource{body: rss([2]string{s.url("/amp/cau-tan-phong.html"), ""})})
	s.set("/sitemap.xml", resource{body: `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>` + canonical + `</loc></url></urlset>`})
	p, w := newPoller(t, fastFetcher(), PollOptions{Feeds: []string{s.url("/rss")}, Sitemaps: []string{s.url("/sitemap.xml")}})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := docCount(t, w.idx); n != 1 {
		t.Errorf("one article at two addresses indexed %d times", n)
	}
	if _, ok := stored(t, w.idx, idOf(t, canonical)); !ok {
		t.Errorf("article not indexed under the id of its canonical URL")
	}
}

func TestPollSitemapIndexGzipAndRobots(t *testing.T) {
	s := newSite(t)
	news := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>` + s.url("/tin/1.html") + `</loc><news:news><news:publication><news:name>Báo Nam Định</news:name><news:language>vi</news:language></news:publication>
<news:publication_date>2024-05-25T07:05:00+07:00</news:publication_date><news:title>Lễ hội đền Trần</news:title></news:news></url>
<url><loc>` + s.url("/private/2.html") + `</loc><lastmod>2024-05-25</lastmod></url>
</urlset>`
	archive := `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>` + s.url("/tin/3.html") + `</loc><lastmod>2012-05-23</lastmod></url></urlset>`
	index := func(lastmod string) string {
		return `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>` + s.url("/sitemap-news.xml.gz") + `</loc><lastmod>` + lastmod + `</lastmod></sitemap>
<sitemap><loc>` + s.url("/sitemap-2012.xml") + `</loc><lastmod>2012-12-31</lastmod></sitemap></sitemapindex>`
	}
	s.set("/robots.txt", resource{body: "User-agent: *\nDisallow: /private/\n"})
	s.set("/sitemap.xml", resource{body: index("2024-05-25T08:00:00+07:00")})
	s.set("/sitemap-news.xml.gz", resource{body: gzipped(t, news), contentType: "application/gzip"})
	s.set("/sitemap-2012.xml", resource{body: gzipped(t, archive), encoding: "gzip"})
	for _, p := range []string{"/tin/1.html", "/private/2.html", "/tin/3.html"} {
		s.set(p, resource{body: articlePage("", "Lễ hội đền Trần "+p, "Hàng vạn du khách về dự.", "Lễ khai ấn diễn ra lúc nửa đêm.")})
	}
	p, w := newPoller(t, fastFetcher(), PollOptions{Sitemaps: []string{s.url("/sitemap.xml")}})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"/tin/1.html": true, "/private/2.html": false, "/tin/3.html": true} {
		if _, ok := stored(t, w.idx, idOf(t, s.url(path))); ok != want {
			t.Errorf("%s indexed = %v, want %v", path, ok, want)
		}
	}
	if n := s.hitsOf("/private/2.html"); n != 0 {
		t.Errorf("a page robots.txt disallows was fetched %d times", n)
	}
	st := p.Status()[0]
	if st.Added != 2 || !strings.Contains(st.LastError, "robots.txt") {
		t.Errorf("status = %+v; want 2 added and the robots.txt refusal as last error", st)
	}

	// The index changes, saying only the news sitemap did: the archive
	// is not fetched again.
	s.set("/sitemap.xml", resource{body: index("2024-05-26T08:00:00+07:00")})
	s.hitsOf("/sitemap-2012.xml")
	s.hitsOf("/sitemap-news.xml.gz")
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := s.hitsOf("/sitemap-2012.xml"); n != 0 {
		t.Errorf("an unchanged sitemap of the index was fetched %d times", n)
	}
	if n := s.hitsOf("/sitemap-news.xml.gz"); n != 1 {
		t.Errorf("the changed sitemap was fetched %d times, want 1", n)
	}
}

func TestPollSitemapIndexNestingIsBounded(t *testing.T) {
	s := newSite(t)
	// An index that lists itself.
	s.set("/loop.xml", resource{body: `<sitemapindex><sitemap><loc>` + s.url("/loop.xml") + `</loc></sitemap></sitemapindex>`})
	p, _ := newPoller(t, fastFetcher(), PollOptions{Sitemaps: []string{s.url("/loop.xml")}, MaxSitemapDepth: 3})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := s.hitsOf("/loop.xml"); n != 3 {
		t.Errorf("a self-listing index was fetched %d times, want 3 (the depth limit)", n)
	}
	if st := p.Status()[0]; !strings.Contains(st.LastError, "nested") {
		t.Errorf("last error %q does not say the nesting is too deep", st.LastError)
	}
}

func TestPollBadXMLFailsThePollAndRecovers(t *testing.T) {
	s := newSite(t)
	s.set("/rss", resource{body: `<rss><channel><item><title>Tin</title><link>`})
	s.set("/sitemap.xml", resource{body: `<urlset><url><loc>x</url>`})
	p, w := newPoller(t, fastFetcher(), PollOptions{Feeds: []string{s.url("/rss")}, Sitemaps: []string{s.url("/sitemap.xml")}})
	err := p.PollOnce(t.Context())
	if !errors.Is(err, ErrBadFeed) || !errors.Is(err, ErrBadSitemap) {
		t.Fatalf("PollOnce = %v; want ErrBadFeed and ErrBadSitemap", err)
	}
	for _, st := range p.Status() {
		if st.Failures != 1 || st.Errors != 1 || st.LastError == "" {
			t.Errorf("status after bad XML = %+v", st)
		}
	}
	s.set("/a.html", resource{body: articlePage("", "Tin sau sự cố", "Trang tin hoạt động trở lại.", "Nội dung đầy đủ.")})
	s.set("/rss", resource{body: rss([2]string{s.url("/a.html"), ""})})
	s.set("/sitemap.xml", resource{body: `<urlset><url><loc>` + s.url("/a.html") + `</loc></url></urlset>`})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, st := range p.Status() {
		if st.Failures != 0 {
			t.Errorf("failures not reset by a good poll: %+v", st)
		}
	}
	if n := docCount(t, w.idx); n != 1 {
		t.Errorf("%d articles after recovery, want 1", n)
	}
}

func TestPollSlowAndFailingPages(t *testing.T) {
	s := newSite(t)
	s.set("/slow.html", resource{delay: 5 * time.Second, body: articlePage("", "Chậm", "Chậm.", "Chậm.")})
	s.set("/broken.html", resource{status: 503, body: "quá tải"})
	s.set("/ok.html", resource{body: articlePage("", "Trang tốt", "Trang trả lời đúng hạn.", "Nội dung.")})
	s.set("/rss", resource{body: rss([2]string{s.url("/slow.html"), ""}, [2]string{s.url("/broken.html"), ""}, [2]string{s.url("/ok.html"), ""})})
	f := NewFetcher(FetchOptions{HostInterval: time.Millisecond, Timeout: 100 * time.Millisecond})
	p, w := newPoller(t, f, PollOptions{Feeds: []string{s.url("/rss")}})
	start := time.Now()
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatalf("failing pages failed the poll: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("a slow page held the poll %v, past its timeout", d)
	}
	st := p.Status()[0]
	if st.Added != 1 || st.Errors != 2 || st.Failures != 0 {
		t.Errorf("status = %+v; want 1 added and 2 page errors", st)
	}
	if _, ok := stored(t, w.idx, idOf(t, s.url("/ok.html"))); !ok {
		t.Errorf("the good page was not indexed")
	}
	// The failed pages are tried again next time.
	s.set("/broken.html", resource{body: articlePage("", "Đã sửa", "Trang hoạt động lại.", "Nội dung.")})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, ok := stored(t, w.idx, idOf(t, s.url("/broken.html"))); !ok {
		t.Errorf("a page that failed once was not tried again")
	}
}

func TestBackoffDoublesUpToTheBound(t *testing.T) {
	p, _ := newPoller(t, fastFetcher(), PollOptions{Interval: time.Minute, MaxBackoff: 10 * time.Minute})
	for failures, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute} {
		if got := p.wait(failures); got != want {
			t.Errorf("wait after %d failures = %v, want %v", failures, got, want)
		}
	}
}

func TestRunBacksOffAFailingSource(t *testing.T) {
	s := newSite(t)
	s.set("/down", resource{status: 500})
	s.set("/up", resource{body: rss()})
	p, _ := newPoller(t, fastFetcher(), PollOptions{Feeds: []string{s.url("/down"), s.url("/up")},
		Interval: 10 * time.Millisecond, MaxBackoff: 10 * time.Second})
	ctx, cancel := context.WithTimeout(t.Context(), 400*time.Millisecond)
	defer cancel()
	p.Run(ctx)
	down, up := p.Status()[0], p.Status()[1]
	// Waits of 20, 40, 80 and 160 ms fit four or five polls in 400 ms;
	// the healthy source polls every 10 ms, slower on a busy machine. The
	// end of the run may cut the last poll short, uncounted as a failure.
	if down.Polls > 6 || down.Failures < down.Polls-1 || up.Polls < 2*down.Polls {
		t.Errorf("failing source polled %d times, healthy one %d times", down.Polls, up.Polls)
	}
	if !strings.Contains(down.LastError, "status 500") {
		t.Errorf("last error %q", down.LastError)
	}
	// A poll cut short by the end of the run leaves no next poll.
	if got, want := down.NextPoll.Sub(down.LastPoll), p.wait(down.Failures); !down.NextPoll.IsZero() && (got < want || got > want+50*time.Millisecond) {
		t.Errorf("next poll %v after the last, want %v", got, want)
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	s := newSite(t)
	s.set("/rss", resource{delay: 10 * time.Second, body: rss()})
	p, _ := newPoller(t, fastFetcher(), PollOptions{Feeds: []string{s.url("/rss")}})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	time.Sleep(50 * time.Millisecond) // the request is in flight
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
}
