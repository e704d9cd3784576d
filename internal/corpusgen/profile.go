package corpusgen

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/schema"
)

// Profile measures a corpus, article by article, for comparing a
// generated corpus with its source: syllable frequencies, lengths,
// sections and repeated titles. Its memory grows with the vocabulary and
// by a few bytes per article. Create it with NewProfile; it is not safe
// for concurrent use.
type Profile struct {
	articles    int
	ids         map[string]int32 // lower-cased syllable -> its number
	counts      []int64          // occurrences, by number
	lastIn      []int32          // the last article that had it, by number
	tokens      int64
	distinctSum int64 // sum over articles of their distinct syllables
	bodyWords   []int32
	titleWords  []int32
	sections    map[string]int
	titles      map[uint64]int32 // hash of the title -> articles with it
	seed        maphash.Seed
	checkpoints []int
	vocabAt     []VocabularyAt
	buf         []byte // one lower-cased syllable, reused
}

// VocabularyAt is the number of distinct syllables in the first Articles
// articles of a corpus.
type VocabularyAt struct {
	Articles  int `json:"articles"`
	Syllables int `json:"syllables"`
}

// NewProfile returns an empty profile that notes the vocabulary's size
// after each of checkpoints articles, and at the end.
func NewProfile(checkpoints ...int) *Profile {
	return &Profile{
		ids:         map[string]int32{},
		sections:    map[string]int{},
		titles:      map[uint64]int32{},
		seed:        maphash.MakeSeed(),
		checkpoints: slices.Sorted(slices.Values(checkpoints)),
	}
}

// Add measures one article. It always returns nil, to serve as an
// indexer.Visitor's Article or an emit function of Generate.
func (p *Profile) Add(a schema.Article) error {
	p.articles++
	p.sections[a.Section]++
	p.titles[maphash.String(p.seed, a.Title)]++
	p.titleWords = append(p.titleWords, int32(countWords(a.Title)))
	p.bodyWords = append(p.bodyWords, int32(countWords(a.Body)))
	var distinct int64
	for _, text := range []string{a.Title, a.Lead, a.Body} {
		for i := 0; i < len(text); {
			var id int32
			if id, i = p.nextSyllable(text, i); id < 0 {
				continue
			}
			p.tokens++
			p.counts[id]++
			if p.lastIn[id] != int32(p.articles) {
				p.lastIn[id] = int32(p.articles)
				distinct++
			}
		}
	}
	p.distinctSum += distinct
	if len(p.vocabAt) < len(p.checkpoints) && p.articles == p.checkpoints[len(p.vocabAt)] {
		p.vocabAt = append(p.vocabAt, VocabularyAt{p.articles, len(p.counts)})
	}
	return nil
}

// nextSyllable finds the next lower-cased run of letters in text from byte
// i, a Vietnamese syllable or a foreign word (numbers and codes are left
// out), and returns its number and the byte after it, or -1 and len(text)
// when there is none.
func (p *Profile) nextSyllable(text string, i int) (int32, int) {
	p.buf = p.buf[:0]
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			p.buf = utf8.AppendRune(p.buf, unicode.ToLower(r))
		} else if len(p.buf) > 0 {
			break
		}
		i += size
	}
	if len(p.buf) == 0 {
		return -1, i
	}
	id, ok := p.ids[string(p.buf)]
	if !ok {
		id = int32(len(p.counts))
		p.ids[string(p.buf)] = id
		p.counts = append(p.counts, 0)
		p.lastIn = append(p.lastIn, 0)
	}
	return id, i
}

// Summary is what a Profile found.
type Summary struct {
	Articles int `json:"articles"`
	// Syllables counts syllable occurrences in titles, leads and bodies;
	// Distinct counts different syllables.
	Syllables int64 `json:"syllables"`
	Distinct  int   `json:"distinct"`
	// DistinctPerArticle is the mean number of different syllables in
	// one article: the postings an article adds to an index.
	DistinctPerArticle float64 `json:"distinctPerArticle"`
	// Top1000Share is the share of syllable occurrences that are one of
	// the 1,000 most frequent syllables.
	Top1000Share float64 `json:"top1000Share"`
	// Vocabulary is the number of distinct syllables after each
	// checkpoint and at the end.
	Vocabulary []VocabularyAt `json:"vocabulary"`
	// BodyWords and TitleWords are length quantiles, in white-space
	// separated words: 10th, 50th and 90th percentiles and the mean.
	BodyWords  Lengths `json:"bodyWords"`
	TitleWords Lengths `json:"titleWords"`
	// DuplicateTitles is the share of articles whose title another
	// article of the corpus has too.
	DuplicateTitles float64 `json:"duplicateTitles"`
	// Sections is each section's share of the articles.
	Sections map[string]float64 `json:"sections"`
}

// Lengths are quantiles and the mean of a length.
type Lengths struct {
	P10  int32   `json:"p10"`
	P50  int32   `json:"p50"`
	P90  int32   `json:"p90"`
	Mean float64 `json:"mean"`
}

// Summary returns what the profile found so far.
func (p *Profile) Summary() Summary {
	s := Summary{
		Articles:   p.articles,
		Syllables:  p.tokens,
		Distinct:   len(p.counts),
		Vocabulary: slices.Clone(p.vocabAt),
		BodyWords:  lengths(p.bodyWords),
		TitleWords: lengths(p.titleWords),
		Sections:   map[string]float64{},
	}
	if n := len(s.Vocabulary); n == 0 || s.Vocabulary[n-1].Articles != p.articles {
		s.Vocabulary = append(s.Vocabulary, VocabularyAt{p.articles, len(p.counts)})
	}
	if p.articles == 0 {
		return s
	}
	s.DistinctPerArticle = float64(p.distinctSum) / float64(p.articles)
	var top int64
	for _, sc := range p.top(1000) {
		top += sc.count
	}
	s.Top1000Share = float64(top) / float64(max(p.tokens, 1))
	dup := 0
	for _, n := range p.titles {
		if n > 1 {
			dup += int(n)
		}
	}
	s.DuplicateTitles = float64(dup) / float64(p.articles)
	for sec, n := range p.sections {
		s.Sections[sec] = float64(n) / float64(p.articles)
	}
	return s
}

type syllableCount struct {
	syllable string
	count    int64
}

// top returns the n most frequent syllables, most frequent first.
func (p *Profile) top(n int) []syllableCount {
	all := make([]syllableCount, 0, len(p.counts))
	for s, id := range p.ids {
		all = append(all, syllableCount{s, p.counts[id]})
	}
	slices.SortFunc(all, func(a, b syllableCount) int {
		return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.syllable, b.syllable))
	})
	return all[:min(n, len(all))]
}

func lengths(v []int32) Lengths {
	if len(v) == 0 {
		return Lengths{}
	}
	s := slices.Sorted(slices.Values(v))
	var sum int64
	for _, x := range s {
		sum += int64(x)
	}
	at := func(q int) int32 { return s[(len(s)-1)*q/100] }
	return Lengths{P10: at(10), P50: at(50), P90: at(90), Mean: float64(sum) / float64(len(s))}
}

// Likeness compares the syllable frequencies of two corpora.
type Likeness struct {
	// TopOverlap is the share of one corpus's 1,000 most frequent
	// syllables that are among the other's.
	TopOverlap float64 `json:"topOverlap"`
	// TopDistance is half the sum, over the source's 1,000 most frequent
	// syllables, of the difference of their shares of all occurrences in
	// the two corpora: 0 when their frequencies agree.
	TopDistance float64 `json:"topDistance"`
	// Missing is the share of the source's distinct syllables that the
	// other corpus never uses.
	Missing float64 `json:"missing"`
}

// Compare measures how far other's syllable frequencies are from
// source's.
func Compare(source, other *Profile) Likeness {
	var l Likeness
	st, ot := source.top(1000), other.top(1000)
	if len(st) == 0 || source.tokens == 0 || other.tokens == 0 {
		return l
	}
	inOther := map[string]bool{}
	for _, sc := range ot {
		inOther[sc.syllable] = true
	}
	shared := 0
	for _, sc := range st {
		if inOther[sc.syllable] {
			shared++
		}
		diff := float64(sc.count)/float64(source.tokens) - float64(other.count(sc.syllable))/float64(other.tokens)
		if diff < 0 {
			diff = -diff
		}
		l.TopDistance += diff / 2
	}
	l.TopOverlap = float64(shared) / float64(len(st))
	missing := 0
	for s := range source.ids {
		if other.count(s) == 0 {
			missing++
		}
	}
	l.Missing = float64(missing) / float64(len(source.ids))
	return l
}

// count returns the occurrences of syllable s.
func (p *Profile) count(s string) int64 {
	if id, ok := p.ids[s]; ok {
		return p.counts[id]
	}
	return 0
}
