package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "CURRENT")
	if err := os.WriteFile(name, []byte("gen-000001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	write := func(text string, fail error) func(io.Writer) error {
		return func(w io.Writer) error {
			if _, err := io.WriteString(w, text); err != nil {
				return err
			}
			return fail
		}
	}
	errHalfway := errors.New("dừng giữa chừng")
	if err := Write(name, 0o600, write("gen-0000", errHalfway)); !errors.Is(err, errHalfway) {
		t.Fatalf("Write with a failing write = %v; want its error", err)
	}
	if got, _ := os.ReadFile(name); string(got) != "gen-000001\n" {
		t.Errorf("after a failed write the file holds %q; want the old content", got)
	}
	if err := Write(name, 0o644, write("gen-000002\n", nil)); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(name); string(got) != "gen-000002\n" {
		t.Errorf("the file holds %q; want the new content", got)
	}
	if fi, err := os.Stat(name); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, %v; want 0644", fi.Mode().Perm(), err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Errorf("the directory holds %d entries, %v; want only the file, no temporary one left", len(entries), err)
	}
}
