package feeds

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

// ghostPayload is a Ghost webhook body, as Ghost sends it, around current
// and previous post attributes.
func ghostPayload(t *testing.T, current, previous map[string]any) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{"post": map[string]any{"current": current, "previous": previous}})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func ghostPostJSON(url, title, status string) map[string]any {
	return map[string]any{
		"id": "65f0c1a2b3c4d5e6f7a8b9c0", "uuid": "3f1c2a4e-9b7d-4e21-a1c3-5d6e7f8a9b0c",
		"title": title, "slug": "cau-tan-phong", "status": status, "url": url,
		"html":           "<p>Cầu dài 800 mét nối hai huyện Ý Yên và Vụ Bản.</p><p>Công trình hoàn thành sớm hai tháng so với kế hoạch.</p>",
		"plaintext":      "",
		"custom_excerpt": "UBND tỉnh Nam Định tổ chức lễ thông xe cầu Tân Phong.",
		"published_at":   "2024-05-25T00:05:00.000Z",
		"updated_at":     "2024-05-25T01:00:00.000Z",
		"primary_tag":    map[string]any{"id": "1", "name": "Thời sự", "slug": "thoi-su"},
		"primary_author": map[string]any{"id": "2", "name": "Trần Văn Nam", "slug": "tran-van-nam"},
		"tags":           []any{map[string]any{"name": "Thời sự"}, map[string]any{"name": "giao thông"}},
	}
}

func TestHooksGhostLifecycle(t *testing.T) {
	const url = "https://baonamdinh.vn/cau-tan-phong/"
	w := newIndexWriter(t)
	h := NewHooks(w, fastFetcher())
	id := idOf(t, url)

	// post.published
	res, err := h.Apply(t.Context(), ghostPayload(t, ghostPostJSON(url, "Thông xe cầu Tân Phong", "published"), map[string]any{"status": "draft"}))
	if err != nil || res.Action != "indexed" || len(res.IDs) != 1 || res.IDs[0] != id {
		t.Fatalf("post.published: %+v, %v", res, err)
	}
	a, ok := stored(t, w.idx, id)
	want := schema.Article{ID: id, URL: url, Title: "Thông xe cầu Tân Phong", Lead: "UBND tỉnh Nam Định tổ chức lễ thông xe cầu Tân Phong.",
		Section: "Thời sự", Author: "Trần Văn Nam", Source: "baonamdinh.vn", Published: time.Date(2024, 5, 25, 7, 5, 0, 0, schema.VietnamTime)}
	if !ok || a.Title != want.Title || a.Lead != want.Lead || a.Section != want.Section || a.Author != want.Author ||
		a.Source != want.Source || a.URL != want.URL || !a.Published.Equal(want.Published) ||
		!strings.Contains(a.Body, "Công trình hoàn thành sớm") || len(a.Tags) != 2 {
		t.Errorf("indexed from the payload:\n%+v\nwant\n%+v", a, want)
	}

	// post.published.edited
	edited := ghostPostJSON(url, "Thông xe cầu Tân Phong sớm hai tháng", "published")
	if _, err := h.Apply(t.Context(), ghostPayload(t, edited, map[string]any{"title": "Thông xe cầu Tân Phong"})); err != nil {
		t.Fatal(err)
	}
	if a, _ := stored(t, w.idx, id); a.Title != "Thông xe cầu Tân Phong sớm hai tháng" {
		t.Errorf("post.published.edited: title %q", a.Title)
	}
	if n := docCount(t, w.idx); n != 1 {
		t.Errorf("an edit made %d articles", n)
	}

	// post.unpublished: current has the draft's preview address.
	draft := ghostPostJSON("https://baonamdinh.vn/p/3f1c2a4e-9b7d-4e21-a1c3-5d6e7f8a9b0c/", "Thông xe cầu Tân Phong", "draft")
	res, err = h.Apply(t.Context(), ghostPayload(t, draft, map[string]any{"status": "published", "url": url}))
	if err != nil || res.Action != "deleted" || res.IDs[0] != id {
		t.Fatalf("post.unpublished: %+v, %v", res, err)
	}
	if _, ok := stored(t, w.idx, id); ok {
		t.Errorf("post.unpublished left the article indexed")
	}

	// Published again, then post.deleted: current is empty.
	if _, err := h.Apply(t.Context(), ghostPayload(t, ghostPostJSON(url, "Thông xe cầu Tân Phong", "published"), nil)); err != nil {
		t.Fatal(err)
	}
	res, err = h.Apply(t.Context(), ghostPayload(t, map[string]any{}, ghostPostJSON(url, "Thông xe cầu Tân Phong", "published")))
	if err != nil || res.Action != "deleted" {
		t.Fatalf("post.deleted: %+v, %v", res, err)
	}
	if n := docCount(t, w.idx); n != 0 {
		t.Errorf("post.deleted left %d articles", n)
	}
}

func TestHooksFetchThePage(t *testing.T) {
	s := newSite(t)
	page := s.url("/tin/gia-lua.html")
	s.set("/tin/gia-lua.html", resource{body: articlePage("", "Giá lúa tăng", "Nông dân Nam Định phấn khởi.", "Giá lúa tăng 500 đồng mỗi ký.")})
	// Disallowed to crawlers, but the site itself asks.
	s.set("/robots.txt", resource{body: "User-agent: *\nDisallow: /\n"})
	w := newIndexWriter(t)
	h := NewHooks(w, fastFetcher())

	res, err := h.Apply(t.Context(), []byte(`{"url": "`+page+`?utm_source=cms", "action": "upsert"}`))
	if err != nil || res.Action != "indexed" || res.URL != page {
		t.Fatalf("generic upsert: %+v, %v", res, err)
	}
	if a, ok := stored(t, w.idx, idOf(t, page)); !ok || a.Title != "Giá lúa tăng" {
		t.Errorf("generic upsert indexed %+v, %v", a, ok)
	}
	// A Ghost payload without the text fetches the page too.
	post := ghostPostJSON(page, "Giá lúa tăng", "published")
	post["html"] = ""
	s.set("/tin/gia-lua.html", resource{body: articlePage("", "Giá lúa tăng mạnh", "Nông dân Nam Định phấn khởi.", "Giá lúa tăng 800 đồng.")})
	if _, err := h.Apply(t.Context(), ghostPayload(t, post, nil)); err != nil {
		t.Fatal(err)
	}
	if a, _ := stored(t, w.idx, idOf(t, page)); a.Title != "Giá lúa tăng mạnh" {
		t.Errorf("Ghost payload without html: title %q, want the page's", a.Title)
	}

	// The page is gone: an upsert removes it.
	s.set("/tin/gia-lua.html", resource{status: 404})
	res, err = h.Apply(t.Context(), []byte(`{"url": "`+page+`"}`))
	if err != nil || res.Action != "deleted" {
		t.Fatalf("upsert of a page now 404: %+v, %v", res, err)
	}
	if n := docCount(t, w.idx); n != 0 {
		t.Errorf("%d articles after the page went", n)
	}

	// A failing site and a page without an article are errors.
	s.set("/down.html", resource{status: 503})
	if _, err := h.Apply(t.Context(), []byte(`{"url": "`+s.url("/down.html")+`"}`)); !errors.Is(err, ErrFetch) {
		t.Errorf("upsert of a failing page: %v; want ErrFetch", err)
	}
	s.set("/empty.html", resource{body: "<html><body></body></html>"})
	if _, err := h.Apply(t.Context(), []byte(`{"url": "`+s.url("/empty.html")+`"}`)); !errors.Is(err, ErrNotArticle) {
		t.Errorf("upsert of an empty page: %v; want ErrNotArticle", err)
	}
	// Delete does not fetch.
	if _, err := h.Apply(t.Context(), []byte(`{"url": "`+s.url("/down.html")+`", "action": "delete"}`)); err != nil {
		t.Errorf("generic delete: %v", err)
	}
}

func TestParseHookRefuses(t *testing.T) {
	tests := []struct{ name, body, field string }{
		{"empty", ``, "body"},
		{"null", `null`, "body"},
		{"array", `[]`, "body"},
		{"string", `"https://baonamdinh.vn/a.html"`, "body"},
		{"not JSON", `{url: x}`, "body"},
		{"invalid UTF-8", "{\"url\": \"https://baonamdinh.vn/\xff\"}", "body"},
		{"nothing known", `{"hello": 1}`, "url"},
		{"url missing", `{"action": "delete"}`, "url"},
		{"url a number", `{"url": 7}`, "url"},
		{"url relative", `{"url": "/thoi-su/a.html"}`, "url"},
		{"url with NUL", `{"url": "https://baonamdinh.vn/\u0000"}`, "url"},
		{"unknown action", `{"url": "https://baonamdinh.vn/a.html", "action": "publish"}`, "action"},
		{"post not an object", `{"post": []}`, "post"},
		{"current title a number", `{"post": {"current": {"id": "1", "url": "https://x.vn/a", "title": 5}}}`, "post.current.title"},
		{"published without url", `{"post": {"current": {"id": "1", "status": "published", "html": "<p>x</p>"}}}`, "post.current.url"},
		{"deleted without previous url", `{"post": {"current": {}, "previous": {"id": "1"}}}`, "post.previous.url"},
		{"bad date", `{"post": {"current": {"id": "1", "url": "https://x.vn/a", "title": "Tin", "plaintext": "x", "published_at": "hôm qua"}}}`, "post.current"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hook, err := ParseHook([]byte(tt.body))
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("ParseHook(%q) = %+v, %v; want a FieldError on %q", tt.body, hook, err, tt.field)
			}
		})
	}
}

func FuzzParseHook(f *testing.F) {
	f.Add([]byte(`{"url": "https://baonamdinh.vn/a.html", "action": "delete"}`))
	f.Add([]byte(`{"post": {"current": {"id": "1", "url": "https://x.vn/a", "title": "Tin", "html": "<p>Xin chào</p>", "status": "published"}, "previous": {}}}`))
	f.Add([]byte(`{"page": {"current": {}, "previous": {"url": "https://x.vn/a"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		hook, err := ParseHook(body)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Errorf("ParseHook(%q) error %v is not a FieldError naming a field", body, err)
			}
			return
		}
		if len(hook.URLs) == 0 {
			t.Errorf("ParseHook(%q) = %+v: no address", body, hook)
		}
		if a := hook.Article; a != nil && (a.ID == "" || strings.ContainsAny(a.ID, "/\x00") || strings.Contains(a.ID, "..")) {
			t.Errorf("ParseHook(%q): unsafe id %q", body, a.ID)
		}
	})
}

func TestFeedAndWebhookMakeOneArticle(t *testing.T) {
	s := newSite(t)
	page := s.url("/cau-tan-phong/")
	s.set("/cau-tan-phong/", resource{body: articlePage(page, "Thông xe cầu Tân Phong", "Cầu nối hai huyện.", "Cầu dài 800 mét.")})
	s.set("/rss", resource{body: rss([2]string{page + "?utm_medium=rss", ""})})
	p, w := newPoller(t, fastFetcher(), PollOptions{Feeds: []string{s.url("/rss")}})
	if err := p.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	h := NewHooks(w, fastFetcher())
	if _, err := h.Apply(t.Context(), ghostPayload(t, ghostPostJSON(page, "Thông xe cầu Tân Phong sớm", "published"), nil)); err != nil {
		t.Fatal(err)
	}
	if n := docCount(t, w.idx); n != 1 {
		t.Errorf("the article from a feed and a webhook is %d articles", n)
	}
	if a, _ := stored(t, w.idx, idOf(t, page)); a.Title != "Thông xe cầu Tân Phong sớm" {
		t.Errorf("title %q; want the webhook's, which came last", a.Title)
	}
}
