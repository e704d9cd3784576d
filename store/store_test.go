package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// corpus is the project's own test corpus, every reader's format.
const corpus = "../testdata/corpus"

// loadCorpus indexes the test corpus through a writer into idx.
func loadCorpus(t *testing.T, idx bleve.Index) *indexer.Writer {
	t.Helper()
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := w.Load(context.Background(), func(v indexer.Visitor) error {
		return indexer.ReadPaths([]string{corpus}, v)
	}, nil)
	if err != nil || st.Indexed == 0 {
		t.Fatalf("index %s: %+v, %v", corpus, st, err)
	}
	return w
}

// articles returns every article of idx by id.
func articles(t *testing.T, idx bleve.Index) map[string]schema.Article {
	t.Helper()
	out := map[string]schema.Article{}
	err := schema.ReadArticles(context.Background(), idx, func(a schema.Article) error {
		out[a.ID] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRebuildAnIndexOfAnotherVersionMadeBeforeGenerations(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	legacy, err := schema.Create(dir) // an index without generations
	if err != nil {
		t.Fatal(err)
	}
	w := loadCorpus(t, legacy)
	want := articles(t, legacy)
	if err := legacy.SetInternal([]byte("vnsearch.schema"), []byte("0")); err != nil {
		t.Fatal(err)
	}
	legacy.Close()

	_, _, err = Open(dir)
	if !errors.Is(err, schema.ErrIncompatible) {
		t.Fatalf("Open of an index of schema 0 = %v; want ErrIncompatible", err)
	}
	old, g, err := OpenAnyVersion(dir)
	if err != nil || g.N != 0 {
		t.Fatalf("OpenAnyVersion = generation %d, %v; want generation 0", g.N, err)
	}
	if w, err = indexer.NewWriter(old, indexer.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	switched := false
	next, ng, st, err := Rebuild(context.Background(), dir, w, RebuildHooks{Switched: func(bleve.Index, Generation) { switched = true }})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	if err := Remove(dir, g); err != nil {
		t.Fatal(err)
	}
	if ng.N != 1 || !switched || st.Indexed != len(want) {
		t.Errorf("Rebuild = generation %d, %+v, switched %v; want generation 1 with %d articles", ng.N, st, switched, len(want))
	}
	if got := articles(t, next); !reflect.DeepEqual(got, want) {
		t.Errorf("the rebuilt index holds %d articles, not the %d of the old one as they were", len(got), len(want))
	}
	next.Close()
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the old generation's files are still there: %v", err)
	}
	idx, g, err := Open(dir)
	if err != nil || g.N != 1 {
		t.Fatalf("Open after the rebuild = generation %d, %v; want generation 1", g.N, err)
	}
	idx.Close()
}

func TestOpenOrCreateMakesTheFirstGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	idx, g, created, err := OpenOrCreate(dir)
	if err != nil || !created || g.N != 1 {
		t.Fatalf("OpenOrCreate = generation %d, created %v, %v; want a new generation 1", g.N, created, err)
	}
	idx.Close()
	idx, g, created, err = OpenOrCreate(dir)
	if err != nil || created || g.N != 1 {
		t.Fatalf("OpenOrCreate again = generation %d, created %v, %v; want generation 1 opened", g.N, created, err)
	}
	idx.Close()
	if err := os.WriteFile(filepath.Join(dir, currentFile), []byte("../elsewhere\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(dir); err == nil {
		t.Error("Open with a CURRENT naming no generation succeeded")
	}
}

func TestBackupUnderWritesThenRestore(t *testing.T) {
	idx, _, _, err := OpenOrCreate(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	w := loadCorpus(t, idx)
	acked := articles(t, idx)

	ctx := context.Background()
	busy, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // writes all through the backup
		defer wg.Done()
		for i := 0; busy.Err() == nil; i++ {
			if err := w.Put(ctx, schema.Article{ID: fmt.Sprintf("trong-khi-sao-luu-%d", i), Title: "Đà Nẵng mưa lớn"}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var backup bytes.Buffer
	m, err := Backup(idx, &backup, t.TempDir())
	stop()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if m.Schema != schema.Version || m.Articles < uint64(len(acked)) || len(m.Files) == 0 {
		t.Fatalf("manifest = schema %q, %d articles, %d files; want schema %q, at least %d articles",
			m.Schema, m.Articles, len(m.Files), schema.Version, len(acked))
	}

	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(bytes.NewReader(backup.Bytes()), dir, false); err != nil {
		t.Fatal(err)
	}
	restored, _, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := articles(t, restored)
	restored.Close()
	for id, a := range acked {
		if !reflect.DeepEqual(got[id], a) {
			t.Errorf("article %q written before the backup is not restored as it was", id)
		}
	}
	if uint64(len(got)) != m.Articles {
		t.Errorf("restored %d articles; the manifest says %d", len(got), m.Articles)
	}

	if _, err := Restore(bytes.NewReader(backup.Bytes()), dir, false); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("Restore over an index = %v; want ErrNotEmpty", err)
	}
	if _, err := Restore(bytes.NewReader(backup.Bytes()), dir, true); err != nil {
		t.Errorf("Restore replacing an index = %v", err)
	}
	if _, g, err := Open(dir); err != nil || g.N != 2 {
		t.Errorf("Open after the replacing restore = generation %d, %v; want generation 2", g.N, err)
	}
}

func TestRestoreRefusesADamagedBackup(t *testing.T) {
	idx, _, _, err := OpenOrCreate(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	loadCorpus(t, idx)
	var backup bytes.Buffer
	if _, err := Backup(idx, &backup, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"cut short":    backup.Bytes()[:backup.Len()/2],
		"not a backup": []byte(`{"id":"1","title":"Hà Nội"}`),
		"empty":        nil,
	} {
		dir := filepath.Join(t.TempDir(), "restored")
		if _, err := Restore(bytes.NewReader(data), dir, false); !errors.Is(err, ErrBadBackup) {
			t.Errorf("%s: Restore = %v; want ErrBadBackup", name, err)
		}
		if _, err := Current(dir); !errors.Is(err, schema.ErrNoIndex) {
			t.Errorf("%s: a failed restore left an index behind: %v", name, err)
		}
	}
}

func TestDumpIndexedAgainGivesTheSameArticles(t *testing.T) {
	idx, _, _, err := OpenOrCreate(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	loadCorpus(t, idx)
	var dump bytes.Buffer
	n, err := Dump(context.Background(), idx, &dump)
	if err != nil {
		t.Fatal(err)
	}
	want := articles(t, idx)
	if n != len(want) {
		t.Errorf("Dump wrote %d articles; the index holds %d", n, len(want))
	}

	again, _, _, err := OpenOrCreate(filepath.Join(t.TempDir(), "again"))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	w, err := indexer.NewWriter(again, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Load(context.Background(), func(v indexer.Visitor) error {
		return indexer.ReadJSON("dump.jsonl", dump.Bytes(), v)
	}, func(o indexer.Outcome) {
		if o.Result == indexer.Rejected {
			t.Errorf("dump line %d rejected: %v", o.Line, o.Err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	got := articles(t, again)
	for id, a := range want {
		if !reflect.DeepEqual(got[id], a) {
			t.Errorf("article %q indexed from the dump = %+v; want %+v", id, got[id], a)
		}
	}
	if len(got) != len(want) {
		t.Errorf("indexed %d articles from the dump; want %d", len(got), len(want))
	}
}

func TestRemoveStaleKeepsTheCurrentGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	for range 3 { // generations 1 and 2 left behind, 3 current
		idx, g, err := create(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		idx.Close()
		if err := setCurrent(dir, g); err != nil {
			t.Fatal(err)
		}
	}
	if err := RemoveStale(dir); err != nil {
		t.Fatal(err)
	}
	if got := generations(dir); !reflect.DeepEqual(got, []int{3}) {
		t.Errorf("generations after RemoveStale = %v; want [3]", got)
	}
}

// TestBackupKeepsTheFilesBesideTheIndex keeps a file beside an index, as
// the saved suggestions are: a backup carries it to the restored index.
func TestBackupKeepsTheFilesBesideTheIndex(t *testing.T) {
	idx, g, _, err := OpenOrCreate(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	loadCorpus(t, idx)
	const name, text = "suggestions", "gợi ý đã lưu"
	if err := os.WriteFile(filepath.Join(g.Dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(g.Dir, name+".tmp"), []byte("half written"), 0o644); err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer
	if _, err := Backup(idx, &backup, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(&backup, dir, false); err != nil {
		t.Fatal(err)
	}
	restored, err := Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(restored.Dir, name)); err != nil || string(got) != text {
		t.Errorf("%s after restore = %q, %v; want %q", name, got, err, text)
	}
	if _, err := os.Stat(filepath.Join(restored.Dir, name+".tmp")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file being written was backed up: %v", err)
	}
}

// TestBuild builds a generation in one load: CURRENT names it only
// once it is on disk, and a load that fails leaves the directory as it
// was, with no new generation.
func TestBuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ctx := context.Background()
	errStop := errors.New("stopped halfway")
	failing := func(idx bleve.Index, w *indexer.Writer) error {
		if err := w.Put(ctx, schema.Article{ID: "nua-chung", Title: "Bài viết dở dang"}); err != nil {
			return err
		}
		return errStop
	}
	if _, _, err := Build(ctx, dir, indexer.WriterOptions{}, failing); !errors.Is(err, errStop) {
		t.Fatalf("Build with a failing load = %v; want its error", err)
	}
	if _, err := Current(dir); !errors.Is(err, schema.ErrNoIndex) {
		t.Errorf("after a failed first build, Current = %v; want ErrNoIndex", err)
	}
	if gs := generations(dir); len(gs) != 0 {
		t.Errorf("a failed build left generations %v", gs)
	}

	var want map[string]schema.Article
	idx, g, err := Build(ctx, dir, indexer.WriterOptions{BatchSize: 3, Bulk: true}, func(idx bleve.Index, w *indexer.Writer) error {
		st, err := w.Load(ctx, func(v indexer.Visitor) error { return indexer.ReadPaths([]string{corpus}, v) }, nil)
		if err == nil && st.Indexed == 0 {
			err = errors.New("nothing indexed")
		}
		want = articles(t, idx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if cur, err := Current(dir); err != nil || cur != g {
		t.Errorf("Current = %+v, %v; want the built generation %+v", cur, err, g)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	idx, _, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := articles(t, idx); !reflect.DeepEqual(got, want) {
		t.Errorf("reopened, the built index holds %d articles; want the %d loaded", len(got), len(want))
	}
	idx.Close()

	if _, _, err := Build(ctx, dir, indexer.WriterOptions{}, failing); !errors.Is(err, errStop) {
		t.Fatalf("Build with a failing load = %v; want its error", err)
	}
	if cur, err := Current(dir); err != nil || cur != g {
		t.Errorf("after a failed build, Current = %+v, %v; want the one before, %+v", cur, err, g)
	}
	if gs := generations(dir); len(gs) != 1 {
		t.Errorf("a failed build left generations %v; want only %d", gs, g.N)
	}
}
