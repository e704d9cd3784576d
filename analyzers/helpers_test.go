package analyzers

import (
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// mustNew returns the named analyzer or stops the test.
func mustNew(tb testing.TB, name string) analysis.Analyzer {
	tb.Helper()
	a, err := New(name)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// streamTerms returns the terms of a token stream.
func streamTerms(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, tok := range ts {
		out[i] = string(tok.Term)
	}
	return out
}

// checkStream reports a token stream whose tokens are not valid UTF-8 or
// whose offsets are not rune boundaries inside input.
func checkStream(tb testing.TB, name string, input []byte, ts analysis.TokenStream) {
	tb.Helper()
	boundaries := runeBoundaries(input)
	for _, tok := range ts {
		if !utf8.Valid(tok.Term) {
			tb.Errorf("%s: Analyze(%q): term %q is not valid UTF-8", name, input, tok.Term)
		}
		if tok.Start < 0 || tok.End > len(input) || tok.Start >= tok.End {
			tb.Fatalf("%s: Analyze(%q): token %q has offsets %d:%d outside the input", name, input, tok.Term, tok.Start, tok.End)
		}
		if !boundaries[tok.Start] || !boundaries[tok.End] {
			tb.Errorf("%s: Analyze(%q): token %q offsets %d:%d split a rune", name, input, tok.Term, tok.Start, tok.End)
		}
	}
}

// runeBoundaries marks the offsets of b where a rune starts, and len(b), as
// a decoder sees them: each byte of invalid UTF-8 is a rune of its own.
func runeBoundaries(b []byte) []bool {
	at := make([]bool, len(b)+1)
	for i := 0; i < len(b); {
		at[i] = true
		_, n := utf8.DecodeRune(b[i:])
		i += n
	}
	at[len(b)] = true
	return at
}

// checkSameTokens reports two analyses of one input whose tokens differ in
// number, position or offsets: exact and folded fields must highlight the
// same words.
func checkSameTokens(tb testing.TB, input []byte, a, b analysis.TokenStream) {
	tb.Helper()
	if len(a) != len(b) {
		tb.Fatalf("Analyze(%q): %d exact tokens, %d folded", input, len(a), len(b))
	}
	for i := range a {
		if a[i].Position != b[i].Position || a[i].Start != b[i].Start || a[i].End != b[i].End {
			tb.Errorf("Analyze(%q): token %d is %q at %d %d:%d exact, %q at %d %d:%d folded", input, i,
				a[i].Term, a[i].Position, a[i].Start, a[i].End, b[i].Term, b[i].Position, b[i].Start, b[i].End)
		}
	}
}
