package indexer

import (
	"fmt"
	"os"
)

// probeWritable finds out why the index's directory cannot be written, by
// creating and removing a small file there; the error names the cause
// (ENOSPC, EROFS, EACCES), or is nil when the file could be written.
func probeWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, err = f.Write(make([]byte, 4096))
	if err == nil {
		err = f.Sync()
	}
	f.Close()
	os.Remove(name)
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	return nil
}
