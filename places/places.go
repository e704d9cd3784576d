// Package places finds the provinces and cities of Vietnam a news article
// is about, by their names and the forms news text writes them in
// ("TP.HCM", "Sài Gòn", "HN"), and knows the province or city of the 34
// each of the 63 has been part of since the reorganisation of 1 July 2025,
// so that coverage of Nam Định is found from before and after it joined
// Ninh Bình. The gazetteer is gazetteer.tsv, embedded; docs/places.md
// describes the rules and their measured precision and recall.
package places

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/analyzers"
)

// Place is one of the 63 provinces and centrally-run cities of Vietnam
// before 1 July 2025.
type Place struct {
	Name     string // "Nam Định"
	Province string // the one of the 34 it has been part of since: "Ninh Bình"
}

// Gazetteer finds places in text. It is immutable once built and safe for
// concurrent use.
type Gazetteer struct {
	places []Place
	// forms by their first word: normalised with diacritics, and folded
	// for text written without any. Longest first.
	exact, folded map[string][]form
	// lowerStarts holds the folded first letters of the forms whose first
	// word may be written in lower case ("thành phố Hồ Chí Minh"): a word
	// in lower case that starts with another letter starts no form, which
	// spares spelling most words of a text.
	lowerStarts map[rune]bool
	// byName maps the folded forms and names a reader may type to the
	// name of the place or province they stand for.
	byName map[string]string
}

// form is one way of writing a place, or a phrase that is not a place
// (place < 0).
type form struct {
	words []formWord
	place int
}

type formWord struct {
	exact, folded string
	capital       bool // the text's word must have a capital initial
	capitals      bool // the text's word must be all capitals
}

//go:embed gazetteer.tsv
var gazetteerTSV string

// Default returns the gazetteer of the embedded gazetteer.tsv.
var Default = sync.OnceValue(func() *Gazetteer {
	g, err := parse(gazetteerTSV)
	if err != nil {
		panic(err) // the embedded table is tested
	}
	return g
})

// notAPlace is the name column of a line listing phrases that are not
// places.
const notAPlace = "-"

func parse(table string) (*Gazetteer, error) {
	g := &Gazetteer{exact: map[string][]form{}, folded: map[string][]form{}, lowerStarts: map[rune]bool{}, byName: map[string]string{}}
	name := func(line int, folded, value string) error {
		if prev, ok := g.byName[folded]; ok && prev != value {
			return fmt.Errorf("gazetteer line %d: %q names both %s and %s", line, folded, prev, value)
		}
		g.byName[folded] = value
		return nil
	}
	for n, line := range strings.Split(table, "\n") {
		n++
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("gazetteer line %d: %d columns, want 3", n, len(cols))
		}
		place := -1
		forms := strings.Split(cols[2], "|")
		if cols[0] != notAPlace {
			if cols[0] == "" || cols[1] == "" {
				return nil, fmt.Errorf("gazetteer line %d: a place needs a name before and since 1 July 2025", n)
			}
			place = len(g.places)
			g.places = append(g.places, Place{Name: cols[0], Province: cols[1]})
			forms = append(forms, cols[0])
			if err := name(n, key(cols[1]), cols[1]); err != nil {
				return nil, err
			}
		}
		for _, f := range forms {
			words := splitWords(f)
			if len(words) == 0 {
				continue
			}
			fm := form{place: place}
			for _, w := range words {
				fm.words = append(fm.words, formWord{
					exact:    normalized(w.text),
					folded:   analyzers.Fold(w.text),
					capital:  w.capital,
					capitals: w.capitals && len(w.text) > 1,
				})
			}
			if first := fm.words[0]; !first.capital {
				g.lowerStarts[firstRune(first.folded)] = true
			}
			g.exact[fm.words[0].exact] = insertByLength(g.exact[fm.words[0].exact], fm)
			g.folded[fm.words[0].folded] = insertByLength(g.folded[fm.words[0].folded], fm)
			if place >= 0 {
				if err := name(n, key(f), cols[0]); err != nil {
					return nil, err
				}
			}
		}
	}
	return g, nil
}

// insertByLength adds f to forms, keeping the longest first so that the
// longest form standing in a text is the one matched.
func insertByLength(forms []form, f form) []form {
	i := 0
	for i < len(forms) && len(forms[i].words) >= len(f.words) {
		i++
	}
	forms = append(forms, form{})
	copy(forms[i+1:], forms[i:])
	forms[i] = f
	return forms
}

// Places lists the 63 places in the order of the gazetteer.
func (g *Gazetteer) Places() []Place { return append([]Place(nil), g.places...) }

// prefixes are the words that may stand before a name as the kind of
// unit it is, folded: "tỉnh Nam Định", "TP.HCM", "thành phố Huế".
var prefixes = []string{"tinh ", "thanh pho ", "tp "}

// key is the folded form of a name as typed, with punctuation as spaces
// and without a prefix saying what kind of unit it names.
func key(name string) string {
	var words []string
	for _, w := range splitWords(name) {
		words = append(words, analyzers.Fold(w.text))
	}
	k := strings.Join(words, " ")
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(k, p); ok && rest != "" {
			return rest
		}
	}
	return k
}

// Lookup returns the name of the place or province that name, as a reader
// types it, stands for: "nam dinh" gives "Nam Định", "TP.HCM" and "sài
// gòn" give "TP Hồ Chí Minh". It returns false for a name it does not
// know. A province of the 34 has the name of one of the 63 it was formed
// from, so "Ninh Bình" stands for both.
func (g *Gazetteer) Lookup(name string) (string, bool) {
	k := key(name)
	if v, ok := g.byName[k]; ok {
		return v, true
	}
	v, ok := g.byName[analyzers.Fold(strings.Join(strings.Fields(name), " "))]
	return v, ok
}

// Values returns the names an article about places is found under: each
// place's name and the province it has been part of since 1 July 2025,
// once each, in the order of places.
func Values(places []Place) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range places {
		for _, v := range []string{p.Name, p.Province} {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// word is one word of a text: a run of letters, marks and digits.
type word struct {
	text     string
	capital  bool // starts with a capital
	capitals bool // has no lower-case letter
	joined   bool // only spaces stand between it and the word before
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// splitWords splits text into words.
func splitWords(text string) []word { return appendWords(nil, text) }

// appendWords appends the words of text to words.
func appendWords(words []word, text string) []word {
	start, joined := -1, false
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = append(words, newWord(text[start:i], joined))
			start, joined = -1, true
		}
		if !unicode.IsSpace(r) {
			joined = false
		}
	}
	if start >= 0 {
		words = append(words, newWord(text[start:], joined))
	}
	return words
}

func newWord(text string, joined bool) word {
	w := word{text: text, capitals: true, joined: joined}
	for i, r := range text {
		if i == 0 {
			w.capital = unicode.IsUpper(r)
		}
		if unicode.IsLower(r) {
			w.capitals = false
		}
	}
	return w
}

// firstRune returns the first rune of s, folded.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return analyzers.FoldRune(r)
}

// normalized is a word as the exact analyzer indexes it: lower case, NFC,
// the tone mark where the traditional style puts it.
func normalized(w string) string { return string(analyzers.AppendNormalizedToken(nil, w)) }
