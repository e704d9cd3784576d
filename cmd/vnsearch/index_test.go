package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/store"
)

// TestKillNineDuringIndex kills `vnsearch index` with SIGKILL during the
// load of a new index and of a rebuild, at random moments: the
// directory then holds no index, or the one before, whole, never an index
// missing articles; the next run indexes everything.
func TestKillNineDuringIndex(t *testing.T) {
	const n = 3000
	archive := filepath.Join(t.TempDir(), "tin.jsonl")
	writeArchive(t, archive, n)
	dir := filepath.Join(t.TempDir(), "index")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	cycles := 3
	if testing.Short() {
		cycles = 1
	}
	// --parallel=2: batches built two at once, saved once at the end.
	parallel := func(cycle int) string { return fmt.Sprint("--parallel=", 1+cycle%2) }
	for cycle := range 2 * cycles {
		if finished := killIndexAfter(t, rng, "index", parallel(cycle), "--index", dir, archive); finished {
			t.Log("the build finished before the kill")
			os.RemoveAll(dir)
			continue
		}
		// Killed after the switch (while the suggestions were saved), the
		// build left the whole index; before it, none.
		switch _, err := store.Current(dir); {
		case err == nil:
			checkArticles(t, dir, n)
			os.RemoveAll(dir)
		case !errors.Is(err, schema.ErrNoIndex):
			t.Fatalf("after a kill during the first build, Current = %v; want no index or the whole one", err)
		}
	}
	if code, _, stderr := runCmd(t, nil, "index", "--index", dir, archive); code != exitOK {
		t.Fatalf("index exit code %d\n%s", code, stderr)
	}
	checkArticles(t, dir, n)
	if gens, _ := filepath.Glob(filepath.Join(dir, "gen-*")); len(gens) != 1 {
		t.Errorf("after a whole build, the index directory holds generations %v; want one", gens)
	}
	for cycle := range 2 * cycles {
		killIndexAfter(t, rng, "index", "--rebuild", parallel(cycle), "--index", dir)
		checkArticles(t, dir, n)
	}
}

// killIndexAfter runs the command line in a process of its own and kills
// it after a random time under two seconds, unless it finished first.
func killIndexAfter(t *testing.T, rng *rand.Rand, args ...string) (finished bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asServe+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return true
	case <-time.After(time.Duration(100+rng.IntN(1900)) * time.Millisecond):
		cmd.Process.Kill()
		<-done
		return false
	}
}

// checkArticles opens the current generation of dir and checks it holds
// n articles.
func checkArticles(t *testing.T, dir string, n int) {
	t.Helper()
	idx, _, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if got, _ := idx.DocCount(); got != uint64(n) {
		t.Fatalf("the index holds %d articles; want %d", got, n)
	}
}

// writeArchive writes n short articles as JSON Lines to path.
func writeArchive(t *testing.T, path string, n int) {
	t.Helper()
	places := []string{"Hà Nội", "Nam Định", "Huế", "Đà Nẵng", "Cần Thơ", "Hải Phòng"}
	topics := []string{"khai giảng năm học mới", "mưa lớn gây ngập", "mở cầu vượt", "hội chợ nông sản", "giải chạy việt dã"}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for i := range n {
		p, tp := places[i%len(places)], topics[i%len(topics)]
		enc.Encode(schema.Article{
			ID:    fmt.Sprintf("tin-%d", i),
			Title: fmt.Sprintf("%s: %s lần thứ %d", p, tp, i),
			Body:  strings.Repeat(fmt.Sprintf("Sáng nay, người dân %s theo dõi %s, bài số %d. ", p, tp, i), 20),
		})
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
