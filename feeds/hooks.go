package feeds

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// FieldError reports a webhook payload with a missing or wrong field.
type FieldError struct {
	Field  string // as "post.current.url"; "body" for the payload as a whole
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Hook is what a webhook asks for: an article written, or removed.
type Hook struct {
	Delete bool
	// URLs are the article's addresses: for a write, the page to fetch
	// when Article is nil; for a removal, every address it may be
	// indexed under.
	URLs []string
	// Article is the article itself, when the payload carries its text.
	Article *schema.Article
}

// hookBody holds either form of webhook payload.
type hookBody struct {
	// Ghost sends {"post": {"current": …, "previous": …}}, or "page".
	Post *ghostEvent `json:"post"`
	Page *ghostEvent `json:"page"`
	// The generic form.
	URL    *string `json:"url"`
	Action *string `json:"action"`
}

type ghostEvent struct {
	Current  *ghostPost `json:"current"`
	Previous *ghostPost `json:"previous"`
}

// ghostPost is the part of a Ghost post (Admin API format) vnsearch reads.
type ghostPost struct {
	ID            string      `json:"id"`
	Title         string      `json:"title"`
	HTML          string      `json:"html"`
	Plaintext     string      `json:"plaintext"`
	CustomExcerpt string      `json:"custom_excerpt"`
	URL           string      `json:"url"`
	CanonicalURL  string      `json:"canonical_url"`
	Status        string      `json:"status"`
	PublishedAt   string      `json:"published_at"`
	PrimaryTag    *ghostName  `json:"primary_tag"`
	PrimaryAuthor *ghostName  `json:"primary_author"`
	Tags          []ghostName `json:"tags"`
}

type ghostName struct {
	Name string `json:"name"`
}

// Actions of the generic webhook.
const (
	ActionUpsert = "upsert"
	ActionDelete = "delete"
)

// ParseHook reads a webhook payload: Ghost's post (or page) events, or the
// generic {"url": "…", "action": "upsert|delete"}. Ghost sends the same
// shape for every event, so the event is told from the post: an empty
// current post is post.deleted, a current status other than "published"
// is post.unpublished, anything else a publication or an edit. A payload
// that cannot be read gives a *FieldError naming the field.
func ParseHook(body []byte) (Hook, error) {
	if !utf8.Valid(body) {
		return Hook{}, &FieldError{Field: "body", Reason: "not valid UTF-8"}
	}
	body = bytes.TrimSpace(body)
	if !bytes.HasPrefix(body, []byte("{")) {
		return Hook{}, &FieldError{Field: "body", Reason: "want a JSON object"}
	}
	var hb hookBody
	if err := json.Unmarshal(body, &hb); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return Hook{}, &FieldError{Field: te.Field, Reason: "want a JSON " + jsonKind(te.Type.Kind().String())}
		}
		return Hook{}, &FieldError{Field: "body", Reason: "invalid JSON: " + err.Error()}
	}
	switch {
	case hb.Post != nil:
		return ghostHook("post", hb.Post)
	case hb.Page != nil:
		return ghostHook("page", hb.Page)
	case hb.URL != nil || hb.Action != nil:
		return genericHook(hb)
	}
	return Hook{}, &FieldError{Field: "url", Reason: `is required (or a Ghost "post")`}
}

// jsonKind names a Go kind as JSON does.
func jsonKind(kind string) string {
	switch kind {
	case "struct", "map", "ptr":
		return "object"
	case "slice":
		return "array"
	case "int", "int64", "float64":
		return "number"
	case "bool":
		return "boolean"
	}
	return kind
}

func genericHook(hb hookBody) (Hook, error) {
	if hb.URL == nil || *hb.URL == "" {
		return Hook{}, &FieldError{Field: "url", Reason: "is required"}
	}
	if _, err := Canonical(*hb.URL); err != nil {
		return Hook{}, &FieldError{Field: "url", Reason: "want an absolute http(s) URL"}
	}
	action := ActionUpsert
	if hb.Action != nil {
		action = *hb.Action
	}
	switch action {
	case ActionUpsert:
		return Hook{URLs: []string{*hb.URL}}, nil
	case ActionDelete:
		return Hook{Delete: true, URLs: []string{*hb.URL}}, nil
	}
	return Hook{}, &FieldError{Field: "action", Reason: fmt.Sprintf("want %q or %q", ActionUpsert, ActionDelete)}
}

func ghostHook(kind string, ev *ghostEvent) (Hook, error) {
	cur, prev := ev.Current, ev.Previous
	if cur == nil || (cur.ID == "" && cur.URL == "") {
		// post.deleted: the post is in previous.
		urls := prev.urls()
		if len(urls) == 0 {
			return Hook{}, &FieldError{Field: kind + ".previous.url", Reason: "is required to remove a deleted " + kind}
		}
		return Hook{Delete: true, URLs: urls}, nil
	}
	if cur.Status != "" && cur.Status != "published" {
		// post.unpublished: the public address is in previous; current
		// has the draft's preview address.
		urls := append(prev.urls(), cur.urls()...)
		if len(urls) == 0 {
			return Hook{}, &FieldError{Field: kind + ".current.url", Reason: "is required"}
		}
		return Hook{Delete: true, URLs: urls}, nil
	}
	addr := cur.address()
	if addr == "" {
		return Hook{}, &FieldError{Field: kind + ".current.url", Reason: "is required"}
	}
	canonical, err := Canonical(addr)
	if err != nil {
		return Hook{}, &FieldError{Field: kind + ".current.url", Reason: "want an absolute http(s) URL"}
	}
	if cur.HTML == "" && cur.Plaintext == "" {
		return Hook{URLs: []string{addr}}, nil // the payload has no text: fetch the page
	}
	a, err := cur.article(canonical)
	if err != nil {
		return Hook{}, &FieldError{Field: kind + ".current", Reason: err.Error()}
	}
	return Hook{URLs: []string{addr}, Article: &a}, nil
}

// address is the post's canonical address: its canonical_url when set,
// for a post first published elsewhere, else its url.
func (p *ghostPost) address() string {
	return strings.TrimSpace(cmp.Or(p.CanonicalURL, p.URL))
}

// urls lists the addresses of p that are URLs; p may be nil.
func (p *ghostPost) urls() []string {
	if p == nil {
		return nil
	}
	var urls []string
	for _, u := range []string{p.URL, p.CanonicalURL} {
		if _, err := Canonical(u); err == nil {
			urls = append(urls, u)
		}
	}
	return urls
}

// article builds the article from the post's own fields.
func (p *ghostPost) article(canonical string) (schema.Article, error) {
	a := schema.Article{
		ID:    ArticleID(canonical),
		URL:   canonical,
		Title: p.Title,
		Lead:  p.CustomExcerpt,
		Body:  p.Plaintext,
	}
	if u, err := url.Parse(canonical); err == nil {
		a.Source = strings.TrimPrefix(u.Hostname(), "www.")
	}
	if a.Body == "" {
		// The HTML reader makes paragraphs of the post's HTML as of any
		// page's article.
		page, err := indexer.ReadPage(strings.NewReader("<!doctype html><html><body><article>"+p.HTML+"</article></body></html>"), canonical)
		if err != nil {
			return a, fmt.Errorf("html: %w", err)
		}
		a.Body = page.Body
		a.Lead = cmp.Or(a.Lead, page.Lead)
	}
	if p.PrimaryTag != nil {
		a.Section = p.PrimaryTag.Name
	}
	if p.PrimaryAuthor != nil {
		a.Author = p.PrimaryAuthor.Name
	}
	for _, t := range p.Tags {
		a.Tags = append(a.Tags, t.Name)
	}
	if p.PublishedAt != "" {
		t, err := schema.ParseDate(p.PublishedAt)
		if err != nil {
			return a, fmt.Errorf("published_at: %w", err)
		}
		a.Published = t
	}
	return indexer.Prepare(a)
}

// HookResult is what a webhook did.
type HookResult struct {
	Action string   `json:"action"` // "indexed" or "deleted"
	IDs    []string `json:"ids"`    // the articles written or removed
	URL    string   `json:"url"`    // the article's canonical address
}

// Hooks applies CMS webhooks, writing to a Writer what it reads from the
// payload or fetches. It is safe for concurrent use.
type Hooks struct {
	w Writer
	f *Fetcher
}

// NewHooks returns Hooks writing to w and fetching pages with f.
func NewHooks(w Writer, f *Fetcher) *Hooks { return &Hooks{w: w, f: f} }

// Apply reads a webhook payload (see ParseHook) and does what it asks. A
// page to fetch that answers 404 or 410 removes its article. Errors: a
// *FieldError for a bad payload, ErrFetch when the page cannot be got,
// ErrNotArticle when it holds no article, else the Writer's.
func (h *Hooks) Apply(ctx context.Context, body []byte) (HookResult, error) {
	hook, err := ParseHook(body)
	if err != nil {
		return HookResult{}, err
	}
	if hook.Delete {
		return h.remove(ctx, hook.URLs)
	}
	a := hook.Article
	if a == nil {
		// The site asked for the fetch itself: its robots.txt, meant for
		// crawlers, is not consulted.
		addr, err := Canonical(hook.URLs[0])
		if err != nil {
			return HookResult{}, err
		}
		got, err := fetchArticle(ctx, h.f, Request{URL: addr})
		if errors.Is(err, ErrGone) {
			return h.remove(ctx, hook.URLs)
		}
		if err != nil {
			return HookResult{}, err
		}
		a = &got.article
	}
	if err := h.w.Put(ctx, *a); err != nil {
		return HookResult{}, err
	}
	return HookResult{Action: "indexed", IDs: []string{a.ID}, URL: a.URL}, nil
}

func (h *Hooks) remove(ctx context.Context, urls []string) (HookResult, error) {
	res := HookResult{Action: "deleted"}
	for _, u := range urls {
		c, err := Canonical(u)
		if err != nil {
			continue
		}
		res.URL = cmp.Or(res.URL, c)
		if id := ArticleID(c); !slices.Contains(res.IDs, id) {
			res.IDs = append(res.IDs, id)
		}
	}
	if err := h.w.Delete(ctx, res.IDs...); err != nil {
		return HookResult{}, err
	}
	return res, nil
}
