package indexer

import (
	"os"
	"path/filepath"
)

// probeWritable checks that the index's directory can be written, by
// creating and removing an empty file there and in the subdirectory where
// bleve keeps the segments; the error names the cause (EROFS, EACCES), or
// is nil. It costs tens of microseconds.
func probeWritable(dir string) error {
	if err := probeDir(dir); err != nil {
		return err
	}
	if store := filepath.Join(dir, "store"); isDir(store) {
		return probeDir(store)
	}
	return nil
}

func isDir(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.IsDir()
}

func probeDir(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}
