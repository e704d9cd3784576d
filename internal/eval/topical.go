package eval

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/vnsearch/vnsearch/schema"
)

// TopicalQuery is a query about a subject rather than one article, with
// the information need it stands for and the graded judgments of the
// articles pooled from every engine's hits.
type TopicalQuery struct {
	Query string `json:"query"`
	Need  string `json:"need"`
	// Judgments grade articles by id: GradeMainly, GradePartly or
	// GradeNotRelevant. An article not judged counts as not relevant.
	Judgments map[string]int `json:"judgments"`
}

// The grades of a judgment.
const (
	GradeNotRelevant = 0
	GradePartly      = 1 // relevant in passing or in part
	GradeMainly      = 2 // the article is mainly about the subject
)

// LoadTopical reads a topical set: a JSON array of TopicalQuery. An error
// names the file and the query at fault.
func LoadTopical(path string) ([]TopicalQuery, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var qs []TopicalQuery
	if err := json.Unmarshal(data, &qs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, q := range qs {
		if strings.TrimSpace(q.Query) == "" {
			return nil, fmt.Errorf("%s: query %d: no query text", path, i+1)
		}
		for id, g := range q.Judgments {
			if g < GradeNotRelevant || g > GradeMainly {
				return nil, fmt.Errorf("%s: query %d (%q): article %s has grade %d; want 0, 1 or 2", path, i+1, q.Query, id, g)
			}
		}
	}
	return qs, nil
}

// missingJudged returns how many judged ids of qs are not among articles,
// and how many ids are judged in all.
func missingJudged(qs []TopicalQuery, articles []schema.Article) (missing, judged int) {
	ids := make(map[string]bool, len(articles))
	for _, a := range articles {
		ids[a.ID] = true
	}
	for _, q := range qs {
		for id := range q.Judgments {
			judged++
			if !ids[id] {
				missing++
			}
		}
	}
	return missing, judged
}

// NDCG returns the normalised discounted cumulative gain of the top k of
// ranked: the sum of each hit's grade over log2(rank+1), divided by the
// same sum for the judged articles in their best order. An unjudged
// article counts as grade 0. A query with nothing relevant judged scores
// 0 for every ranking.
func NDCG(ranked []string, judgments map[string]int, k int) float64 {
	var dcg float64
	for i, id := range ranked[:min(k, len(ranked))] {
		dcg += float64(judgments[id]) / math.Log2(float64(i+2))
	}
	grades := make([]int, 0, len(judgments))
	for _, g := range judgments {
		grades = append(grades, g)
	}
	slices.SortFunc(grades, func(a, b int) int { return b - a })
	var ideal float64
	for i, g := range grades[:min(k, len(grades))] {
		ideal += float64(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// Precision returns the share of the top k slots filled by an article
// judged relevant (grade 1 or 2); a ranking shorter than k loses the empty
// slots.
func Precision(ranked []string, judgments map[string]int, k int) float64 {
	relevant := 0
	for _, id := range ranked[:min(k, len(ranked))] {
		if judgments[id] >= GradePartly {
			relevant++
		}
	}
	return float64(relevant) / float64(k)
}

// TopicalReport holds each engine's scores on the topical set, or why it
// was skipped.
type TopicalReport struct {
	Set       string `json:"set"`
	Queries   int    `json:"queries"`
	Judgments int    `json:"judgments"`
	// Skipped, when set, says why the set was not run: its judged
	// articles are not the ones indexed.
	Skipped string           `json:"skipped,omitempty"`
	Scores  []TopicalMetrics `json:"scores,omitempty"` // in the order of Report.Engines
	// Pool lists, for each query, the articles in any engine's top
	// PoolDepth hits, when Options.PoolDepth asks for it.
	Pool []PooledQuery `json:"pool,omitempty"`
}

// TopicalMetrics are an engine's mean scores over the topical queries.
type TopicalMetrics struct {
	Engine      string  `json:"engine"`
	NDCG10      float64 `json:"ndcg_at_10"`
	Precision10 float64 `json:"precision_at_10"`
}

// PooledQuery is one topical query's pool: every article some engine
// ranked in its top PoolDepth, for judging.
type PooledQuery struct {
	Query    string          `json:"query"`
	Need     string          `json:"need"`
	Articles []PooledArticle `json:"articles"`
}

// PooledArticle is an article of a pool with the start of its text.
type PooledArticle struct {
	ID string `json:"id"`
	// Grade is its judgment, nil when it is not judged yet.
	Grade *int `json:"grade,omitempty"`
	// Ranks is its rank on each engine that found it.
	Ranks map[string]int `json:"ranks"`
	Title string         `json:"title"`
	Lead  string         `json:"lead"`
	Body  string         `json:"body"` // its first poolBodyRunes runes
}

// poolBodyRunes is how much of a pooled article's body is shown: enough
// to tell an article about the subject from one that mentions it.
const poolBodyRunes = 500

// scoreTopical scores each engine's hits (engine -> query -> ids) on qs.
func scoreTopical(engines []string, qs []TopicalQuery, hits [][][]string) []TopicalMetrics {
	out := make([]TopicalMetrics, len(engines))
	for i, name := range engines {
		m := TopicalMetrics{Engine: name}
		for qi, q := range qs {
			m.NDCG10 += NDCG(hits[i][qi], q.Judgments, topK)
			m.Precision10 += Precision(hits[i][qi], q.Judgments, topK)
		}
		if n := float64(len(qs)); n > 0 {
			m.NDCG10, m.Precision10 = m.NDCG10/n, m.Precision10/n
		}
		out[i] = m
	}
	return out
}

// pool gathers, for each query, the articles in any engine's top depth
// hits, in the order first found, with their text from articles.
func pool(engines []string, qs []TopicalQuery, hits [][][]string, depth int, articles []schema.Article) []PooledQuery {
	byID := make(map[string]*schema.Article, len(articles))
	for i := range articles {
		byID[articles[i].ID] = &articles[i]
	}
	out := make([]PooledQuery, len(qs))
	for qi, q := range qs {
		pq := PooledQuery{Query: q.Query, Need: q.Need}
		at := map[string]int{}
		for i, name := range engines {
			ids := hits[i][qi]
			for r, id := range ids[:min(depth, len(ids))] {
				j, ok := at[id]
				if !ok {
					j = len(pq.Articles)
					at[id] = j
					pa := PooledArticle{ID: id, Ranks: map[string]int{}}
					if g, ok := q.Judgments[id]; ok {
						pa.Grade = &g
					}
					if a := byID[id]; a != nil {
						body := []rune(a.Body)
						pa.Title, pa.Lead, pa.Body = a.Title, a.Lead, string(body[:min(poolBodyRunes, len(body))])
					}
					pq.Articles = append(pq.Articles, pa)
				}
				pq.Articles[j].Ranks[name] = r + 1
			}
		}
		out[qi] = pq
	}
	return out
}
