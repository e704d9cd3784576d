package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/atomicfile"
	"github.com/vnsearch/vnsearch/schema"
)

// A generation may hold an archive split by publication year into shards
// (schema.Shards): a subdirectory per shard, each a bleve index, and the
// file shards.json saying which years each holds. The shards of one
// generation are built, switched in and removed together.

// shardsFile names the manifest of a sharded generation.
const shardsFile = "shards.json"

// Shard is one shard of a sharded generation: the articles published from
// year From to year To, both included. The first shard has no From (0):
// it holds every year before its To too; the last has no To (0) and holds
// every later year, and the articles without a date.
type Shard struct {
	Dir      string `json:"dir"` // relative to the generation
	From     int    `json:"from,omitempty"`
	To       int    `json:"to,omitempty"`
	Articles int    `json:"articles"` // when built
}

// Holds reports whether the shard is the one of an article published in
// year (0 for an article without a date).
func (s Shard) Holds(year int, last bool) bool {
	if year == 0 {
		return last
	}
	return (s.From == 0 || year >= s.From) && (s.To == 0 || year <= s.To)
}

// YearOf returns the year a's shard is chosen by: its year of
// publication in Vietnam, as its year facet, 0 when it has no date.
func YearOf(a schema.Article) int {
	if a.Published.IsZero() {
		return 0
	}
	return a.Published.In(schema.VietnamTime).Year()
}

// ShardOf returns the index in shards of the one holding an article of
// year (0 for an article without a date).
func ShardOf(shards []Shard, year int) int {
	for i, s := range shards {
		if s.Holds(year, i == len(shards)-1) {
			return i
		}
	}
	return len(shards) - 1
}

// PlanShards splits an archive of articles[year] articles (year 0: without
// a date) into at most n shards of contiguous years with about as many
// articles each: a year is never split, so there are fewer shards than n
// when there are fewer years. The articles without a date go to the last
// shard, the one the newest articles go to.
func PlanShards(articles map[int]int, n int) []Shard {
	var years []int
	total := 0
	for y, c := range articles {
		total += c
		if y != 0 {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	n = max(min(n, len(years)), 1)
	plan := []Shard{{}}
	sum := 0 // articles up to the current year
	for i, y := range years {
		cur := &plan[len(plan)-1]
		if cur.Articles == 0 {
			cur.From = y
		}
		cur.Articles += articles[y]
		sum += articles[y]
		k := len(plan) - 1
		if k == n-1 || i == len(years)-1 {
			continue
		}
		// Close the shard at the year that brings the sum nearest its
		// share, keeping a year for each shard to come.
		target := (k + 1) * total / n
		yearsLeft, shardsLeft := len(years)-i-1, n-k-1
		nearer := abs(sum-target) <= abs(sum+articles[years[i+1]]-target)
		if yearsLeft == shardsLeft || nearer {
			cur.To = y
			plan = append(plan, Shard{})
		}
	}
	plan[len(plan)-1].Articles += articles[0]
	plan[0].From = 0
	for i := range plan {
		plan[i].Dir = fmt.Sprintf("shard-%d", i+1)
	}
	return plan
}

func abs(x int) int { return max(x, -x) }

// readShards reads the manifest of the sharded generation in dir; false
// when dir is not one.
func readShards(dir string) ([]Shard, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, shardsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	var shards []Shard
	if err := json.Unmarshal(data, &shards); err != nil || len(shards) == 0 {
		return nil, true, fmt.Errorf("%s: not a list of shards: %v", filepath.Join(dir, shardsFile), err)
	}
	return shards, true, nil
}

// Shards returns the shards of generation g, or nil when it is one index.
func Shards(g Generation) ([]Shard, error) {
	shards, _, err := readShards(g.Dir)
	return shards, err
}

// openGeneration opens the index of generation dir with open: one index,
// or its shards as one schema.Shards.
func openGeneration(dir string, open func(string) (bleve.Index, error)) (bleve.Index, error) {
	shards, sharded, err := readShards(dir)
	if !sharded || err != nil {
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", dir, err)
		}
		return open(dir)
	}
	return openShards(dir, shards, open)
}

// openShards opens (or creates, as open does) each of shards in the
// generation dir, as one schema.Shards; on an error, those opened are
// closed again, whichever step failed.
func openShards(dir string, shards []Shard, open func(string) (bleve.Index, error)) (bleve.Index, error) {
	var indexes []bleve.Index
	var err error
	for _, s := range shards {
		var idx bleve.Index
		if idx, err = open(filepath.Join(dir, s.Dir)); err != nil {
			break
		}
		indexes = append(indexes, idx)
	}
	if err == nil {
		var sharded *schema.Shards
		if sharded, err = schema.NewShards(routeOf(shards), indexes...); err == nil {
			return sharded, nil
		}
	}
	for _, opened := range indexes {
		opened.Close()
	}
	return nil, err
}

// routeOf returns the rule sending each article to its shard of shards.
func routeOf(shards []Shard) func(schema.Article) int {
	return func(a schema.Article) int { return ShardOf(shards, YearOf(a)) }
}

// countShards writes the manifest of shards, the generation g held by
// idx, with their counts of articles now; nothing when g is one index.
func countShards(idx bleve.Index, g Generation, shards []Shard) error {
	if shards == nil {
		return nil
	}
	shards = slices.Clone(shards)
	for i, shard := range schema.ShardsOf(idx) {
		n, err := shard.DocCount()
		if err != nil {
			return err
		}
		shards[i].Articles = int(n)
	}
	return writeShards(g, shards)
}

// writeShards writes the manifest of the sharded generation g and syncs
// its directory.
func writeShards(g Generation, shards []Shard) error {
	err := atomicfile.Write(filepath.Join(g.Dir, shardsFile), 0o644, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(shards)
	})
	if err == nil {
		err = syncDir(g.Dir)
	}
	return err
}

// BuildShards makes a new generation of dir holding shards, in one load
// for each shard, like Build does for one index: load writes shard i's
// articles into it through w. CURRENT names the generation only once
// every shard and the manifest are on disk; on an error, or a crash,
// before that, dir is as it was. It returns the shards opened as one
// index, with the manifest's counts of articles filled in.
func BuildShards(ctx context.Context, dir string, shards []Shard, opts indexer.WriterOptions, load func(i int, idx bleve.Index, w *indexer.Writer) error) (bleve.Index, Generation, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, Generation{}, fmt.Errorf("create index %s: %w", dir, err)
	}
	g := generation(dir, lastGeneration(dir)+1)
	shards = slices.Clone(shards)
	err := os.Mkdir(g.Dir, 0o755)
	for i := range shards {
		if err != nil {
			break
		}
		err = buildInto(ctx, filepath.Join(g.Dir, shards[i].Dir), opts, func(idx bleve.Index, w *indexer.Writer) error {
			if err := load(i, idx, w); err != nil {
				return err
			}
			n, err := idx.DocCount()
			shards[i].Articles = int(n)
			return err
		})
	}
	if err == nil {
		err = writeShards(g, shards)
	}
	if err == nil {
		err = setCurrent(dir, g)
	}
	if err != nil {
		os.RemoveAll(g.Dir)
		return nil, Generation{}, err
	}
	idx, err := openGeneration(g.Dir, schema.Open)
	return idx, g, err
}

// BuildByYear makes a new generation of dir holding the articles read by
// read split by year into at most n shards (PlanShards), as BuildShards
// does. read is called once to count the articles of each year, then once
// for each shard: the reader load is given passes on that shard's
// articles only, and reports the bad records in the first shard's pass
// only. An article whose id is read more than once goes to the shard of
// its last version, which replaces the others as in one index: no
// article is ever in two shards. A nil load loads each shard with the
// writer's Load.
func BuildByYear(ctx context.Context, dir string, n int, opts indexer.WriterOptions, read func(indexer.Visitor) error,
	load func(idx bleve.Index, w *indexer.Writer, read func(indexer.Visitor) error) error) (bleve.Index, Generation, []Shard, error) {
	years := map[int]int{}
	yearOf := map[string]int{} // id → year of its last version
	err := read(indexer.Visitor{Article: func(a schema.Article) error {
		if y, ok := yearOf[a.ID]; ok {
			years[y]--
		}
		y := YearOf(a)
		yearOf[a.ID] = y
		years[y]++
		return ctx.Err()
	}})
	if err != nil {
		return nil, Generation{}, nil, fmt.Errorf("count the articles of each year: %w", err)
	}
	if len(yearOf) == 0 {
		return nil, Generation{}, nil, errors.New("nothing to index")
	}
	if load == nil {
		load = func(_ bleve.Index, w *indexer.Writer, read func(indexer.Visitor) error) error {
			_, err := w.Load(ctx, read, nil)
			return err
		}
	}
	plan := PlanShards(years, n)
	idx, g, err := BuildShards(ctx, dir, plan, opts, func(i int, idx bleve.Index, w *indexer.Writer) error {
		return load(idx, w, func(v indexer.Visitor) error {
			inShard := v
			inShard.Article = func(a schema.Article) error {
				if ShardOf(plan, yearOf[a.ID]) != i {
					return nil
				}
				return v.Article(a)
			}
			if i > 0 {
				inShard.Bad = func(*indexer.RecordError) {}
			}
			return read(inShard)
		})
	})
	if err != nil {
		return nil, Generation{}, nil, err
	}
	shards, err := Shards(g)
	return idx, g, shards, err
}
