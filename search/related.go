package search

import (
	"context"
	"fmt"
	"html"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// Limits on a related call.
const (
	DefaultRelated = 5
	MaxRelated     = 20
)

// relatedTerms is how many of an article's most distinctive terms find
// its related articles: enough to say what it is about, few enough that
// the query stays quick.
const relatedTerms = 30

var (
	foldedAnalyzer = analyzers.MustNew(analyzers.Folded)
	pairsAnalyzer  = analyzers.MustNew(analyzers.FoldedPairs)
)

// relatedWeight weighs a term by the text it is in, for the source article
// and for the articles found: a headline word says most about a story.
var relatedWeight = struct{ title, lead, body float64 }{title: 3.0, lead: 1.6, body: 1.0}

// relatedViews are the folded views the articles found are scored in, with
// relatedWeight. The body has no folded view of its own, so the whole
// text stands in for it: a title or lead word counts there too, on top.
var relatedViews = []struct {
	view   schema.TextField
	weight float64
}{{schema.Title, relatedWeight.title}, {schema.Lead, relatedWeight.lead}, {schema.Text, relatedWeight.body}}

// relatedTerm is a term of the source article and its weight there.
type relatedTerm struct {
	term   string
	pair   bool
	tf     float64 // occurrences, weighted by the field they are in
	weight float64 // tf·idf
}

// Related returns at most n articles (n = 0 means DefaultRelated) most like
// the one with the given id, best first, without it. bleve has no
// more-like-this query, so Related builds one: the article's syllables and
// syllable pairs, folded, weighted by how often it uses them (more in the
// title and lead) and how rare they are in the index, the top relatedTerms
// of them searched for in relatedViews. An unknown id is ErrNotFound.
func (s *Searcher) Related(ctx context.Context, id string, n int) ([]Hit, error) {
	switch {
	case n == 0:
		n = DefaultRelated
	case n < 1 || n > MaxRelated:
		return nil, &ParamError{Param: "size", Reason: fmt.Sprintf("must be from 1 to %d", MaxRelated)}
	}
	a, err := s.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	vocab, err := s.vocabulary()
	if err != nil {
		return nil, fmt.Errorf("related %q: %w", id, err)
	}
	defer vocab.close()
	terms, err := s.distinctive(a, vocab)
	if err != nil {
		return nil, err
	}
	out := []Hit{}
	if len(terms) == 0 {
		return out, nil
	}
	var any []query.Query
	for _, t := range terms {
		for _, v := range relatedViews {
			any = append(any, termQuery(foldedView(v.view, t.pair), t.term, t.weight*v.weight))
		}
	}
	q := query.NewBooleanQuery(nil, []query.Query{query.NewDisjunctionQuery(any)},
		[]query.Query{query.NewDocIDQuery([]string{a.ID})})
	sr := bleve.NewSearchRequestOptions(q, n, 0, false)
	sr.Fields = schema.StoredFields
	res, err := s.searchIndex(s.archiveScoring(ctx, vocab), sr)
	if err != nil {
		return nil, fmt.Errorf("related %q: %w", id, err)
	}
	for _, dm := range res.Hits {
		out = append(out, relatedHit(schema.FromStored(dm.ID, dm.Fields), dm.Score))
	}
	return out, nil
}

// distinctive returns the article's relatedTerms terms of highest tf·idf.
// A term no other article has finds nothing, and one in over a fifth of
// them says little: both are left out (a term of two articles is kept
// however small the index). The counts are the whole archive's, read
// through vocab.
func (s *Searcher) distinctive(a schema.Article, vocab indexVocabulary) ([]relatedTerm, error) {
	counts := map[string]*relatedTerm{}
	add := func(an analysis.Analyzer, text string, weight float64, pair bool) {
		for _, tok := range an.Analyze([]byte(text)) {
			k := string(tok.Term)
			t := counts[k]
			if t == nil {
				t = &relatedTerm{term: k, pair: pair}
				counts[k] = t
			}
			t.tf += weight
		}
	}
	for _, f := range []struct {
		text   string
		weight float64
	}{{a.Title, relatedWeight.title}, {a.Lead, relatedWeight.lead}, {a.Body, relatedWeight.body}} {
		add(foldedAnalyzer, f.text, f.weight, false)
		add(pairsAnalyzer, f.text, f.weight, true)
	}
	total, err := s.idx.DocCount()
	if err != nil {
		return nil, fmt.Errorf("related %q: %w", a.ID, err)
	}
	docs := float64(total)
	var out []relatedTerm
	for _, t := range counts {
		df := float64(vocab.articles(foldedView(schema.Text, t.pair), t.term))
		if df < 2 || df > max(docs/5, 2) {
			continue
		}
		// Sublinear tf: a word said ten times is not ten times the topic.
		t.weight = (1 + math.Log(t.tf)) * math.Log(docs/df)
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].term < out[j].term
	})
	if len(out) > relatedTerms {
		out = out[:relatedTerms]
	}
	// Boosts relative to the best term, so scores stay in a usual range.
	if len(out) > 0 {
		top := out[0].weight
		for i := range out {
			out[i].weight /= top
		}
	}
	return out, nil
}

// foldedView returns f's folded view of single terms, or of pairs.
func foldedView(f schema.TextField, pair bool) string {
	if pair {
		return f.FoldedPairs
	}
	return f.Folded
}

// relatedSnippet is the length of a related article's snippet, in
// characters.
const relatedSnippet = 240

// relatedHit makes a hit of a related article: its snippet is the opening
// of its text, as nothing was typed to mark.
func relatedHit(a schema.Article, score float64) Hit {
	return newHit(a, score, html.EscapeString,
		func(text string) string { return html.EscapeString(opening(text, relatedSnippet)) })
}

// opening returns about the first max characters of text, cut after a
// word, paragraph breaks read as spaces, with "…" when text goes on.
func opening(text string, max int) string {
	text = strings.ReplaceAll(text, "\n", " ")
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	cut := 0
	for i := range text {
		if cut++; cut > max {
			text = text[:i]
			break
		}
	}
	if sp := strings.LastIndexByte(text, ' '); sp > 0 {
		text = text[:sp]
	}
	return strings.TrimRight(text, " ,.;:") + "…"
}
