// Package querylog counts the queries readers ask, and those that find
// nothing, so that an editor sees what readers look for, what to write and
// which abbreviation to add. It keeps counts only: no address, time of
// each search or anything else that tells readers apart.
//
// The counts are aggregated in memory and written to one JSON file, read
// back when the log is opened again, so that they outlive restarts.
package querylog

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vnsearch/vnsearch/internal/atomicfile"
)

// FileName is the name of the log's file in the index directory.
const FileName = "vnsearch-queries.json"

// Options configure a Log. The zero value of each field but Path means its
// default.
type Options struct {
	// Path is the file the counts are kept in. Required.
	Path string
	// MaxQueries caps the distinct queries kept. Default 10,000: an
	// archive's readers ask a few thousand distinct queries a day, and the
	// ones an editor acts on are those asked again. When a new query finds
	// the log full, the tenth of the queries asked least often (the least
	// recently asked among equals) is dropped.
	MaxQueries int
	// Now tells the time; default time.Now. Tests set it.
	Now func() time.Time
}

// SetDefaults fills zero fields, but Path, with their defaults.
func (o *Options) SetDefaults() {
	if o.MaxQueries <= 0 {
		o.MaxQueries = 10_000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Kind chooses what Queries lists.
type Kind string

// The kinds of list.
const (
	// Top lists the queries asked most often.
	Top Kind = "top"
	// Zero lists the queries that found nothing most often.
	Zero Kind = "zero"
)

// ErrUnknownKind reports a Kind that is neither Top nor Zero.
var ErrUnknownKind = errors.New(`unknown kind: want "top" or "zero"`)

// QueryCount is one query of a list: how often it was asked (Top) or
// found nothing (Zero), and when last.
type QueryCount struct {
	Query    string    `json:"query"`
	Count    int64     `json:"count"`
	LastSeen time.Time `json:"last_seen"`
}

// maxQueryBytes bounds a query kept: the searcher takes at most 500
// characters, and a longer one is no query an editor reads.
const maxQueryBytes = 2000

// entry is what the log keeps of one query.
type entry struct {
	Query    string    `json:"query"`
	Count    int64     `json:"count"`
	LastSeen time.Time `json:"last_seen"`
	Zero     int64     `json:"zero,omitempty"`
	LastZero time.Time `json:"last_zero,omitzero"`
}

// file is the layout of the log's file.
type file struct {
	Queries []*entry `json:"queries"`
}

// Log counts queries. It is safe for concurrent use. The zero value is not
// usable; call Open.
type Log struct {
	opts    Options
	mu      sync.Mutex
	entries map[string]*entry // by normalised query
	changed bool              // since the last Flush
	flushes sync.Mutex        // one file write at a time
}

// Open returns a Log kept in opts.Path, with the counts already there, or
// an empty one when the file does not exist yet.
func Open(opts Options) (*Log, error) {
	opts.SetDefaults()
	if opts.Path == "" {
		return nil, errors.New("querylog: Options.Path is required")
	}
	l := &Log{opts: opts, entries: make(map[string]*entry)}
	data, err := os.ReadFile(opts.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, fmt.Errorf("query log: %w", err)
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("query log %s: %w", opts.Path, err)
	}
	for _, e := range f.Queries {
		if q := Normalize(e.Query); q != "" && e.Count > 0 {
			e.Query = q
			l.entries[q] = e
		}
	}
	l.evict()
	return l, nil
}

// Normalize returns query as the log counts it: NFC, lower case, spaces
// collapsed, so that "Nam  Định" and "nam định" count as one, and still
// as a reader typed it otherwise. It returns "" for a query with nothing
// to count or one not valid UTF-8.
func Normalize(query string) string {
	if !utf8.ValidString(query) || len(query) > maxQueryBytes {
		return ""
	}
	return strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(query))), " ")
}

// Record counts one search for query that found total articles.
func (l *Log) Record(query string, total uint64) {
	q := Normalize(query)
	if q == "" {
		return
	}
	now := l.opts.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	e, known := l.entries[q]
	if !known {
		e = &entry{Query: q}
		l.entries[q] = e
	}
	e.Count++
	e.LastSeen = now
	if total == 0 {
		e.Zero++
		e.LastZero = now
	}
	l.changed = true
	if !known {
		l.evict()
	}
}

// evict drops the tenth of the queries asked least often, the least
// recently asked first among equals, when there are more than
// MaxQueries. The caller holds l.mu or has l to itself.
func (l *Log) evict() {
	if len(l.entries) <= l.opts.MaxQueries {
		return
	}
	all := l.sorted(Top)
	keep := l.opts.MaxQueries - l.opts.MaxQueries/10
	for _, e := range all[keep:] {
		delete(l.entries, e.Query)
	}
}

// sorted returns the entries counted for kind, the most first, the most
// recent first among equals, then by query.
func (l *Log) sorted(kind Kind) []*entry {
	count := func(e *entry) (int64, time.Time) { return e.Count, e.LastSeen }
	if kind == Zero {
		count = func(e *entry) (int64, time.Time) { return e.Zero, e.LastZero }
	}
	var out []*entry
	for _, e := range l.entries {
		if n, _ := count(e); n > 0 {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *entry) int {
		na, ta := count(a)
		nb, tb := count(b)
		return cmp.Or(cmp.Compare(nb, na), tb.Compare(ta), strings.Compare(a.Query, b.Query))
	})
	return out
}

// Queries returns at most n queries of kind, the most counted first.
func (l *Log) Queries(kind Kind, n int) ([]QueryCount, error) {
	if kind != Top && kind != Zero {
		return nil, fmt.Errorf("%w: %q", ErrUnknownKind, kind)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	all := l.sorted(kind)
	out := make([]QueryCount, 0, min(n, len(all)))
	for _, e := range all[:min(n, len(all))] {
		if kind == Zero {
			out = append(out, QueryCount{Query: e.Query, Count: e.Zero, LastSeen: e.LastZero})
		} else {
			out = append(out, QueryCount{Query: e.Query, Count: e.Count, LastSeen: e.LastSeen})
		}
	}
	return out, nil
}

// Flush writes the counts to the log's file when they changed since the
// last Flush. The file is written whole under another name and renamed,
// so that a crash leaves the old counts or the new, never half a file.
func (l *Log) Flush() error {
	l.flushes.Lock()
	defer l.flushes.Unlock()
	l.mu.Lock()
	if !l.changed {
		l.mu.Unlock()
		return nil
	}
	f := file{Queries: make([]*entry, 0, len(l.entries))}
	for _, e := range l.entries {
		c := *e
		f.Queries = append(f.Queries, &c)
	}
	l.changed = false
	l.mu.Unlock()
	slices.SortFunc(f.Queries, func(a, b *entry) int { return strings.Compare(a.Query, b.Query) })

	err := writeAtomically(l.opts.Path, f)
	if err != nil {
		l.mu.Lock()
		l.changed = true // to try again next time
		l.mu.Unlock()
		return fmt.Errorf("query log: %w", err)
	}
	return nil
}

func writeAtomically(path string, f file) error {
	data, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// FlushEvery flushes the log every interval until ctx is done, then once
// more, and returns. A failed flush is reported to report, when not nil,
// and tried again at the next tick.
func (l *Log) FlushEvery(ctx context.Context, interval time.Duration, report func(error)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	flush := func() {
		if err := l.Flush(); err != nil && report != nil {
			report(err)
		}
	}
	for {
		select {
		case <-tick.C:
			flush()
		case <-ctx.Done():
			flush()
			return
		}
	}
}
