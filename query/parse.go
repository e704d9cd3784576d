package query

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// Node is one node of a parsed query. Its String form is the query as the
// engine read it, in a syntax that parses back to the same tree.
type Node interface {
	String() string
}

// Term is one word as typed, looked for in the article texts, or in one
// field when Field is set ("title", "section", "author", "place"). A word may hold
// several terms once analysed ("TP.HCM", "9001:2000"); all must match.
type Term struct {
	Field, Text string
}

// Phrase is quoted text whose words must stand side by side. Typed with
// diacritics it must match as written, up to the placement of tone marks;
// typed without, it matches folded.
type Phrase struct {
	Field, Text string
}

// Not excludes the articles its node matches.
type Not struct{ Node Node }

// All requires every one of its nodes.
type All struct{ Nodes []Node }

// Any requires any one of its nodes.
type Any struct{ Nodes []Node }

func fieldPrefix(field string) string {
	if field == "" {
		return ""
	}
	return field + ":"
}

func (t Term) String() string   { return fieldPrefix(t.Field) + t.Text }
func (p Phrase) String() string { return fieldPrefix(p.Field) + `"` + p.Text + `"` }
func (n Not) String() string    { return "-" + n.Node.String() }
func (a All) String() string    { return "(" + joinNodes(a.Nodes, " ") + ")" }
func (o Any) String() string    { return "(" + joinNodes(o.Nodes, " OR ") + ")" }

func joinNodes(nodes []Node, sep string) string {
	parts := make([]string, len(nodes))
	for i, n := range nodes {
		parts[i] = n.String()
	}
	return strings.Join(parts, sep)
}

// Query is a parsed query: the tree of what to match, and the dates it
// restricts publication to.
type Query struct {
	// Root is what to match; nil when the query holds only filters or
	// nothing searchable at all.
	Root     Node
	From, To time.Time // zero means open
}

// String is the query as the engine read it: the tree with its outer
// parentheses dropped, then the date filters.
func (q Query) String() string {
	var parts []string
	switch r := q.Root.(type) {
	case nil:
	case All:
		parts = append(parts, joinNodes(r.Nodes, " "))
	default:
		parts = append(parts, r.String())
	}
	if !q.From.IsZero() {
		parts = append(parts, "from:"+q.From.Format(time.DateOnly))
	}
	if !q.To.IsZero() {
		parts = append(parts, "to:"+q.To.Format(time.DateOnly))
	}
	return strings.Join(parts, " ")
}

// Field prefixes a query may use. Every other "word:" is an ordinary word,
// so that "9001:2000" and "07:05" stay searchable.
var (
	textFields = map[string]string{
		"title": schema.Title.Exact, "tieude": schema.Title.Exact,
		"section": schema.Section, "chuyenmuc": schema.Section,
		"author": schema.Author, "tacgia": schema.Author,
		"place": schema.PlaceFacet, "diadanh": schema.PlaceFacet,
	}
	dateFields = map[string]string{"from": "from", "tu": "from", "to": "to", "den": "to", "year": "year", "nam": "year"}
)

// Parse reads a query as a reader types it. It never fails: a stray
// operator or bracket is dropped, an unclosed quote or bracket ends with
// the query, and a word that is not an operator is searched as a word.
//
// The syntax: words (all required); "quoted phrases"; -word, -"phrase" and
// -(group) to exclude; OR between alternatives (in capitals; lower-case
// "or" is a word); parentheses; title:, section: and author: before a
// word or a phrase (also in Vietnamese, tieude:, chuyenmuc:, tacgia:);
// place: before a province or city (diadanh:, place:"Nam Định",
// place:hcm); year:2012, from:2012-05-01, to:25/05/2012 and
// from:"ngày 25 tháng 5 năm 2012" to filter by date, in the forms
// schema.ParseDateSpan reads.
func Parse(text string) Query {
	p := parser{lex: lexer{src: text}}
	p.next()
	var q Query
	nodes := p.sequence(&q, false)
	q.Root = andOf(nodes)
	return q
}

// andOf returns the node requiring all of nodes: nil for none, the node
// itself for one.
func andOf(nodes []Node) Node {
	switch len(nodes) {
	case 0:
		return nil
	case 1:
		return nodes[0]
	}
	return All{Nodes: nodes}
}

type tokenKind int

const (
	tokEnd tokenKind = iota
	tokWord
	tokPhrase
	tokOpen
	tokClose
	tokOr
	tokNot
)

type token struct {
	kind        tokenKind
	field, text string
}

type lexer struct {
	src string
	at  int
}

// quotes that open or close a phrase: typed, or curly from a word
// processor or a phone keyboard.
func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '„' }

func isWordBreak(r rune) bool {
	return unicode.IsSpace(r) || isQuote(r) || r == '(' || r == ')'
}

func (l *lexer) peekRune() (rune, int) {
	if l.at >= len(l.src) {
		return -1, 0
	}
	return utf8.DecodeRuneInString(l.src[l.at:])
}

func (l *lexer) next() token {
	for {
		r, w := l.peekRune()
		switch {
		case r < 0:
			return token{kind: tokEnd}
		case unicode.IsSpace(r):
			l.at += w
			continue
		case r == '(':
			l.at += w
			return token{kind: tokOpen}
		case r == ')':
			l.at += w
			return token{kind: tokClose}
		case isQuote(r):
			l.at += w
			return token{kind: tokPhrase, text: l.phrase()}
		case r == '-':
			l.at += w
			if next, _ := l.peekRune(); next < 0 || unicode.IsSpace(next) {
				continue // a dash between words is not an operator
			}
			return token{kind: tokNot}
		}
		start := l.at
		for r, w := l.peekRune(); r >= 0 && !isWordBreak(r); r, w = l.peekRune() {
			l.at += w
		}
		word := l.src[start:l.at]
		if word == "OR" || word == "|" || word == "||" {
			return token{kind: tokOr}
		}
		if name, value, ok := strings.Cut(word, ":"); ok {
			field, isField := textFields[analyzers.Fold(name)]
			if !isField {
				field, isField = dateFields[analyzers.Fold(name)]
			}
			if isField {
				if value == "" {
					if r, w := l.peekRune(); isQuote(r) {
						l.at += w
						return token{kind: tokPhrase, field: field, text: l.phrase()}
					}
				}
				return token{kind: tokWord, field: field, text: value}
			}
		}
		return token{kind: tokWord, text: word}
	}
}

// phrase reads up to the closing quote, or to the end of an unclosed one.
func (l *lexer) phrase() string {
	start := l.at
	for r, w := l.peekRune(); r >= 0; r, w = l.peekRune() {
		l.at += w
		if isQuote(r) {
			return l.src[start : l.at-w]
		}
	}
	return l.src[start:]
}

type parser struct {
	lex lexer
	tok token
}

func (p *parser) next() { p.tok = p.lex.next() }

// sequence reads nodes up to the end, or up to a closing bracket when
// nested, and consumes that bracket.
func (p *parser) sequence(q *Query, nested bool) []Node {
	var nodes []Node
	for {
		switch p.tok.kind {
		case tokEnd:
			return nodes
		case tokClose:
			p.next()
			if nested {
				return nodes
			}
			continue // a stray closing bracket
		case tokOr:
			p.next() // OR with nothing before it
			continue
		}
		n := p.alternatives(q)
		if n != nil {
			nodes = append(nodes, n)
		}
	}
}

// alternatives reads operands joined by OR.
func (p *parser) alternatives(q *Query) Node {
	var alts []Node
	for {
		if n := p.unary(q); n != nil {
			alts = append(alts, n)
		}
		if p.tok.kind != tokOr {
			break
		}
		for p.tok.kind == tokOr {
			p.next() // OR OR is one OR
		}
		if k := p.tok.kind; k == tokEnd || k == tokClose {
			break // OR with nothing after it
		}
	}
	switch len(alts) {
	case 0:
		return nil
	case 1:
		return alts[0]
	}
	return Any{Nodes: alts}
}

// unary reads one operand, excluded when a dash stands before it. It
// returns nil for an operand that holds nothing to match, such as a date
// filter, which it records in q instead.
func (p *parser) unary(q *Query) Node {
	switch p.tok.kind {
	case tokNot:
		p.next()
		if k := p.tok.kind; k == tokEnd || k == tokClose || k == tokOr {
			return nil
		}
		if n := p.unary(q); n != nil {
			if not, ok := n.(Not); ok {
				return not.Node // two dashes cancel out
			}
			return Not{Node: n}
		}
		return nil
	case tokOpen:
		p.next()
		return andOf(p.sequence(q, true))
	case tokPhrase:
		t := p.tok
		p.next()
		if isDateField(t.field) {
			q.addDate(t.field, t.text) // from:"ngày 25 tháng 5 năm 2012"
			return nil
		}
		if strings.TrimSpace(t.text) == "" {
			return nil
		}
		return Phrase{Field: t.field, Text: strings.TrimSpace(t.text)}
	case tokWord:
		t := p.tok
		p.next()
		if isDateField(t.field) {
			if !q.addDate(t.field, t.text) {
				return Term{Text: t.field + ":" + t.text} // not a date: a word
			}
			return nil
		}
		if t.text == "" {
			return nil
		}
		return Term{Field: t.field, Text: t.text}
	}
	return nil
}

func isDateField(field string) bool { return field == "from" || field == "to" || field == "year" }

// addDate records a from:, to: or year: filter, narrowing any given
// before; it reports false for a value that is not a date. Values are read
// by schema.ParseDateSpan, as the API's from and to are: year:2012 is the
// whole year, to:5/2012 the end of May.
func (q *Query) addDate(field, value string) bool {
	span, err := schema.ParseDateSpan(value)
	if err != nil || span.Start.IsZero() {
		return false
	}
	day, end := span.Start, span.End
	if field == "to" {
		day = time.Time{}
	} else if field == "from" {
		end = time.Time{}
	}
	if !day.IsZero() && day.After(q.From) {
		q.From = day
	}
	if !end.IsZero() && (q.To.IsZero() || end.Before(q.To)) {
		q.To = end
	}
	return true
}
