// Package corpusgen makes a larger news corpus out of a real one, to
// measure vnsearch at archive sizes no shared corpus reaches: every
// generated article has a new id and date, a section and source drawn with
// the source corpus's shares, a new title walked through the source titles,
// and a lead and body of passages of consecutive source sentences, as long
// as a source article's. Drawing passages uniformly over all source sentences
// keeps each syllable's share of the text that of the source; drawing runs
// rather than single sentences keeps words repeating within an article as
// they do in news, which sets how many postings an index holds.
//
// A Model holds the source corpus (its memory is the corpus's, whatever
// the number of articles generated); Generate streams articles from it.
// Profile measures a corpus, source or generated, so the two can be
// compared.
package corpusgen

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

// Errors of Options.Validate and Generate.
var (
	ErrEmptyModel = errors.New("the source corpus has no article with a title and a body")
	ErrOptions    = errors.New("invalid generation options")
)

// Passage lengths, in sentences, and donors: a body passage is 1 to
// 2*bodyRun-1 consecutive sentences of a source body, and a generated
// body reads in turn from bodyDonors source bodies; a lead likewise from
// leadDonors source leads. Fewer donors and longer runs keep more of a
// source article's words together (fewer distinct syllables per generated
// article, as in real news) but repeat longer stretches of it. Measured
// on the shared corpus, two donors give 16% more distinct syllables per
// article than the source's, one 12%.
const (
	bodyRun    = 3
	leadRun    = 1
	bodyDonors = 2
	leadDonors = 2
)

// Model is what generation draws from: the source articles' lengths,
// sections and sources, their sentences and their titles. Build it with
// Add; it is not safe for concurrent use while being built, and safe for
// concurrent Generate calls afterwards. The zero value is an empty model.
type Model struct {
	templates []template
	sections  []string
	sectionOf map[string]int
	sentences []sentence
	texts     []span    // the sentences of each lead and body
	bodyPool  [][]int32 // per section, the sentences of bodies
	leadPool  [][]int32 // per section, the sentences of leads
	titles    titleModel
	// sectionTitles holds, per section, its articles' titles.
	sectionTitles [][]int32
}

// template is what a generated article takes from one source article:
// its section, source and author, its lengths, and its title when no new
// one is found.
type template struct {
	section              int
	source, author       string
	title                int32
	leadWords, bodyWords int32
}

// sentence is one source sentence and where it sits.
type sentence struct {
	text   string
	words  int32 // white-space separated, roughly syllables
	owner  int32 // index into Model.texts
	parBeg bool  // it starts a paragraph of its source text
}

// span is the sentences [start, end) of one lead or body.
type span struct{ start, end int32 }

// Add takes one source article into the model; one without a title or a
// body adds nothing. The article is expected to be prepared
// (indexer.Prepare): the readers of the indexer hand them so. It always
// returns nil, to serve as an indexer.Visitor's Article.
func (m *Model) Add(a schema.Article) error {
	if a.Title == "" || strings.TrimSpace(a.Body) == "" {
		return nil
	}
	if m.sectionOf == nil {
		m.sectionOf = map[string]int{}
	}
	sec, ok := m.sectionOf[a.Section]
	if !ok {
		sec = len(m.sections)
		m.sectionOf[a.Section] = sec
		m.sections = append(m.sections, a.Section)
		m.bodyPool = append(m.bodyPool, nil)
		m.leadPool = append(m.leadPool, nil)
		m.sectionTitles = append(m.sectionTitles, nil)
	}
	t := template{section: sec, source: a.Source, author: a.Author, title: m.titles.add(a.Title)}
	m.sectionTitles[sec] = append(m.sectionTitles[sec], t.title)
	var lead, body span
	lead, t.leadWords = m.addText(a.Lead)
	body, t.bodyWords = m.addText(a.Body)
	for s := lead.start; s < lead.end; s++ {
		m.leadPool[sec] = append(m.leadPool[sec], s)
	}
	for s := body.start; s < body.end; s++ {
		m.bodyPool[sec] = append(m.bodyPool[sec], s)
	}
	m.templates = append(m.templates, t)
	return nil
}

// addText splits text into paragraphs and sentences and returns their
// span and how many words they have.
func (m *Model) addText(text string) (span, int32) {
	sp := span{start: int32(len(m.sentences))}
	id := int32(len(m.texts))
	var words int32
	for par := range strings.SplitSeq(text, "\n") {
		for i, s := range SplitSentences(par) {
			n := int32(countWords(s))
			m.sentences = append(m.sentences, sentence{text: s, words: n, owner: id, parBeg: i == 0})
			words += n
		}
	}
	sp.end = int32(len(m.sentences))
	if sp.end > sp.start {
		m.texts = append(m.texts, sp)
	}
	return sp, words
}

// Articles returns how many source articles the model holds.
func (m *Model) Articles() int { return len(m.templates) }

// Sentences returns how many source sentences the model holds.
func (m *Model) Sentences() int { return len(m.sentences) }

// Options says what to generate. The zero value of a field means its
// default.
type Options struct {
	// N is the number of articles; required.
	N int
	// Seed chooses everything drawn: the same model, options and seed
	// give the same articles.
	Seed uint64
	// From and To bound the publication dates, spread evenly over
	// [From, To) in the order generated. Default 2004-01-01 to
	// 2014-01-01, Vietnam time: ten years of the source corpus's era.
	From, To time.Time
	// IDPrefix starts every id, followed by the seed and the article's
	// number. Default "gen".
	IDPrefix string
}

// SetDefaults fills the zero fields with their defaults.
func (o *Options) SetDefaults() {
	if o.From.IsZero() {
		o.From = time.Date(2004, 1, 1, 0, 0, 0, 0, schema.VietnamTime)
	}
	if o.To.IsZero() {
		o.To = o.From.AddDate(10, 0, 0)
	}
	if o.IDPrefix == "" {
		o.IDPrefix = "gen"
	}
}

// Validate reports options that cannot be generated, wrapping ErrOptions.
func (o Options) Validate() error {
	switch {
	case o.N <= 0:
		return fmt.Errorf("%w: the number of articles must be positive", ErrOptions)
	case !o.To.After(o.From):
		return fmt.Errorf("%w: the date range must end after it starts", ErrOptions)
	}
	return nil
}

// Generate makes opts.N articles and hands them to emit in order, from the
// calling goroutine. It stops at emit's first error, or when ctx is done,
// and returns that error.
func (m *Model) Generate(ctx context.Context, opts Options, emit func(schema.Article) error) error {
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return err
	}
	if len(m.templates) == 0 {
		return ErrEmptyModel
	}
	step := float64(opts.To.Sub(opts.From)) / float64(opts.N)
	width := len(fmt.Sprint(opts.N))
	var b strings.Builder
	given := newGivenTitles(len(m.templates))
	for i := range opts.N {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		// One generator per article, seeded by its number, so that an
		// article does not depend on how the ones before it were drawn.
		rng := rand.New(rand.NewPCG(opts.Seed, uint64(i)))
		t := m.templates[rng.IntN(len(m.templates))]
		published := opts.From.Add(time.Duration((float64(i) + rng.Float64()) * step)).Truncate(time.Minute)
		a := schema.Article{
			ID:        fmt.Sprintf("%s-%d-%0*d", opts.IDPrefix, opts.Seed, width, i+1),
			Title:     m.titles.recombine(rng, m.sectionTitles[t.section], t.title, given),
			Lead:      m.fill(&b, rng, m.leadPool[t.section], t.leadWords, leadRun, leadDonors, " "),
			Body:      m.fill(&b, rng, m.bodyPool[t.section], t.bodyWords, bodyRun, bodyDonors, "\n"),
			Section:   m.sections[t.section],
			Source:    t.source,
			Author:    t.author,
			Published: published.In(opts.From.Location()),
		}
		if err := emit(a); err != nil {
			return err
		}
	}
	return nil
}

// fill draws passages from pool until they hold about target words, and
// joins them with sep. The passages come in turn from donors source texts
// each read on from a sentence drawn from pool, so that the words of a
// few texts, not of many, make one generated text, as they do in news. A
// donor read to its end is replaced by a new one. fill stops before a
// passage that would overshoot the target by more than stopping short of
// it would miss it, so lengths follow the targets' distribution without a
// bias either way.
func (m *Model) fill(b *strings.Builder, rng *rand.Rand, pool []int32, target int32, run, donors int, sep string) string {
	if target <= 0 || len(pool) == 0 {
		return ""
	}
	type donor struct{ next, left int32 }
	draw := func() donor {
		s := pool[rng.IntN(len(pool))]
		sp := m.texts[m.sentences[s].owner]
		return donor{s, sp.end - sp.start}
	}
	ds := make([]donor, donors)
	for i := range ds {
		ds[i] = draw()
	}
	b.Reset()
	var total int32
	for k := 0; total < target; k++ {
		d := &ds[k%donors]
		if d.left == 0 {
			*d = draw()
		}
		n := min(int32(1+rng.IntN(2*run-1)), d.left)
		mark := b.Len()
		if total > 0 {
			b.WriteString(sep)
		}
		next, words := m.passage(b, d.next, n)
		if total > 0 && total+words-target > target-total {
			s := b.String()[:mark]
			b.Reset()
			b.WriteString(s)
			break
		}
		d.next, d.left = next, d.left-n
		total += words
	}
	return b.String()
}

// passage writes n consecutive sentences of one source text from start,
// going on at the text's first sentence after its last, with the text's
// paragraph breaks. It returns the sentence after them and how many words
// it wrote.
func (m *Model) passage(b *strings.Builder, start, n int32) (next, words int32) {
	sp := m.texts[m.sentences[start].owner]
	s := start
	for k := range n {
		sen := m.sentences[s]
		if k > 0 {
			if sen.parBeg {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(sen.text)
		words += sen.words
		if s++; s == sp.end {
			s = sp.start
		}
	}
	return s, words
}

// countWords counts the white-space separated words of s.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		space := r == ' ' || r == '\t' || r == '\n' || r == '\u00a0'
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}
