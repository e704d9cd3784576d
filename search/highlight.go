package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/vnsearch/vnsearch/analyzers"
)

// highlightTerms marks the words of a text that a query matched. It
// analyses the stored text again rather than reading term vectors back
// from the index: that costs microseconds for a page of hits, while asking
// bleve for locations costs time on every match of every term.
type highlightTerms struct {
	exact  map[string]bool // terms matched with their diacritics
	folded map[string]bool // terms matched after folding
	// asTyped marks only words spelled as the query spelled them, when the
	// query was typed with diacritics: "Nam Định" marks Nam, not năm.
	asTyped bool
}

// normalizeFilter gives a matched word its exact term.
var normalizeFilter analyzers.NormalizeFilter

func newHighlightTerms(asTyped bool) highlightTerms {
	return highlightTerms{exact: map[string]bool{}, folded: map[string]bool{}, asTyped: asTyped}
}

// add marks t, by its diacritics when exact.
func (h highlightTerms) add(t queryTerm, exact bool) {
	h.folded[t.folded] = true
	if exact {
		h.exact[t.exact] = true
	}
}

// span is a matched word's byte range in a text and the folded term.
type span struct {
	start, end int
	term       string
}

// spans finds the matched words of text. A text that matched only after
// folding still gets its words marked, so every hit shows why it matched.
//
// Most words of a text match nothing, so each is only tokenized and
// folded; the full normalisation, for the exact spelling, is run on the
// words that matched folded.
func (h highlightTerms) spans(text string) []span {
	var exact, folded []span
	var buf [64]byte
	for start, end := range (analyzers.Tokenizer{}).Spans(text) {
		word := text[start:end]
		f := analyzers.AppendFoldToken(buf[:0], word)
		if !h.folded[string(f)] {
			continue
		}
		s := span{start: start, end: end, term: string(f)}
		folded = append(folded, s)
		if h.asTyped && h.exact[normalized(word)] {
			exact = append(exact, s)
		}
	}
	if h.asTyped && len(exact) > 0 {
		return exact
	}
	return folded
}

// normalized returns the exact term of one word of a text.
func normalized(word string) string {
	tok := &analysis.Token{Term: []byte(word)}
	return string(normalizeFilter.Filter(analysis.TokenStream{tok})[0].Term)
}

// mark returns text as HTML with every span wrapped in <mark>.
func mark(text string, spans []span) string {
	var b strings.Builder
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
// holding the most different matched words (then the most matches), cut at
// word boundaries, with those words marked and "…" where text was cut.
func (h highlightTerms) snippet(text string, maxRunes int) string {
	spans := h.spans(text)
	maxBytes := maxRunes * 2 // Vietnamese letters take two or three bytes
	start, end := 0, min(len(text), maxBytes)
	if len(spans) > 0 {
		best, bestDistinct, bestCount := 0, 0, 0
		for i := range spans {
			seen := map[string]bool{}
			count := 0
			for j := i; j < len(spans) && spans[j].end-spans[i].start <= maxBytes; j++ {
				seen[spans[j].term] = true
				count++
			}
			if len(seen) > bestDistinct || (len(seen) == bestDistinct && count > bestCount) {
				best, bestDistinct, bestCount = i, len(seen), count
			}
		}
		// Open the passage a little before its first match, for context.
		start = max(0, spans[best].start-maxBytes/6)
		end = min(len(text), start+maxBytes)
	}
	start, end = wordBoundary(text, start, false), wordBoundary(text, end, true)
	var in []span
	for _, s := range spans {
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
