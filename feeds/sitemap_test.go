package feeds

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

const newsSitemap = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc> https://baonamdinh.vn/thoi-su/le-hoi-den-tran-1234.html </loc>
    <news:news>
      <news:publication><news:name>Báo Nam Định</news:name><news:language>vi</news:language></news:publication>
      <news:publication_date>2024-02-24T07:05:00+07:00</news:publication_date>
      <news:title>Lễ khai ấn đền Trần Xuân Giáp Thìn</news:title>
    </news:news>
  </url>
  <url><loc>https://baonamdinh.vn/kinh-te/gia-lua-1235.html</loc><lastmod>2024-02-25</lastmod>
    <news:news><news:publication_date>2024-02-24</news:publication_date><news:title>Giá lúa tăng</news:title></news:news></url>
  <url><loc></loc></url>
</urlset>`

func TestParseSitemap(t *testing.T) {
	vn := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, schema.VietnamTime)
	}
	want := []Entry{
		{URL: "https://baonamdinh.vn/thoi-su/le-hoi-den-tran-1234.html", Updated: vn(2024, 2, 24, 7, 5), Title: "Lễ khai ấn đền Trần Xuân Giáp Thìn"},
		{URL: "https://baonamdinh.vn/kinh-te/gia-lua-1235.html", Updated: vn(2024, 2, 25, 0, 0), Title: "Giá lúa tăng"},
	}
	for name, data := range map[string]string{"plain": newsSitemap, "gzipped": gzipped(t, newsSitemap)} {
		t.Run(name, func(t *testing.T) {
			sm, err := ParseSitemap(strings.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if len(sm.URLs) != len(want) || len(sm.Sitemaps) != 0 {
				t.Fatalf("ParseSitemap = %+v; want %+v", sm, want)
			}
			for i, e := range sm.URLs {
				if e.URL != want[i].URL || !e.Updated.Equal(want[i].Updated) || e.Title != want[i].Title {
					t.Errorf("entry %d = %+v; want %+v (lastmod before publication date)", i, e, want[i])
				}
			}
		})
	}

	index := `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://baonamdinh.vn/sitemap-news.xml.gz</loc><lastmod>2024-02-25T08:00:00+07:00</lastmod></sitemap>
<sitemap><loc>https://baonamdinh.vn/sitemap-2012.xml</loc></sitemap></sitemapindex>`
	sm, err := ParseSitemap(strings.NewReader(index))
	if err != nil || len(sm.Sitemaps) != 2 || len(sm.URLs) != 0 || !sm.Sitemaps[0].Updated.Equal(vn(2024, 2, 25, 8, 0)) || !sm.Sitemaps[1].Updated.IsZero() {
		t.Errorf("ParseSitemap(index) = %+v, %v", sm, err)
	}

	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://x.vn/caf\xe9.html</loc></url></urlset>"
	if sm, err := ParseSitemap(strings.NewReader(latin1)); err != nil || sm.URLs[0].URL != "https://x.vn/café.html" {
		t.Errorf("ParseSitemap(ISO-8859-1) = %+v, %v", sm, err)
	}
}

func TestParseSitemapRefuses(t *testing.T) {
	many := "<urlset>" + strings.Repeat("<url><loc>https://x.vn/a</loc></url>", sitemapMaxEntries+1) + "</urlset>"
	tests := []struct{ name, data, reason string }{
		{"empty", "", "EOF"},
		{"not XML", "Xin chào", "EOF"},
		{"cut off", `<urlset><url><loc>https://x.vn/a</loc>`, "EOF"},
		{"HTML page", `<html><body>404</body></html>`, "root element <html>"},
		{"an RSS feed", rss(), "root element <rss>"},
		{"bad gzip", "\x1f\x8b\x08garbage", "gzip"},
		{"over 50,000 addresses", many, "over 50000"},
		{"over the size limit", "<urlset><!--" + strings.Repeat("x", 2<<20) + "--></urlset>", "over 2097152 bytes"},
		{"over the size limit gzipped", gzipped(t, "<urlset><!--"+strings.Repeat("x", 2<<20)+"--></urlset>"), "over 2097152 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := parseSitemap(strings.NewReader(tt.data), 2<<20)
			if !errors.Is(err, ErrBadSitemap) || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("ParseSitemap = %+v, %v; want ErrBadSitemap saying %q", sm, err, tt.reason)
			}
		})
	}
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(newsSitemap))
	f.Add([]byte(`<sitemapindex><sitemap><loc>https://x.vn/s.xml</loc><lastmod>2024</lastmod></sitemap></sitemapindex>`))
	f.Add([]byte("\x1f\x8b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sm, err := ParseSitemap(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrBadSitemap) {
				t.Errorf("error %v does not wrap ErrBadSitemap", err)
			}
			return
		}
		for _, e := range append(sm.URLs, sm.Sitemaps...) {
			if e.URL == "" || strings.TrimSpace(e.URL) != e.URL {
				t.Errorf("entry with address %q", e.URL)
			}
		}
	})
}

func TestParseFeed(t *testing.T) {
	atom := `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Báo Nam Định</title>
<entry><title>Cầu Tân Phong thông xe</title><link href="https://baonamdinh.vn/a.html"/><updated>2024-05-26T08:00:00+07:00</updated><published>2024-05-25T07:05:00+07:00</published></entry>
<entry><title>Không có liên kết</title></entry></feed>`
	entries, err := ParseFeed([]byte(atom))
	if err != nil || len(entries) != 1 || entries[0].URL != "https://baonamdinh.vn/a.html" ||
		!entries[0].Updated.Equal(time.Date(2024, 5, 26, 8, 0, 0, 0, schema.VietnamTime)) || entries[0].Title != "Cầu Tân Phong thông xe" {
		t.Errorf("ParseFeed(Atom) = %+v, %v; want one entry updated 2024-05-26 08:00", entries, err)
	}
	entries, err = ParseFeed([]byte(rss([2]string{"https://baonamdinh.vn/b.html", "Sat, 25 May 2024 07:05:00 +0700"})))
	if err != nil || len(entries) != 1 || !entries[0].Updated.Equal(time.Date(2024, 5, 25, 7, 5, 0, 0, schema.VietnamTime)) {
		t.Errorf("ParseFeed(RSS) = %+v, %v", entries, err)
	}
	for _, bad := range []string{"", "Xin chào", `<rss><channel><item>`, `<html><body>Trang chủ</body></html>`} {
		if _, err := ParseFeed([]byte(bad)); !errors.Is(err, ErrBadFeed) {
			t.Errorf("ParseFeed(%q) error = %v; want ErrBadFeed", bad, err)
		}
	}
}
