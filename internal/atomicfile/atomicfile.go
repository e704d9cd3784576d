// Package atomicfile replaces a file in one step: the new content is
// written to a temporary file beside it, synced, and renamed over it, so
// that a crash or a failed write leaves the old file or the new one, never
// a part of either.
package atomicfile

import (
	"io"
	"os"
	"path/filepath"
)

// Write writes name through write, with permissions perm. The temporary
// file's name ends in ".tmp", which copies of a directory skip; it is
// removed when write or the rename fails.
func Write(name string, perm os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	err = tmp.Chmod(perm)
	if err == nil {
		err = write(tmp)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
