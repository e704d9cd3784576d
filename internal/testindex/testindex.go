// Package testindex builds, for tests, real vnsearch indexes in a test's
// temporary directory, written through the one write path as a server's
// writes are. An index is closed when its test ends.
package testindex

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// New returns a new index holding articles.
func New(t testing.TB, articles ...schema.Article) bleve.Index {
	t.Helper()
	idx, w := open(t)
	if err := w.Put(context.Background(), articles...); err != nil {
		t.Fatal(err)
	}
	return idx
}

// FromPaths returns a new index of the articles in the files and
// directories of paths, in any format the indexer reads. A record the
// indexer refuses fails the test, as does an index of fewer than least
// articles.
func FromPaths(t testing.TB, least int, paths ...string) bleve.Index {
	t.Helper()
	idx, w := open(t)
	st, err := w.Load(context.Background(), func(v indexer.Visitor) error {
		return indexer.ReadPaths(paths, v)
	}, func(o indexer.Outcome) {
		if o.Result == indexer.Rejected {
			t.Errorf("%v: %v", paths, o.Err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Indexed < least {
		t.Fatalf("indexed %d articles of %v; want at least %d", st.Indexed, paths, least)
	}
	return idx
}

func open(t testing.TB) (bleve.Index, *indexer.Writer) {
	t.Helper()
	idx, _, err := schema.OpenOrCreate(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	w, err := indexer.NewWriter(idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return idx, w
}
