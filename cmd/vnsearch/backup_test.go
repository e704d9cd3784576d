package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
)

// corpusDir is the project's own test corpus.
const corpusDir = "../../testdata/corpus"

// searchTotal runs the search command and returns how many articles it
// found.
func searchTotal(t *testing.T, dir, query string) uint64 {
	t.Helper()
	code, stdout, stderr := runCmd(t, nil, "search", "--index", dir, "--json", query)
	if code != exitOK {
		t.Fatalf("search %q: exit %d\n%s", query, code, stderr)
	}
	var res search.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func TestRebuildAnIndexOfAnotherVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if code, _, stderr := runCmd(t, nil, "index", "--index", dir, corpusDir); code != exitOK {
		t.Fatalf("index: exit %d\n%s", code, stderr)
	}
	want := searchTotal(t, dir, "Nam Định")
	if want == 0 {
		t.Fatal("the corpus has no article about Nam Định; the test tests nothing")
	}
	// Mark the index as built by an older version.
	idx, err := schema.OpenAnyVersion(filepath.Join(dir, "gen-000001"))
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.SetInternal([]byte("vnsearch.schema"), []byte("0")); err != nil {
		t.Fatal(err)
	}
	idx.Close()

	hint := "vnsearch index --rebuild --index " + dir
	for _, args := range [][]string{
		{"search", "--index", dir, "Nam Định"},
		{"index", "--index", dir, corpusDir},
		{"serve", "--index", dir, "--addr", "127.0.0.1:0"},
	} {
		code, _, stderr := runCmd(t, nil, args...)
		if code != exitError || !strings.Contains(stderr, "another version") || !strings.Contains(stderr, hint) {
			t.Errorf("%s on an index of another version: exit %d, stderr %q; want %d and %q", args[0], code, stderr, exitError, hint)
		}
	}
	code, _, stderr := runCmd(t, nil, "index", "--rebuild", "--index", dir)
	if code != exitOK || !strings.Contains(stderr, "rebuilt") {
		t.Fatalf("index --rebuild: exit %d\n%s", code, stderr)
	}
	if got := searchTotal(t, dir, "Nam Định"); got != want {
		t.Errorf("search after the rebuild found %d; want %d as before", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "gen-000001")); !os.IsNotExist(err) {
		t.Errorf("the old generation is still there: %v", err)
	}
}

func TestBackupRestoreAndDump(t *testing.T) {
	tmp, dir, want := indexedCorpus(t)

	backup := filepath.Join(tmp, "backup.tar.gz")
	if code, _, stderr := runCmd(t, nil, "backup", "--index", dir, "--out", backup); code != exitOK {
		t.Fatalf("backup: exit %d\n%s", code, stderr)
	}
	restored := restoreFinds(t, backup, want)
	code, _, stderr := runCmd(t, nil, "restore", "--in", backup, "--index", restored)
	if code != exitError || !strings.Contains(stderr, "--force") {
		t.Errorf("restore over an index: exit %d, stderr %q; want %d and a word of --force", code, stderr, exitError)
	}

	code, dump, stderr := runCmd(t, nil, "dump", "--index", dir)
	if code != exitOK {
		t.Fatalf("dump: exit %d\n%s", code, stderr)
	}
	file := filepath.Join(tmp, "dump.jsonl")
	if err := os.WriteFile(file, []byte(dump), 0o600); err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(tmp, "again")
	if code, _, stderr := runCmd(t, nil, "index", "--index", again, file); code != exitOK || !strings.Contains(stderr, "skipped 0") {
		t.Fatalf("index of the dump: exit %d\n%s", code, stderr)
	}
	if got := searchTotal(t, again, "Nam Định"); got != want {
		t.Errorf("search of the index made from the dump found %d; want %d", got, want)
	}
}

// TestBackupOfAServedIndex backs up, by its directory, an index a running
// server holds: the server makes the backup, and it restores.
func TestBackupOfAServedIndex(t *testing.T) {
	tmp, dir, want := indexedCorpus(t)
	srv := startServer(t, dir)
	defer srv.kill(t)

	backup := filepath.Join(tmp, "backup.tar.gz")
	code, _, stderr := runCmd(t, map[string]string{"VNSEARCH_API_TOKEN": crashToken}, "backup", "--index", dir, "--out", backup)
	if code != exitOK || !strings.Contains(stderr, srv.base[:len(srv.base)-1]) {
		t.Fatalf("backup of a served index: exit %d, stderr %q; want the server named", code, stderr)
	}
	restoreFinds(t, backup, want)
}

// indexedCorpus indexes the demo corpus with the index command into dir,
// in the directory tmp, and returns how many articles a search for Nam
// Định finds there.
func indexedCorpus(t *testing.T) (tmp, dir string, want uint64) {
	t.Helper()
	tmp = t.TempDir()
	dir = filepath.Join(tmp, "idx")
	if code, _, stderr := runCmd(t, nil, "index", "--index", dir, corpusDir); code != exitOK {
		t.Fatalf("index: exit %d\n%s", code, stderr)
	}
	return tmp, dir, searchTotal(t, dir, "Nam Định")
}

// restoreFinds restores backup into a new directory, which it returns,
// and checks that a search for Nam Định there finds want articles.
func restoreFinds(t *testing.T, backup string, want uint64) string {
	t.Helper()
	restored := filepath.Join(t.TempDir(), "restored")
	if code, _, stderr := runCmd(t, nil, "restore", "--in", backup, "--index", restored); code != exitOK {
		t.Fatalf("restore: exit %d\n%s", code, stderr)
	}
	if got := searchTotal(t, restored, "Nam Định"); got != want {
		t.Errorf("search of the restored index found %d; want %d", got, want)
	}
	return restored
}
