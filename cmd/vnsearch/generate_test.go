package main

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateWritesACorpusIndexReads(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "larger.jsonl.gz")
	code, _, stderr := runCmd(t, nil, "generate", "--corpus", "../../testdata/corpus/articles.jsonl",
		"--n", "300", "--seed", "5", "--from", "2019", "--to", "2019", "--out", out, "--report")
	if code != exitOK {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"generated 300 articles", "top-1000 syllables' share", "articles with a repeated title", `section "Thể thao"`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("generate --report stderr lacks %q:\n%s", want, stderr)
		}
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := gzip.NewReader(f); err != nil {
		t.Fatalf("%s is not gzip-compressed: %v", out, err)
	}
	dir := filepath.Join(tmp, "idx")
	if code, _, stderr := runCmd(t, nil, "index", "--index", dir, "--compact=false", out); code != exitOK {
		t.Fatalf("index of the generated corpus: exit %d\n%s", code, stderr)
	}
	if got := searchTotal(t, dir, "year:2019"); got != 300 {
		t.Errorf("the index of the generated corpus has %d articles of 2019; want all 300", got)
	}
}

func TestGenerateIsTheSameForASeed(t *testing.T) {
	gen := func(seed string) string {
		code, stdout, stderr := runCmd(t, nil, "generate", "--corpus", "../../testdata/corpus/articles.jsonl", "--n", "20", "--seed", seed)
		if code != exitOK {
			t.Fatalf("generate: exit %d\n%s", code, stderr)
		}
		return stdout
	}
	a, b, c := gen("1"), gen("1"), gen("2")
	if a != b {
		t.Error("generate with seed 1 wrote two different corpora")
	}
	if a == c {
		t.Error("generate with seeds 1 and 2 wrote the same corpus")
	}
	if n := strings.Count(a, "\n"); n != 20 {
		t.Errorf("generate --n 20 wrote %d lines", n)
	}
}

func TestGenerateBadCommandLine(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no corpus", []string{"--n", "5"}, exitUsage, "--corpus"},
		{"no count", []string{"--corpus", "../../testdata/corpus/articles.jsonl"}, exitUsage, "number of articles"},
		{"bad date", []string{"--corpus", "../../testdata/corpus/articles.jsonl", "--n", "5", "--from", "hôm qua"}, exitUsage, "--from"},
		{"range backwards", []string{"--corpus", "../../testdata/corpus/articles.jsonl", "--n", "5", "--from", "2020", "--to", "2019"}, exitUsage, "date range"},
		{"missing corpus", []string{"--corpus", "no-such.jsonl", "--n", "5"}, exitError, "no-such.jsonl"},
		{"stray argument", []string{"--corpus", "x.jsonl", "--n", "5", "extra"}, exitUsage, "extra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, nil, append([]string{"generate"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("generate %q: exit %d, stderr %q; want exit %d naming %q", tt.args, code, stderr, tt.code, tt.want)
			}
		})
	}
}
