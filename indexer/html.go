package indexer

import (
	"bytes"
	"cmp"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// readHTML reads one saved article page. Its id is the page's canonical URL
// or, without one, the file's base name.
func readHTML(name string, r io.Reader, v Visitor) error {
	a, bad, err := readPageArticle(r)
	if err != nil {
		return &RecordError{File: name, Err: err}
	}
	if bad != nil {
		v.bad(&RecordError{File: name, Err: bad})
		return nil
	}
	if a.ID == "" {
		a.ID = baseID(name)
	}
	return v.yield(name, 0, a)
}

// ReadPage reads one article page fetched from pageURL, the address it
// was finally served from. The article's URL is the page's canonical link,
// else its og:url, else pageURL; its ID is left for the caller to set, and
// it is not yet through Prepare.
func ReadPage(r io.Reader, pageURL string) (schema.Article, error) {
	a, bad, err := readPageArticle(r)
	if err == nil {
		err = bad
	}
	if err != nil {
		return schema.Article{}, err
	}
	a.ID = ""
	if a.URL == "" {
		a.URL = pageURL
		a.Source = cmp.Or(a.Source, hostOf(pageURL))
	}
	return a, nil
}

// readPageArticle reads an article page and the article in it. err says
// the page could not be read or parsed; bad that its bytes are no text
// of a page (invalid UTF-8, an undeclared encoding).
func readPageArticle(r io.Reader) (a schema.Article, bad, err error) {
	data, bad, err := readAll(r)
	if err != nil || bad != nil {
		return a, bad, err
	}
	if data, bad = decodeHTML(data); bad != nil {
		return a, bad, nil
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return a, nil, err
	}
	return parsePage(doc), nil, nil
}

// decodeHTML returns the page as UTF-8. A page in another encoding must
// declare it (<meta charset="windows-1258">); one that is not UTF-8 and
// says nothing is refused rather than guessed at.
func decodeHTML(data []byte) ([]byte, error) {
	if utf8.Valid(data) {
		// Also when it claims another charset: valid UTF-8 with
		// Vietnamese letters is almost never meant as windows-1252.
		return data, nil
	}
	head := bytes.ToLower(data[:min(len(data), 1024)])
	if e, name, _ := charset.DetermineEncoding(data, ""); name != "utf-8" && bytes.Contains(head, []byte("charset")) {
		if out, err := e.NewDecoder().Bytes(data); err == nil && utf8.Valid(out) {
			return out, nil
		}
	}
	return nil, ErrInvalidUTF8
}

// page is what parsePage gathers from a document's head and links.
type page struct {
	meta      map[string]string // first content of each meta name, property or itemprop, lower-cased
	tags      []string          // article:tag metas
	canonical string
	title     string // the <title>
}

// parsePage extracts an article from a parsed page. Metadata comes from
// Open Graph and article metas first, then from the visible page.
func parsePage(doc *html.Node) schema.Article {
	p := page{meta: map[string]string{}}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Meta:
			key := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
			content := strings.TrimSpace(attr(n, "content"))
			if key == "" || content == "" {
				continue
			}
			if key == "article:tag" {
				p.tags = append(p.tags, content)
			} else if _, seen := p.meta[key]; !seen {
				p.meta[key] = content
			}
		case atom.Link:
			if hasToken(attr(n, "rel"), "canonical") && p.canonical == "" {
				p.canonical = strings.TrimSpace(attr(n, "href"))
			}
		case atom.Title:
			if p.title == "" && n.Namespace == "" {
				p.title = textOf(n)
			}
		}
	}

	var a schema.Article
	a.URL = firstNonEmpty(absURL(p.canonical), absURL(p.meta["og:url"]))
	a.ID = a.URL
	site := firstNonEmpty(p.meta["og:site_name"], p.meta["application-name"])
	a.Section = p.meta["article:section"]
	a.Tags = p.tags

	out := markOutside(doc)
	body := findBody(doc, out)
	a.Title = firstNonEmpty(p.meta["og:title"], headline(doc, body), p.title)
	a.Title = cutSiteSuffix(a.Title, site)
	a.Published = pageDate(doc, p.meta, out)
	a.Author = pageAuthor(doc, p.meta, out)

	if n := findLead(doc, body, out); n != nil {
		a.Lead = textOf(n)
	} else {
		a.Lead = firstNonEmpty(p.meta["description"], p.meta["og:description"])
	}

	var paras []string
	if body != nil {
		paras = paragraphs(body)
	}
	// A description meta is often the first paragraph, cut short with an
	// ellipsis: the paragraph is then the lead, in full.
	if len(paras) > 0 && a.Lead != "" {
		short := strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(a.Lead, "…"), "..."), " .")
		if paras[0] == a.Lead || (utf8.RuneCountInString(short) >= 20 && strings.HasPrefix(paras[0], short)) {
			a.Lead, paras = paras[0], paras[1:]
		}
	}
	paras, masthead := cutFooter(paras)
	if n := len(paras); n >= 2 {
		if author, ok := byline(paras[n-1]); ok {
			if a.Author == "" {
				a.Author = author
			}
			if analyzers.Fold(author) == analyzers.Fold(a.Author) {
				paras = paras[:n-1]
			}
		}
	}
	a.Body = strings.Join(paras, "\n")
	a.Source = firstNonEmpty(site, hostOf(a.URL), masthead)
	return a
}

// absURL returns s if it is an absolute http(s) URL, else "": a relative
// canonical link does not identify an article across sites.
func absURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// cutSiteSuffix removes the site's name from the end of a page title:
// "Thứ trưởng làm việc tại tỉnh ta - Báo Nam Định" loses " - Báo Nam
// Định". The suffix must be the site's declared name, a masthead or a
// domain, so that "Hà Nội - Hải Phòng" stays whole.
func cutSiteSuffix(title, site string) string {
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: "} {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		suffix := strings.TrimSpace(title[i+len(sep):])
		folded := analyzers.Fold(suffix)
		if (site != "" && folded == analyzers.Fold(site)) || isMasthead(suffix, folded) || domainRe.MatchString(folded) {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}

// headline is the page's <h1>, the one inside the article body if there
// is one there, since sites also put their logo in an <h1>.
func headline(doc, body *html.Node) string {
	for _, root := range []*html.Node{body, doc} {
		if root == nil {
			continue
		}
		for n := range root.Descendants() {
			if n.DataAtom == atom.H1 && n.Type == html.ElementNode {
				if t := textOf(n); t != "" {
					return t
				}
			}
		}
	}
	return ""
}

// dateMetas are the metas that carry a publication date, most reliable
// first.
var dateMetas = []string{
	"article:published_time", "og:published_time", "datepublished",
	"pubdate", "publishdate", "dc.date.issued", "dc.date", "date",
}

// pageDate returns the first publication date that parses: a meta, a
// <time datetime>, then a visible date in a <time> or in an element whose
// class says date. Dates on pages are best effort: a page whose date cannot
// be read is still indexed, undated.
func pageDate(doc *html.Node, meta map[string]string, out outsideSet) time.Time {
	for _, key := range dateMetas {
		if t, err := schema.ParseDate(meta[key]); err == nil {
			return t
		}
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || out[n] {
			continue
		}
		if n.DataAtom == atom.Time || strings.EqualFold(attr(n, "itemprop"), "datePublished") {
			if t, err := schema.ParseDate(firstNonEmpty(attr(n, "datetime"), attr(n, "content"))); err == nil {
				return t
			}
		}
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || out[n] {
			continue
		}
		if n.DataAtom == atom.Time || hasClassPiece(n, "date", "time", "datetime", "publish", "published", "pubdate") {
			if t, ok := dateLine(textOf(n)); ok {
				return t
			}
		}
	}
	return time.Time{}
}

// pageAuthor returns the author a meta, a rel="author" link or a byline
// element names. Author metas that hold a profile URL are passed over.
func pageAuthor(doc *html.Node, meta map[string]string, out outsideSet) string {
	for _, key := range []string{"author", "article:author", "dc.creator"} {
		if s := meta[key]; s != "" && absURL(s) == "" {
			return s
		}
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || out[n] {
			continue
		}
		if hasToken(attr(n, "rel"), "author") || strings.EqualFold(attr(n, "itemprop"), "author") ||
			hasClassPiece(n, "author", "byline") {
			s := textOf(n)
			if label, rest, ok := strings.Cut(s, ":"); ok && len(label) < 30 {
				s = strings.TrimSpace(rest) // "Tác giả: …", "Bài và ảnh: …"
			}
			if s != "" && len(s) <= bylineMaxBytes {
				return s
			}
		}
	}
	return ""
}

// findLead returns the element holding the sapo, printed in bold above the
// body by Vietnamese news sites: a class such as "sapo" or "lead".
func findLead(doc, body *html.Node, out outsideSet) *html.Node {
	for _, root := range []*html.Node{body, doc} {
		if root == nil {
			continue
		}
		for n := range root.Descendants() {
			if n.Type == html.ElementNode && hasClassPiece(n, "sapo", "lead", "summary", "chapeau") &&
				!out[n] && textOf(n) != "" {
				return n
			}
		}
	}
	return nil
}

// findBody returns the element holding the article's text: the <article>
// with the most paragraph text, else the element whose own <p> children
// hold the most text, else <body>. Ties go to the first in the page.
func findBody(doc *html.Node, out outsideSet) *html.Node {
	var best, bodyEl *html.Node
	bestLen := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Body:
			bodyEl = n
		case atom.Article:
			if out[n] {
				continue
			}
			if l := paragraphText(n, out); l > bestLen {
				best, bestLen = n, l
			}
		}
	}
	if best != nil {
		return best
	}
	var parents []*html.Node // in page order, for ties
	scores := map[*html.Node]int{}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.P && n.Parent != nil && !out[n] {
			if _, seen := scores[n.Parent]; !seen {
				parents = append(parents, n.Parent)
			}
			scores[n.Parent] += len(textOf(n))
		}
	}
	for _, n := range parents {
		if scores[n] > bestLen {
			best, bestLen = n, scores[n]
		}
	}
	if best != nil {
		return best
	}
	return bodyEl
}

// paragraphText counts the text of the <p> elements under n outside the
// page parts around the article.
func paragraphText(n *html.Node, out outsideSet) int {
	total := 0
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && c.DataAtom == atom.P && !out[c] {
			total += len(textOf(c))
		}
	}
	return total
}

// outsideTags never hold the article or its metadata.
var outsideTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Script: true,
	atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Form: true,
	atom.Button: true, atom.Select: true, atom.Textarea: true, atom.Iframe: true,
	atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Canvas: true,
	atom.Menu: true, atom.Dialog: true,
}

// outsideClasses are class and id pieces ("box-related" has "related") of
// the page parts around an article: comments, sharing, related links, ads.
var outsideClasses = []string{
	"comment", "comments", "binhluan", "share", "social", "related",
	"relate", "lienquan", "breadcrumb", "breadcrumbs", "ads", "advert",
	"advertisement", "banner", "sidebar", "widget", "toolbar", "print",
	"menu", "nav", "footer",
}

// Parts of an article that are not its body text: the headline and the
// header, photos and their captions, and the metadata read separately.
var (
	nonTextTags = map[atom.Atom]bool{
		atom.Header: true, atom.H1: true, atom.Time: true, atom.Figure: true,
		atom.Figcaption: true, atom.Picture: true, atom.Video: true, atom.Audio: true,
	}
	nonTextClasses = []string{
		"header", "caption", "image", "photo", "author", "byline", "date",
		"time", "meta", "tags", "tag", "sapo", "lead", "summary", "chapeau",
	}
)

// isOutside reports whether n is a page part around the article.
func isOutside(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	ident := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
	return outsideTags[n.DataAtom] || hasClassPiece(n, outsideClasses...) ||
		strings.Contains(ident, "comment") || strings.Contains(ident, "binh-luan")
}

// outsideSet holds the nodes of a page that are, or are inside, page parts
// around the article.
type outsideSet map[*html.Node]bool

// markOutside finds the nodes outside the article in one pass: asking each
// node's ancestors would take quadratic time on deeply nested pages.
func markOutside(doc *html.Node) outsideSet {
	out := outsideSet{}
	for n := range doc.Descendants() {
		if out[n.Parent] || isOutside(n) {
			out[n] = true
		}
	}
	return out
}

// isNoise reports whether n holds no body text.
func isNoise(n *html.Node) bool {
	return isOutside(n) || (n.Type == html.ElementNode && (nonTextTags[n.DataAtom] ||
		hasClassPiece(n, nonTextClasses...) || strings.Contains(strings.ToLower(attr(n, "class")), "caption")))
}

// blockTags start a new paragraph.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true,
	atom.Ol: true, atom.Blockquote: true, atom.Section: true, atom.Article: true,
	atom.Main: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Pre: true, atom.Hr: true,
	atom.Address: true, atom.Center: true,
}

// paragraphs returns the text of root as paragraphs, one per block,
// leaving out noise.
func paragraphs(root *html.Node) []string {
	var paras []string
	var cur strings.Builder
	flush := func() {
		if s := collapseSpace(cur.String()); s != "" {
			paras = append(paras, s)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			cur.WriteString(n.Data)
			return
		case n.Type != html.ElementNode && n.Type != html.DocumentNode:
			return
		case n != root && isNoise(n):
			return
		}
		block := blockTags[n.DataAtom]
		if block {
			flush()
		}
		for c := range n.ChildNodes() {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(root)
	flush()
	return paras
}

// textOf returns the text under n with white space collapsed, leaving out
// scripts and styles.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
		case html.ElementNode, html.DocumentNode:
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Template {
				return
			}
			for c := range n.ChildNodes() {
				walk(c)
			}
		}
	}
	walk(n)
	return collapseSpace(b.String())
}

// collapseSpace trims s and turns each run of white space (non-breaking
// spaces included) into one space, as a browser shows it.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// hasToken reports whether the space-separated list s holds tok.
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// hasClassPiece reports whether n's class or id, split at spaces, hyphens
// and underscores, has one of pieces: "article-sapo" has "sapo".
func hasClassPiece(n *html.Node, pieces ...string) bool {
	for _, key := range []string{"class", "id"} {
		for _, f := range strings.FieldsFunc(strings.ToLower(attr(n, key)), func(r rune) bool {
			return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
		}) {
			for _, p := range pieces {
				if f == p {
					return true
				}
			}
		}
	}
	return false
}
