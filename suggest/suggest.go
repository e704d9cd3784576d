package suggest

import (
	"context"
	"errors"
	"fmt"
	"html"
	"iter"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/query"
	"github.com/vnsearch/vnsearch/schema"
)

// ErrNotReady reports that the suggestions have not been built yet.
var ErrNotReady = errors.New("not ready")

// Kinds of suggestion.
const (
	KindPhrase = "phrase" // a frequent phrase of the archive's text
	KindTitle  = "title"  // the headline of one article
)

// Limits on a suggest call.
const (
	DefaultSuggestions = 8
	MaxSuggestions     = 20
	// MaxPrefixLength bounds the text being typed, in characters: a
	// suggestion box completes a few words, not a paragraph.
	MaxPrefixLength = 100
)

// Suggestion is one completion of the text being typed. HTML is the
// escaped text with the part that matched the typed prefix in <mark>.
type Suggestion struct {
	Text string `json:"text"`
	HTML string `json:"html"`
	Kind string `json:"kind"`         // KindPhrase or KindTitle
	ID   string `json:"id,omitempty"` // the article's id, for a title
}

// Options configure a Suggester. The zero value means the defaults.
type Options struct {
	// MinDocs is how many articles a phrase must appear in to be
	// suggested. Default max(2, articles/10,000): on the 60,000-article
	// archive a phrase in fewer than 6 articles is mostly chance.
	MinDocs int
	// MaxPhrases caps the phrases kept, the most frequent first. Default
	// 300,000, which holds every phrase above MinDocs on the 60,000-article
	// archive within a few tens of megabytes.
	MaxPhrases int
	// StopShare is the share of articles above which a syllable counts as
	// stop-like (của, và, đã): a phrase made only of such syllables, or a
	// three-syllable one that begins or ends with one, is not suggested.
	// Default 0.5. An index of fewer than MinStopArticles articles has no
	// stop-like syllables, as shares over a handful of articles say
	// nothing.
	StopShare float64
	// MinStopArticles: see StopShare. Default 100.
	MinStopArticles int
	// EdgeShare is the share of articles above which a syllable may not
	// end a phrase, nor begin a three-syllable one: "Nam được" and "giá
	// và" are fragments of a sentence, not things to search for. Default
	// 0.6.
	EdgeShare float64
	// ExtendShare keeps a three-syllable phrase only when it holds at
	// least this share of the articles of both its pairs: "World Cup 2006"
	// is a phrase of its own, "Hà Nội vừa" only "Hà Nội" followed by
	// anything. Default 0.1.
	ExtendShare float64
	// DominantShare drops a two-syllable phrase when one three-syllable
	// phrase that goes on from it holds at least this share of its
	// articles: "Hồ Chí" is only ever the start of "Hồ Chí Minh". (A
	// phrase nearly always preceded by the same word, "Vũ Thư" by
	// "huyện", is kept: it is complete.) Default 0.8.
	DominantShare float64
}

// SetDefaults fills zero fields with their defaults; MinDocs depends on the
// number of articles and is decided when the suggestions are built.
func (o *Options) SetDefaults() {
	if o.MaxPhrases <= 0 {
		o.MaxPhrases = 300_000
	}
	if o.StopShare <= 0 {
		o.StopShare = 0.5
	}
	if o.MinStopArticles <= 0 {
		o.MinStopArticles = 100
	}
	if o.DominantShare <= 0 {
		o.DominantShare = 0.8
	}
	if o.EdgeShare <= 0 {
		o.EdgeShare = 0.6
	}
	if o.ExtendShare <= 0 {
		o.ExtendShare = 0.1
	}
}

// Stats describes the suggestions a Suggester answers with.
type Stats struct {
	Articles int           // articles read by the build
	Phrases  int           // phrases kept
	Titles   int           // titles that can be suggested
	Recent   int           // articles written or deleted since the build
	Took     time.Duration // time the build, or the load, took
	// Loaded says the suggestions were read from a saved file rather than
	// built from the index's articles.
	Loaded bool
}

// Suggester completes what a reader is typing from the archive's headlines
// and its frequent two- and three-syllable phrases. Build reads every
// article of the index; Save and Load keep a build beside the index, so
// that a restart reads it back in a moment; Apply adds the headlines of
// articles written since, at once, while the phrases' statistics wait for
// the next Build. It is safe for concurrent use; Suggest answers with the
// last build while a new one runs.
type Suggester struct {
	idx     bleve.Index
	opts    Options
	current atomic.Pointer[state]
	build   sync.Mutex   // one Build at a time
	apply   sync.Mutex   // one change of current at a time
	save    sync.Mutex   // one Save at a time, and guards saved
	saved   *suggestions // the build last saved or loaded
	early   *state       // writes applied before the first Build or Load; guarded by apply
}

// New returns a Suggester over idx with nothing built yet.
func New(idx bleve.Index, opts Options) *Suggester {
	opts.SetDefaults()
	return &Suggester{idx: idx, opts: opts}
}

// Ready reports whether suggestions have been built or loaded.
func (s *Suggester) Ready() bool { return s.current.Load() != nil }

// Stats describes the suggestions answered with now; zero before the
// first Build or Load.
func (s *Suggester) Stats() Stats {
	st := s.current.Load()
	if st == nil {
		return Stats{}
	}
	return st.stats()
}

// Build reads every article of the index and replaces the suggestions.
// Articles Applied while it runs stay suggested.
func (s *Suggester) Build(ctx context.Context) (Stats, error) {
	s.build.Lock()
	defer s.build.Unlock()
	started := time.Now()
	// The generation is read before the articles: writes made meanwhile
	// may be read twice, by the build and by Apply, which is harmless,
	// but none is missed.
	gen, err := schema.Generation(s.idx)
	if err != nil {
		return Stats{}, err
	}
	sg, err := buildSuggestions(ctx, s.opts, func(fn func(schema.Article) error) error {
		return schema.ReadArticles(ctx, s.idx, fn)
	})
	if err != nil {
		return Stats{}, err
	}
	sg.generation = gen
	s.apply.Lock()
	s.replace(&state{base: sg, generation: gen})
	next := s.current.Load()
	s.apply.Unlock()
	st := next.stats()
	st.Took = time.Since(started)
	return st, nil
}

// Suggest returns at most n completions of prefix (n = 0 means
// DefaultSuggestions), phrases first, then titles. Matching ignores
// diacritics and case, so "nam d", "Nam Đ" and "NAM D" all find "Nam
// Định"; when prefix has diacritics, candidates spelled as typed rank
// first. A prefix with no words is a *ParamError for "q"; before the first
// Build the error is ErrNotReady.
func (s *Suggester) Suggest(ctx context.Context, prefix string, n int) ([]Suggestion, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case n == 0:
		n = DefaultSuggestions
	case n < 1 || n > MaxSuggestions:
		return nil, &query.ParamError{Param: "size", Reason: fmt.Sprintf("must be from 1 to %d", MaxSuggestions)}
	}
	switch {
	case !utf8.ValidString(prefix):
		return nil, &query.ParamError{Param: "q", Reason: "not valid UTF-8"}
	case utf8.RuneCountInString(prefix) > MaxPrefixLength:
		return nil, &query.ParamError{Param: "q", Reason: fmt.Sprintf("longer than %d characters", MaxPrefixLength)}
	}
	p, ok := parsePrefix(prefix)
	if !ok {
		return nil, &query.ParamError{Param: "q", Reason: "has no words to complete"}
	}
	st := s.current.Load()
	if st == nil {
		return nil, fmt.Errorf("suggestions: %w", ErrNotReady)
	}
	return st.suggest(p, n), nil
}

// suggestAnalyzer splits text as the index's exact fields do: normalised,
// lower-cased syllables with offsets into the text.
var suggestAnalyzer = analyzers.MustNew(analyzers.Exact)

// prefix is the text being typed, analysed.
type prefix struct {
	folded, exact string // terms joined by spaces; a space at the end when the last word is complete
	diacritics    bool   // typed with diacritics: prefer candidates spelled as typed
}

func parsePrefix(text string) (prefix, bool) {
	toks := suggestAnalyzer.Analyze([]byte(text))
	if len(toks) == 0 {
		return prefix{}, false
	}
	var f, e strings.Builder
	for i, t := range toks {
		if i > 0 {
			f.WriteByte(' ')
			e.WriteByte(' ')
		}
		f.WriteString(analyzers.Fold(string(t.Term)))
		e.Write(t.Term)
	}
	if toks[len(toks)-1].End < len(text) {
		// Something follows the last word: it is complete.
		f.WriteByte(' ')
		e.WriteByte(' ')
	}
	return prefix{folded: f.String(), exact: e.String(), diacritics: analyzers.HasDiacritics(text)}, true
}

// suggestions is one immutable build.
type suggestions struct {
	phrases []phrase     // by folded, then most frequent first
	titles  []titleEntry // by folded
	docs    []titleDoc
	// phrasesByDocs and titlesByWord order the phrases and titles by
	// popularity: a phrase by its articles, a title entry by those of the
	// word it starts with, then whole titles, newest first.
	phrasesByDocs, titlesByWord rangeBest
	// wordDocs counts the articles of each folded word, summed over its
	// spellings.
	wordDocs map[string]int32
	stats    Stats
	// generation is the index's write generation when the build began.
	generation uint64
}

type phrase struct {
	folded, exact string // normalised terms joined by spaces
	text          string // the most frequent spelling as published
	docs          int32  // articles it appears in
}

// titleEntry is a title from one of its syllables on: the rest of the
// doc's folded and exact forms from these byte offsets. Eight bytes an
// entry, as an archive of a million headlines has a dozen million.
type titleEntry struct {
	doc           int32 // into the docs of the entry's slice
	folded, exact uint16
}

// maxTitleOffset bounds the offsets of a titleEntry: the syllables of a
// headline beyond it (no real one is that long) are not entries.
const maxTitleOffset = math.MaxUint16

type titleDoc struct {
	id, title     string
	folded, exact string // the title's terms, folded and as normalised, joined by spaces
	published     int64  // Unix seconds; 0 when unknown
}

// titleRef is a title entry resolved to its text and article.
type titleRef struct {
	folded, exact string
	doc           *titleDoc
	start         bool // from the title's first syllable
}

func resolveTitle(docs []titleDoc, e titleEntry) titleRef {
	d := &docs[e.doc]
	return titleRef{folded: d.folded[e.folded:], exact: d.exact[e.exact:], doc: d, start: e.folded == 0}
}

// betterTitle orders two titles completing p: spelled as typed first,
// then by how common the words they complete the prefix with are, then
// from the first syllable, newer, shorter.
func betterTitle(p prefix, a, b titleRef, completionDocs func(string) int32) bool {
	if p.diacritics {
		at, bt := strings.HasPrefix(a.exact, p.exact), strings.HasPrefix(b.exact, p.exact)
		if at != bt {
			return at
		}
	}
	if ca, cb := completionDocs(a.folded), completionDocs(b.folded); ca != cb {
		return ca > cb
	}
	if a.start != b.start {
		return a.start
	}
	if a.doc.published != b.doc.published {
		return a.doc.published > b.doc.published
	}
	if len(a.doc.title) != len(b.doc.title) {
		return len(a.doc.title) < len(b.doc.title)
	}
	if a.doc.id != b.doc.id {
		return a.doc.id < b.doc.id
	}
	return len(a.folded) > len(b.folded) // the same title: from its earlier syllable
}

func (st *state) suggest(p prefix, n int) []Suggestion {
	sg := st.base
	phrases := topN(sg.popularPrefix(len(sg.phrases), sg.phrasesByDocs, p.folded, func(i int) string { return sg.phrases[i].folded }, nil),
		p.folded, n, func(i int) string { return sg.phrases[i].exact },
		func(i, j int) bool {
			a, b := &sg.phrases[i], &sg.phrases[j]
			if p.diacritics {
				at, bt := strings.HasPrefix(a.exact, p.exact), strings.HasPrefix(b.exact, p.exact)
				if at != bt {
					return at
				}
			}
			if a.docs != b.docs {
				return a.docs > b.docs
			}
			if len(a.folded) != len(b.folded) {
				return len(a.folded) < len(b.folded)
			}
			// A total order, so that ties rank the same in every process.
			return a.folded < b.folded || a.folded == b.folded && i < j
		})
	// A headline ranks by how common the words it completes the prefix
	// with are: "nam d" is more likely Nam Định than nám da.
	completions := map[string]int32{}
	completionDocs := func(key string) int32 {
		c := completion(key, len(p.folded))
		n, ok := completions[c]
		if !ok {
			n = sg.sequenceDocs(c)
			completions[c] = n
		}
		return n
	}
	titles := topN(st.titleCandidates(p.folded), p.folded, n, func(i int) string { return st.title(i).exact },
		func(i, j int) bool { return betterTitle(p, st.title(i), st.title(j), completionDocs) })
	// Half the list for phrases, the rest for titles; either fills the
	// other's share when it has too few.
	nPhrases := min(len(phrases), max((n+1)/2, n-len(titles)))
	out := make([]Suggestion, 0, n)
	for _, i := range phrases[:nPhrases] {
		ph := &sg.phrases[i]
		out = append(out, Suggestion{Text: ph.text, HTML: markPrefix(ph.text, p), Kind: KindPhrase})
	}
	seen := map[string]bool{}
	for _, i := range titles {
		if len(out) == n {
			break
		}
		d := st.title(i).doc
		key := analyzers.Fold(d.title)
		if seen[key] {
			continue // the same headline filed twice
		}
		seen[key] = true
		out = append(out, Suggestion{Text: d.title, HTML: markPrefix(d.title, p), Kind: KindTitle, ID: d.id})
	}
	return out
}

// firstWords returns the first n words of s, words joined by single
// spaces.
func firstWords(s string, n int) string {
	at := 0
	for range n {
		i := strings.IndexByte(s[at:], ' ')
		if i < 0 {
			return s
		}
		at += i + 1
	}
	return s[:max(at-1, 0)]
}

// completion returns key up to the end of the word that the first plen
// bytes of it end in, or up to the last word before them when they end
// with a space.
func completion(key string, plen int) string {
	if plen > 0 && key[plen-1] == ' ' {
		return key[:plen-1]
	}
	if i := strings.IndexByte(key[plen:], ' '); i >= 0 {
		return key[:plen+i]
	}
	return key
}

// sequenceDocs returns about how many articles have the last two words of
// folded (the last word when it is one), or 0 when they are not a phrase
// the suggester kept.
func (sg *suggestions) sequenceDocs(folded string) int32 {
	last := strings.LastIndexByte(folded, ' ')
	if last < 0 {
		return sg.wordDocs[folded]
	}
	if before := strings.LastIndexByte(folded[:last], ' '); before >= 0 {
		folded = folded[before+1:]
	}
	i := sort.Search(len(sg.phrases), func(i int) bool { return sg.phrases[i].folded >= folded })
	if i < len(sg.phrases) && sg.phrases[i].folded == folded {
		return sg.phrases[i].docs
	}
	return 0
}

// prefixRange returns the range of entries, of a slice of n sorted by
// key, whose key starts with pfx.
func prefixRange(n int, key func(int) string, pfx string) (lo, hi int) {
	lo = sort.Search(n, func(i int) bool { return key(i) >= pfx })
	hi = lo + sort.Search(n-lo, func(i int) bool { return !strings.HasPrefix(key(lo+i), pfx) })
	return lo, hi
}

// popularPrefix yields the entries, of a slice of n sorted by key, whose
// key starts with pfx and which skip (when not nil) does not reject. A
// prefix of a letter or two matches a large share of the entries: then
// only the maxScan most popular of them are yielded.
func (sg *suggestions) popularPrefix(n int, popular rangeBest, pfx string, key func(int) string, skip func(int) bool) iter.Seq[int] {
	lo, hi := prefixRange(n, key, pfx)
	return func(yield func(int) bool) {
		found := 0
		each := func(i int) bool {
			// A file of saved suggestions out of order finds wrong
			// ranges, which must still hold only completions of pfx.
			if !strings.HasPrefix(key(i), pfx) || skip != nil && skip(i) {
				return true
			}
			found++
			return yield(i) && found < maxScan
		}
		if hi-lo <= maxScan {
			for i := lo; i < hi && each(i); i++ {
			}
			return
		}
		popular.each(lo, hi, each)
	}
}

// topN returns the best n (by better) of candidates, which complete pfx,
// best first, varied: the best entry of each way of completing the word
// being typed comes before the second best of any, so "nam d" offers Nam
// Đàn beside Nam Định and not only Nam Định three times. It keeps the best
// by insertion, which costs little for the n of a suggestion list.
func topN(candidates iter.Seq[int], pfx string, n int, exact func(int) string, better func(i, j int) bool) []int {
	var leaders, rest []int
	groups := map[string]int{} // completion, spelled as published → its best entry so far
	words := strings.Count(pfx, " ")
	if !strings.HasSuffix(pfx, " ") {
		words++
	}
	for i := range candidates {
		g := firstWords(exact(i), words)
		lead, ok := groups[g]
		switch {
		case !ok:
			groups[g] = i
		case better(i, lead):
			groups[g] = i
			rest = insertBest(rest, lead, n, better)
		default:
			rest = insertBest(rest, i, n, better)
		}
	}
	for _, i := range groups {
		leaders = insertBest(leaders, i, n, better)
	}
	for _, i := range rest {
		if len(leaders) == n {
			break
		}
		leaders = append(leaders, i)
	}
	return leaders
}

// maxScan bounds the entries one suggest call ranks, so that a one-letter
// prefix costs about what a longer one does.
const maxScan = 256

// insertBest inserts i into best, kept sorted by better and at most n
// long.
func insertBest(best []int, i, n int, better func(i, j int) bool) []int {
	if len(best) == n && !better(i, best[n-1]) {
		return best
	}
	at := len(best)
	for at > 0 && better(i, best[at-1]) {
		at--
	}
	best = append(best, 0)
	copy(best[at+1:], best[at:])
	best[at] = i
	if len(best) > n {
		best = best[:n]
	}
	return best
}

// markPrefix returns text as HTML with the words that p matches marked:
// from the first word where p matches as typed (or, failing that, after
// folding) to as far as p goes into the last word.
func markPrefix(text string, p prefix) string {
	toks := suggestAnalyzer.Analyze([]byte(text))
	try := func(asTyped bool) (int, int, bool) {
		want := p.folded
		if asTyped {
			want = p.exact
		}
		for i := range toks {
			if end, ok := matchFrom(text, toks[i:], want, asTyped); ok {
				return toks[i].Start, end, true
			}
		}
		return 0, 0, false
	}
	start, end, ok := 0, 0, false
	if p.diacritics {
		start, end, ok = try(true)
	}
	if !ok {
		start, end, ok = try(false)
	}
	if !ok {
		return html.EscapeString(text)
	}
	return html.EscapeString(text[:start]) + "<mark>" + html.EscapeString(text[start:end]) + "</mark>" +
		html.EscapeString(text[end:])
}

// matchFrom reports whether want (terms joined by spaces) matches the
// tokens from the first on, and the byte offset in text where the match
// ends.
func matchFrom(text string, toks analysis.TokenStream, want string, asTyped bool) (int, bool) {
	end := 0
	for _, t := range toks {
		term := string(t.Term)
		if !asTyped {
			term = analyzers.Fold(term)
		}
		switch {
		case want == "":
			return end, true
		case strings.HasPrefix(want, term+" "):
			want, end = want[len(term)+1:], t.End
		case want == term:
			return t.End, true
		case strings.HasPrefix(term, want) && !strings.Contains(want, " "):
			// Into the word as far as want goes, counting letters as
			// folding does: a mark folded away is no letter of its own.
			runes, at := utf8.RuneCountInString(want), t.Start
			for runes > 0 && at < t.End {
				r, w := utf8.DecodeRuneInString(text[at:])
				if analyzers.FoldRune(r) >= 0 {
					runes--
				}
				at += w
			}
			return at, true
		default:
			return 0, false
		}
	}
	return end, want == ""
}

// Phrase counting packs the term ids of a sequence into one uint64, 21
// bits each; the rare terms beyond 2^21 distinct ones break sequences.
const (
	termBits = 21
	termMask = 1<<termBits - 1
	noTerm   = 0 // a break: punctuation or the end of a text
)

// phraseStat counts one sequence of terms: its articles and, by majority
// vote over its occurrences, its most frequent spelling.
type phraseStat struct {
	docs, lastDoc int32
	spelling      uint64 // spelling ids, packed like the terms
	votes         int32
}

func (st *phraseStat) add(doc int32, spelling uint64) {
	if st.lastDoc != doc {
		st.docs++
		st.lastDoc = doc
	}
	// Boyer–Moore majority vote: the spelling used more than half the
	// time wins, in constant space per phrase.
	switch {
	case st.votes == 0:
		st.spelling, st.votes = spelling, 1
	case st.spelling == spelling:
		st.votes++
	default:
		st.votes--
	}
}

// builder holds the state of one build.
type builder struct {
	opts      Options
	termIDs   map[string]uint32 // normalised term → id
	terms     []string          // id → term; 0 is noTerm
	termDocs  []int32           // id → articles it appears in
	termLast  []int32
	spellIDs  map[string]uint32 // spelling as published → id
	spellings []string
	spellTerm []uint32 // spelling id → term id
	tokens    []uint32 // spelling ids of every text, noTerm between runs
	docStarts []int    // into tokens, per article
	titles    []titleDoc
}

func buildSuggestions(ctx context.Context, opts Options, each func(func(schema.Article) error) error) (*suggestions, error) {
	opts.SetDefaults()
	b := &builder{
		opts:      opts,
		termIDs:   map[string]uint32{},
		terms:     []string{""},
		termDocs:  []int32{0},
		termLast:  []int32{-1},
		spellIDs:  map[string]uint32{},
		spellings: []string{""},
		spellTerm: []uint32{noTerm},
	}
	err := each(func(a schema.Article) error {
		b.add(a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sg := &suggestions{docs: b.titles}
	sg.phrases = b.phrases()
	sg.titles = titleEntries(b.titles)
	sg.wordDocs = make(map[string]int32, len(b.terms))
	for t, term := range b.terms[1:] {
		sg.wordDocs[analyzers.Fold(term)] += b.termDocs[t+1]
	}
	byDocs := make([]int32, len(sg.phrases))
	for i := range byDocs {
		byDocs[i] = int32(i)
	}
	sort.SliceStable(byDocs, func(i, j int) bool {
		return sg.phrases[byDocs[i]].docs > sg.phrases[byDocs[j]].docs
	})
	sg.phrasesByDocs = newRangeBest(byDocs)
	firstWord := make([]int32, len(sg.titles))
	byWord := make([]int32, len(sg.titles))
	for i, e := range sg.titles {
		byWord[i] = int32(i)
		firstWord[i] = sg.wordDocs[firstWords(resolveTitle(sg.docs, e).folded, 1)]
	}
	sort.SliceStable(byWord, func(i, j int) bool {
		a, b := byWord[i], byWord[j]
		if firstWord[a] != firstWord[b] {
			return firstWord[a] > firstWord[b]
		}
		if sa, sb := sg.titles[a].folded == 0, sg.titles[b].folded == 0; sa != sb {
			return sa
		}
		return sg.docs[sg.titles[a].doc].published > sg.docs[sg.titles[b].doc].published
	})
	sg.titlesByWord = newRangeBest(byWord)
	sg.stats = Stats{Articles: len(b.docStarts), Phrases: len(sg.phrases), Titles: len(b.titles)}
	return sg, nil
}

// add tokenises one article's texts into b.tokens.
func (b *builder) add(a schema.Article) {
	doc := int32(len(b.docStarts))
	b.docStarts = append(b.docStarts, len(b.tokens))
	if a.Title != "" {
		b.titles = append(b.titles, titleDoc{id: a.ID, title: a.Title, published: unixOrZero(a.Published)})
	}
	for _, text := range []string{a.Title, a.Lead, a.Body} {
		prevEnd := -1
		for _, t := range suggestAnalyzer.Analyze([]byte(text)) {
			if prevEnd >= 0 && strings.TrimSpace(text[prevEnd:t.Start]) != "" {
				b.tokens = append(b.tokens, noTerm)
			}
			prevEnd = t.End
			b.tokens = append(b.tokens, b.spelling(text[t.Start:t.End], t.Term, doc))
		}
		b.tokens = append(b.tokens, noTerm)
	}
}

// spelling returns the id of a word as published, counting its term's
// article.
func (b *builder) spelling(s string, term []byte, doc int32) uint32 {
	id, ok := b.spellIDs[s]
	if !ok {
		tid, ok := b.termIDs[string(term)]
		if !ok {
			tid = uint32(len(b.terms))
			b.termIDs[string(term)] = tid
			b.terms = append(b.terms, string(term))
			b.termDocs = append(b.termDocs, 0)
			b.termLast = append(b.termLast, -1)
		}
		id = uint32(len(b.spellings))
		s = strings.Clone(s)
		b.spellIDs[s] = id
		b.spellings = append(b.spellings, s)
		b.spellTerm = append(b.spellTerm, tid)
	}
	tid := b.spellTerm[id]
	if b.termLast[tid] != doc {
		b.termLast[tid] = doc
		b.termDocs[tid]++
	}
	return id
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func unixTime(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// phrases counts the two- and three-syllable sequences, keeps the frequent
// ones that make good suggestions, and returns them sorted by folded form.
func (b *builder) phrases() []phrase {
	docs := len(b.docStarts)
	minDocs := int32(b.opts.MinDocs)
	if minDocs <= 0 {
		minDocs = int32(max(2, docs/10_000))
	}
	term := func(spell uint32) uint64 {
		t := b.spellTerm[spell]
		if t > termMask {
			return noTerm
		}
		return uint64(t)
	}
	// A word in fewer than minDocs articles cannot be part of a phrase in
	// as many: it breaks sequences like punctuation, which spares the
	// counting below most of its map lookups.
	for i, spell := range b.tokens {
		if b.termDocs[b.spellTerm[spell]] < minDocs {
			b.tokens[i] = noTerm
		}
	}
	// Pass 1: articles of every pair.
	pairs := map[uint64]int32{}
	var pairStats []phraseStat
	b.eachDoc(func(doc int32, toks []uint32) {
		for i := 0; i+1 < len(toks); i++ {
			x, y := term(toks[i]), term(toks[i+1])
			if x == noTerm || y == noTerm {
				continue
			}
			k := x<<termBits | y
			at, ok := pairs[k]
			if !ok {
				at = int32(len(pairStats))
				pairs[k] = at
				pairStats = append(pairStats, phraseStat{lastDoc: -1})
			}
			if st := &pairStats[at]; st.lastDoc != doc {
				st.docs++
				st.lastDoc = doc
			}
		}
	})
	frequent := map[uint64]int32{}
	var stats []phraseStat
	for k, at := range pairs {
		if pairStats[at].docs >= minDocs {
			frequent[k] = int32(len(stats))
			stats = append(stats, phraseStat{lastDoc: -1})
		}
	}
	pairs, pairStats = nil, nil
	// Pass 2: spellings of the frequent pairs, and the articles and
	// spellings of the triples both of whose pairs are frequent.
	triples := map[uint64]int32{}
	b.eachDoc(func(doc int32, toks []uint32) {
		// The pair at i+1 is looked up in the round of i, when cached.
		cached, cachedAt, cachedOK := false, int32(0), false
		for i := 0; i+1 < len(toks); i++ {
			x, y := term(toks[i]), term(toks[i+1])
			if x == noTerm || y == noTerm {
				cached = false
				continue
			}
			at, ok := cachedAt, cachedOK
			if !cached {
				at, ok = frequent[x<<termBits|y]
			}
			cached = false
			if !ok {
				continue
			}
			stats[at].add(doc, uint64(toks[i])<<termBits|uint64(toks[i+1]))
			if i+2 >= len(toks) {
				continue
			}
			z := term(toks[i+2])
			if z == noTerm {
				continue
			}
			cachedAt, cachedOK = frequent[y<<termBits|z]
			cached = true
			if !cachedOK {
				continue
			}
			k := x<<(2*termBits) | y<<termBits | z
			at, ok = triples[k]
			if !ok {
				at = int32(len(stats))
				triples[k] = at
				stats = append(stats, phraseStat{lastDoc: -1})
			}
			stats[at].add(doc, uint64(toks[i])<<(2*termBits)|uint64(toks[i+1])<<termBits|uint64(toks[i+2]))
		}
	})

	stopDocs := int32(math.MaxInt32)
	if docs >= b.opts.MinStopArticles {
		stopDocs = int32(math.Ceil(b.opts.StopShare * float64(docs)))
	}
	edgeDocs := int32(math.MaxInt32)
	if docs >= b.opts.MinStopArticles {
		edgeDocs = int32(math.Ceil(b.opts.EdgeShare * float64(docs)))
	}
	stop := func(t uint64) bool { return b.termDocs[t] >= stopDocs }
	edge := func(t uint64) bool { return b.termDocs[t] >= edgeDocs }
	good := func(ts []uint64) bool {
		allStop, allNumber := true, true
		for _, t := range ts {
			allStop = allStop && stop(t)
			allNumber = allNumber && isNumber(b.terms[t])
		}
		if allStop || allNumber || edge(ts[len(ts)-1]) {
			return false
		}
		return len(ts) < 3 || !edge(ts[0])
	}
	// A pair that one triple nearly always goes on from is its unfinished
	// start.
	extended := map[uint64]int32{}
	for k, at := range triples {
		n := stats[at].docs
		if n < minDocs {
			continue
		}
		first := k >> termBits
		extended[first] = max(extended[first], n)
	}
	type kept struct {
		terms []uint64
		at    int32
	}
	var keep []kept
	for k, at := range frequent {
		ts := []uint64{k >> termBits, k & termMask}
		if good(ts) && float64(extended[k]) < b.opts.DominantShare*float64(stats[at].docs) {
			keep = append(keep, kept{ts, at})
		}
	}
	for k, at := range triples {
		ts := []uint64{k >> (2 * termBits), k >> termBits & termMask, k & termMask}
		n := float64(stats[at].docs)
		left, right := stats[frequent[k>>termBits]].docs, stats[frequent[k&(1<<(2*termBits)-1)]].docs
		if stats[at].docs >= minDocs && good(ts) && n >= b.opts.ExtendShare*float64(max(left, right)) {
			keep = append(keep, kept{ts, at})
		}
	}
	sort.Slice(keep, func(i, j int) bool { return stats[keep[i].at].docs > stats[keep[j].at].docs })
	if len(keep) > b.opts.MaxPhrases {
		keep = keep[:b.opts.MaxPhrases]
	}
	out := make([]phrase, 0, len(keep))
	for _, k := range keep {
		st := &stats[k.at]
		exact, folded, text := make([]string, len(k.terms)), make([]string, len(k.terms)), make([]string, len(k.terms))
		for i := range k.terms {
			shift := termBits * (len(k.terms) - 1 - i)
			exact[i] = b.terms[k.terms[i]]
			folded[i] = analyzers.Fold(exact[i])
			text[i] = b.spellings[st.spelling>>shift&termMask]
		}
		out = append(out, phrase{folded: strings.Join(folded, " "), exact: strings.Join(exact, " "),
			text: strings.Join(text, " "), docs: st.docs})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].folded != out[j].folded {
			return out[i].folded < out[j].folded
		}
		return out[i].docs > out[j].docs
	})
	return out
}

// eachDoc calls fn with each article's tokens.
func (b *builder) eachDoc(fn func(doc int32, toks []uint32)) {
	for i, start := range b.docStarts {
		end := len(b.tokens)
		if i+1 < len(b.docStarts) {
			end = b.docStarts[i+1]
		}
		fn(int32(i), b.tokens[start:end])
	}
}

// isNumber reports whether a term is digits and separators only.
func isNumber(term string) bool {
	for i := 0; i < len(term); i++ {
		if c := term[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

// titleEntries fills in the folded and exact forms of docs and returns
// every title from each of its syllables on, sorted by folded form.
func titleEntries(docs []titleDoc) []titleEntry {
	var out []titleEntry
	for d := range docs {
		doc := &docs[d]
		toks := suggestAnalyzer.Analyze([]byte(doc.title))
		var f, e strings.Builder
		at := len(out)
		for i, t := range toks {
			if i > 0 {
				f.WriteByte(' ')
				e.WriteByte(' ')
			}
			if f.Len() <= maxTitleOffset && e.Len() <= maxTitleOffset {
				out = append(out, titleEntry{doc: int32(d), folded: uint16(f.Len()), exact: uint16(e.Len())})
			}
			f.WriteString(analyzers.Fold(string(t.Term)))
			e.Write(t.Term)
		}
		doc.folded, doc.exact = f.String(), e.String()
		if len(toks) == 0 {
			out = out[:at]
		}
	}
	sortTitleEntries(docs, out)
	return out
}

func sortTitleEntries(docs []titleDoc, entries []titleEntry) {
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		return docs[a.doc].folded[a.folded:] < docs[b.doc].folded[b.folded:]
	})
}
