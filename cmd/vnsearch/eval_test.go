package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/internal/eval"
)

func TestEvalOverBundledCorpus(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	code, stdout, stderr := runCmd(t, nil, "eval", "--corpus", "../../testdata/corpus/articles.jsonl",
		"--queries", "3", "--engines", "vnsearch,sqlite-fts5", "--json", "--details")
	if code != exitOK {
		t.Fatalf("eval exit code %d; want %d\n%s", code, exitOK, stderr)
	}
	var rep eval.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("eval --json printed %q: %v", stdout, err)
	}
	if len(rep.Engines) != 2 || rep.Engines[0].Name != "vnsearch" || rep.Engines[1].Name != "sqlite-fts5" {
		t.Errorf("eval ran engines %+v; want vnsearch and sqlite-fts5", rep.Engines)
	}
	if len(rep.Variants) != len(eval.Variants) || len(rep.Details) != 3*len(eval.Variants) {
		t.Errorf("eval reported %d variants and %d queries; want %d and %d", len(rep.Variants), len(rep.Details), len(eval.Variants), 3*len(eval.Variants))
	}
}

func TestEvalMarkdown(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	code, stdout, stderr := runCmd(t, nil, "eval", "--corpus", "../../testdata/corpus/articles.jsonl",
		"--queries", "2", "--engines", "vnsearch")
	if code != exitOK {
		t.Fatalf("eval exit code %d; want %d\n%s", code, exitOK, stderr)
	}
	for _, want := range []string{"| variant | queries | shared | ceiling | vnsearch |", "| title | 2 | 0 | 1.000 |", "| telex | 2 |", "| body_span |", "mean query"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("eval output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestEvalTopicalSkipped runs the project's topical set, judged over the
// shared corpus, on the bundled articles: the report says it was skipped.
func TestEvalTopicalSkipped(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	code, stdout, stderr := runCmd(t, nil, "eval", "--corpus", "../../testdata/corpus/articles.jsonl",
		"--queries", "1", "--engines", "vnsearch", "--topical", "../../testdata/relevance/topical.json")
	if code != exitOK {
		t.Fatalf("eval exit code %d; want %d\n%s", code, exitOK, stderr)
	}
	if want := "Topical set topical.json, 30 queries"; !strings.Contains(stdout, want) || !strings.Contains(stdout, "skipped") {
		t.Errorf("eval output lacks %q and skipped:\n%s", want, stdout)
	}
}

func TestEvalBadCommandLine(t *testing.T) {
	rows := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown engine", []string{"--corpus", "../../testdata/corpus/articles.jsonl", "--engines", "lucene"}, exitUsage, `unknown engine "lucene"`},
		{"missing corpus", []string{"--corpus", "no-such-corpus.jsonl.gz"}, exitError, "not found"},
		{"stray argument", []string{"Nam Định"}, exitUsage, "unexpected argument"},
		{"pool without a topical set", []string{"--corpus", "../../testdata/corpus/articles.jsonl", "--topical", "", "--pool", "10"}, exitUsage, "--pool needs a topical set"},
		{"missing topical set", []string{"--corpus", "../../testdata/corpus/articles.jsonl", "--topical", "no-such-set.json"}, exitError, "no-such-set.json"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, nil, append([]string{"eval"}, row.args...)...)
			if code != row.code || !strings.Contains(stderr, row.want) {
				t.Errorf("eval %q: exit %d, stderr %q; want %d and %q", row.args, code, stderr, row.code, row.want)
			}
		})
	}
}

// TestEvalSharedSample runs a small eval on the shared corpus's sample (200
// of its articles) when it is there, to catch articles the readers or the
// deriver cannot take; the full corpus takes too long for a test.
func TestEvalSharedSample(t *testing.T) {
	const corpus = "../../../shared/corpus/sample.jsonl"
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("shared corpus absent: %v", err)
	}
	t.Setenv("TMPDIR", t.TempDir())
	code, stdout, stderr := runCmd(t, nil, "eval", "--corpus", corpus, "--queries", "5", "--json")
	if code != exitOK {
		t.Fatalf("eval exit code %d\n%s", code, stderr)
	}
	var rep eval.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, v := range rep.Variants {
		if v.Queries != 5 {
			t.Errorf("variant %s: %d queries from the shared sample; want 5", v.Variant, v.Queries)
		}
	}
}
