package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// queryAnalyzer analyses query text exactly as the index analysed the
// articles' exact field; analyzers are safe for concurrent use.
var queryAnalyzer = mustAnalyzer(analyzers.Exact)

func mustAnalyzer(name string) analysis.Analyzer {
	a, err := analyzers.New(name)
	if err != nil {
		panic(err)
	}
	return a
}

// queryTerm is one syllable or code of the query, in both index forms.
type queryTerm struct {
	exact, folded string
	position      int
}

// plan is an analysed query.
type plan struct {
	terms []queryTerm
	// diacritics says the user typed with diacritics, so every word is
	// taken as written: "Nam Định" means nam, not năm, too.
	diacritics bool
}

func analyse(text string) plan {
	var p plan
	for _, tok := range queryAnalyzer.Analyze([]byte(text)) {
		exact := string(tok.Term)
		folded := analyzers.Fold(exact)
		p.terms = append(p.terms, queryTerm{exact: exact, folded: folded, position: tok.Position})
		if folded != exact {
			p.diacritics = true
		}
	}
	return p
}

// Field weights: a word in the headline says more about what an article is
// about than the same word in the lead, and the lead more than the body.
var fieldWeight = map[string]float64{
	schema.Title.Exact: 3.0,
	schema.Lead.Exact:  1.6,
	schema.Body.Exact:  1.0,
}

const (
	// exactWeight scales the bonus for a match with the diacritics as typed
	// over the folded match every hit has: "Nam Định" above "năm định".
	exactWeight = 1.0
	// pairWeight scales the bonus for two query syllables found side by
	// side: Vietnamese words are mostly two syllables written apart.
	pairWeight = 1.5
)

func termQuery(field, term string, boost float64) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// build turns a plan into a bleve query. Matching is decided on the folded
// fields only, so a word typed without diacritics finds the word printed
// with them; the exact and pair fields only add to the score.
func (p plan) build(op Operator) query.Query {
	var required, bonus []query.Query
	for i, t := range p.terms {
		var anyField []query.Query
		for _, f := range schema.TextFields {
			w := fieldWeight[f.Exact]
			anyField = append(anyField, termQuery(f.Folded, t.folded, w))
			if p.diacritics {
				bonus = append(bonus, termQuery(f.Exact, t.exact, w*exactWeight))
			}
			if i > 0 && p.terms[i-1].position+1 == t.position {
				prev := p.terms[i-1]
				bonus = append(bonus, termQuery(f.FoldedPairs, prev.folded+analyzers.PairSeparator+t.folded, w*pairWeight))
				if p.diacritics && f.Pairs != "" {
					bonus = append(bonus, termQuery(f.Pairs, prev.exact+analyzers.PairSeparator+t.exact, w*pairWeight*exactWeight))
				}
			}
		}
		required = append(required, query.NewDisjunctionQuery(anyField))
	}
	b := query.NewBooleanQuery(nil, nil, nil)
	if op == Or {
		b.AddMust(query.NewDisjunctionQuery(required))
	} else {
		b.AddMust(required...)
	}
	b.AddShould(bonus...)
	return b
}
