package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

func TestOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if _, err := Open(dir); !errors.Is(err, ErrNoIndex) {
		t.Fatalf("Open(empty dir) = %v; want ErrNoIndex", err)
	}
	idx, created, err := OpenOrCreate(dir)
	if err != nil || !created {
		t.Fatalf("OpenOrCreate = %v, created %v; want a new index", err, created)
	}
	idx.Close()
	idx, created, err = OpenOrCreate(dir)
	if err != nil || created {
		t.Fatalf("OpenOrCreate again = %v, created %v; want the index made before", err, created)
	}
	idx.Close()
}

func TestOpenRefusesAnotherVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "old")
	old, err := bleve.New(dir, NewMapping())
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	if _, err := Open(dir); !errors.Is(err, ErrIncompatible) {
		t.Errorf("Open(index without a schema version) = %v; want ErrIncompatible", err)
	}
}

// TestOpenLocked opens an index held open: bolt's lock is per open file,
// so a second open in one process meets it as another process would.
func TestOpenLocked(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	idx, _, err := OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for name, open := range map[string]func(string) (bleve.Index, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		started := time.Now()
		if other, err := open(dir); !errors.Is(err, ErrLocked) {
			if other != nil {
				other.Close()
			}
			t.Errorf("%s(index held open) = %v; want ErrLocked", name, err)
		}
		if took := time.Since(started); took > 5*time.Second {
			t.Errorf("%s(index held open) took %s; want it to fail at once", name, took)
		}
	}
}

// TestOpenReadOnlyWritesNothing reads an index read-only and finds its
// files as they were.
func TestOpenReadOnlyWritesNothing(t *testing.T) {
	dir := oneArticleIndex(t)
	before := dirState(t, dir)
	ro, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := ro.DocCount(); err != nil || n != 1 {
		t.Errorf("DocCount read-only = %d, %v; want 1", n, err)
	}
	ro.Close()
	if after := dirState(t, dir); !maps.Equal(before, after) {
		t.Errorf("files after a read-only open:\n%v\nbefore:\n%v", after, before)
	}
}

// oneArticleIndex returns the directory of a closed index of one article.
func oneArticleIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	idx, _, err := OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Index("hue-1", Document(Article{ID: "hue-1", Title: "Festival Huế khai mạc"})); err != nil {
		t.Fatal(err)
	}
	idx.Close()
	return dir
}

// dirState maps each file under dir to its size and modification time.
func dirState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[p] = fmt.Sprint(info.Size(), " ", info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOpenDamaged truncates a segment of an index: opening it says the
// index is damaged and how to rebuild it, and leaves every file as it was.
func TestOpenDamaged(t *testing.T) {
	dir := oneArticleIndex(t)
	segments, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if len(segments) == 0 {
		t.Fatal("the index has no segment file to damage")
	}
	if err := os.Truncate(segments[0], 100); err != nil {
		t.Fatal(err)
	}
	before := dirState(t, dir)
	for name, open := range map[string]func(string) (bleve.Index, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		idx, err := open(dir)
		if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "vnsearch index --index") {
			if idx != nil {
				idx.Close()
			}
			t.Errorf("%s(damaged index) = %v; want ErrDamaged giving the rebuild command", name, err)
		}
	}
	if after := dirState(t, dir); !maps.Equal(before, after) {
		t.Errorf("files after opening a damaged index:\n%v\nbefore:\n%v", after, before)
	}
}
