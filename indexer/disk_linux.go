package indexer

import (
	"fmt"
	"syscall"
)

// checkFreeSpace returns an error wrapping ErrNoSpace when the file system
// of dir has less than min bytes free for an unprivileged user. A
// directory that cannot be asked is let through: the write itself will
// tell.
func checkFreeSpace(dir string, min uint64) error {
	var st syscall.Statfs_t
	if dir == "" || syscall.Statfs(dir, &st) != nil {
		return nil
	}
	if free := st.Bavail * uint64(st.Bsize); free < min {
		return fmt.Errorf("%w: %d MiB free in %s, writes need %d MiB", ErrNoSpace, free>>20, dir, min>>20)
	}
	return nil
}
