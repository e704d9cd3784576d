package indexer

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/unicode"

	"github.com/vnsearch/vnsearch/schema"
)

// Reasons a file or record cannot be read, beside those of Prepare.
var (
	ErrUnknownFormat = errors.New("unknown file format")
	ErrBinary        = errors.New("binary file")
	ErrTooLarge      = errors.New("file too large")
)

// fileMaxBytes bounds a text or HTML file, which is read whole: one article
// is rarely over a megabyte, so a bigger file is not an article.
const fileMaxBytes = 64 << 20

// RecordError names a record, or a whole file, that could not be read.
type RecordError struct {
	File string // the file's name as given or walked
	Line int    // 1-based line of the record; 0 means the whole file
	Err  error
}

// Error returns "FILE:LINE: reason", or "FILE: reason" for a whole file.
func (e *RecordError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// Visitor receives what the readers find, in the order of the input, from
// the goroutine that called the reader, one call at a time. A nil field
// means the caller does not want that kind of news.
type Visitor struct {
	// Article receives each article read, already through Prepare. An
	// error from it (the index could not be written) stops the read and
	// is returned as is.
	Article func(schema.Article) error
	// Bad is told of every record or file that could not be read; reading
	// goes on with the next one.
	Bad func(*RecordError)
}

func (v Visitor) article(a schema.Article) error {
	if v.Article == nil {
		return nil
	}
	return v.Article(a)
}

func (v Visitor) bad(e *RecordError) {
	if v.Bad != nil {
		v.Bad(e)
	}
}

// yield prepares a and hands it on, or reports why it cannot be indexed.
func (v Visitor) yield(file string, line int, a schema.Article) error {
	a, err := Prepare(a)
	if err != nil {
		v.bad(&RecordError{File: file, Line: line, Err: err})
		return nil
	}
	return v.article(a)
}

// format is a kind of archive file, known by its name.
type format int

const (
	formatUnknown format = iota
	formatJSONL
	formatText
	formatHTML
)

// formatOf returns the format a file name says and whether the file is
// gzip-compressed (a ".gz" after the format's own extension).
func formatOf(name string) (f format, gz bool) {
	name = strings.ToLower(name)
	if base, ok := strings.CutSuffix(name, ".gz"); ok {
		name, gz = base, true
	}
	switch path.Ext(name) {
	case ".jsonl", ".ndjson":
		return formatJSONL, gz
	case ".txt":
		return formatText, gz
	case ".html", ".htm":
		return formatHTML, gz
	}
	return formatUnknown, gz
}

// ReadFile reads the articles of one file from r, choosing the format by
// name's extension: JSON Lines (.jsonl, .ndjson), plain-text exports (.txt)
// and HTML pages (.html, .htm), each optionally gzip-compressed (.gz). A
// text or HTML file is one record, reported with Line 0. Bad records go to
// v.Bad. The error is v.Article's, or a *RecordError when the file cannot
// be read: its format is unknown (ErrUnknownFormat), it is not gzip, or
// reading failed (the articles before the failure have been read).
func ReadFile(name string, r io.Reader, v Visitor) error {
	f, gz := formatOf(name)
	if f == formatUnknown {
		return &RecordError{File: name, Err: fmt.Errorf("%w %q", ErrUnknownFormat, filepath.Ext(name))}
	}
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return &RecordError{File: name, Err: fmt.Errorf("gzip: %w", err)}
		}
		defer zr.Close()
		r = zr
	}
	switch f {
	case formatJSONL:
		return readJSONL(name, r, v)
	case formatText:
		return readText(name, r, v)
	default:
		return readHTML(name, r, v)
	}
}

// ReadPaths reads the articles of files and directories. Directories are
// walked recursively in lexical order, skipping hidden entries (".git") and
// files of unknown format; a file named explicitly must have a known format.
// Files and directories that cannot be read are reported to v.Bad and
// skipped. The error is v.Article's.
func ReadPaths(paths []string, v Visitor) error {
	for _, p := range paths {
		if err := readTree(osTree{}, p, v); err != nil {
			return err
		}
	}
	return nil
}

// ReadList gives v each of articles, through Prepare, in order: for an
// archive built from articles in memory. An invalid article stops the
// read with its *FieldError, as does an error of v.Article.
func ReadList(articles []schema.Article, v Visitor) error {
	for _, a := range articles {
		a, err := Prepare(a)
		if err == nil {
			err = v.article(a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ReadFS is ReadPaths over fsys, from root (a file or a directory; "." for
// all of it), such as an embedded demo corpus.
func ReadFS(fsys fs.FS, root string, v Visitor) error {
	return readTree(fsTree{fsys}, root, v)
}

// tree is a file system ReadPaths and ReadFS walk.
type tree interface {
	stat(name string) (fs.FileInfo, error)
	walk(root string, fn fs.WalkDirFunc) error
	open(name string) (io.ReadCloser, error)
}

type osTree struct{}

func (osTree) stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// walk walks root through os.DirFS rather than filepath.WalkDir, so that a
// root that is a symbolic link to a directory is walked. Links to
// directories inside it are not followed, since they could make a loop.
func (osTree) walk(root string, fn fs.WalkDirFunc) error {
	return fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
		if p == "." {
			p = root
		} else {
			p = filepath.Join(root, filepath.FromSlash(p))
		}
		return fn(p, d, err)
	})
}

func (osTree) open(name string) (io.ReadCloser, error) { return os.Open(name) }

type fsTree struct{ fsys fs.FS }

func (t fsTree) stat(name string) (fs.FileInfo, error)     { return fs.Stat(t.fsys, name) }
func (t fsTree) walk(root string, fn fs.WalkDirFunc) error { return fs.WalkDir(t.fsys, root, fn) }
func (t fsTree) open(name string) (io.ReadCloser, error)   { return t.fsys.Open(name) }

func readTree(t tree, root string, v Visitor) error {
	info, err := t.stat(root)
	if err != nil {
		v.bad(fileError(root, err))
		return nil
	}
	if !info.IsDir() {
		return readOne(t, root, v)
	}
	return t.walk(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// A directory that cannot be listed: WalkDir goes on without it.
			v.bad(fileError(p, err))
			return nil
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if f, _ := formatOf(p); f == formatUnknown {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Links to files are read, links to directories skipped.
			if info, err := t.stat(p); err == nil && info.IsDir() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		return readOne(t, p, v)
	})
}

// readOne reads one file, reporting a failure to open or read it to v.Bad.
// Only v.Article's error is returned.
func readOne(t tree, name string, v Visitor) error {
	var stop error
	inner := v
	if v.Article != nil {
		inner.Article = func(a schema.Article) error {
			stop = v.Article(a)
			return stop
		}
	}
	f, err := t.open(name)
	if err != nil {
		v.bad(fileError(name, err))
		return nil
	}
	defer f.Close()
	err = ReadFile(name, f, inner)
	if stop != nil {
		return stop
	}
	if err != nil {
		v.bad(fileError(name, err))
	}
	return nil
}

// fileError makes err a whole-file RecordError, leaving out the path an
// *fs.PathError repeats.
func fileError(name string, err error) *RecordError {
	var re *RecordError
	if errors.As(err, &re) {
		return re
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &RecordError{File: name, Err: err}
}

// readAll reads a whole text or HTML file. UTF-16 with a byte-order mark,
// as Windows tools save Vietnamese text, is decoded to UTF-8 and a UTF-8
// byte-order mark is dropped. bad says why the content is no text (over
// fileMaxBytes, or NUL bytes); err is a failure to read.
func readAll(r io.Reader) (data []byte, bad, err error) {
	data, err = io.ReadAll(io.LimitReader(r, fileMaxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > fileMaxBytes {
		return nil, fmt.Errorf("%w: over %d MB", ErrTooLarge, fileMaxBytes>>20), nil
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		if data, err = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data); err != nil {
			return nil, fmt.Errorf("utf-16: %w", err), nil
		}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, ErrBinary, nil
	}
	return data, nil, nil
}

// baseID is the id of the one article in a text or HTML file without one
// of its own: the file's base name without its extensions.
func baseID(name string) string {
	base := path.Base(filepath.ToSlash(name))
	if b, ok := strings.CutSuffix(strings.ToLower(base), ".gz"); ok {
		base = base[:len(b)]
	}
	return strings.TrimSuffix(base, path.Ext(base))
}
