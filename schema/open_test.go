package schema

import (
	"errors"
	"path/filepath"
	"testing"

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
