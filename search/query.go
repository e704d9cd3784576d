package search

import (
	"math"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/places"
	vnquery "github.com/vnsearch/vnsearch/query"
	"github.com/vnsearch/vnsearch/schema"
)

// queryAnalyzer analyses query text exactly as the index analysed the
// articles' exact field; analyzers are safe for concurrent use.
var queryAnalyzer = analyzers.MustNew(analyzers.Exact)

// queryTerm is one syllable or code of the query, in both index forms.
type queryTerm struct {
	exact, folded string
}

func analyseTerms(text string) []queryTerm {
	var terms []queryTerm
	for _, tok := range queryAnalyzer.Analyze([]byte(text)) {
		exact := string(tok.Term)
		terms = append(terms, queryTerm{exact: exact, folded: analyzers.Fold(exact)})
	}
	return terms
}

// Weights of the scoring clauses. Every hit matches each required word in
// the whole text, which gives it a BM25 base score; these add to it.
const (
	// A word in the headline says more about what an article is about than
	// the same word in the lead, and the lead more than the body.
	titleWeight = 2.0
	leadWeight  = 1.0
	bodyWeight  = 0.6
	// exactWeight scales the bonus for a match with the diacritics as
	// typed over the folded match every hit has: "Nam Định" above "năm
	// định".
	exactWeight = 1.0
	// pairWeight scales the bonus for two query syllables found side by
	// side: Vietnamese words are mostly two syllables written apart.
	pairWeight = 1.5
	// alternativeWeight scales the clauses of a decoded or expanded
	// alternative: the words as typed come first when both are found.
	alternativeWeight = 0.8
	// restoredWeight scales the exact clauses of a word typed without
	// diacritics and restored from the index: a hint, not the reader's
	// word.
	restoredWeight = 0.5
	// wholeWeight scales the bonus for every word of a run of query words
	// side by side in one field, the phrase a reporter remembers: it tells
	// the article that has it apart from those with most of its words
	// next to each other and a few elsewhere. It is large because BM25
	// gives each rare pair little once a field is long, and because the
	// should clauses' score is scaled by the share of them matched; on the
	// shared corpus's lead spans MRR@10 rises from 0.84 at 1 to 0.97 at 50
	// with no loss on headline queries (docs/relevance.md).
	wholeWeight = 50.0
)

func termQuery(field, term string, boost float64) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return archiveTermQuery{q}
}

func pairTerm(a, b string) string { return a + analyzers.PairSeparator + b }

// slot is one position of a run of query words: the term as typed, and
// the same term decoded from Telex or VNI or corrected, when it was.
type slot struct {
	variants []queryTerm
	// exact says the variants' diacritics are meant: the query was typed
	// with diacritics, or the variant was decoded into them.
	exact []bool
	// restored is the term with the diacritics the index mostly spells it
	// with, for a query typed without any; "" when none dominates.
	restored string
}

// plan is a compiled query: what a hit must match, what ranks it, and what
// to mark in its text.
type plan struct {
	must    []query.Query // every one required (the top level of the query)
	mustNot []query.Query
	// restrict holds the place: filters of the top level, which every
	// hit passes even when a query relaxed to fewer words does: they
	// are filters, not words.
	restrict []query.Query
	// filter holds required words too common to score cheaply: they
	// decide matching and leave ranking to the others.
	filter []required
	// mustOnlyDrives says every required word is too common to score and
	// must holds one of them only because bleve needs a scored clause to
	// find the hits.
	mustOnlyDrives bool
	// unscoredDriver is, with mustOnlyDrives, must's word matched without
	// a score: one pass finds the hits by it and ranks them by the others.
	unscoredDriver query.Query
	// maxHits is at most how many articles are hits: those holding a
	// spelling of every required word, math.MaxUint64 when not counted.
	maxHits uint64
	// cheap scores the candidates of the first pass; bonus, a superset,
	// ranks the best of them in the second.
	cheap, bonus []query.Query
	highlight    highlightTerms
	explain      Explanation
	// diacritics says the query was typed with diacritics, so every word
	// is taken as written: "Nam Định" means nam, not năm, too.
	diacritics bool
	// fuzzy holds, for each word not in the index, its closest spelling
	// that is, found by vocab.
	fuzzy map[string]string
	// restored holds the query's runs with their diacritics restored.
	restored []string
	// whole is the query's longest run of at least minWholeRun words:
	// the hits holding it rank first.
	whole wholeRun
}

// vocabulary tells which folded terms the index holds, for the typo pass.
type vocabulary interface {
	// closest returns the most frequent folded term of the article texts
	// within a small edit distance of an unknown term, or "" when term is
	// known or has no neighbour.
	closest(term string) string
	// restore returns each folded term with the diacritics the index
	// mostly spells it with, "" where no spelling dominates.
	restore(folded []string) []string
	// articles returns how many articles hold term in field.
	articles(field, term string) uint64
	// matching returns how many articles hold in their text, for each
	// group of folded terms, one of the group; false when it cannot tell.
	matching(groups [][]string) (uint64, bool)
}

// compiler turns a parsed query into a plan.
type compiler struct {
	plan
	vocab vocabulary
	// negated is set while compiling under a Not: what an excluded node
	// matches neither ranks nor is marked.
	negated bool
	// alternative is set while compiling an abbreviation's alternative:
	// its words are not the words the query typed.
	alternative bool
	// requiredSpellings holds the spellings of each required word.
	requiredSpellings [][]string
	// abbreviations are expanded both ways: UBND finds "Ủy ban nhân dân"
	// and the other way round.
	abbreviations *analyzers.Abbreviations
}

func compile(q vnquery.Query, vocab vocabulary, abbreviations *analyzers.Abbreviations) plan {
	c := compiler{vocab: vocab, abbreviations: abbreviations}
	// A word typed in Telex means its diacritics, and so do the other
	// words typed with it; a place's name says nothing of how the words
	// were typed.
	words := vnquery.Query{Root: vnquery.WithoutPlaces(q.Root)}.String()
	c.diacritics = analyzers.HasDiacritics(words) || analyzers.InputAlternatives(words) != nil
	c.highlight = newHighlightTerms(c.diacritics)
	c.explain.Parsed = q.String()
	switch root := q.Root.(type) {
	case nil:
	case vnquery.All:
		c.must, c.mustNot = c.and(root.Nodes, true)
	case vnquery.Term, vnquery.Phrase:
		c.must, c.mustNot = c.and([]vnquery.Node{root}, true)
	default:
		if m := c.node(root); m != nil {
			c.must = []query.Query{m}
		}
	}
	if len(c.must) == 0 && len(c.filter) > 0 {
		// Something must be scored to drive the matching: the rarest
		// common word. It ranks no better than the others, so the second
		// pass leaves it out.
		rarest := 0
		for i, f := range c.filter {
			if f.articles < c.filter[rarest].articles {
				rarest = i
			}
		}
		c.must = []query.Query{c.filter[rarest].query}
		c.unscoredDriver = spellingsMatch(c.filter[rarest].spellings, 0)
		c.filter = append(c.filter[:rarest], c.filter[rarest+1:]...)
		c.mustOnlyDrives = true
	}
	c.maxHits = math.MaxUint64
	if c.vocab != nil && len(c.requiredSpellings) > 0 {
		if n, ok := c.vocab.matching(c.requiredSpellings); ok {
			c.maxHits = n
		}
	}
	return c.plan
}

// and compiles the nodes of an All: runs of plain words together, so that
// adjacent words rank together and abbreviations spanning words expand.
// At the top of the query, a word too common to score cheaply goes to
// the plan's filter instead of must.
func (c *compiler) and(nodes []vnquery.Node, top bool) (must, mustNot []query.Query) {
	var run []vnquery.Term
	flush := func() {
		for _, r := range c.run(run) {
			if top && r.spellings != nil {
				c.requiredSpellings = append(c.requiredSpellings, r.spellings)
			}
			if top && r.articles > maxScoredArticles {
				c.filter = append(c.filter, r)
			} else {
				must = append(must, r.query)
			}
		}
		run = run[:0]
	}
	for _, n := range nodes {
		if t, ok := n.(vnquery.Term); ok && t.Field == "" {
			run = append(run, t)
			continue
		}
		flush()
		if top && vnquery.IsPlace(n) {
			c.restrict = append(c.restrict, c.node(n))
			continue
		}
		if not, ok := n.(vnquery.Not); ok {
			if m := c.excluded(not.Node); m != nil {
				mustNot = append(mustNot, m)
			}
			continue
		}
		if m := c.node(n); m != nil {
			must = append(must, m)
		}
	}
	flush()
	return must, mustNot
}

// node compiles one node into the query that decides whether it matches,
// nil when it holds nothing searchable.
func (c *compiler) node(n vnquery.Node) query.Query {
	switch n := n.(type) {
	case vnquery.Term:
		if n.Field == "" {
			var qs []query.Query
			for _, r := range c.run([]vnquery.Term{n}) {
				qs = append(qs, r.query)
			}
			return conjunction(qs)
		}
		return c.fielded(n.Field, n.Text, false)
	case vnquery.Phrase:
		if n.Field == "" {
			return c.phrase(n.Text)
		}
		return c.fielded(n.Field, n.Text, true)
	case vnquery.Not:
		m := c.excluded(n.Node)
		if m == nil {
			return nil
		}
		return query.NewBooleanQuery(nil, nil, []query.Query{m})
	case vnquery.All:
		must, mustNot := c.and(n.Nodes, false)
		if len(must) == 0 {
			return nil
		}
		if len(mustNot) == 0 {
			return conjunction(must)
		}
		return query.NewBooleanQuery(must, nil, mustNot)
	case vnquery.Any:
		var alts []query.Query
		for _, child := range n.Nodes {
			if m := c.node(child); m != nil {
				alts = append(alts, m)
			}
		}
		return disjunction(alts)
	}
	return nil
}

// excluded compiles the node an exclusion names: what it matches neither
// ranks nor is marked.
func (c *compiler) excluded(n vnquery.Node) query.Query {
	negated := c.negated
	c.negated = true
	defer func() { c.negated = negated }()
	return c.node(n)
}

func conjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

func disjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// run compiles consecutive plain words into one required query per
// syllable (or per abbreviation span), and the clauses that rank hits
// where they stand side by side, as typed, in the title.
func (c *compiler) run(words []vnquery.Term) []required {
	var slots []slot
	var text strings.Builder
	var starts []int // byte offset in text of each slot's token
	for _, w := range words {
		if text.Len() > 0 {
			text.WriteByte(' ')
		}
		base := text.Len()
		text.WriteString(w.Text)
		toks := queryAnalyzer.Analyze([]byte(w.Text))
		for _, tok := range toks {
			exact := string(tok.Term)
			s := slot{variants: []queryTerm{{exact, analyzers.Fold(exact)}}, exact: []bool{c.diacritics}}
			if len(toks) == 1 {
				c.addInputVariant(&s, w.Text)
			}
			c.addFuzzyVariant(&s)
			slots = append(slots, s)
			starts = append(starts, base+tok.Start)
		}
	}
	expansions := c.expansions(text.String(), starts)
	var must []required
	for i := 0; i < len(slots); {
		span, alts := expansions[i].end, expansions[i].alternatives
		if span == 0 {
			must = append(must, required{c.slotMatch(slots[i]), c.slotArticles(slots[i]), slots[i].spellings()})
			i++
			continue
		}
		var asTyped []query.Query
		for _, s := range slots[i:span] {
			asTyped = append(asTyped, c.slotMatch(s))
		}
		options := []query.Query{conjunction(asTyped)}
		for _, alt := range alts {
			if m := c.alternativePhrase(alt); m != nil {
				options = append(options, m)
			}
		}
		must = append(must, required{query: disjunction(options)})
		i = span
	}
	c.restore(slots)
	c.rank(slots, 1)
	c.rankWhole(slots, 1)
	if !c.negated && len(slots) >= minWholeRun && len(slots) > len(c.whole.words) {
		words := make([][]string, len(slots))
		for i, s := range slots {
			words[i] = s.spellings()
		}
		c.whole = newWholeRun(words)
	}
	return must
}

// restore gives the slots of a query typed without diacritics the
// spelling the index mostly uses, which then ranks like a word typed
// with it, a little lower.
func (c *compiler) restore(slots []slot) {
	if c.diacritics || c.negated || c.vocab == nil {
		return
	}
	folded := make([]string, len(slots))
	for i, s := range slots {
		folded[i] = s.variants[0].folded
	}
	restored := c.vocab.restore(folded)
	changed := false
	for i, r := range restored {
		if r != "" && len(slots[i].variants) == 1 {
			slots[i].restored, changed = r, true
		} else {
			restored[i] = folded[i]
		}
	}
	if changed {
		c.restored = append(c.restored, strings.Join(restored, " "))
	}
}

// addInputVariant adds to s the word decoded from Telex or VNI typed with
// the keyboard's Vietnamese mode off: "Ddinhj" is "định".
func (c *compiler) addInputVariant(s *slot, word string) {
	if c.negated {
		return
	}
	decoded, ok := analyzers.DecodeTelex(word)
	if !ok {
		decoded, ok = analyzers.DecodeVNI(word)
	}
	if !ok {
		return
	}
	terms := analyseTerms(decoded)
	if len(terms) != 1 || terms[0] == s.variants[0] {
		return
	}
	// A word the archive holds as typed more often than the decoded
	// spelling is a word, not keys: "Hamas" is no Telex for hấm, nor
	// "gas" for gá.
	if c.vocab != nil && c.vocab.articles(schema.Text.Folded, s.variants[0].folded) >
		c.vocab.articles(schema.Body.Exact, terms[0].exact) {
		return
	}
	s.variants = append(s.variants, terms[0])
	s.exact = append(s.exact, true)
	if c.explain.Decoded == "" {
		c.explain.Decoded = decoded
	} else {
		c.explain.Decoded += " " + decoded
	}
}

// addFuzzyVariant adds to s the closest spelling the index knows, when
// none of s's spellings is in the index: a typo would otherwise make
// every word required and find nothing. A well-formed syllable typed with
// its diacritics is taken as meant.
func (c *compiler) addFuzzyVariant(s *slot) {
	if typed := s.variants[0]; c.vocab == nil || c.negated ||
		(typed.exact != typed.folded && analyzers.ValidSyllable(typed.exact)) {
		return
	}
	typed := s.variants[0].folded
	near := c.vocab.closest(typed)
	if near == "" {
		return // known, or nothing near
	}
	for _, v := range s.variants[1:] {
		if c.vocab.closest(v.folded) == "" {
			return // a decoded spelling is known
		}
	}
	s.variants = append(s.variants, queryTerm{exact: near, folded: near})
	s.exact = append(s.exact, false)
	if c.fuzzy == nil {
		c.fuzzy = map[string]string{}
	}
	c.fuzzy[typed] = near
	c.explain.Fuzzy = true
}

// required is one required part of a query, how many articles hold it
// where that is known cheaply (0 otherwise), and the folded spellings of
// a word, one of which a hit's text holds (nil for other parts).
type required struct {
	query     query.Query
	articles  uint64
	spellings []string
}

// slotArticles returns how many articles hold any spelling of s, counted
// once for each spelling, as scoring s walks them all; 0 when the index is
// not at hand. "casc" typed in Telex is in no article, but its reading
// "các" is in most.
func (c *compiler) slotArticles(s slot) uint64 {
	if c.vocab == nil {
		return 0
	}
	n := uint64(0)
	for _, v := range s.variants {
		n += c.vocab.articles(schema.Text.Folded, v.folded)
	}
	return n
}

// spellings returns the folded spellings of s that slotMatch finds.
func (s slot) spellings() []string {
	out := make([]string, len(s.variants))
	for i, v := range s.variants {
		out[i] = v.folded
	}
	return out
}

// slotMatch is the query that finds any spelling of s in an article.
func (c *compiler) slotMatch(s slot) query.Query { return spellingsMatch(s.spellings(), 1) }

// spellingsMatch finds any of a word's folded spellings in an article,
// scored with boost (0 for no score).
func spellingsMatch(spellings []string, boost float64) query.Query {
	var qs []query.Query
	for _, folded := range spellings {
		qs = append(qs, termQuery(schema.Text.Folded, folded, boost))
	}
	return disjunction(qs)
}

// expansion is the abbreviation alternatives of a run's slots from one
// slot up to end (exclusive); end is 0 where none starts.
type expansion struct {
	end          int
	alternatives []string
}

// expansions maps the abbreviations and spelt-out expansions found in a
// run's text to the slots they span. starts holds each slot's offset.
func (c *compiler) expansions(text string, starts []int) []expansion {
	out := make([]expansion, len(starts)+1)
	if c.negated {
		return out
	}
	slotAt := func(offset int) int {
		for i, s := range starts {
			if s >= offset {
				return i
			}
		}
		return len(starts)
	}
	for _, e := range c.abbreviations.Expand(text) {
		first, end := slotAt(e.Start), slotAt(e.End)
		if first >= end || (out[first].end != 0 && out[first].end != end) {
			continue // overlapping a longer match already taken
		}
		out[first].end = end
		out[first].alternatives = append(out[first].alternatives, e.Text)
		c.explain.Expanded = append(c.explain.Expanded, text[e.Start:e.End]+" → "+e.Text)
	}
	return out
}

// alternativePhrase matches an abbreviation's alternative as a phrase and
// ranks it as one, a little below the words as typed. Its clauses are
// shared out over its words: "Ủy ban nhân dân" stands for the one word
// UBND, and must not outweigh the rest of the query.
func (c *compiler) alternativePhrase(text string) query.Query {
	terms := analyseTerms(text)
	if len(terms) == 0 {
		return nil
	}
	slots := make([]slot, len(terms))
	for i, t := range terms {
		slots[i] = slot{variants: []queryTerm{t}, exact: []bool{true}}
	}
	c.alternative = true
	c.rank(slots, alternativeWeight/float64(len(terms)))
	c.alternative = false
	return foldedPhrase(schema.Text, terms)
}

// foldedPhrase matches terms side by side in f, folded: each pair of
// neighbours must be one of f's pairs.
func foldedPhrase(f schema.TextField, terms []queryTerm) query.Query {
	return sideBySide(f.Folded, f.FoldedPairs, terms, func(t queryTerm) string { return t.folded })
}

// exactPhrase matches terms side by side in f with their diacritics.
func exactPhrase(f schema.TextField, terms []queryTerm) query.Query {
	return sideBySide(f.Exact, f.Pairs, terms, func(t queryTerm) string { return t.exact })
}

// sideBySide matches one term in field, or several by each pair of
// neighbours in pairsField, each term spelt by spell.
func sideBySide(field, pairsField string, terms []queryTerm, spell func(queryTerm) string) query.Query {
	if len(terms) == 1 {
		return termQuery(field, spell(terms[0]), 1)
	}
	var qs []query.Query
	for i := 1; i < len(terms); i++ {
		qs = append(qs, termQuery(pairsField, pairTerm(spell(terms[i-1]), spell(terms[i])), 1))
	}
	return conjunction(qs)
}

// phrase compiles a quoted phrase of the article texts. With diacritics it
// must match as written (tone placement is normalised by the analyzer);
// the body has no exact pairs view, so there its folded pairs must match
// and each syllable with its diacritics.
func (c *compiler) phrase(text string) query.Query {
	terms := analyseTerms(text)
	if len(terms) == 0 {
		return nil
	}
	exact := analyzers.HasDiacritics(text)
	if !c.negated {
		slots := make([]slot, len(terms))
		for i, t := range terms {
			slots[i] = slot{variants: []queryTerm{t}, exact: []bool{exact}}
		}
		c.rank(slots, 1)
	}
	if !exact {
		return foldedPhrase(schema.Text, terms)
	}
	inBody := []query.Query{foldedPhrase(schema.Text, terms)}
	for _, t := range terms {
		inBody = append(inBody, termQuery(schema.Body.Exact, t.exact, 1))
	}
	return disjunction([]query.Query{
		exactPhrase(schema.Title, terms),
		exactPhrase(schema.Lead, terms),
		conjunction(inBody),
	})
}

// fielded compiles a word or phrase restricted to one field: title:,
// section:, author:, place:.
func (c *compiler) fielded(field, text string, phrase bool) query.Query {
	if field == schema.PlaceFacet {
		return placeQuery(text)
	}
	terms := analyseTerms(text)
	if len(terms) == 0 {
		return nil
	}
	exact := analyzers.HasDiacritics(text)
	if field == schema.Title.Exact {
		if !c.negated {
			slots := make([]slot, len(terms))
			for i, t := range terms {
				slots[i] = slot{variants: []queryTerm{t}, exact: []bool{exact}}
			}
			c.rank(slots, 1)
		}
		switch {
		case phrase && exact:
			return exactPhrase(schema.Title, terms)
		case phrase:
			return foldedPhrase(schema.Title, terms)
		}
		var qs []query.Query
		for _, t := range terms {
			if exact {
				qs = append(qs, termQuery(schema.Title.Exact, t.exact, 1))
			} else {
				qs = append(qs, termQuery(schema.Title.Folded, t.folded, 1))
			}
		}
		return conjunction(qs)
	}
	target := schema.SectionFolded
	if field == schema.Author {
		target = schema.AuthorFolded
	}
	var qs []query.Query
	for _, t := range terms {
		qs = append(qs, termQuery(target, t.folded, 1))
	}
	return conjunction(qs)
}

// placeQuery matches the articles about the place or province a reader
// typed, in any of its forms ("Nam Định", "nam dinh", "TP.HCM", "sài
// gòn"). One the gazetteer does not know is looked for as typed, which
// finds nothing.
func placeQuery(typed string) query.Query {
	name, ok := places.Default().Lookup(typed)
	if !ok {
		name = strings.TrimSpace(analyzers.NormalizeText(typed))
	}
	return termQuery(schema.Facets, schema.FacetTerm(schema.PlaceFacet, name), 1)
}

// rank adds the scoring clauses of a run of slots, scaled by weight: each
// spelling in the title and lead, with its diacritics where they are
// meant, and each pair of neighbours side by side.
func (c *compiler) rank(slots []slot, weight float64) {
	if c.negated {
		return
	}
	for i, s := range slots {
		for j, v := range s.variants {
			w := weight
			if j > 0 {
				w *= alternativeWeight
			}
			c.highlight.add(v, s.exact[j], j == 0 && !c.alternative)
			c.score(bothPasses, schema.Title.Folded, v.folded, w*titleWeight)
			c.score(secondPass, schema.Lead.Folded, v.folded, w*leadWeight)
			if s.exact[j] {
				c.scoreExact(v.exact, w)
			}
		}
		if s.restored != "" {
			c.scoreExact(s.restored, weight*restoredWeight)
		}
		if i == 0 {
			continue
		}
		if prev := slots[i-1]; prev.restored != "" && s.restored != "" {
			c.scoreExactPair(pairTerm(prev.restored, s.restored), weight*restoredWeight*pairWeight)
		}
		for j, prev := range slots[i-1].variants {
			for k, v := range s.variants {
				w := weight * pairWeight
				if j > 0 || k > 0 {
					w *= alternativeWeight
				}
				folded := pairTerm(prev.folded, v.folded)
				c.score(bothPasses, schema.Title.FoldedPairs, folded, w*titleWeight)
				c.score(bothPasses, schema.Text.FoldedPairs, folded, w*bodyWeight)
				c.score(secondPass, schema.Lead.FoldedPairs, folded, w*leadWeight)
				if slots[i-1].exact[j] && s.exact[k] {
					c.scoreExactPair(pairTerm(prev.exact, v.exact), w)
				}
			}
		}
	}
}

// scoreExact adds the clauses for a syllable with its diacritics.
func (c *compiler) scoreExact(term string, weight float64) {
	c.score(secondPass, schema.Title.Exact, term, weight*titleWeight*exactWeight)
	c.score(secondPass, schema.Lead.Exact, term, weight*leadWeight*exactWeight)
	c.score(secondPass, schema.Body.Exact, term, weight*bodyWeight*exactWeight)
}

// scoreExactPair adds the clauses for two syllables side by side with
// their diacritics.
func (c *compiler) scoreExactPair(pair string, weight float64) {
	c.score(secondPass, schema.Title.Pairs, pair, weight*titleWeight*exactWeight)
	c.score(secondPass, schema.Lead.Pairs, pair, weight*leadWeight*exactWeight)
}

// rankWhole adds the clauses for all of a run side by side, spelt as its
// best reading: the decoded or corrected spelling where there is one.
// bleve ignores the boost of a conjunction, so its terms carry it. Pairs
// too common to score cheaply are left out of the conjunctions: the
// others still say the run is whole.
func (c *compiler) rankWhole(slots []slot, weight float64) {
	if len(slots) < 3 || c.negated {
		return // a pair is ranked as a pair already
	}
	w := weight * wholeWeight
	var inText, inTitle, asTyped []query.Query
	allExact := true
	add := func(qs []query.Query, field, term string, boost float64) []query.Query {
		if c.cheapToScore(field, term) {
			qs = append(qs, termQuery(field, term, boost))
		}
		return qs
	}
	for i := 1; i < len(slots); i++ {
		prev, cur := slots[i-1], slots[i]
		a, b := prev.variants[len(prev.variants)-1], cur.variants[len(cur.variants)-1]
		folded := pairTerm(a.folded, b.folded)
		inText = add(inText, schema.Text.FoldedPairs, folded, w*bodyWeight)
		inTitle = add(inTitle, schema.Title.FoldedPairs, folded, w*titleWeight)
		asTyped = add(asTyped, schema.Title.Pairs, pairTerm(a.exact, b.exact), w*titleWeight*exactWeight)
		allExact = allExact && prev.exact[len(prev.exact)-1] && cur.exact[len(cur.exact)-1]
	}
	for _, qs := range [][]query.Query{inText, inTitle} {
		if len(qs) > 0 {
			c.both(query.NewConjunctionQuery(qs))
		}
	}
	if allExact && len(asTyped) > 0 {
		c.bonus = append(c.bonus, query.NewConjunctionQuery(asTyped))
	}
}

// The passes a scoring clause takes part in.
const (
	bothPasses = true
	secondPass = false
)

// maxScoredArticles is how many articles a term may be in for a clause on
// it to be scored. bleve walks a scored term's postings one by one to
// skip ahead, so a clause on a word in most articles costs as much as
// reading them all, while BM25 gives such a word almost nothing. A word
// that common still matches: as an unscored filter (see slotMatch).
const maxScoredArticles = 2000

// cheapToScore reports whether a clause on term in field is cheap enough
// to score. A term of a part of the text is in no more articles than the
// whole text holds it in, which is counted once for all the parts.
func (c *compiler) cheapToScore(field, term string) bool {
	if c.vocab == nil {
		return true
	}
	if whole, ok := schema.WholeTextView(field); ok && c.vocab.articles(whole, analyzers.Fold(term)) <= maxScoredArticles {
		return true
	}
	return c.vocab.articles(field, term) <= maxScoredArticles
}

// score adds a scoring clause on term in field, to both passes or to the
// second only, unless the term is too common to score cheaply.
func (c *compiler) score(both bool, field, term string, boost float64) {
	if !c.cheapToScore(field, term) {
		return
	}
	q := termQuery(field, term, boost)
	if both {
		c.both(q)
	} else {
		c.bonus = append(c.bonus, q)
	}
}

// both adds a clause to the scoring of both passes.
func (c *compiler) both(q query.Query) {
	c.cheap = append(c.cheap, q)
	c.bonus = append(c.bonus, q)
}
