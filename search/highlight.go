package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/analyzers"
)

// highlightTerms marks the words of a text that a query matched. It
// analyses the stored text again rather than reading term vectors back
// from the index: that costs microseconds for a page of hits, while asking
// bleve for locations costs time on every match of every term.
type highlightTerms struct {
	exact map[string]bool // terms matched with their diacritics
	// folded holds the terms matched after folding, each mapped to itself
	// so that a span takes its term from here rather than copying it.
	folded map[string]string
	// asTyped marks only words spelled as the query spelled them, when the
	// query was typed with diacritics: "Nam Định" marks Nam, not năm.
	asTyped bool
	// typed holds the folded words as the query typed them, not their
	// alternative spellings and abbreviations: a passage holding them all
	// holds the whole query.
	typed map[string]bool
	// initials holds the first byte of every folded term: a word of a
	// text whose folded first letter is not among them is skipped without
	// folding it all, as most words of a text are.
	initials *[256]bool
}

func newHighlightTerms(asTyped bool) highlightTerms {
	return highlightTerms{exact: map[string]bool{}, folded: map[string]string{}, typed: map[string]bool{},
		initials: new([256]bool), asTyped: asTyped}
}

// add marks t, by its diacritics when exact; typed says t is a word as
// the query typed it.
func (h highlightTerms) add(t queryTerm, exact, typed bool) {
	h.folded[t.folded] = t.folded
	if t.folded != "" {
		h.initials[t.folded[0]] = true
	}
	if exact {
		h.exact[t.exact] = true
	}
	if typed {
		h.typed[t.folded] = true
	}
}

// span is a matched word's byte range in a text and the folded term.
type span struct {
	start, end int
	term       string
}

// spans finds the matched words of text. A text that matched only after
// folding still gets its words marked, so every hit shows why it matched.
func (h highlightTerms) spans(text string) []span {
	var exact, folded []span
	h.scan(text, func(s span, asTyped bool) bool {
		folded = append(folded, s)
		if asTyped {
			exact = append(exact, s)
		}
		return true
	})
	if len(exact) > 0 {
		return exact
	}
	return folded
}

// scan calls found with each matched word of text in turn, saying
// whether it is spelt as the query spelt it when that matters, until
// found returns false.
//
// Most words of a text match nothing, so each is only tokenized and
// folded; the full normalisation, for the exact spelling, is run on the
// words that matched folded.
func (h highlightTerms) scan(text string, found func(s span, asTyped bool) bool) {
	var buf, exactBuf [64]byte
	for start, end := range (analyzers.Tokenizer{}).Spans(text) {
		word := text[start:end]
		if !h.mayMatch(word) {
			continue
		}
		term, ok := h.folded[string(analyzers.AppendFoldToken(buf[:0], word))]
		if !ok {
			continue
		}
		s := span{start: start, end: end, term: term}
		if !found(s, h.asTyped && h.exact[string(analyzers.AppendNormalizedToken(exactBuf[:0], word))]) {
			return
		}
	}
}

// mayMatch reports whether word's folded first letter begins a folded
// term. A word's first rune is a letter or digit, never a mark, so it
// folds to the first rune of the word's fold; a digit may be the padding
// of a number ("05" folds to "5"), so words starting with one are
// always folded.
func (h highlightTerms) mayMatch(word string) bool {
	if c := word[0]; c >= '0' && c <= '9' {
		return true
	}
	r, _ := utf8.DecodeRuneInString(word)
	var first [utf8.UTFMax]byte
	utf8.EncodeRune(first[:], analyzers.FoldRune(r))
	return h.initials[first[0]]
}

// mark returns text as HTML with every span wrapped in <mark>.
func mark(text string, spans []span) string {
	var b strings.Builder
	b.Grow(len(text) + len(spans)*len("<mark></mark>"))
	at := 0
	for _, s := range spans {
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:]))
	return b.String()
}

// Title returns the whole title as HTML with its matched words marked.
func (h highlightTerms) title(text string) string {
	return mark(text, h.spans(text))
}

// snippet returns as HTML the passage of about maxRunes characters of text
// that holds every word as the query typed it, the first such, or else the
// most different matched words and then the most matches. It is cut at word
// boundaries, with those words marked and "…" where text was cut.
//
// The text is read only to the end of the first passage holding every
// word: a hit's words usually come together in its lead.
func (h highlightTerms) snippet(text string, maxRunes int) string {
	maxBytes := maxRunes * 2 // Vietnamese letters take two or three bytes
	exact, folded := newPassage(maxBytes), newPassage(maxBytes)
	// chosen is the passage whose words are marked: as typed when any word
	// is, as the query was typed with diacritics.
	chosen := func() *passage {
		if len(exact.spans) > 0 {
			return exact
		}
		return folded
	}
	stopAt := -1 // the end of the passage found, once one holds every word
	h.scan(text, func(s span, asTyped bool) bool {
		if stopAt >= 0 && s.start >= stopAt {
			return false
		}
		folded.add(s)
		if asTyped {
			exact.add(s)
		}
		if p := chosen(); stopAt < 0 && (p == exact || !h.asTyped) && p.holdsAll(h.typed) {
			p.settle()
			_, end := p.bounds(len(text))
			stopAt = wordBoundary(text, end, true)
		}
		return true
	})
	p := chosen()
	start, end := p.bounds(len(text))
	start, end = wordBoundary(text, start, false), wordBoundary(text, end, true)
	in := make([]span, 0, len(p.spans))
	for _, s := range p.spans {
		if s.start >= start && s.end <= end {
			s.start -= start
			s.end -= start
			in = append(in, s)
		}
	}
	// Paragraph breaks read as spaces in a two-line snippet.
	passage := strings.ReplaceAll(text[start:end], "\n", " ")
	out := mark(strings.TrimSpace(passage), trimmed(passage, in))
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}

// passage picks the best passage of a text from its matched words, read
// in order: the window of words spanning at most maxBytes with the most
// different words, then the most words.
type passage struct {
	maxBytes int
	spans    []span
	// first is the first span of the window ending at the last span, and
	// inWindow counts that window's words.
	first    int
	inWindow map[string]int
	// best is the first span of the best window, distinct and count what
	// it holds.
	best, distinct, count int
	frozen                bool
}

func newPassage(maxBytes int) *passage {
	return &passage{maxBytes: maxBytes, inWindow: map[string]int{}}
}

// add reads the next matched word.
func (p *passage) add(s span) {
	p.spans = append(p.spans, s)
	if p.frozen {
		return
	}
	p.inWindow[s.term]++
	for s.end-p.spans[p.first].start > p.maxBytes {
		t := p.spans[p.first].term
		if p.inWindow[t]--; p.inWindow[t] == 0 {
			delete(p.inWindow, t)
		}
		p.first++
	}
	if d, n := len(p.inWindow), len(p.spans)-p.first; d > p.distinct || (d == p.distinct && n > p.count) {
		p.best, p.distinct, p.count = p.first, d, n
	}
}

// holdsAll reports whether the window ending at the last word read holds
// all of words.
func (p *passage) holdsAll(words map[string]bool) bool {
	if len(words) == 0 || len(p.inWindow) < len(words) {
		return false
	}
	for w := range words {
		if p.inWindow[w] == 0 {
			return false
		}
	}
	return true
}

// settle takes the window ending at the last word read for the best and
// keeps it while later words are read.
func (p *passage) settle() {
	p.best, p.frozen = p.first, true
}

// bounds returns the byte range of the passage in a text of textLen
// bytes: from a little before its first word, for context, or the text's
// opening when no word matched.
func (p *passage) bounds(textLen int) (start, end int) {
	if len(p.spans) > 0 {
		start = max(0, p.spans[p.best].start-p.maxBytes/6)
	}
	return start, min(textLen, start+p.maxBytes)
}

// trimmed shifts spans for the text with its leading space trimmed.
func trimmed(text string, spans []span) []span {
	lead := len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
	for i := range spans {
		spans[i].start -= lead
		spans[i].end -= lead
	}
	return spans
}

// wordBoundary moves i to a rune boundary outside any word: forward to the
// end of the word when forward, else back to its start.
func wordBoundary(text string, i int, forward bool) int {
	for i > 0 && i < len(text) && !utf8.RuneStart(text[i]) {
		if forward {
			i++
		} else {
			i--
		}
	}
	for i > 0 && i < len(text) {
		r, _ := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			return i
		}
		if forward {
			_, w := utf8.DecodeRuneInString(text[i:])
			i += w
		} else {
			_, w := utf8.DecodeLastRuneInString(text[:i])
			i -= w
		}
	}
	return i
}
