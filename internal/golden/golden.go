// Package golden compares what a test produced with a golden file kept
// under testdata, for the ranking and relevance tests whose expected
// output is too large to write in the test.
package golden

import (
	"encoding/json"
	"os"
	"testing"
)

// Check compares v, as indented JSON, with the golden file at path, or
// rewrites the file when update is set (the tests' -update flag). A
// difference fails t with the new content and the command that refreshes
// the file.
func Check(t testing.TB, path string, v any, update bool, refresh string) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run %s to create it)", err, refresh)
	}
	if string(got) != string(want) {
		t.Errorf("results differ from %s; if the change is intended, run %s and review the diff.\ngot:\n%s", path, refresh, got)
	}
}
