package store

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/vnsearch/vnsearch/schema"
)

// FuzzRestore feeds Restore damaged backups: it refuses them with an
// error and leaves no index, or restores one that opens.
func FuzzRestore(f *testing.F) {
	idx, err := schema.Create(filepath.Join(f.TempDir(), "index"))
	if err != nil {
		f.Fatal(err)
	}
	if err := idx.Index("hue", map[string]string{"title": "Huế mở cửa Đại Nội về đêm"}); err != nil {
		f.Fatal(err)
	}
	var backup bytes.Buffer
	_, err = Backup(idx, &backup, f.TempDir())
	idx.Close()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(backup.Bytes())
	f.Add(backup.Bytes()[:backup.Len()-40])
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := filepath.Join(t.TempDir(), "restored")
		_, err := Restore(bytes.NewReader(data), dir, false)
		if err != nil {
			if _, cerr := Current(dir); !errors.Is(cerr, schema.ErrNoIndex) {
				t.Fatalf("Restore failed (%v) and left an index behind: %v", err, cerr)
			}
			return
		}
		idx, _, err := Open(dir)
		if err != nil {
			t.Fatalf("Restore succeeded, but the index does not open: %v", err)
		}
		idx.Close()
	})
}
