package indexer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/schema"
)

// Reasons a JSON Lines record is refused.
var (
	ErrInvalidJSON = errors.New("invalid JSON")
	ErrNotObject   = errors.New("not a JSON object")
	ErrBadField    = errors.New("bad field")
	ErrLineTooLong = errors.New("line too long")
)

// lineMaxBytes bounds one JSON Lines record. Article bodies reach a few
// hundred kilobytes; a longer line is a broken export (a missing newline
// joining many records), reported and skipped rather than buffered.
const lineMaxBytes = 16 << 20

// jsonRecord is one JSON Lines record as exports spell it. Alternative
// names of a property (lead and sapo, section and category, date and
// published) are all accepted; the first non-empty one wins.
type jsonRecord struct {
	ID        json.RawMessage `json:"id"` // a string or a number
	Title     string          `json:"title"`
	Lead      string          `json:"lead"`
	Sapo      string          `json:"sapo"`
	Body      string          `json:"body"`
	Section   string          `json:"section"`
	Category  string          `json:"category"`
	Source    string          `json:"source"`
	Author    string          `json:"author"`
	URL       string          `json:"url"`
	Date      string          `json:"date"`
	Published string          `json:"published"`
	Tags      json.RawMessage `json:"tags"` // an array of strings or "a, b"
	// Delete, in a bulk write, asks to remove the article with ID.
	Delete bool `json:"delete"`
}

// chunkBytes is about how much of a JSON Lines file one worker parses at a
// time: big enough that handing chunks around costs little, small enough
// that a few per worker in flight keep memory low.
const chunkBytes = 256 << 10

// readJSONL parses lines on all CPUs while one goroutine reads (and often
// gunzips) the input, and hands the results to v in input order from the
// calling goroutine: parsing and Prepare cost more than decompression.
func readJSONL(name string, r io.Reader, v Visitor) error {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *jsonChunk)
	inOrder := make(chan *jsonChunk, 2*workers)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range jobs {
				c.parse()
			}
		})
	}
	wg.Go(func() {
		defer close(jobs)
		defer close(inOrder)
		splitChunks(r, func(c *jsonChunk) bool {
			for _, ch := range []chan *jsonChunk{inOrder, jobs} {
				select {
				case ch <- c:
				case <-done:
					return false
				}
			}
			return true
		})
	})
	defer func() {
		close(done)
		wg.Wait()
	}()
	for c := range inOrder {
		<-c.ready
		for _, res := range c.results {
			if res.err != nil {
				v.bad(&RecordError{File: name, Line: res.line, Err: res.err})
				continue
			}
			if err := v.article(res.a); err != nil {
				return err
			}
		}
		if c.readErr != nil {
			return &RecordError{File: name, Line: c.readAt, Err: c.readErr}
		}
	}
	return nil
}

// jsonChunk is a run of lines parsed by one worker.
type jsonChunk struct {
	lines   []jsonLine
	readErr error // a failure to read after the last line
	readAt  int   // the line it happened on
	results []jsonResult
	ready   chan struct{} // closed when results are in
}

// jsonLine is one non-blank line, or the reason it could not be read.
type jsonLine struct {
	n    int // 1-based line number
	text []byte
	err  error
}

// jsonResult is what became of one line: a prepared article or the
// reason it was refused.
type jsonResult struct {
	line int
	a    schema.Article
	err  error
}

// splitChunks reads r into chunks of whole lines, passing each to emit
// until emit returns false or the input ends.
func splitChunks(r io.Reader, emit func(*jsonChunk) bool) {
	lr := lineReader{br: bufio.NewReaderSize(r, 64<<10), max: lineMaxBytes}
	newChunk := func() *jsonChunk { return &jsonChunk{ready: make(chan struct{})} }
	c, size, buf := newChunk(), 0, []byte(nil)
	for {
		line, err := lr.next()
		switch {
		case err == io.EOF:
			emit(c)
			return
		case errors.Is(err, ErrLineTooLong):
			c.lines = append(c.lines, jsonLine{n: lr.n, err: err})
		case err != nil:
			c.readErr, c.readAt = err, lr.n+1
			emit(c)
			return
		default:
			if lr.n == 1 {
				line = bytes.TrimPrefix(line, []byte("\uFEFF"))
			}
			if line = bytes.TrimSpace(line); len(line) == 0 {
				continue
			}
			// Lines are copied into one buffer per chunk, as lr reuses its
			// own; a full buffer is left to the chunks that point into it.
			if len(buf)+len(line) > cap(buf) {
				buf = make([]byte, 0, max(chunkBytes, len(line)))
			}
			start := len(buf)
			buf = append(buf, line...)
			c.lines = append(c.lines, jsonLine{n: lr.n, text: buf[start:len(buf):len(buf)]})
			size += len(line)
		}
		if size >= chunkBytes {
			if !emit(c) {
				return
			}
			c, size = newChunk(), 0
		}
	}
}

// parse fills c.results and signals c.ready.
func (c *jsonChunk) parse() {
	defer close(c.ready)
	c.results = make([]jsonResult, len(c.lines))
	for i, l := range c.lines {
		res := &c.results[i]
		res.line, res.err = l.n, l.err
		if l.err != nil {
			continue
		}
		if res.a, res.err = parseJSONRecord(l.text); res.err == nil {
			res.a, res.err = Prepare(res.a)
		}
	}
}

// parseJSONRecord decodes one line into an Article, not yet prepared.
func parseJSONRecord(line []byte) (schema.Article, error) {
	a, _, err := parseJSONLine(line)
	return a, err
}

// parseJSONLine decodes one line into an Article, not yet prepared, and
// whether the line asks to delete the article with its id instead.
func parseJSONLine(line []byte) (a schema.Article, del bool, err error) {
	// encoding/json silently replaces invalid UTF-8 with U+FFFD, so a
	// mis-encoded record would be indexed garbled without this check.
	if !utf8.Valid(line) {
		return a, false, invalidUTF8(line)
	}
	if line[0] != '{' {
		if json.Valid(line) {
			return a, false, ErrNotObject
		}
		return a, false, ErrInvalidJSON
	}
	var rec jsonRecord
	if err := json.Unmarshal(line, &rec); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return a, false, &FieldError{Field: te.Field, Err: fmt.Errorf("%w %q: want %s, not %s", ErrBadField, te.Field, jsonKind(te.Type.Kind().String()), te.Value)}
		}
		return a, false, fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	id, err := jsonID(rec.ID)
	if err != nil {
		return a, false, err
	}
	if rec.Delete {
		return schema.Article{ID: id}, true, nil
	}
	tags, err := jsonTags(rec.Tags)
	if err != nil {
		return schema.Article{ID: id}, false, err // the id, to say whose tags
	}
	a = schema.Article{
		ID:      id,
		Title:   rec.Title,
		Lead:    firstNonEmpty(rec.Lead, rec.Sapo),
		Body:    rec.Body,
		Section: firstNonEmpty(rec.Section, rec.Category),
		Source:  rec.Source,
		Author:  rec.Author,
		URL:     rec.URL,
		Tags:    tags,
	}
	if date := firstNonEmpty(rec.Date, rec.Published); strings.TrimSpace(date) != "" {
		if a.Published, err = schema.ParseDate(date); err != nil {
			return a, false, &FieldError{Field: "date", Err: err}
		}
	}
	return a, false, nil
}

// invalidUTF8 returns ErrInvalidUTF8, naming the field whose value holds
// the bad bytes when line is an object.
func invalidUTF8(line []byte) error {
	var fields map[string]json.RawMessage
	if json.Unmarshal(line, &fields) == nil {
		for name, raw := range fields {
			if !utf8.Valid(raw) {
				return &FieldError{Field: name, Err: ErrInvalidUTF8}
			}
		}
	}
	return ErrInvalidUTF8
}

// jsonKind names a Go kind as JSON does, for error texts.
func jsonKind(kind string) string {
	if kind == "slice" {
		return "array"
	}
	return kind
}

// jsonID reads an id written as a string or a number; null or absent is
// the empty id, which Prepare refuses.
func jsonID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw), nil
	}
	return "", &FieldError{Field: "id", Err: fmt.Errorf("%w %q: want string or number, not %s", ErrBadField, "id", raw)}
}

// jsonTags reads tags written as an array of strings or as one string of
// comma-separated tags.
func jsonTags(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return strings.Split(one, ","), nil
	}
	var tags []string
	if err := json.Unmarshal(raw, &tags); err != nil {
		return nil, &FieldError{Field: "tags", Err: fmt.Errorf("%w %q: want array of strings or string", ErrBadField, "tags")}
	}
	return tags, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// lineReader splits a stream into lines of at most max bytes without
// copying those that fit its buffer.
type lineReader struct {
	br  *bufio.Reader
	max int
	buf []byte
	n   int // 1-based number of the line last returned
}

// next returns the next line without its line end, valid until the
// following call. A line over max bytes is skipped and reported as
// ErrLineTooLong; the end of input is io.EOF.
func (lr *lineReader) next() ([]byte, error) {
	lr.buf = lr.buf[:0]
	tooLong := false
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if err == nil && len(lr.buf) == 0 && !tooLong {
			lr.n++
			return trimEOL(chunk, lr.max)
		}
		switch {
		case tooLong:
		case len(lr.buf)+len(chunk) > lr.max+2: // room for "\r\n"
			tooLong, lr.buf = true, lr.buf[:0]
		default:
			lr.buf = append(lr.buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && (len(lr.buf) > 0 || tooLong):
			// The last line, without a final newline.
		case err != nil:
			return nil, err
		}
		lr.n++
		if tooLong {
			return nil, fmt.Errorf("%w: over %d MB", ErrLineTooLong, lr.max>>20)
		}
		return trimEOL(lr.buf, lr.max)
	}
}

func trimEOL(line []byte, max int) ([]byte, error) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > max {
		return nil, fmt.Errorf("%w: over %d MB", ErrLineTooLong, max>>20)
	}
	return line, nil
}
