package eval

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// Variant is one way a reporter types what they remember of an article.
type Variant string

// The variants, in report order.
const (
	Title          Variant = "title"            // the headline as published
	TitleNoDiac    Variant = "title_nodiac"     // the headline without diacritics
	Short          Variant = "short"            // 4 consecutive headline words
	ShortNoDiac    Variant = "short_nodiac"     // the same 4 words without diacritics
	BodySpan       Variant = "body_span"        // 5 to 8 consecutive words of the lead
	BodySpanNoDiac Variant = "body_span_nodiac" // the same words without diacritics
	ToneStyle      Variant = "tone_style"       // the headline in the other tone-mark style
	Typo           Variant = "typo"             // 4 headline words, one tone mistyped
	Telex          Variant = "telex"            // 4 headline words typed in Telex, input method off
)

// Variants lists every variant in report order.
var Variants = []Variant{Title, TitleNoDiac, Short, ShortNoDiac, BodySpan, BodySpanNoDiac, ToneStyle, Typo, Telex}

// Describe says in a few words what a reporter typed for v.
func (v Variant) Describe() string {
	switch v {
	case Title:
		return "the headline as published"
	case TitleNoDiac:
		return "the headline without diacritics"
	case Short:
		return "4 consecutive headline words"
	case ShortNoDiac:
		return "the same without diacritics"
	case BodySpan:
		return "5–8 consecutive words from the lead"
	case BodySpanNoDiac:
		return "the same without diacritics"
	case ToneStyle:
		return "the headline in the other tone-mark style (hoà↔hòa)"
	case Typo:
		return "a 4-word window with one tone mistyped"
	case Telex:
		return "a 4-word window typed in Telex with the input method off"
	}
	return string(v)
}

// Query is one known-item query: Text should find the article ID.
type Query struct {
	Variant Variant `json:"variant"`
	Text    string  `json:"text"`
	ID      string  `json:"id"`
	// Holders is, for a span query, how many articles hold its words in
	// that order, folded (see runHolders); 0 for the other variants.
	Holders int `json:"holders,omitempty"`
}

// Lengths of the derived windows.
const (
	shortWords   = 4
	spanMinWords = 5
	spanMaxWords = 8
)

// Derive returns up to perVariant queries of each variant, from articles
// taken in an order shuffled with seed; the same articles, seed and count
// give the same queries. An article gives every variant it can and is
// skipped for the others:
//
//   - title: the headline as published. title_nodiac: the same with every
//     mark removed and đ written d, case kept. Both, and tone_style, skip an
//     article whose headline another article shares once folded: no engine
//     could tell the two apart.
//   - short: 4 consecutive words of the headline (words are runs between
//     spaces with the punctuation around them trimmed), at a random start.
//     short_nodiac: the same window without diacritics.
//   - body_span: 5 to 8 (uniformly) consecutive words of the lead, the
//     lead being the article's lead or, without one, the first paragraph of
//     its body; body_span_nodiac: the same words without diacritics.
//   - tone_style: the headline with every open oa, oe and uy syllable moved
//     to the other tone-mark style (hòa ↔ hoà, thủy ↔ thuỷ), skipping
//     headlines with no such syllable.
//   - typo: a random 4-word window of the headline holding a syllable with a
//     tone mark; one of those syllables has its mark replaced with another
//     that still makes a valid syllable (sắc → hỏi: "bán" → "bản").
//   - telex: a random 4-word window holding a word with diacritics, each
//     syllable typed in Telex (EncodeTelex), the tone key last or after the
//     vowels, one habit per query chosen at random.
//
// Like a shared headline, a headline window that names more than one
// article is not used: a window is taken only where, folded, no other
// headline holds it (recurring daily briefs share their first words). The
// start is drawn among the windows that pass, and the article is skipped
// for the variant when none does. Lead spans are kept even when other
// articles hold them too (agencies' copies, stock phrases): Run scores
// them against the ceiling such a span allows (ceilingMRR).
//
// Each article's choices come from a generator seeded with seed, the
// article's id and the variant family, so asking for more queries adds
// queries without changing the first ones.
func Derive(articles []schema.Article, seed uint64, perVariant int) []Query {
	titleWords := make([][]string, len(articles))
	titles := map[string]int{}
	for i, a := range articles {
		titleWords[i] = words(a.Title)
		titles[analyzers.Fold(strings.Join(titleWords[i], " "))]++
	}
	titleGrams := newGramCounter(titleWords, shortWords)
	counts := map[Variant]int{}
	var out []Query
	add := func(v Variant, text, id string) {
		if counts[v] < perVariant && strings.TrimSpace(text) != "" {
			counts[v]++
			out = append(out, Query{Variant: v, Text: text, ID: id})
		}
	}
	order := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)).Perm(len(articles))
	for _, i := range order {
		if full(counts, perVariant) {
			break
		}
		a := articles[i]
		tw, lw := titleWords[i], words(leadOf(a))
		rng := func(family string) *rand.Rand {
			h := fnv.New64a()
			h.Write([]byte(family + "\x00" + a.ID))
			return rand.New(rand.NewPCG(seed, h.Sum64()))
		}
		if len(tw) > 0 && titles[analyzers.Fold(strings.Join(tw, " "))] == 1 {
			add(Title, a.Title, a.ID)
			if analyzers.HasDiacritics(a.Title) {
				add(TitleNoDiac, stripDiacritics(a.Title), a.ID)
			}
			if s, ok := otherToneStyleText(a.Title); ok {
				add(ToneStyle, s, a.ID)
			}
		}
		// uniqueIn keeps the windows of tw no other headline holds.
		uniqueIn := func(win []string) bool { return titleGrams.count(win) == 1 }
		if win, ok := pickWindow(tw, shortWords, rng("short"), uniqueIn); ok {
			w := strings.Join(win, " ")
			add(Short, w, a.ID)
			if analyzers.HasDiacritics(w) {
				add(ShortNoDiac, stripDiacritics(w), a.ID)
			}
		}
		if len(lw) >= spanMinWords {
			r := rng("span")
			n := min(spanMinWords+r.IntN(spanMaxWords-spanMinWords+1), len(lw))
			if win, ok := pickWindow(lw, n, r, func([]string) bool { return true }); ok {
				w := strings.Join(win, " ")
				add(BodySpan, w, a.ID)
				if analyzers.HasDiacritics(w) {
					add(BodySpanNoDiac, stripDiacritics(w), a.ID)
				}
			}
		}
		if q, ok := typoWindow(tw, rng("typo"), uniqueIn); ok {
			add(Typo, q, a.ID)
		}
		if q, ok := telexWindow(tw, rng("telex"), uniqueIn); ok {
			add(Telex, q, a.ID)
		}
	}
	return out
}

func full(counts map[Variant]int, perVariant int) bool {
	for _, v := range Variants {
		if counts[v] < perVariant {
			return false
		}
	}
	return true
}

// leadOf returns a's lead, or the first paragraph of its body.
func leadOf(a schema.Article) string {
	if strings.TrimSpace(a.Lead) != "" {
		return a.Lead
	}
	first, _, _ := strings.Cut(a.Body, "\n")
	return first
}

// gramCounter counts in how many texts each run of n words occurs, folded.
// It keeps a sorted hash per distinct run per text: a map of strings over
// every lead of a large corpus would take far more memory.
type gramCounter struct {
	n      int
	hashes []uint64
}

func newGramCounter(texts [][]string, n int) *gramCounter {
	g := &gramCounter{n: n}
	for _, ws := range texts {
		seen := map[uint64]bool{}
		for s := 0; s+n <= len(ws); s++ {
			h := gramHash(ws[s : s+n])
			if !seen[h] {
				seen[h] = true
				g.hashes = append(g.hashes, h)
			}
		}
	}
	slices.Sort(g.hashes)
	return g
}

// count returns in how many texts the words of gram (n of them) occur.
func (g *gramCounter) count(gram []string) int {
	h := gramHash(gram)
	lo, _ := slices.BinarySearch(g.hashes, h)
	hi := lo
	for hi < len(g.hashes) && g.hashes[hi] == h {
		hi++
	}
	return hi - lo
}

func gramHash(ws []string) uint64 { return foldedHash(foldAll(ws)) }

// pickWindow returns a random run of n words of ws for which ok is true.
func pickWindow(ws []string, n int, r *rand.Rand, ok func([]string) bool) ([]string, bool) {
	var starts []int
	for s := 0; s+n <= len(ws); s++ {
		if ok(ws[s : s+n]) {
			starts = append(starts, s)
		}
	}
	if len(starts) == 0 {
		return nil, false
	}
	s := starts[r.IntN(len(starts))]
	return ws[s : s+n], true
}

// otherToneStyleText rewrites every syllable of text that has another
// tone-mark style (otherToneStyle), keeping everything else, and reports
// whether any did.
func otherToneStyleText(text string) (string, bool) {
	var b strings.Builder
	changed := false
	for i, f := range strings.Split(text, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		start := strings.IndexFunc(f, isWordRune)
		end := strings.LastIndexFunc(f, isWordRune)
		if start < 0 {
			b.WriteString(f)
			continue
		}
		_, size := utf8.DecodeRuneInString(f[end:])
		w := f[start : end+size]
		if s, ok := otherToneStyle(w); ok {
			w, changed = s, true
		}
		b.WriteString(f[:start] + w + f[end+size:])
	}
	return b.String(), changed
}

// anyWord returns a window test: some word of the window passes ok.
func anyWord(ok func(string) bool, also func([]string) bool) func([]string) bool {
	return func(win []string) bool {
		return slices.ContainsFunc(win, ok) && also(win)
	}
}

// typoWindow picks a window of tw with a syllable that can be mistyped
// and mistypes one such syllable.
func typoWindow(tw []string, r *rand.Rand, unique func([]string) bool) (string, bool) {
	can := func(w string) bool { return len(mistypings(w)) > 0 }
	picked, ok := pickWindow(tw, shortWords, r, anyWord(can, unique))
	if !ok {
		return "", false
	}
	win := slices.Clone(picked)
	var at []int
	for i, w := range win {
		if can(w) {
			at = append(at, i)
		}
	}
	i := at[r.IntN(len(at))]
	alts := mistypings(win[i])
	win[i] = alts[r.IntN(len(alts))]
	return strings.Join(win, " "), true
}

// telexWindow picks a window of tw with a word with diacritics and types
// it in Telex with one tone-key habit.
func telexWindow(tw []string, r *rand.Rand, unique func([]string) bool) (string, bool) {
	win, ok := pickWindow(tw, shortWords, r, anyWord(analyzers.HasDiacritics, unique))
	if !ok {
		return "", false
	}
	key := ToneKey(r.IntN(2))
	return EncodeTelex(strings.Join(win, " "), key), true
}
