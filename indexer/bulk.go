package indexer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"iter"
)

// BulkReader reads a bulk write, JSON Lines in the format of the index
// command, as it arrives: a line {"id": "…", "delete": true} removes that
// article, any other line is an article to index. It never holds more
// than one line in memory. Like bufio.Scanner, it reports a failure to
// read the input (as opposed to a bad line) through Err once Records is
// done.
type BulkReader struct {
	lr  lineReader
	err error
}

// NewBulkReader returns a BulkReader of r.
func NewBulkReader(r io.Reader) *BulkReader {
	return &BulkReader{lr: lineReader{br: bufio.NewReaderSize(r, 64<<10), max: lineMaxBytes}}
}

// Records yields one Record per non-blank line, Line set to its 1-based
// line number; a line that is not a valid record is yielded with Err set,
// to be rejected.
func (b *BulkReader) Records() iter.Seq[Record] {
	return func(yield func(Record) bool) {
		for {
			line, err := b.lr.next()
			switch {
			case err == io.EOF:
				return
			case errors.Is(err, ErrLineTooLong):
				if !yield(Record{Line: b.lr.n, Err: err}) {
					return
				}
				continue
			case err != nil:
				b.err = err
				return
			}
			if b.lr.n == 1 {
				line = bytes.TrimPrefix(line, []byte("\uFEFF"))
			}
			if line = bytes.TrimSpace(line); len(line) == 0 {
				continue
			}
			a, del, err := parseJSONLine(line)
			if !yield(Record{Line: b.lr.n, Article: a, Delete: del, Err: err}) {
				return
			}
		}
	}
}

// Err returns the error that stopped reading the input, if any.
func (b *BulkReader) Err() error { return b.err }
