package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
)

// runCmd runs the command line with args and returns its exit code and
// output, with the environment given as pairs.
func runCmd(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, env{
		stdout: &out,
		stderr: &errOut,
		getenv: func(k string) string { return vars[k] },
	})
	return code, out.String(), errOut.String()
}

func TestIndexReportsBadLinesAndKeepsGoodOnes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, stderr := runCmd(t, nil, "index", "--index", dir, "../../testdata/malformed/broken.jsonl")
	if code != exitOK {
		t.Fatalf("index exit code %d; want %d\n%s", code, exitOK, stderr)
	}
	for _, want := range []string{"broken.jsonl:2:", "broken.jsonl:4:", "broken.jsonl:8:", "skipped"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("index stderr lacks %q:\n%s", want, stderr)
		}
	}
	code, stdout, stderr := runCmd(t, nil, "search", "--index", dir, "--json", "Khai trường năm học mới")
	if code != exitOK {
		t.Fatalf("search exit code %d\n%s", code, stderr)
	}
	var res search.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("search --json printed %q: %v", stdout, err)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != "tot-1" {
		t.Errorf("search hits = %+v; want tot-1 first", res.Hits)
	}
}

func TestIndexFailsWhenNothingIndexed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, stderr := runCmd(t, nil, "index", "--index", dir, "../../testdata/malformed/empty.jsonl")
	if code != exitError || !strings.Contains(stderr, "nothing was indexed") {
		t.Errorf("index of an empty file: exit %d, stderr %q; want %d and a message", code, stderr, exitError)
	}
}

func TestReindexReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	vars := map[string]string{"VNSEARCH_INDEX": dir}
	for i, want := range []string{"(0 replaced)", "(59 replaced)"} {
		code, _, stderr := runCmd(t, vars, "index", "../../testdata/corpus")
		if code != exitOK || !strings.Contains(stderr, want) {
			t.Errorf("index run %d: exit %d, stderr %q; want %q", i+1, code, stderr, want)
		}
	}
	code, stdout, _ := runCmd(t, vars, "search", "iso 9001 nam dinh")
	if code != exitOK || !strings.Contains(stdout, "1. «Nam» «Định» đẩy mạnh áp dụng «ISO» «9001»") {
		t.Errorf("search exit %d, output:\n%s", code, stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, exitUsage, "usage: vnsearch COMMAND"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"index without paths", []string{"index"}, exitUsage, "no file or directory"},
		{"search without query", []string{"search"}, exitUsage, "no query"},
		{"bad flag", []string{"search", "--nope", "x"}, exitUsage, "flag provided but not defined"},
		{"unknown analyzer", []string{"analyze", "--analyzer", "vi_nope", "x"}, exitUsage, "unknown analyzer"},
		{"search without index", []string{"search", "--index", "no/such/dir", "x"}, exitError, "no index"},
		{"help", []string{"help"}, exitOK, "commands:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("vnsearch %q: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestAnalyzeShowsTokensWithOffsets(t *testing.T) {
	code, stdout, stderr := runCmd(t, nil, "analyze", "--json", "--analyzer", "vi_folded_v1", "Nam Định")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := `[{"term":"nam","position":1,"start":0,"end":3},{"term":"dinh","position":2,"start":4,"end":11}]`; strings.TrimSpace(stdout) != want {
		t.Errorf("analyze = %s; want %s", stdout, want)
	}
}

// TestServeHelpHidesToken asks for serve's flags, and gives a bad one,
// with the token in the environment: neither prints it.
func TestServeHelpHidesToken(t *testing.T) {
	const token = "bí-mật-của-tòa-soạn-42"
	for _, args := range [][]string{{"serve", "-h"}, {"serve", "--no-such-flag"}} {
		code, stdout, stderr := runCmd(t, map[string]string{"VNSEARCH_API_TOKEN": token}, args...)
		if strings.Contains(stdout+stderr, token) {
			t.Errorf("vnsearch %s (exit %d) prints the API token:\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
		if !strings.Contains(stderr, "-api-token") {
			t.Errorf("vnsearch %s does not show the flags:\n%s", strings.Join(args, " "), stderr)
		}
	}
}

// TestCommandsRefuseAnIndexInUse runs search and index on an index this
// process holds, as a running server would: both fail at once, saying so.
func TestCommandsRefuseAnIndexInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	idx, _, err := schema.OpenOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for _, args := range [][]string{
		{"search", "--index", dir, "Nam Định"},
		{"index", "--index", dir, "../../testdata/corpus"},
	} {
		started := time.Now()
		code, _, stderr := runCmd(t, nil, args...)
		if code != exitError || !strings.Contains(stderr, "in use by another process") {
			t.Errorf("vnsearch %s on an index in use: exit %d, %q; want %d saying it is in use", args[0], code, stderr, exitError)
		}
		if took := time.Since(started); took > 5*time.Second {
			t.Errorf("vnsearch %s on an index in use took %s; want it to fail at once", args[0], took)
		}
	}
}

// TestIndexShards builds the bundled corpus split by year into shards,
// searches it, adds to it, backs it up and restores it, refuses to split
// it again, rebuilds it as one index, and dumps the same articles from
// both.
func TestIndexShards(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	code, _, stderr := runCmd(t, nil, "index", "--shards", "3", "--index", dir, "../../testdata/corpus")
	if code != exitOK {
		t.Fatalf("index --shards 3: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"shard-1: 20 articles of the years up to 2015", "shard-3: 23 articles of the years from 2019, and those without a date"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("index --shards 3 stderr lacks %q:\n%s", want, stderr)
		}
	}
	g, err := store.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	if shards, err := store.Shards(g); err != nil || len(shards) != 3 {
		t.Fatalf("the generation's shards: %v, %v; want 3", shards, err)
	}
	checkArticles(t, dir, 59)
	code, stdout, _ := runCmd(t, nil, "search", "--index", dir, "iso 9001 nam dinh")
	if code != exitOK || !strings.Contains(stdout, "1. «Nam» «Định» đẩy mạnh áp dụng «ISO» «9001»") {
		t.Errorf("search over shards: exit %d, output:\n%s", code, stdout)
	}
	dump := func() string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "dump.jsonl")
		if code, _, stderr := runCmd(t, nil, "dump", "--index", dir, "--out", out); code != exitOK {
			t.Fatalf("dump: exit %d\n%s", code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		slices.Sort(lines)
		return strings.Join(lines, "\n")
	}
	// A new article of 2024, and one of 2012 whose date is corrected to
	// 2023: both go to the last shard.
	more := filepath.Join(t.TempDir(), "more.jsonl")
	lines := `{"id": "nd-2024-hoi-cho", "title": "Nam Định mở hội chợ xuân Giáp Thìn", "date": "2024-02-01T08:00:00+07:00"}` + "\n" +
		`{"id": "nd-2012-0001", "title": "Nam Định đẩy mạnh áp dụng ISO 9001:2015", "date": "2023-12-18T08:30:00+07:00"}` + "\n"
	if err := os.WriteFile(more, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, nil, "index", "--index", dir, more); code != exitOK {
		t.Fatalf("index into the shards: exit %d\n%s", code, stderr)
	}
	checkArticles(t, dir, 60)
	code, stdout, _ = runCmd(t, nil, "search", "--index", dir, "iso 9001:2015")
	if code != exitOK || strings.Count(stdout, "18/12/2023 08:30 · nd-2012-0001") != 1 {
		t.Errorf("the moved article: exit %d, output:\n%s", code, stdout)
	}
	sharded := dump()
	if code, _, stderr := runCmd(t, nil, "index", "--shards", "2", "--index", dir, "../../testdata/corpus"); code == exitOK || !strings.Contains(stderr, "shard") {
		t.Errorf("index --shards 2 into shards: exit %d, stderr %q; want a refusal that says why", code, stderr)
	}
	backup, restored := filepath.Join(t.TempDir(), "b.tar.gz"), filepath.Join(t.TempDir(), "restored")
	for _, args := range [][]string{{"backup", "--index", dir, "--out", backup}, {"restore", "--in", backup, "--index", restored}} {
		if code, _, stderr := runCmd(t, nil, args...); code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
	}
	checkArticles(t, restored, 60)
	if code, _, stderr := runCmd(t, nil, "index", "--rebuild", "--index", dir); code != exitOK {
		t.Fatalf("index --rebuild: exit %d\n%s", code, stderr)
	}
	if g, err := store.Current(dir); err != nil || func() bool { s, _ := store.Shards(g); return s != nil }() {
		t.Fatalf("after --rebuild without --shards, %v is still sharded (%v)", g, err)
	}
	if one := dump(); one != sharded {
		t.Error("the dumps of the sharded archive and of its rebuild as one index differ")
	}
}
