package eval

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnsearch/vnsearch/search"

	// The pure-Go SQLite driver, registered as "sqlite"; its build has FTS5.
	_ "modernc.org/sqlite"

	"github.com/vnsearch/vnsearch/schema"
)

// stockTitleBoost is the weight of a headline match over a body match in
// the baselines, as a newsroom's first setup of a stock engine would give.
const stockTitleBoost = 2.0

// Field names of the baseline indexes.
const (
	stockTitle = "title"
	stockBody  = "body" // lead and body
)

// stockBatch is how many articles a baseline writes at once.
const stockBatch = 1000

// foldingAnalyzer is the name of the baselines' folding analyzer.
const foldingAnalyzer = "stock_folding"

// bleveIndex is a baseline bleve index.
type bleveIndex struct{ idx bleve.Index }

// stockMapping returns a plain two-field mapping: the standard analyzer,
// or asciifolding, the unicode tokenizer and lower case. BM25, as in
// vnsearch, so that the comparison is about analysis and query, not the
// scoring formula. Nothing is stored and no term vectors are kept: the
// eval needs only ids and ranks.
func stockMapping(folding bool) (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.ScoringModel = index.BM25Scoring
	analyzer := standard.Name
	if folding {
		analyzer = foldingAnalyzer
		err := im.AddCustomAnalyzer(foldingAnalyzer, map[string]interface{}{
			"type":          custom.Name,
			"char_filters":  []string{asciifolding.Name},
			"tokenizer":     unicode.Name,
			"token_filters": []string{lowercase.Name},
		})
		if err != nil {
			return nil, err
		}
	}
	im.DefaultAnalyzer = analyzer
	doc := mapping.NewDocumentStaticMapping()
	for _, name := range []string{stockTitle, stockBody} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = analyzer
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = false
		doc.AddFieldMappingsAt(name, fm)
	}
	im.DefaultMapping = doc
	return im, nil
}

func stockDocument(a schema.Article) map[string]interface{} {
	return map[string]interface{}{
		stockTitle: a.Title,
		stockBody:  strings.TrimSpace(a.Lead + "\n" + a.Body),
	}
}

func buildBleve(ctx context.Context, dir string, articles []schema.Article, folding bool) (engineIndex, error) {
	im, err := stockMapping(folding)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.New(dir, im)
	if err != nil {
		return nil, err
	}
	b := idx.NewBatch()
	for i, a := range articles {
		if err := ctx.Err(); err != nil {
			idx.Close()
			return nil, err
		}
		if err := b.Index(a.ID, stockDocument(a)); err != nil {
			idx.Close()
			return nil, err
		}
		if b.Size() >= stockBatch || i == len(articles)-1 {
			if err := idx.Batch(b); err != nil {
				idx.Close()
				return nil, err
			}
			b.Reset()
		}
	}
	return &bleveIndex{idx}, nil
}

func openBleve(dir string, _ search.Options) (engineIndex, error) {
	idx, err := bleve.Open(dir)
	if err != nil {
		return nil, err
	}
	return &bleveIndex{idx}, nil
}

// search runs the query as a stock setup would: a match query requiring
// every word in one field, headline boosted, the best field winning.
func (b *bleveIndex) search(ctx context.Context, q string, k int) ([]string, error) {
	match := func(field string, boost float64) query.Query {
		m := query.NewMatchQuery(q)
		m.SetField(field)
		m.SetOperator(query.MatchQueryOperatorAnd)
		m.SetBoost(boost)
		return m
	}
	dq := query.NewDisjunctionQuery([]query.Query{match(stockTitle, stockTitleBoost), match(stockBody, 1)})
	res, err := b.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(dq, k, 0, false))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func (b *bleveIndex) close() error { return b.idx.Close() }

// sqliteIndex is the SQLite FTS5 baseline.
type sqliteIndex struct {
	db   *sql.DB
	stmt *sql.Stmt
}

// sqliteFile is the database file inside the engine's directory.
const sqliteFile = "fts.db"

func buildSQLite(ctx context.Context, dir string, articles []schema.Article, _ search.Options) (engineIndex, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, sqliteFile))
	if err != nil {
		return nil, err
	}
	fail := func(err error) (engineIndex, error) {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	for _, stmt := range []string{
		`PRAGMA journal_mode = OFF`,
		`PRAGMA synchronous = OFF`,
		`CREATE VIRTUAL TABLE doc USING fts5(id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fail(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO doc (id, title, body) VALUES (?, ?, ?)`)
	if err != nil {
		tx.Rollback()
		return fail(err)
	}
	for _, a := range articles {
		if _, err := ins.ExecContext(ctx, a.ID, a.Title, stockDocument(a)[stockBody]); err != nil {
			tx.Rollback()
			return fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO doc (doc) VALUES ('optimize')`); err != nil {
		return fail(err)
	}
	return prepareSQLite(db)
}

func openSQLite(dir string, _ search.Options) (engineIndex, error) {
	db, err := sql.Open("sqlite", filepath.Join(dir, sqliteFile))
	if err != nil {
		return nil, err
	}
	return prepareSQLite(db)
}

func prepareSQLite(db *sql.DB) (engineIndex, error) {
	// bm25() takes one weight per column: none for the id.
	stmt, err := db.Prepare(fmt.Sprintf(
		`SELECT id FROM doc WHERE doc MATCH ? ORDER BY bm25(doc, 0, %g, 1) LIMIT ?`, stockTitleBoost))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return &sqliteIndex{db: db, stmt: stmt}, nil
}

// ftsQuery writes q as an FTS5 query requiring every word: each
// white-space-separated word quoted as a string, so that punctuation and
// FTS5 operators in a headline are text, not syntax. Words with no letter
// or digit are left out, and "" is returned when none is left.
func ftsQuery(q string) string {
	var parts []string
	for _, f := range strings.Fields(q) {
		if strings.IndexFunc(f, isWordRune) < 0 {
			continue
		}
		parts = append(parts, `"`+strings.ReplaceAll(f, `"`, `""`)+`"`)
	}
	return strings.Join(parts, " ")
}

func (s *sqliteIndex) search(ctx context.Context, q string, k int) ([]string, error) {
	fq := ftsQuery(q)
	if fq == "" {
		return nil, nil
	}
	rows, err := s.stmt.QueryContext(ctx, fq, k)
	if err != nil {
		return nil, fmt.Errorf("sqlite %q: %w", fq, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *sqliteIndex) close() error {
	s.stmt.Close()
	return s.db.Close()
}
