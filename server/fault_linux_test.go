package server

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vnsearch/vnsearch/indexer"
)

// TestWritesOnAFullDisk fills the disk of the index past the free space
// writes keep, with a file allocated at once: writes get a 507 saying the
// disk is full while searches go on, and recover once the file is gone.
func TestWritesOnAFullDisk(t *testing.T) {
	dir := t.TempDir()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := st.Bavail * uint64(st.Bsize)
	const filler = 512 << 20
	if free < 2*filler {
		t.Skipf("%d MiB free: not enough to fill %d MiB of it", free>>20, filler>>20)
	}
	// Writes need all but half the filler free: the filler takes it.
	ts := newTestServer(t, Options{APIToken: testToken, Writer: indexer.WriterOptions{MinFreeBytes: free - filler/2}})
	h := ts.Handler()
	put := func(id string) (int, string) {
		rec := send(t, h, "PUT", "/api/articles/"+id, `{"title": "Sóc Trăng đón mùa lúa mới"}`, bearer)
		var body errorBody
		if rec.Code != 200 {
			decode(t, rec, &body)
		}
		return rec.Code, body.Error.Code + " " + body.Error.Message
	}
	if code, msg := put("truoc"); code != 200 {
		t.Fatalf("PUT before the disk is full = %d %s", code, msg)
	}
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Fallocate(int(f.Fd()), 0, 0, filler); err != nil {
		f.Close()
		t.Skipf("cannot allocate a file here: %v", err)
	}
	f.Close()
	code, msg := put("day")
	if code != 507 || !strings.Contains(msg, "insufficient_storage") || !strings.Contains(msg, "full") {
		t.Errorf("PUT on a full disk = %d %s; want 507 saying the disk is full", code, msg)
	}
	if ids := hitIDs(t, serve(t, h, "GET", "/api/search?q=soc+trang", "")); len(ids) != 1 || ids[0] != "truoc" {
		t.Errorf("search on a full disk = %v; want the article written before", ids)
	}
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	if code, msg := put("sau"); code != 200 {
		t.Errorf("PUT once space is freed = %d %s; want 200", code, msg)
	}
}

// TestWritesToAReadOnlyIndex takes the write permission off the index's
// directory: writes get a 503 saying so while searches go on, and recover
// once it is back. Root writes whatever the permissions say, so the test
// needs another user.
func TestWritesToAReadOnlyIndex(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	ts := newTestServer(t, Options{APIToken: testToken})
	h := ts.Handler()
	// bleve keeps the segments in the store subdirectory.
	dir := filepath.Join(ts.opts.Index.Name(), "store")
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	rec := send(t, h, "PUT", "/api/articles/ro", `{"title": "Sóc Trăng đón mùa lúa mới"}`, bearer)
	var body errorBody
	decode(t, rec, &body)
	if rec.Code != 503 || body.Error.Code != "not_durable" || !strings.Contains(body.Error.Message, "read-only") {
		t.Errorf("PUT into a read-only index = %d %+v; want 503 saying it is read-only", rec.Code, body.Error)
	}
	if rec := serve(t, h, "GET", "/api/search?q=nam+dinh", ""); rec.Code != 200 {
		t.Errorf("search on a read-only index = %d; want 200", rec.Code)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if rec := send(t, h, "PUT", "/api/articles/rw", `{"title": "Sóc Trăng đón mùa lúa mới"}`, bearer); rec.Code != 200 {
		t.Errorf("PUT once writable again = %d %s; want 200", rec.Code, rec.Body)
	}
}
