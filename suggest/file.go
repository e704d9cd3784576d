package suggest

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/internal/atomicfile"
	"github.com/vnsearch/vnsearch/schema"
)

// Files of the suggestions kept in an index's directory, beside the
// index, rather than in the index's own internal store: every snapshot
// the index persists rewrites all of its internal values, and a build is
// tens of megabytes at 60,000 articles. Each file says which write
// generation of the index it reflects, so that one left behind by a crash,
// or by writes made without the suggester, is never taken for current.
const (
	// BuildFile holds a build: phrases, titles and their rankings.
	BuildFile = "suggestions"
	// RecentFile holds the titles written and deleted since the build,
	// rewritten after each burst of writes; it is small.
	RecentFile = "suggestions.recent"
)

// File headers: a name and a format version.
const (
	buildMagic  = "vnsearch suggestions 1\n"
	recentMagic = "vnsearch recent titles 1\n"
)

// ErrBadFile reports a file of saved suggestions that cannot be read:
// damaged, truncated, or not one.
var ErrBadFile = errors.New("not a file of saved suggestions, or a damaged one")

// Prepare makes the suggestions ready over the index whose directory is
// dir: it loads those saved there when they reflect the index as it is,
// and otherwise builds them from every article and saves them there. A
// file that cannot be read is reported with the error of the build, when
// that fails too, and otherwise replaced.
func (s *Suggester) Prepare(ctx context.Context, dir string) (Stats, error) {
	started := time.Now()
	loaded, loadErr := s.Load(dir)
	if loaded {
		st := s.Stats()
		st.Took, st.Loaded = time.Since(started), true
		return st, nil
	}
	st, err := s.Build(ctx)
	if err != nil {
		return Stats{}, errors.Join(err, loadErr)
	}
	return st, s.Save(dir)
}

// Save writes the suggestions to dir: the build, unless it is there
// already, and the titles written since. Each file is written whole
// under a temporary name, then renamed.
func (s *Suggester) Save(dir string) error {
	s.save.Lock()
	defer s.save.Unlock()
	st := s.current.Load()
	if st == nil {
		return fmt.Errorf("save the suggestions: %w", ErrNotReady)
	}
	if s.saved != st.base {
		if err := writeFile(filepath.Join(dir, BuildFile), func(w *encoder) { w.build(st.base, s.opts) }); err != nil {
			return err
		}
		s.saved = st.base
	}
	return writeFile(filepath.Join(dir, RecentFile), func(w *encoder) { w.recent(st) })
}

// Load reads the suggestions saved in dir, and reports whether it did:
// not when there are none, or when they do not reflect the index's
// current write generation or were built with other Options. A file that
// cannot be read is an error wrapping ErrBadFile.
func (s *Suggester) Load(dir string) (bool, error) {
	gen, err := schema.Generation(s.idx)
	if err != nil {
		return false, err
	}
	name := filepath.Join(dir, BuildFile)
	data, err := readFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load the suggestions: %w", err)
	}
	base, opts, err := readBuild(data)
	if err != nil {
		return false, fmt.Errorf("load the suggestions from %s: %w", name, err)
	}
	if opts != s.opts {
		return false, nil
	}
	st := &state{base: base, generation: base.generation}
	name = filepath.Join(dir, RecentFile)
	data, err = readFile(name)
	switch {
	case err == nil:
		if st, err = readRecent(data, base); err != nil {
			return false, fmt.Errorf("load the suggestions from %s: %w", name, err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return false, fmt.Errorf("load the suggestions: %w", err)
	}
	if st.generation != gen {
		return false, nil
	}
	s.apply.Lock()
	s.replace(st)
	s.apply.Unlock()
	s.save.Lock()
	s.saved = base
	s.save.Unlock()
	return true, nil
}

func writeFile(name string, write func(*encoder)) error {
	err := atomicfile.Write(name, 0o644, func(w io.Writer) error {
		enc := newEncoder(w)
		write(enc)
		return enc.finish()
	})
	if err != nil {
		return fmt.Errorf("save the suggestions: %w", err)
	}
	return nil
}

// encoder writes the files: unsigned varints, strings as a length and
// bytes, and a CRC-32 of everything at the end.
type encoder struct {
	w   *bufio.Writer
	crc hash.Hash32
	buf [binary.MaxVarintLen64]byte
	err error
}

func newEncoder(w io.Writer) *encoder {
	crc := crc32.NewIEEE()
	return &encoder{w: bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16), crc: crc}
}

func (e *encoder) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *encoder) uint(v uint64) { e.bytes(binary.AppendUvarint(e.buf[:0], v)) }
func (e *encoder) int(v int64)   { e.bytes(binary.AppendVarint(e.buf[:0], v)) }
func (e *encoder) float(v float64) {
	e.uint(math.Float64bits(v))
}

func (e *encoder) string(s string) {
	e.uint(uint64(len(s)))
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *encoder) finish() error {
	if e.err == nil {
		e.err = e.w.Flush()
	}
	if e.err == nil {
		_, e.err = e.w.Write(binary.BigEndian.AppendUint32(nil, e.crc.Sum32()))
	}
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

func (e *encoder) options(o Options) {
	e.int(int64(o.MinDocs))
	e.int(int64(o.MaxPhrases))
	e.int(int64(o.MinStopArticles))
	for _, f := range []float64{o.StopShare, o.EdgeShare, o.ExtendShare, o.DominantShare} {
		e.float(f)
	}
}

func (e *encoder) build(sg *suggestions, o Options) {
	e.bytes([]byte(buildMagic))
	e.uint(sg.generation)
	e.options(o)
	e.uint(uint64(sg.stats.Articles))
	e.uint(uint64(len(sg.phrases)))
	for _, p := range sg.phrases {
		e.string(p.folded)
		e.string(p.exact)
		e.string(p.text)
		e.uint(uint64(p.docs))
	}
	e.uint(uint64(len(sg.docs)))
	for _, d := range sg.docs {
		e.titleDoc(d)
		e.string(d.folded)
		e.string(d.exact)
	}
	e.uint(uint64(len(sg.titles)))
	for _, t := range sg.titles {
		e.uint(uint64(t.doc))
		e.uint(uint64(t.folded))
		e.uint(uint64(t.exact))
	}
	e.ranks(sg.phrasesByDocs)
	e.ranks(sg.titlesByWord)
	e.uint(uint64(len(sg.wordDocs)))
	for w, n := range sg.wordDocs {
		e.string(w)
		e.uint(uint64(n))
	}
}

func (e *encoder) titleDoc(d titleDoc) {
	e.string(d.id)
	e.string(d.title)
	e.int(d.published)
}

func (e *encoder) ranks(rb rangeBest) {
	e.uint(uint64(len(rb.rank)))
	for _, r := range rb.rank {
		e.uint(uint64(r))
	}
}

func (e *encoder) recent(st *state) {
	e.bytes([]byte(recentMagic))
	e.uint(st.base.generation)
	e.uint(st.generation)
	batches := st.recent.since(0)
	e.uint(uint64(len(batches)))
	for _, b := range batches {
		e.uint(b.generation)
		e.uint(uint64(len(b.changed)))
		for _, d := range b.changed {
			e.titleDoc(d)
		}
		e.uint(uint64(len(b.deleted)))
		for _, id := range b.deleted {
			e.string(id)
		}
	}
}

// decoder reads what encoder writes, from a whole file checked against its
// CRC first, checking every count and offset, so that a damaged file is
// an error and never a panic or a huge allocation. The strings it returns
// share the memory of the file's text.
type decoder struct {
	s   string
	at  int
	err error
}

func newDecoder(data string) *decoder {
	n := len(data) - crc32.Size
	if n < 0 || checksum(data[:n]) != binary.BigEndian.Uint32([]byte(data[n:])) {
		return &decoder{err: fmt.Errorf("%w: checksum does not match", ErrBadFile)}
	}
	return &decoder{s: data[:n]}
}

// checksum returns the CRC-32 of s, a chunk at a time: a file is hundreds
// of megabytes on a large archive, not to be copied whole.
func checksum(s string) uint32 {
	var buf [1 << 16]byte
	var crc uint32
	for len(s) > 0 {
		n := copy(buf[:], s)
		crc = crc32.Update(crc, crc32.IEEETable, buf[:n])
		s = s[n:]
	}
	return crc
}

// readFile returns the text of the file name, read into a string once.
func readFile(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if info, err := f.Stat(); err == nil {
		b.Grow(int(info.Size()))
	}
	_, err = io.Copy(&b, f)
	return b.String(), err
}

// maxString bounds one string of a file: an id, a headline, a phrase.
const maxString = 1 << 16

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrBadFile, what)
	}
}

func (d *decoder) uint() uint64 {
	var v uint64
	for shift := 0; d.err == nil; shift += 7 {
		if d.at == len(d.s) || shift > 63 {
			d.fail("truncated number")
			break
		}
		c := d.s[d.at]
		d.at++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	return 0
}

func (d *decoder) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

// count reads a count of items, at most limit.
func (d *decoder) count(limit uint64, what string) int {
	n := d.uint()
	if n > limit {
		d.fail(what + ": out of range")
		return 0
	}
	return int(n)
}

func (d *decoder) int32() int32 { return int32(d.count(math.MaxInt32, "number")) }

func (d *decoder) string() string {
	n := d.count(maxString, "string")
	if d.err != nil {
		return ""
	}
	if n > d.rest() {
		d.fail("truncated string")
		return ""
	}
	d.at += n
	return d.s[d.at-n : d.at]
}

func (d *decoder) magic(want string) {
	if d.err == nil && !strings.HasPrefix(d.s, want) {
		d.fail("no header")
		return
	}
	d.at = len(want)
}

// finish reports the first error, or that something follows the last item.
func (d *decoder) finish() error {
	if d.err == nil && d.at != len(d.s) {
		d.fail("data after the end")
	}
	return d.err
}

func (d *decoder) options() Options {
	o := Options{MinDocs: int(d.int()), MaxPhrases: int(d.int()), MinStopArticles: int(d.int())}
	for _, f := range []*float64{&o.StopShare, &o.EdgeShare, &o.ExtendShare, &o.DominantShare} {
		*f = math.Float64frombits(d.uint())
	}
	return o
}

// items allocates a slice for n items read from d, each at least
// minBytes long in the file: a count is trusted only as far as the rest
// of the file could hold its items.
func items[T any](d *decoder, n, minBytes int) []T {
	return make([]T, 0, min(n, d.rest()/minBytes))
}

// rest returns how many bytes are left to read.
func (d *decoder) rest() int { return max(0, len(d.s)-d.at) }

func readBuild(data string) (*suggestions, Options, error) {
	d := newDecoder(data)
	d.magic(buildMagic)
	sg := &suggestions{generation: d.uint()}
	opts := d.options()
	sg.stats.Articles = d.count(math.MaxInt32, "articles")
	n := d.count(math.MaxInt32, "phrases")
	sg.phrases = items[phrase](d, n, 4)
	for range n {
		if d.err != nil {
			break
		}
		sg.phrases = append(sg.phrases, phrase{folded: d.string(), exact: d.string(), text: d.string(), docs: d.int32()})
	}
	n = d.count(math.MaxInt32, "titles")
	sg.docs = items[titleDoc](d, n, 5)
	for range n {
		if d.err != nil {
			break
		}
		doc := d.titleDoc()
		doc.folded, doc.exact = d.string(), d.string()
		sg.docs = append(sg.docs, doc)
	}
	n = d.count(math.MaxInt32, "title entries")
	sg.titles = items[titleEntry](d, n, 3)
	for range n {
		if d.err != nil {
			break
		}
		e := titleEntry{doc: int32(d.count(uint64(len(sg.docs)-1), "title")), folded: uint16(d.count(maxTitleOffset, "offset")),
			exact: uint16(d.count(maxTitleOffset, "offset"))}
		if d.err == nil && (len(sg.docs) == 0 || int(e.folded) > len(sg.docs[e.doc].folded) || int(e.exact) > len(sg.docs[e.doc].exact)) {
			d.fail("title entry out of range")
		}
		sg.titles = append(sg.titles, e)
	}
	sg.phrasesByDocs = d.ranks(len(sg.phrases))
	sg.titlesByWord = d.ranks(len(sg.titles))
	n = d.count(math.MaxInt32, "words")
	sg.wordDocs = make(map[string]int32, min(n, d.rest()/2, 1<<20))
	for range n {
		if d.err != nil {
			break
		}
		w := d.string()
		sg.wordDocs[w] = d.int32()
	}
	if err := d.finish(); err != nil {
		return nil, Options{}, err
	}
	sg.stats.Phrases, sg.stats.Titles = len(sg.phrases), len(sg.docs)
	return sg, opts, nil
}

func (d *decoder) titleDoc() titleDoc {
	return titleDoc{id: d.string(), title: d.string(), published: d.int()}
}

// ranks reads the ranks of n entries and builds their range table.
func (d *decoder) ranks(n int) rangeBest {
	if d.count(math.MaxInt32, "ranks") != n {
		d.fail("ranks do not match their entries")
	}
	if d.err != nil {
		return rangeBest{}
	}
	rank := items[int32](d, n, 1)
	for range n {
		if d.err != nil {
			return rangeBest{}
		}
		rank = append(rank, d.int32())
	}
	return newRangeBestOfRanks(rank)
}

// readRecent reads the titles written since base and returns the state
// they make with it.
func readRecent(data string, base *suggestions) (*state, error) {
	d := newDecoder(data)
	d.magic(recentMagic)
	if gen := d.uint(); d.err == nil && gen != base.generation {
		return nil, fmt.Errorf("%w: recent titles of another build", ErrBadFile)
	}
	st := &state{base: base, generation: d.uint()}
	n := d.count(math.MaxInt32, "batches")
	var batches []batch
	for range n {
		if d.err != nil {
			break
		}
		b := batch{generation: d.uint()}
		for range d.count(math.MaxInt32, "titles") {
			if d.err != nil {
				break
			}
			b.changed = append(b.changed, d.titleDoc())
		}
		for range d.count(math.MaxInt32, "deletions") {
			if d.err != nil {
				break
			}
			b.deleted = append(b.deleted, d.string())
		}
		batches = append(batches, b)
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	for _, b := range batches {
		st.recent = st.recent.with(b.generation, b.articles(), b.deleted)
	}
	return st, nil
}
