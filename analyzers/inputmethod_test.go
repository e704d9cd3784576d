package analyzers

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// knownInputFailures are table rows read otherwise than meant, with the
// reason: each name is also the keys of a word typed with its circumflex
// apart from its vowel, a habit the tables require to be read.
var knownInputFailures = map[string]string{
	"Hamas": "also haams, hấm, typed as hamas",
	"Maya":  "also maay, mây, typed as maya",
	"Laura": "also laaur, lẩu, typed as laura",
}

// inputRow is one line of a table in testdata/inputmethod: the keys typed
// with the keyboard's Vietnamese mode off, the word meant, and the class
// of typing habit the row stands for.
type inputRow struct {
	typed, want, class string
	line               int
}

// readInputRows reads a table of tab-separated typed, want and class
// columns; lines starting with # are comments.
func readInputRows(t *testing.T, file string) []inputRow {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []inputRow
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 3 {
			t.Fatalf("%s:%d: %d columns; want typed, want and class", file, line, len(cols))
		}
		rows = append(rows, inputRow{typed: cols[0], want: cols[1], class: cols[2], line: line})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s holds no rows", file)
	}
	return rows
}

// typedAs returns what the search box makes of word: the decoded word when
// InputAlternatives rewrites it, else word as typed.
func typedAs(word string) string {
	if alts := InputAlternatives(word); len(alts) > 0 {
		return alts[0]
	}
	return word
}

// minInputShare is the share of table rows that must read as the word
// meant, known failures included.
const minInputShare = 0.99

// TestInputMethodTables reads the words of testdata/inputmethod as the
// search box does and reports the share read as meant, per class and
// overall: go test -run TestInputMethodTables -v ./analyzers/
func TestInputMethodTables(t *testing.T) {
	files, err := filepath.Glob("../testdata/inputmethod/*.tsv")
	if err != nil || len(files) == 0 {
		t.Fatalf("no tables in testdata/inputmethod: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			type tally struct{ rows, right int }
			classes := map[string]*tally{}
			var total tally
			var failures []string
			for _, row := range readInputRows(t, file) {
				c := classes[row.class]
				if c == nil {
					c = &tally{}
					classes[row.class] = c
				}
				c.rows++
				total.rows++
				got := typedAs(row.typed)
				if got == row.want {
					c.right++
					total.right++
					continue
				}
				if _, known := knownInputFailures[row.typed]; !known {
					failures = append(failures, fmt.Sprintf("%s:%d: %s: %q reads as %q; want %q",
						filepath.Base(file), row.line, row.class, row.typed, got, row.want))
				}
			}
			names := make([]string, 0, len(classes))
			for name := range classes {
				names = append(names, name)
			}
			slices.Sort(names)
			for _, name := range names {
				c := classes[name]
				t.Logf("%-12s %4d/%4d %6.1f%%", name, c.right, c.rows, 100*float64(c.right)/float64(c.rows))
			}
			share := float64(total.right) / float64(total.rows)
			t.Logf("%-12s %4d/%4d %6.1f%%", "overall", total.right, total.rows, 100*share)
			for _, f := range failures {
				t.Error(f)
			}
			if share < minInputShare {
				t.Errorf("%.1f%% of the rows read as meant; want at least %.0f%%", 100*share, 100*minInputShare)
			}
		})
	}
}

func TestKnownInputFailuresAreInTables(t *testing.T) {
	files, _ := filepath.Glob("../testdata/inputmethod/*.tsv")
	typed := map[string]bool{}
	for _, file := range files {
		for _, row := range readInputRows(t, file) {
			if typedAs(row.typed) != row.want {
				typed[row.typed] = true
			}
		}
	}
	for word, reason := range knownInputFailures {
		if !typed[word] {
			t.Errorf("known failure %q (%s) is no failing row of testdata/inputmethod", word, reason)
		}
	}
}
