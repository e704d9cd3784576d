package feeds

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"already canonical", "https://baonamdinh.vn/thoi-su/cau-tan-phong-1234.html", "https://baonamdinh.vn/thoi-su/cau-tan-phong-1234.html"},
		{"scheme and host lower-cased", "HTTPS://BaoNamDinh.VN/Thoi-Su/A.html", "https://baonamdinh.vn/Thoi-Su/A.html"},
		{"fragment dropped", "https://baonamdinh.vn/a.html#binh-luan", "https://baonamdinh.vn/a.html"},
		{"tracking parameters dropped", "https://baonamdinh.vn/a.html?utm_source=rss&id=7&UTM_Medium=x&fbclid=abc", "https://baonamdinh.vn/a.html?id=7"},
		{"only tracking parameters", "https://baonamdinh.vn/a.html?utm_campaign=tet", "https://baonamdinh.vn/a.html"},
		{"default port dropped", "http://baonamdinh.vn:80/a.html", "http://baonamdinh.vn/a.html"},
		{"other port kept", "http://127.0.0.1:8080/a.html", "http://127.0.0.1:8080/a.html"},
		{"empty path", "https://baonamdinh.vn", "https://baonamdinh.vn/"},
		{"escaped Vietnamese path kept", "https://vi.wikipedia.org/wiki/Nam_%C4%90%E1%BB%8Bnh", "https://vi.wikipedia.org/wiki/Nam_%C4%90%E1%BB%8Bnh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("Canonical(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "/thoi-su/a.html", "ftp://baonamdinh.vn/a", "https://user:pw@baonamdinh.vn/a", "https://", "javascript:alert(1)", "http://[::1"} {
		if got, err := Canonical(bad); !errors.Is(err, ErrBadURL) {
			t.Errorf("Canonical(%q) = %q, %v; want ErrBadURL", bad, got, err)
		}
	}
}

// safeID is what an id made from a URL looks like.
var safeID = regexp.MustCompile(`^([a-z0-9-]+(\.[a-z0-9-]+)*_)?[a-z2-7]{24}$`)

func TestArticleID(t *testing.T) {
	tests := []struct{ name, url, prefix string }{
		{"host kept, www dropped", "https://www.baonamdinh.vn/thoi-su/a.html", "baonamdinh.vn_"},
		{"port: hash alone", "http://127.0.0.1:8080/a.html", ""},
		{"dots in path", "https://baonamdinh.vn/../../etc/passwd", "baonamdinh.vn_"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Canonical(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			id := ArticleID(c)
			if !safeID.MatchString(id) || !strings.HasPrefix(id, tt.prefix) || strings.Contains(id, "..") {
				t.Errorf("ArticleID(%q) = %q", c, id)
			}
			if again := ArticleID(c); again != id {
				t.Errorf("ArticleID(%q) = %q, then %q", c, id, again)
			}
		})
	}
	// Ids are stored: this one must never change.
	if id := ArticleID("https://baonamdinh.vn/cau-tan-phong/"); id != "baonamdinh.vn_kqrtyxpag225rg2ilajkqdk4" {
		t.Errorf("ArticleID changed: %q", id)
	}
	a, _ := urlID("https://baonamdinh.vn/a.html?utm_source=rss#top")
	b, _ := urlID("HTTPS://BAONAMDINH.VN/a.html")
	c, _ := urlID("https://baonamdinh.vn/b.html")
	if a != b || a == c {
		t.Errorf("ids of one article %q, %q; of another %q", a, b, c)
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"https://baonamdinh.vn/a.html?utm_source=x#y", "http://127.0.0.1:80", "HTTP://[::1]:443/", "https://x.vn/%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := Canonical(raw)
		if err != nil {
			return
		}
		if again, err := Canonical(c); err != nil || again != c {
			t.Errorf("Canonical(%q) = %q, but Canonical(%q) = %q, %v", raw, c, c, again, err)
		}
		if id := ArticleID(c); strings.ContainsAny(id, "/\x00") || strings.Contains(id, "..") || id == "" {
			t.Errorf("ArticleID(%q) = %q", c, id)
		}
	})
}
