package suggest

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/query"
	"github.com/vnsearch/vnsearch/schema"
)

// typedPrefixes returns prefixes as readers type them over the titles of
// s: the first letters of each title's first one and two words, with and
// without diacritics, and a few fixed ones.
func typedPrefixes(t *testing.T, s *Suggester) []string {
	t.Helper()
	out := []string{"h", "nam d", "Nam Đ", "NAM D", "iso 9", "mua sen", "giao th", "của c", "tien h"}
	for _, d := range s.current.Load().base.docs {
		words := strings.Fields(d.title)
		for n := 1; n <= min(2, len(words)); n++ {
			p := strings.Join(words[:n], " ")
			r := []rune(p)
			p = string(r[:max(1, len(r)-1)])
			out = append(out, p, analyzers.Fold(p))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// answers returns what s suggests for each prefix, as text.
func answers(t *testing.T, s *Suggester, prefixes []string) map[string][]Suggestion {
	t.Helper()
	out := map[string][]Suggestion{}
	for _, p := range prefixes {
		got, err := s.Suggest(context.Background(), p, MaxSuggestions)
		var pe *query.ParamError
		if errors.As(err, &pe) {
			continue // a prefix with no words, as "« t"
		}
		if err != nil {
			t.Fatal(err)
		}
		out[p] = got
	}
	return out
}

func TestSavedAnswersAsBuilt(t *testing.T) {
	built := demoSuggester(t, Options{})
	dir := t.TempDir()
	if err := built.Save(dir); err != nil {
		t.Fatal(err)
	}
	loaded := New(built.idx, Options{})
	ok, err := loaded.Load(dir)
	if err != nil || !ok {
		t.Fatalf("Load = %v, %v; want the saved suggestions", ok, err)
	}
	prefixes := typedPrefixes(t, built)
	if len(prefixes) < 100 {
		t.Fatalf("only %d prefixes: the test shows little", len(prefixes))
	}
	want, got := answers(t, built, prefixes), answers(t, loaded, prefixes)
	for _, p := range prefixes {
		if !reflect.DeepEqual(got[p], want[p]) {
			t.Errorf("Suggest(%q) after Load = %q; built: %q", p, suggestTexts(got[p]), suggestTexts(want[p]))
		}
	}
	if b, l := built.Stats(), loaded.Stats(); b.Phrases != l.Phrases || b.Titles != l.Titles || b.Articles != l.Articles {
		t.Errorf("Stats after Load = %+v; built: %+v", l, b)
	}
}

func TestLoadRefusesWhatIsNotCurrent(t *testing.T) {
	built := demoSuggester(t, Options{})
	dir := t.TempDir()
	if err := built.Save(dir); err != nil {
		t.Fatal(err)
	}
	other := New(built.idx, Options{MaxPhrases: 10})
	if ok, err := other.Load(dir); ok || err != nil {
		t.Errorf("Load with other Options = %v, %v; want not loaded", ok, err)
	}
	// An article written without the suggester knowing: the saved
	// suggestions no longer reflect the index.
	w, err := indexer.NewWriter(built.idx, indexer.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Put(context.Background(), schema.Article{ID: "moi-1", Title: "Cầu Thái Bình thông xe"}); err != nil {
		t.Fatal(err)
	}
	if ok, err := New(built.idx, Options{}).Load(dir); ok || err != nil {
		t.Errorf("Load after a write = %v, %v; want not loaded", ok, err)
	}
	for _, name := range []string{BuildFile, RecentFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 0x20
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if ok, err := New(built.idx, Options{}).Load(dir); ok || !errors.Is(err, ErrBadFile) {
			t.Errorf("Load of a damaged %s = %v, %v; want ErrBadFile", name, ok, err)
		}
	}
}

func TestPrepareLoadsWhatItSaved(t *testing.T) {
	idx := demoIndex(t)
	dir := t.TempDir()
	first, err := New(idx, Options{}).Prepare(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if first.Loaded || first.Titles < 50 {
		t.Fatalf("first Prepare = %+v; want a build of every title", first)
	}
	again, err := New(idx, Options{}).Prepare(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Loaded || again.Titles != first.Titles || again.Phrases != first.Phrases {
		t.Errorf("second Prepare = %+v; want the first's build loaded: %+v", again, first)
	}
}

// writingSuggester returns a built suggester and a writer of its index
// whose commits it follows, as a server's do.
func writingSuggester(t testing.TB) (*Suggester, *indexer.Writer) {
	t.Helper()
	s := demoSuggester(t, Options{})
	w, err := indexer.NewWriter(s.idx, indexer.WriterOptions{OnCommit: []func(indexer.Commit){func(c indexer.Commit) {
		s.Apply(c.Generation, c.Changed, c.Deleted)
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return s, w
}

// suggestsTitle reports whether s suggests the title for prefix.
func suggestsTitle(t *testing.T, s *Suggester, prefix, title string) bool {
	t.Helper()
	got, err := s.Suggest(context.Background(), prefix, MaxSuggestions)
	if err != nil {
		t.Fatal(err)
	}
	for _, sg := range got {
		if sg.Kind == KindTitle && sg.Text == title {
			return true
		}
	}
	return false
}

func TestWritesAfterTheBuildAreSuggested(t *testing.T) {
	s, w := writingSuggester(t)
	ctx := context.Background()
	old := s.current.Load().base.docs[0]
	published := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	err := w.Put(ctx,
		schema.Article{ID: "moi-1", Title: "Cầu Thái Bình thông xe sau ba năm", Published: published},
		schema.Article{ID: old.id, Title: "Xã Giao Thủy đón bằng nông thôn mới", Published: published})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Delete(ctx, "moi-1"); err != nil {
		t.Fatal(err)
	}
	if err := w.Put(ctx, schema.Article{ID: "moi-2", Title: "Nhà máy nước Thái Bình mở rộng", Published: published}); err != nil {
		t.Fatal(err)
	}
	check := func(s *Suggester, when string) {
		t.Helper()
		if !suggestsTitle(t, s, "nha may nuoc t", "Nhà máy nước Thái Bình mở rộng") {
			t.Errorf("%s: a headline written after the build is not suggested", when)
		}
		if !suggestsTitle(t, s, "xã giao", "Xã Giao Thủy đón bằng nông thôn mới") {
			t.Errorf("%s: a headline replaced after the build is not suggested", when)
		}
		if suggestsTitle(t, s, "cau thai b", "Cầu Thái Bình thông xe sau ba năm") {
			t.Errorf("%s: a headline deleted after the build is still suggested", when)
		}
		if first := strings.Fields(old.title); suggestsTitle(t, s, strings.Join(first[:min(2, len(first))], " "), old.title) {
			t.Errorf("%s: the replaced headline %q is still suggested", when, old.title)
		}
	}
	check(s, "after Apply")
	if got := s.Stats().Recent; got != 3 {
		t.Errorf("Stats().Recent = %d; want 3", got)
	}

	dir := t.TempDir()
	if err := s.Save(dir); err != nil {
		t.Fatal(err)
	}
	loaded := New(s.idx, Options{})
	if ok, err := loaded.Load(dir); !ok || err != nil {
		t.Fatalf("Load after writes = %v, %v; want the saved suggestions", ok, err)
	}
	check(loaded, "after Save and Load")

	if _, err := s.Build(ctx); err != nil {
		t.Fatal(err)
	}
	check(s, "after a new Build")
	if got := s.Stats().Recent; got != 0 {
		t.Errorf("Stats().Recent after Build = %d; want 0", got)
	}
}

// withChecksum returns body with its CRC appended, as a file ends: the
// fuzzers change the body, which a wrong checksum would otherwise refuse
// before it is parsed.
func withChecksum(body []byte) []byte {
	return binary.BigEndian.AppendUint32(slices.Clone(body), crc32.ChecksumIEEE(body))
}

func FuzzReadBuild(f *testing.F) {
	s := demoSuggester(f, Options{})
	dir := f.TempDir()
	if err := s.Save(dir); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, BuildFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data[:len(data)-crc32.Size])
	f.Add([]byte(buildMagic))
	f.Fuzz(func(t *testing.T, body []byte) {
		sg, _, err := readBuild(string(withChecksum(body)))
		if err != nil {
			return
		}
		st := &state{base: sg}
		for _, p := range []string{"n", "nam d", "Nam Đ", "ha noi "} {
			pfx, _ := parsePrefix(p)
			st.suggest(pfx, MaxSuggestions)
		}
	})
}

func FuzzReadRecent(f *testing.F) {
	s, w := writingSuggester(f)
	err := w.Put(context.Background(), schema.Article{ID: "moi-1", Title: "Cầu Thái Bình thông xe"}, schema.Article{ID: "moi-2", Title: "Nam Định mở hội"})
	if err == nil {
		err = w.Delete(context.Background(), "moi-1")
	}
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	if err := s.Save(dir); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, RecentFile))
	if err != nil {
		f.Fatal(err)
	}
	base := s.current.Load().base
	f.Add(data[:len(data)-crc32.Size])
	f.Fuzz(func(t *testing.T, body []byte) {
		st, err := readRecent(string(withChecksum(body)), base)
		if err != nil {
			return
		}
		for _, p := range []string{"c", "cau thai", "Nam Đ"} {
			pfx, _ := parsePrefix(p)
			st.suggest(pfx, MaxSuggestions)
		}
	})
}

// TestWritesBeforeTheFirstBuildAreKept applies a write before anything is
// built, as a server does when articles arrive while it builds at start:
// the build may have read the index before the write, which must still be
// suggested.
func TestWritesBeforeTheFirstBuildAreKept(t *testing.T) {
	s := New(demoIndex(t), Options{})
	const title = "Nhà máy nước Thái Bình mở rộng"
	s.Apply(1<<40, []schema.Article{{ID: "moi-1", Title: title}}, nil)
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !suggestsTitle(t, s, "nha may nuoc", title) {
		t.Errorf("a headline written before the first build is not suggested")
	}
}
