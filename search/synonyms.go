package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"golang.org/x/text/unicode/norm"

	"github.com/vnsearch/vnsearch/analyzers"
)

// ErrVersionConflict reports a change of the synonyms made against a
// version that is no longer the current one: someone else changed them
// since it was read.
var ErrVersionConflict = errors.New("version conflict")

// synonymsKey is where an index keeps the newsroom's own synonyms, so that
// they survive restarts and travel with copies of the index.
var synonymsKey = []byte("vnsearch.synonyms")

// MaxSynonymLines bounds the newsroom's own table: a few hundred lines is
// a large one, and each line is matched against every query.
const MaxSynonymLines = 10_000

// maxSynonymLineBytes bounds one line: the longest of the shipped table is
// under 100 bytes.
const maxSynonymLineBytes = 1000

// Synonyms is the newsroom's own table of abbreviations and synonyms,
// expanded in queries as the shipped table (analyzers.NewsAbbreviations)
// is, beside it. Lines are in that table's format: the abbreviation's
// forms separated by "|", a tab, the expansion's forms separated by "|".
type Synonyms struct {
	// Version counts the changes: 0 before the first, then one more with
	// each.
	Version int `json:"version"`
	// Lines are the table's lines as last set, comments and blank lines
	// included. Never nil.
	Lines []string `json:"lines"`
}

// synonymTable is a Synonyms and the table of abbreviations it makes with
// the shipped one. It is immutable, so searches share it without locks.
type synonymTable struct {
	stored        Synonyms
	abbreviations *analyzers.Abbreviations
}

// synonyms holds a Searcher's current table, read from the index on
// first use and replaced whole by each change.
type synonyms struct {
	table   atomic.Pointer[synonymTable]
	changes sync.Mutex // one reader of the index or change at a time
}

// Synonyms returns the newsroom's own synonyms as last set.
func (s *Searcher) Synonyms() (Synonyms, error) {
	t, err := s.synonymTable()
	if err != nil {
		return Synonyms{}, err
	}
	return t.stored, nil
}

// SetSynonyms replaces the newsroom's own synonyms with lines, keeps them
// in the index, and has the searches that start from then on expand them.
// ifVersion, when not negative, is the version the change was made
// against: if the current one differs, nothing changes and the error
// wraps ErrVersionConflict. A malformed line gives an
// *analyzers.AbbreviationError with its number (from 1), and nothing
// changes. It returns the synonyms as set, with their new version. It is
// safe to call while searches run.
func (s *Searcher) SetSynonyms(lines []string, ifVersion int) (Synonyms, error) {
	s.synonyms.changes.Lock()
	defer s.synonyms.changes.Unlock()
	current, err := s.loadSynonyms()
	if err != nil {
		return Synonyms{}, err
	}
	if ifVersion >= 0 && ifVersion != current.stored.Version {
		return Synonyms{}, fmt.Errorf("%w: synonyms are at version %d, not %d", ErrVersionConflict, current.stored.Version, ifVersion)
	}
	next, err := newSynonymTable(Synonyms{Version: current.stored.Version + 1, Lines: lines})
	if err != nil {
		return Synonyms{}, err
	}
	data, err := json.Marshal(next.stored)
	if err == nil {
		err = s.idx.SetInternal(synonymsKey, data)
	}
	if err != nil {
		return Synonyms{}, fmt.Errorf("keep the synonyms in the index: %w", err)
	}
	s.synonyms.table.Store(next)
	return next.stored, nil
}

// CopySynonyms copies the newsroom's synonyms kept in from into to, with
// their version: a rebuilt index keeps them.
func CopySynonyms(from, to bleve.Index) error {
	data, err := from.GetInternal(synonymsKey)
	if err != nil || data == nil {
		return err
	}
	return to.SetInternal(synonymsKey, data)
}

// synonymTable returns the current table, reading it from the index the
// first time.
func (s *Searcher) synonymTable() (*synonymTable, error) {
	if t := s.synonyms.table.Load(); t != nil {
		return t, nil
	}
	s.synonyms.changes.Lock()
	defer s.synonyms.changes.Unlock()
	return s.loadSynonyms()
}

// loadSynonyms returns the current table, reading it from the index when
// there is none yet. The caller holds s.synonyms.changes.
func (s *Searcher) loadSynonyms() (*synonymTable, error) {
	if t := s.synonyms.table.Load(); t != nil {
		return t, nil
	}
	var stored Synonyms
	data, err := s.idx.GetInternal(synonymsKey)
	if err != nil {
		return nil, fmt.Errorf("read the synonyms from the index: %w", err)
	}
	if data != nil {
		if err := json.Unmarshal(data, &stored); err != nil {
			return nil, fmt.Errorf("read the synonyms from the index: %w", err)
		}
	}
	t, err := newSynonymTable(stored)
	if err != nil {
		return nil, fmt.Errorf("synonyms kept in the index: %w", err)
	}
	s.synonyms.table.Store(t)
	return t, nil
}

// newSynonymTable checks and normalises the lines of stored (NFC, as
// queries are, and without the line ends a client may leave on them) and
// adds them to the shipped table.
func newSynonymTable(stored Synonyms) (*synonymTable, error) {
	if len(stored.Lines) > MaxSynonymLines {
		return nil, &analyzers.AbbreviationError{Line: MaxSynonymLines + 1, Reason: fmt.Sprintf("more than %d lines", MaxSynonymLines)}
	}
	lines := make([]string, len(stored.Lines))
	for i, line := range stored.Lines {
		switch {
		case !utf8.ValidString(line):
			return nil, &analyzers.AbbreviationError{Line: i + 1, Reason: "not valid UTF-8"}
		case len(line) > maxSynonymLineBytes:
			return nil, &analyzers.AbbreviationError{Line: i + 1, Reason: fmt.Sprintf("longer than %d bytes", maxSynonymLineBytes)}
		case strings.ContainsAny(line, "\r\n"):
			// Split, the line numbers would no longer be the client's.
			return nil, &analyzers.AbbreviationError{Line: i + 1, Reason: "holds a line break"}
		}
		lines[i] = norm.NFC.String(strings.TrimRight(line, " "))
	}
	abbreviations, err := analyzers.NewsAbbreviations().Extend(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		return nil, err
	}
	return &synonymTable{stored: Synonyms{Version: stored.Version, Lines: lines}, abbreviations: abbreviations}, nil
}
