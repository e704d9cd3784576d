package store

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

func TestPlanShards(t *testing.T) {
	tests := []struct {
		name     string
		articles map[int]int
		n        int
		want     string // each shard as from-to:articles
	}{
		{"one shard", map[int]int{2012: 4, 2013: 2, 0: 1}, 1, "[0-0:7]"},
		{"even years", map[int]int{2011: 10, 2012: 10, 2013: 10, 2014: 10}, 2, "[0-2012:20 2013-0:20]"},
		{"a heavy year alone", map[int]int{2011: 5, 2012: 5, 2013: 80, 2014: 5, 2015: 5}, 3, "[0-2012:10 2013-2013:80 2014-0:10]"},
		{"undated go last", map[int]int{2016: 10, 2017: 10, 2018: 10, 0: 10}, 2, "[0-2017:20 2018-0:20]"},
		{"fewer years than shards", map[int]int{2020: 3, 2021: 4}, 4, "[0-2020:3 2021-0:4]"},
		{"a year for every shard", map[int]int{2010: 100, 2011: 1, 2012: 1, 2013: 1}, 4, "[0-2010:100 2011-2011:1 2012-2012:1 2013-0:1]"},
		{"ten years in four", map[int]int{2015: 90, 2016: 100, 2017: 110, 2018: 100, 2019: 95, 2020: 105, 2021: 100, 2022: 100, 2023: 100, 2024: 100}, 4,
			"[0-2017:300 2018-2019:195 2020-2021:205 2022-0:300]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := PlanShards(tt.articles, tt.n)
			got := "["
			for i, s := range plan {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("%d-%d:%d", s.From, s.To, s.Articles)
				if s.Dir != fmt.Sprintf("shard-%d", i+1) {
					t.Errorf("shard %d in %q", i, s.Dir)
				}
			}
			got += "]"
			if got != tt.want {
				t.Errorf("PlanShards(%v, %d) = %s; want %s", tt.articles, tt.n, got, tt.want)
			}
			// Every year, and no date, has exactly one shard.
			for y := range tt.articles {
				held := 0
				for i, s := range plan {
					if s.Holds(y, i == len(plan)-1) {
						held++
					}
				}
				if held != 1 {
					t.Errorf("year %d is held by %d shards of %v", y, held, plan)
				}
			}
		})
	}
}

// buildCorpusShards splits the test corpus by year into n shards of a new
// index directory and opens them, as vnsearch index --shards n does.
func buildCorpusShards(t *testing.T, n int) (string, bleve.Index, []Shard) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	read := func(v indexer.Visitor) error { return indexer.ReadPaths([]string{corpus}, v) }
	idx, _, shards, err := BuildByYear(context.Background(), dir, n, indexer.WriterOptions{}, read, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(shards) != n {
		t.Fatalf("%d shards; want %d", len(shards), n)
	}
	return dir, idx, shards
}

// holdersOf returns the places of the shards of idx that hold id.
func holdersOf(t *testing.T, idx bleve.Index, id string) []int {
	t.Helper()
	held, err := schema.Holding(idx, id)
	if err != nil {
		t.Fatal(err)
	}
	return held
}

func publishedIn(year int) time.Time { return time.Date(year, 5, 23, 7, 5, 0, 0, schema.VietnamTime) }

// Every write goes to the shard of its year and out of the others: a new
// article, a new version that stays, one whose corrected date moves it to
// another shard, a delete; each id ends in one shard, or none.
func TestWritesGoToTheShardOfTheirYear(t *testing.T) {
	_, idx, shards := buildCorpusShards(t, 3)
	defer idx.Close()
	ctx := context.Background()
	var committed uint64 // the generation of the last commit
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{OnCommit: []func(indexer.Commit){
		func(c indexer.Commit) { committed = c.Generation },
	}})
	if err != nil {
		t.Fatal(err)
	}
	before := articles(t, idx)
	moved := before["nd-2012-0001"] // in the first shard
	moved.Published = publishedIn(2024)
	moved.Title = "Nam Định đẩy mạnh áp dụng ISO 9001:2015 trong cơ quan hành chính"
	kept := before["nd-2012-0001"]
	kept.ID = "nd-2012-0001-ban-in"
	var got []indexer.Outcome
	records := []indexer.Record{
		{Article: schema.Article{ID: "hoi-cho-2024", Title: "Nam Định mở hội chợ xúc tiến thương mại", Published: publishedIn(2024)}},
		{Article: schema.Article{ID: "bao-cu-2005", Title: "UBND tỉnh Nam Định tổng kết năm 2005", Published: publishedIn(2005)}},
		{Article: schema.Article{ID: "khong-ngay", Title: "Thành phố Nam Định chuẩn bị đón Tết"}},
		{Article: kept},
		{Article: moved},
		{Article: schema.Article{ID: "khong-co"}, Delete: true},
	}
	for i := range records {
		records[i].Line = i + 1
	}
	st, err := w.Apply(ctx, slices.Values(records), func(o indexer.Outcome) { got = append(got, o) })
	if err != nil {
		t.Fatal(err)
	}
	want := []indexer.Result{indexer.Indexed, indexer.Indexed, indexer.Indexed, indexer.Indexed, indexer.Replaced, indexer.NotFound}
	for i, o := range got {
		if o.Result != want[i] || o.Line != i+1 {
			t.Errorf("record %d: %+v; want %s", i+1, o, want[i])
		}
	}
	if st.Indexed != 5 || st.Replaced != 1 {
		t.Errorf("stats %+v", st)
	}
	last := len(shards) - 1
	for id, shard := range map[string]int{"hoi-cho-2024": last, "bao-cu-2005": 0, "khong-ngay": last, "nd-2012-0001-ban-in": 0, "nd-2012-0001": last} {
		if held := holdersOf(t, idx, id); !slices.Equal(held, []int{shard}) {
			t.Errorf("%s is in shards %v; want [%d]", id, held, shard)
		}
	}
	if a := articles(t, idx)["nd-2012-0001"]; a.Title != moved.Title {
		t.Errorf("the moved article reads %q", a.Title)
	}
	if err := w.Delete(ctx, "nd-2012-0001", "bao-cu-2005"); err != nil {
		t.Fatal(err)
	}
	after := articles(t, idx)
	if _, ok := after["nd-2012-0001"]; ok || len(after) != len(before)+2 {
		t.Errorf("after the deletes: %d articles; want %d, without nd-2012-0001", len(after), len(before)+2)
	}
	if n, err := idx.DocCount(); err != nil || n != uint64(len(after)) {
		t.Errorf("DocCount %d, %v; want %d: an article in two shards?", n, err, len(after))
	}
	gen, err := schema.Generation(idx)
	if err != nil || gen != committed {
		t.Errorf("the shards' generation %d, %v; the last commit's %d", gen, err, committed)
	}
}

// A move between shards cut short after its first step, by a crash, is
// finished when the archive is opened for writing again: the new version
// stays, the old one goes.
func TestAMoveCutShortIsFinished(t *testing.T) {
	dir, idx, _ := buildCorpusShards(t, 2)
	old := articles(t, idx)["nd-2012-0001"]
	moved := old
	moved.Published, moved.Title = publishedIn(2024), "Nam Định áp dụng ISO 9001:2015"
	// What the first step leaves on disk: the new version in the last
	// shard, noted as moved there, and the old one still in the first.
	shards := schema.ShardsOf(idx)
	b := shards[1].NewBatch()
	if err := b.Index(moved.ID, schema.Document(moved)); err != nil {
		t.Fatal(err)
	}
	b.SetInternal([]byte("vnsearch.moving"), []byte(`["nd-2012-0001"]`))
	if err := shards[1].Batch(b); err != nil {
		t.Fatal(err)
	}
	if held := holdersOf(t, idx, moved.ID); !slices.Equal(held, []int{0, 1}) {
		t.Fatalf("before: in shards %v", held)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	idx, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if _, err := indexer.NewWriter(idx, indexer.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	if held := holdersOf(t, idx, moved.ID); !slices.Equal(held, []int{1}) {
		t.Errorf("after: in shards %v; want [1]", held)
	}
	if a := articles(t, idx)[moved.ID]; a.Title != moved.Title {
		t.Errorf("kept %q; want the new version", a.Title)
	}
	if note, err := schema.ShardsOf(idx)[1].GetInternal([]byte("vnsearch.moving")); err != nil || note != nil {
		t.Errorf("the note is still there: %q, %v", note, err)
	}
}

// A backup of shards taken while an article moves between them, again and
// again, holds it in one shard: every shard's part of a write or none.
// Restored, it is the same sharded archive.
func TestBackupOfShardsUnderMoves(t *testing.T) {
	_, idx, _ := buildCorpusShards(t, 2)
	defer idx.Close()
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	count := len(articles(t, idx))
	mover := articles(t, idx)["nd-2012-0001"]
	ctx := context.Background()
	busy, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; busy.Err() == nil; i++ {
			a := mover
			a.Published = publishedIn([]int{2012, 2024}[i%2])
			if err := w.Put(ctx, a); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	defer func() { stop(); wg.Wait() }()
	for i := range 4 {
		var backup bytes.Buffer
		m, err := Backup(idx, &backup, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), fmt.Sprint("restored-", i))
		if _, err := Restore(&backup, dir, false); err != nil {
			t.Fatal(err)
		}
		restored, g, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if shards, err := Shards(g); err != nil || len(shards) != 2 {
			t.Errorf("backup %d: restored shards %v, %v; want 2", i, shards, err)
		}
		if n := len(holdersOf(t, restored, mover.ID)); n != 1 || m.Articles != uint64(count) {
			t.Errorf("backup %d: %s in %d shards, %d articles; want 1 shard, %d articles", i, mover.ID, n, m.Articles, count)
		}
		restored.Close()
	}
}

// A rebuild of shards makes shards of the same years, each article in the
// one of its year, and keeps the writes made while it copied: a move
// between shards, a new article, a delete.
func TestRebuildOfShardsKeepsWritesMadeMeanwhile(t *testing.T) {
	dir, old, plan := buildCorpusShards(t, 2)
	defer old.Close()
	w, err := indexer.NewWriter(old, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	moved := articles(t, old)["nd-2012-0001"]
	moved.Published = publishedIn(2024)
	added := schema.Article{ID: "bao-cu-2005", Title: "UBND tỉnh Nam Định tổng kết năm 2005", Published: publishedIn(2005)}
	var gone string
	for id := range articles(t, old) {
		if id != moved.ID {
			gone = id
			break
		}
	}
	genBefore, err := schema.Generation(old)
	if err != nil {
		t.Fatal(err)
	}
	next, g, _, err := Rebuild(ctx, dir, w, RebuildHooks{Copied: func(bleve.Index) error {
		if err := w.Put(ctx, moved, added); err != nil {
			return err
		}
		return w.Delete(ctx, gone)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	want := articles(t, old)
	if got := articles(t, next); len(got) != len(want) || got[moved.ID].Title != moved.Title || got[added.ID].Title != added.Title {
		t.Errorf("rebuilt: %d articles; want the %d of the old shards, their last writes included", len(got), len(want))
	}
	if _, ok := articles(t, next)[gone]; ok {
		t.Errorf("%s, deleted during the rebuild, is back", gone)
	}
	if n, err := next.DocCount(); err != nil || n != uint64(len(want)) {
		t.Errorf("DocCount %d, %v; want %d: an article in two shards?", n, err, len(want))
	}
	for id, shard := range map[string]int{moved.ID: 1, added.ID: 0} {
		if held := holdersOf(t, next, id); !slices.Equal(held, []int{shard}) {
			t.Errorf("%s is in shards %v; want [%d]", id, held, shard)
		}
	}
	shards, err := Shards(g)
	if err != nil || len(shards) != len(plan) {
		t.Fatalf("the rebuilt generation's shards: %v, %v; want %v", shards, err, plan)
	}
	total := 0
	for i, s := range shards {
		if s.From != plan[i].From || s.To != plan[i].To {
			t.Errorf("shard %d holds %d–%d; want %d–%d as before", i+1, s.From, s.To, plan[i].From, plan[i].To)
		}
		total += s.Articles
	}
	if total != len(want) {
		t.Errorf("the manifest counts %d articles; want %d", total, len(want))
	}
	if cur, err := Current(dir); err != nil || cur != g {
		t.Errorf("CURRENT names %v, %v; want %v", cur, err, g)
	}
	// The writer is on the new shards, its generation still counting up.
	if err := w.Put(ctx, schema.Article{ID: "sau-khi-doi", Title: "Thành phố Nam Định đón Tết"}); err != nil {
		t.Fatal(err)
	}
	if held := holdersOf(t, next, "sau-khi-doi"); !slices.Equal(held, []int{1}) {
		t.Errorf("a write after the switch is in shards %v of the new generation; want [1]", held)
	}
	if gen, err := schema.Generation(next); err != nil || gen <= genBefore {
		t.Errorf("the write generation went from %d to %d, %v", genBefore, gen, err)
	}
}

// Applied from a cluster's log, a batch writes its log position to every
// shard, whichever it changes. Should a crash leave one shard behind, the
// writer opened again resumes from that shard's position, the lowest.
func TestShardsKeepTheLogPositionEach(t *testing.T) {
	dir, idx, _ := buildCorpusShards(t, 2)
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sequenceKey := []byte("vnsearch.sequence")
	positions := func(idx bleve.Index) []uint64 {
		var got []uint64
		for _, shard := range schema.ShardsOf(idx) {
			seq, err := schema.Counter(shard, sequenceKey, "log sequence")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, seq)
		}
		return got
	}
	ctx := context.Background()
	for _, rec := range []indexer.Record{
		{Sequence: 7, Article: schema.Article{ID: "bao-cu-2005", Title: "UBND tỉnh Nam Định tổng kết năm 2005", Published: publishedIn(2005)}},
		{Sequence: 9, Article: schema.Article{ID: "hoi-cho-2024", Title: "Nam Định mở hội chợ xúc tiến thương mại", Published: publishedIn(2024)}},
		// Out of the log's order, as no node applies it: the position on
		// disk stays 9.
		{Sequence: 8, Article: schema.Article{ID: "khong-ngay", Title: "Thành phố Nam Định chuẩn bị đón Tết"}},
	} {
		rec, err := indexer.PrepareRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Apply(ctx, slices.Values([]indexer.Record{rec}), nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := positions(idx); !slices.Equal(got, []uint64{9, 9}) || w.Sequence() != 9 {
		t.Fatalf("after the log's record 9, the shards are at %v, the writer at %d; want 9 each", got, w.Sequence())
	}
	// What a crash leaves when it cuts a batch short after the first
	// shard: the second still at the batch before.
	if err := schema.ShardsOf(idx)[1].SetInternal(sequenceKey, schema.CounterValue(7)); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	idx, _, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if w, err = indexer.NewWriter(idx, indexer.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	if w.Sequence() != 7 {
		t.Errorf("the writer opened again resumes after %d; want 7, the lowest of %v", w.Sequence(), positions(idx))
	}
}
