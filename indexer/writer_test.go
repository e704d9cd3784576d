package indexer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/schema"
)

func newTestIndex(t *testing.T) (bleve.Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	idx, _, err := schema.OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx, dir
}

// reopen closes idx and opens the index in dir again, as a restarted
// process would, closed when the test ends.
func reopen(t *testing.T, idx bleve.Index, dir string) bleve.Index {
	t.Helper()
	idx.Close()
	idx, err := schema.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func TestWriterApply(t *testing.T) {
	idx, _ := newTestIndex(t)
	var commits []Commit
	w, err := NewWriter(idx, WriterOptions{BatchSize: 2, OnCommit: []func(Commit){func(c Commit) { commits = append(commits, c) }}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := w.Put(ctx, schema.Article{ID: "hoi-an", Title: "Hội An đón khách"}); err != nil {
		t.Fatal(err)
	}
	records := []Record{
		{Line: 1, Article: schema.Article{ID: "hoi-an", Title: "Hội An đón khách dịp lễ"}},
		{Line: 2, Article: schema.Article{ID: "nam-dinh", Title: "Nam Định đạt chuẩn ISO 9001:2000"}},
		{Line: 3, Article: schema.Article{ID: "trong", Title: ""}},
		{Line: 4, Article: schema.Article{ID: "https://example.vn/../etc", Title: "Đường dẫn"}},
		{Line: 5, Article: schema.Article{ID: "hoi-an"}, Delete: true},
		{Line: 6, Article: schema.Article{ID: "khong-co"}, Delete: true},
		{Line: 7, Err: ErrInvalidJSON},
	}
	var got []string
	st, err := w.Apply(ctx, slices.Values(records), func(o Outcome) {
		s := fmt.Sprintf("%d %s %s", o.Line, o.ID, o.Result)
		var fe *FieldError
		if errors.As(o.Err, &fe) {
			s += " " + fe.Field
		}
		got = append(got, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 hoi-an replaced", "2 nam-dinh indexed", "3 trong rejected title", "4 https://example.vn/../etc rejected id",
		"5 hoi-an deleted", "6 khong-co not_found", "7  rejected"}
	if !slices.Equal(got, want) {
		t.Errorf("outcomes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := (Stats{Indexed: 2, Replaced: 1, Deleted: 1, Skipped: 3}); st != want {
		t.Errorf("stats = %+v; want %+v", st, want)
	}
	if n, _ := idx.DocCount(); n != 1 {
		t.Errorf("index holds %d articles; want 1 (nam-dinh)", n)
	}
	gen, err := schema.Generation(idx)
	if err != nil || gen != uint64(len(commits)) || gen < 3 {
		t.Errorf("generation = %d, %v after %d commits", gen, err, len(commits))
	}
	if last := commits[len(commits)-1]; !slices.Equal(last.Deleted, []string{"hoi-an", "khong-co"}) || len(last.Changed) != 0 {
		t.Errorf("last commit = %+v; want the two deletes", last)
	}
}

func TestWriterPutRejects(t *testing.T) {
	idx, _ := newTestIndex(t)
	w, err := NewWriter(idx, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = w.Put(context.Background(), schema.Article{ID: "a\x00b", Title: "Tin"}, schema.Article{ID: "tot", Title: "Tin tốt"})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "id" || !errors.Is(err, ErrBadID) {
		t.Errorf("Put(id with NUL) = %v; want a FieldError on id", err)
	}
	if n, _ := idx.DocCount(); n != 1 {
		t.Errorf("index holds %d articles; want the good one", n)
	}
}

// TestWriterDurable reopens the index after writes: what Put acknowledged
// is on disk.
func TestWriterDurable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	idx, _, err := schema.OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(idx, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if err := w.Put(context.Background(), schema.Article{ID: fmt.Sprint("bai-", i), Title: "Tin thứ " + fmt.Sprint(i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := w.Delete(context.Background(), "bai-0"); err != nil {
		t.Fatal(err)
	}
	idx = reopen(t, idx, dir)
	if n, _ := idx.DocCount(); n != 7 {
		t.Errorf("reopened index holds %d articles; want 7", n)
	}
	if gen, _ := schema.Generation(idx); gen != 9 {
		t.Errorf("generation = %d; want 9", gen)
	}
}

func TestWriterNoSpace(t *testing.T) {
	idx, _ := newTestIndex(t)
	w, err := NewWriter(idx, WriterOptions{MinFreeBytes: 1 << 62})
	if err != nil {
		t.Fatal(err)
	}
	err = w.Put(context.Background(), schema.Article{ID: "day", Title: "Ổ đĩa đầy"})
	if !errors.Is(err, ErrNoSpace) {
		t.Errorf("Put on a full disk = %v; want ErrNoSpace", err)
	}
	if n, _ := idx.DocCount(); n != 0 {
		t.Errorf("index holds %d articles after a refused write", n)
	}
}

// TestBulkWriter writes batches several at a time into an index opened
// for a bulk load, with ids written again in later batches and in flight
// at once: the last version of each wins, outcomes come in input order,
// and after Sync everything is on disk, generation included.
func TestBulkWriter(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	idx, err := schema.CreateBulk(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(idx, WriterOptions{Bulk: true, BatchSize: 2, InFlight: 3})
	if err != nil {
		t.Fatal(err)
	}
	titles := []string{"Hà Nội mưa lớn", "Huế đón khách", "Đà Nẵng bắn pháo hoa", "Cần Thơ mở cầu mới"}
	var records []Record
	for i := range 40 {
		id := fmt.Sprint("bai-", i%10) // every id four times, batches apart
		records = append(records, Record{Line: i + 1, Article: schema.Article{ID: id, Title: fmt.Sprintf("%s (bản %d)", titles[i%4], i/10)}})
	}
	records = append(records, Record{Line: 41, Article: schema.Article{ID: "bai-3"}, Delete: true})
	var lines []int
	var replaced int
	st, err := w.Apply(context.Background(), slices.Values(records), func(o Outcome) {
		lines = append(lines, o.Line)
		if o.Result == Replaced {
			replaced++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{Indexed: 40, Replaced: 30, Deleted: 1}); st != want || replaced != 30 {
		t.Errorf("stats = %+v; want %+v", st, want)
	}
	if !slices.IsSorted(lines) || len(lines) != len(records) {
		t.Errorf("outcomes reported for lines %v; want each once, in order", lines)
	}
	if err := w.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	idx = reopen(t, idx, dir)
	got := map[string]string{}
	if err := schema.ReadArticles(context.Background(), idx, func(a schema.Article) error {
		got[a.ID] = a.Title
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 9 {
		t.Errorf("reopened index holds %d articles; want 9", len(got))
	}
	for i := range 10 {
		id := fmt.Sprint("bai-", i)
		want := fmt.Sprintf("%s (bản 3)", titles[(30+i)%4])
		if i == 3 {
			want = ""
		}
		if got[id] != want {
			t.Errorf("article %s = %q; want %q, its last version", id, got[id], want)
		}
	}
	if gen, _ := schema.Generation(idx); gen != 21 {
		t.Errorf("generation = %d; want 21, one per batch", gen)
	}
}

func TestBulkWriterHasNoCommitHooks(t *testing.T) {
	idx, _ := newTestIndex(t)
	_, err := NewWriter(idx, WriterOptions{Bulk: true, OnCommit: []func(Commit){func(Commit) {}}})
	if err == nil {
		t.Error("NewWriter of a bulk writer with OnCommit succeeded; its commits are not on disk")
	}
}

func TestWriterKeepsLogSequence(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	idx, _, err := schema.OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(idx, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	logged := []Record{
		{Sequence: 7, Article: schema.Article{ID: "nam-dinh", Title: "Nam Định đạt chuẩn ISO 9001:2000"}},
		{Sequence: 9, Article: schema.Article{ID: "hoi-an"}, Delete: true},
		// A logged record is not prepared again: its entity stays.
		{Sequence: 12, Article: schema.Article{ID: "ha-noi", Title: "Hà Nội &amp; TP.HCM"}},
	}
	if _, err := w.Apply(ctx, slices.Values(logged), nil); err != nil {
		t.Fatal(err)
	}
	if got := w.Sequence(); got != 12 {
		t.Errorf("Sequence() = %d; want 12", got)
	}
	// Only rejections still move the sequence on, so that a bad logged
	// record is not read again.
	bad := Record{Sequence: 15, Article: schema.Article{ID: " "}}
	st, err := w.Apply(ctx, slices.Values([]Record{bad}), nil)
	if err != nil || st.Skipped != 1 {
		t.Fatalf("Apply(bad) = %+v, %v; want 1 skipped", st, err)
	}
	idx = reopen(t, idx, dir)
	w, err = NewWriter(idx, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Sequence(); got != 15 {
		t.Errorf("after reopening, Sequence() = %d; want 15", got)
	}
	doc, err := storedArticles(ctx, idx, []string{"ha-noi"})
	if err != nil {
		t.Fatal(err)
	}
	if got := doc["ha-noi"].Title; got != "Hà Nội &amp; TP.HCM" {
		t.Errorf("logged title = %q; want it as logged", got)
	}

	next, _ := newTestIndex(t)
	if _, err := w.Rebuild(ctx, next, RebuildHooks{}); err != nil {
		t.Fatal(err)
	}
	if got, err := schema.Counter(next, sequenceKey, "log sequence"); err != nil || got != 15 {
		t.Errorf("rebuilt index's sequence = %d, %v; want 15", got, err)
	}
}
