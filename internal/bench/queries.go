package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/internal/eval"
	"github.com/vnsearch/vnsearch/search"
)

// LineError is a line of a query file that cannot be used.
type LineError struct {
	File string
	Line int // 1-based
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// Reasons a line of a query file is refused.
var (
	ErrNotUTF8     = errors.New("not valid UTF-8")
	ErrLongQuery   = fmt.Errorf("longer than %d characters", search.MaxQueryLength)
	ErrManyQueries = fmt.Errorf("more than %d queries", MaxQueries)
)

// maxLineBytes bounds one line of a query file: a query is at most
// search.MaxQueryLength characters of at most 4 bytes each.
const maxLineBytes = 4*search.MaxQueryLength + 1

// ReadQueries reads a query file: one query per line in UTF-8, spaces
// around it trimmed, blank lines and lines starting with # skipped. A line
// that is not valid UTF-8 or longer than the searcher takes is a
// *LineError naming the file and line; a file with no query is
// ErrNoQueries.
func ReadQueries(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readQueries(f, path)
}

func readQueries(r io.Reader, name string) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	var out []string
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF")) // a byte-order mark some editors write
		}
		if !utf8.Valid(b) {
			return nil, &LineError{File: name, Line: line, Err: ErrNotUTF8}
		}
		q := strings.TrimSpace(string(b))
		switch {
		case q == "" || strings.HasPrefix(q, "#"):
			continue
		case utf8.RuneCountInString(q) > search.MaxQueryLength:
			return nil, &LineError{File: name, Line: line, Err: ErrLongQuery}
		case len(out) == MaxQueries:
			return nil, &LineError{File: name, Line: line, Err: ErrManyQueries}
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &LineError{File: name, Line: line + 1, Err: ErrLongQuery}
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoQueries)
	}
	return out, nil
}

// CorpusQueries derives about n queries from the articles of a corpus
// (any file or directory the indexer reads) with the relevance eval's
// deriver: headlines, 4-word windows of them and lead spans, with and
// without diacritics, in the other tone-mark style, with a mistyped tone
// and in Telex, in equal shares and mixed. The same corpus, n and seed give
// the same queries.
func CorpusQueries(path string, n int, seed uint64) ([]string, error) {
	articles, err := eval.LoadCorpus(path, 0)
	if err != nil {
		return nil, err
	}
	perVariant := (n + len(eval.Variants) - 1) / len(eval.Variants)
	var out []string
	for _, q := range eval.Derive(articles, seed, perVariant) {
		out = append(out, q.Text)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrNoQueries)
	}
	return out, nil
}

// Prefixes makes what a reader has typed on the way to each query: its
// first one, two or three words in turn, the last cut inside the word
// ("nam d" on the way to "Nam Định"). Punctuation around words is left
// out, and so are queries with no word; the choice depends on the queries
// alone.
func Prefixes(queries []string) []string {
	var out []string
	for i, q := range queries {
		var ws []string
		for _, f := range strings.Fields(q) {
			if w := strings.TrimFunc(f, notWordRune); w != "" {
				ws = append(ws, w)
			}
		}
		if len(ws) == 0 {
			continue
		}
		ws = ws[:min(len(ws), 1+i%3)]
		last := []rune(ws[len(ws)-1])
		cut := len(last)
		if cut > 1 {
			cut = 1 + (i/3)%(len(last)-1) // at least one letter, never the whole word
		}
		for cut < len(last) && unicode.IsMark(last[cut]) {
			cut++ // an NFD letter keeps its marks
		}
		ws[len(ws)-1] = string(last[:cut])
		out = append(out, strings.Join(ws, " "))
	}
	return out
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
}
