package analyzers

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Expansion is one alternative for a span of a query: an abbreviation's
// expansion, or an abbreviation for a spelt-out expansion.
type Expansion struct {
	Start, End int    // byte span of the query that Text replaces
	Text       string // the alternative, as the table writes it
	// Abbreviation is true when Text is an abbreviation ("UBND" for "ủy ban
	// nhân dân"), false when it is an expansion.
	Abbreviation bool
}

// Apply returns query with the span of e replaced by its Text.
func (e Expansion) Apply(query string) string {
	return query[:e.Start] + e.Text + query[e.End:]
}

// Abbreviations matches the abbreviations of Vietnamese news and their
// expansions both ways. It is immutable once built and safe for concurrent
// use. The zero value has no entries and expands nothing.
type Abbreviations struct {
	byKey     map[string][]alternative // folded terms of a form, space-joined
	maxTerms  int
	numGroups int
}

// alternative is what one form of a table line may be replaced by.
type alternative struct {
	text         string
	abbreviation bool
	// capitalsOnly is set for an abbreviation that reads as a Vietnamese
	// word once folded (CA, THA): lower case, it is that word.
	capitalsOnly bool
	// exact holds the Exact terms of the form matched. When forms of
	// several lines fold alike (DN doanh nghiệp, ĐN Đà Nẵng), a query that
	// spells one of them exactly gets only that one's alternatives.
	exact string
}

// AbbreviationError reports a malformed line of an abbreviation table.
type AbbreviationError struct {
	Line   int
	Reason string
}

func (e *AbbreviationError) Error() string {
	return fmt.Sprintf("abbreviations line %d: %s", e.Line, e.Reason)
}

//go:embed abbreviations.tsv
var newsAbbreviationsTSV string

// NewsAbbreviations returns the table of abbreviations in Vietnamese news
// that ships with vnsearch (abbreviations.tsv). It is built on first use and
// shared; it is safe for concurrent use.
func NewsAbbreviations() *Abbreviations { return newsAbbreviations() }

var newsAbbreviations = sync.OnceValue(func() *Abbreviations {
	a, err := ParseAbbreviations(strings.NewReader(newsAbbreviationsTSV))
	if err != nil {
		panic(err) // the embedded table is checked by the tests
	}
	return a
})

// ParseAbbreviations reads an abbreviation table: one entry a line, the
// abbreviation's forms separated by "|", a tab, the expansion's forms
// separated by "|"; blank lines and lines starting with # are skipped. A
// malformed line gives an *AbbreviationError.
func ParseAbbreviations(r io.Reader) (*Abbreviations, error) {
	a := &Abbreviations{byKey: make(map[string][]alternative)}
	if err := a.read(r); err != nil {
		return nil, err
	}
	return a, nil
}

// Extend returns a new table holding the entries of a and those of the
// lines of r, in ParseAbbreviations' format, as a newsroom adds its own to
// NewsAbbreviations. a is left unchanged. A malformed line gives an
// *AbbreviationError numbered from the first line of r, and no table.
func (a *Abbreviations) Extend(r io.Reader) (*Abbreviations, error) {
	ext := &Abbreviations{byKey: make(map[string][]alternative, len(a.byKey)), maxTerms: a.maxTerms, numGroups: a.numGroups}
	for key, alts := range a.byKey {
		// Clipped, an append to a shared list copies it rather than
		// writing into a's.
		ext.byKey[key] = slices.Clip(alts)
	}
	if err := ext.read(r); err != nil {
		return nil, err
	}
	return ext, nil
}

// read adds the lines of r to a.
func (a *Abbreviations) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		abbrs, expansions, ok := strings.Cut(text, "\t")
		if !ok || strings.Contains(expansions, "\t") {
			return &AbbreviationError{line, "want two tab-separated fields"}
		}
		if err := a.addGroup(strings.Split(abbrs, "|"), strings.Split(expansions, "|")); err != "" {
			return &AbbreviationError{line, err}
		}
	}
	return sc.Err()
}

// addGroup adds one table line, returning what is wrong with it, if
// anything. Every form maps to the first expansion and to each abbreviation
// form with other terms (TPHCM to TP.HCM: they index differently); the
// other expansions are variants to recognise, not to offer.
func (a *Abbreviations) addGroup(abbrs, expansions []string) string {
	type form struct {
		text, key, exact string
		terms            []string
		abbr             bool
	}
	var forms []form
	for i, list := range [][]string{expansions, abbrs} {
		for _, text := range list {
			text = strings.TrimSpace(text)
			terms := termsOf(foldedAnalyzer, text)
			if len(terms) == 0 {
				return fmt.Sprintf("empty form %q", text)
			}
			exact := strings.Join(termsOf(exactAnalyzer, text), " ")
			forms = append(forms, form{text, strings.Join(terms, " "), exact, terms, i == 1})
		}
	}
	offers := []form{forms[0]}
	for _, f := range forms[len(expansions):] {
		if !slices.ContainsFunc(offers, func(g form) bool { return g.key == f.key }) {
			offers = append(offers, f)
		}
	}
	done := make(map[string]bool)
	for _, f := range forms {
		if done[f.key] {
			continue
		}
		done[f.key] = true
		capitalsOnly := f.abbr && readsAsWords(f.terms)
		for _, g := range offers {
			alt := alternative{text: g.text, abbreviation: g.abbr, capitalsOnly: capitalsOnly, exact: f.exact}
			if g.key != f.key && !slices.Contains(a.byKey[f.key], alt) {
				a.byKey[f.key] = append(a.byKey[f.key], alt)
			}
		}
		a.maxTerms = max(a.maxTerms, len(f.terms))
	}
	a.numGroups++
	return ""
}

// Len returns the number of table lines.
func (a *Abbreviations) Len() int { return a.numGroups }

// readsAsWords reports whether every folded term could be an unaccented
// Vietnamese syllable, so that an abbreviation spelt with them is only
// taken as one in capitals: "ca" may be cá, "tha", "cat" may be cát.
func readsAsWords(terms []string) bool {
	for _, t := range terms {
		toned := []rune(t)
		if !ValidSyllable(t) && !(placeTone(toned, ToneRising) && ValidSyllable(string(toned))) {
			return false
		}
	}
	return true
}

// The analyzers abbreviations are matched with: folded terms find a
// match, exact terms choose between lines that fold alike.
var (
	foldedAnalyzer = MustNew(Folded)
	exactAnalyzer  = MustNew(Exact)
)

// termsOf returns the terms a analyses text into.
func termsOf(a analysis.Analyzer, text string) []string {
	var terms []string
	for _, tok := range a.Analyze([]byte(text)) {
		terms = append(terms, string(tok.Term))
	}
	return terms
}

// Expand finds abbreviations and spelt-out expansions in query and returns
// their alternatives, in query order, the longest match first: "UBND TP.HCM"
// gives "Ủy ban nhân dân" for UBND, and "Thành phố Hồ Chí Minh" and
// "TPHCM" for TP.HCM; "ủy ban nhân dân" gives "UBND". Matching ignores case,
// diacritics and punctuation, except that an abbreviation that reads as a
// Vietnamese word (CA, THA) must be in capitals, and that when forms of
// several entries fold alike, one spelt exactly as written wins: "DN" is
// doanh nghiệp, "ĐN" Đà Nẵng. A span with several alternatives, or an
// ambiguous abbreviation (BCT: Bộ Chính trị, Bộ Công Thương), gives one
// Expansion each.
func (a *Abbreviations) Expand(query string) []Expansion {
	if a == nil || len(a.byKey) == 0 {
		return nil
	}
	// Both analyses give the same tokens at the same offsets.
	folded := foldedAnalyzer.Analyze([]byte(query))
	exact := exactAnalyzer.Analyze([]byte(query))
	var out []Expansion
	for i := 0; i < len(folded); {
		n, alts := a.match(query, folded[i:], exact[i:])
		start, end := folded[i].Start, folded[i+max(n, 1)-1].End
		for _, alt := range alts {
			out = append(out, Expansion{Start: start, End: end, Text: alt.text, Abbreviation: alt.abbreviation})
		}
		i += max(n, 1)
	}
	return out
}

// match returns how many tokens from the start of folded make the longest
// form in the table, and that form's alternatives; 0 when none does.
func (a *Abbreviations) match(query string, folded, exact analysis.TokenStream) (int, []alternative) {
	for n := min(a.maxTerms, len(folded)); n > 0; n-- {
		span := query[folded[0].Start:folded[n-1].End]
		var alts []alternative
		for _, alt := range a.byKey[joinTerms(folded[:n])] {
			if !alt.capitalsOnly || !strings.ContainsFunc(span, unicode.IsLower) {
				alts = append(alts, alt)
			}
		}
		spelt := joinTerms(exact[:n])
		if slices.ContainsFunc(alts, func(alt alternative) bool { return alt.exact == spelt }) {
			alts = slices.DeleteFunc(alts, func(alt alternative) bool { return alt.exact != spelt })
		}
		if len(alts) > 0 {
			return n, alts
		}
	}
	return 0, nil
}

func joinTerms(ts analysis.TokenStream) string {
	var b strings.Builder
	for i, tok := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(tok.Term)
	}
	return b.String()
}
