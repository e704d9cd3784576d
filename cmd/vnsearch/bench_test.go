package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/internal/bench"
)

// demoIndex indexes the bundled demo articles with the index command.
func demoIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	if code, _, stderr := runCmd(t, nil, "index", "--index", dir, "../../testdata/corpus"); code != exitOK {
		t.Fatalf("index exit code %d\n%s", code, stderr)
	}
	return dir
}

func TestBenchJSON(t *testing.T) {
	dir := demoIndex(t)
	code, stdout, stderr := runCmd(t, nil, "bench", "--index", dir, "--corpus", "../../testdata/corpus",
		"--n", "20", "--concurrency", "1, 2", "--warmup", "3", "--json")
	if code != exitOK {
		t.Fatalf("bench exit code %d\n%s", code, stderr)
	}
	var rep bench.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("bench --json printed %q: %v", stdout, err)
	}
	if rep.Mode != bench.ModeSearch || len(rep.Levels) != 2 || rep.Levels[1].Concurrency != 2 || rep.Levels[1].Count != 20 {
		t.Errorf("bench report = %+v; want search at concurrency 1 and 2, 20 queries each", rep)
	}
	if !strings.Contains(stderr, "derived") {
		t.Errorf("bench stderr %q does not say how many queries were derived", stderr)
	}
}

func TestBenchTableFromQueryFile(t *testing.T) {
	dir := demoIndex(t)
	file := filepath.Join(t.TempDir(), "queries.txt")
	if err := os.WriteFile(file, []byte("# demo\nnam dinh\nkhoa học\n\nISO 9001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"search", "suggest"} {
		args := []string{"bench", "--index", dir, "--queries", file, "--n", "9", "--concurrency", "2", "--warmup", "0"}
		if mode == "suggest" {
			args = append(args, "--suggest")
		}
		code, stdout, stderr := runCmd(t, nil, args...)
		if code != exitOK {
			t.Fatalf("bench %s exit code %d\n%s", mode, code, stderr)
		}
		for _, want := range []string{mode + ": 3 queries in the list", "concurrency  queries  failed", "p99 ms", "CPU ms/query"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("bench %s output lacks %q:\n%s", mode, want, stdout)
			}
		}
	}
}

func TestBenchBadCommandLine(t *testing.T) {
	dir := demoIndex(t)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("nam dinh\nNam \xd0inh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no query source", []string{"--index", dir}, exitUsage, "either --queries FILE or --corpus FILE"},
		{"both query sources", []string{"--index", dir, "--queries", bad, "--corpus", "../../testdata/corpus"}, exitUsage, "either --queries"},
		{"bad concurrency", []string{"--index", dir, "--queries", bad, "--concurrency", "1,two"}, exitUsage, "--concurrency"},
		{"zero concurrency", []string{"--index", dir, "--queries", bad, "--concurrency", "0"}, exitUsage, "concurrency must be"},
		{"too many suggestions", []string{"--index", dir, "--queries", bad, "--suggest", "--size", "21"}, exitUsage, "--size must be at most"},
		{"stray argument", []string{"--index", dir, "nam dinh"}, exitUsage, "unexpected argument"},
		{"no index", []string{"--index", filepath.Join(t.TempDir(), "none"), "--queries", bad}, exitError, "no index"},
		{"invalid UTF-8 in the query file", []string{"--index", dir, "--queries", bad}, exitError, bad + ":2: not valid UTF-8"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, nil, append([]string{"bench"}, row.args...)...)
			if code != row.code || !strings.Contains(stderr, row.want) {
				t.Errorf("bench %q: exit %d, stderr %q; want %d and %q", row.args, code, stderr, row.code, row.want)
			}
		})
	}
}

// TestBenchOverHTTP drives a served demo index through vegeta at a fixed
// rate and as fast as two workers go, and refuses a bad rate list.
func TestBenchOverHTTP(t *testing.T) {
	srv := startServe(t, nil, "--index", filepath.Join(t.TempDir(), "idx"))
	defer srv.stop(t)
	file := filepath.Join(t.TempDir(), "queries.txt")
	if err := os.WriteFile(file, []byte("nam dinh\nkhoa học\nISO 9001\nNam Ddinhj\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, nil, "bench", "--url", srv.base, "--queries", file,
		"--rate", "40, max", "--duration", "500ms", "--warmup-time", "0", "--workers", "2", "--json")
	if code != exitOK {
		t.Fatalf("bench --url exit code %d\n%s", code, stderr)
	}
	var rep bench.HTTPReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("bench --url --json printed %q: %v", stdout, err)
	}
	if rep.Mode != bench.ModeHTTP || rep.Listed != 4 || len(rep.Levels) != 2 || rep.Levels[0].Rate != 40 || rep.Levels[1].Rate != 0 {
		t.Fatalf("bench --url report = %+v; want levels at 40/s and max over 4 queries", rep)
	}
	for _, lv := range rep.Levels {
		if lv.Requests < 5 || lv.Success != 1 || lv.StatusCodes["200"] != int(lv.Requests) || lv.P50MS <= 0 || lv.P99MS < lv.P50MS {
			t.Errorf("level at rate %d = %+v; want every search answered 200 with latencies", lv.Rate, lv)
		}
		// The four queries come round again: the server's cache answers
		// all but their first time, and its metrics count each search.
		if sv := lv.Server; sv == nil || sv.CacheHits+sv.CacheMisses != float64(lv.Requests) || sv.CacheHits < float64(lv.Requests)-4 {
			t.Errorf("level at rate %d: server counts %+v; want a cache hit or miss for each of %d searches, at most 4 misses", lv.Rate, sv, lv.Requests)
		}
	}

	code, stdout, stderr = runCmd(t, nil, "bench", "--url", srv.base, "--queries", file,
		"--rate", "max", "--duration", "300ms", "--warmup-time", "0", "--workers", "1")
	if code != exitOK || !strings.Contains(stdout, "sent/s") || !strings.Contains(stdout, "p99 ms") {
		t.Errorf("bench --url table: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// The search for the sustained rate doubles from 10/s until a level
	// fails, then narrows down; the demo index keeps up with 10/s.
	code, stdout, stderr = runCmd(t, nil, "bench", "--url", srv.base, "--queries", file, "--find-rate", "2s",
		"--rate", "10", "--duration", "200ms", "--warmup-time", "0", "--workers", "4", "--json")
	if code != exitOK {
		t.Fatalf("bench --find-rate exit code %d\n%s", code, stderr)
	}
	rep = bench.HTTPReport{}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("bench --find-rate --json printed %q: %v", stdout, err)
	}
	for _, lv := range rep.Levels {
		t.Logf("rate %d: %d requests, %.0f/s, p99 %.1f ms, %.1fs", lv.Rate, lv.Requests, lv.Throughput, lv.P99MS, lv.Seconds)
	}
	if rep.MaxP99MS != 2000 || rep.Sustained < 10 || len(rep.Levels) < 2 || rep.Levels[0].Rate != 10 || rep.Levels[1].Rate != 20 {
		t.Errorf("bench --find-rate report = %+v; want levels from 10/s doubling, 10/s or more sustained", rep)
	}

	for _, args := range [][]string{
		{"--rate", "fast"}, {"--rate", "0"}, {"--url", "localhost:8080"}, {"--suggest"}, {"--workers", "0"},
	} {
		args = append([]string{"bench", "--url", srv.base, "--queries", file}, args...)
		if code, _, stderr := runCmd(t, nil, args...); code != exitUsage {
			t.Errorf("%q: exit %d (%s); want a usage error", args, code, stderr)
		}
	}
}
