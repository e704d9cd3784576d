package indexer

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vnsearch/vnsearch/schema"
)

// Fixture directories, relative to the package.
const (
	readersDir   = "../testdata/readers"
	malformedDir = "../testdata/malformed"
)

// walkResult is what a ReadPaths or ReadFS visitor was told, by file.
type walkResult struct {
	ids []string // "file: id" of each article
	bad []*RecordError
}

func (w *walkResult) visitor() Visitor {
	return Visitor{
		Article: func(a schema.Article) error { w.ids = append(w.ids, a.ID); return nil },
		Bad:     func(e *RecordError) { w.bad = append(w.bad, e) },
	}
}

func TestRecordError(t *testing.T) {
	tests := []struct {
		err  *RecordError
		want string
	}{
		{&RecordError{File: "tin/2012.jsonl", Line: 7, Err: ErrMissingID}, "tin/2012.jsonl:7: missing id"},
		{&RecordError{File: "bai-viet.txt", Err: ErrBinary}, "bai-viet.txt: binary file"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q; want %q", got, tt.want)
		}
		if !errors.Is(tt.err, tt.err.Err) {
			t.Errorf("%v does not unwrap to %v", tt.err, tt.err.Err)
		}
	}
}

func TestFormatOf(t *testing.T) {
	tests := []struct {
		name string
		f    format
		gz   bool
	}{
		{"tin.jsonl", formatJSONL, false},
		{"tin.ndjson", formatJSONL, false},
		{"tin.jsonl.gz", formatJSONL, true},
		{"TIN.NDJSON.GZ", formatJSONL, true},
		{"bai.txt", formatText, false},
		{"trang.html", formatHTML, false},
		{"trang.HTM", formatHTML, false},
		{"tin.json", formatUnknown, false},
		{"tin.gz", formatUnknown, true},
		{"ghi-chu.md", formatUnknown, false},
		{"jsonl", formatUnknown, false},
	}
	for _, tt := range tests {
		if f, gz := formatOf(tt.name); f != tt.f || gz != tt.gz {
			t.Errorf("formatOf(%q) = %v, %v; want %v, %v", tt.name, f, gz, tt.f, tt.gz)
		}
	}
}

func TestBaseID(t *testing.T) {
	for in, want := range map[string]string{
		"000_b6a23e5ce0cde5a8.txt":      "000_b6a23e5ce0cde5a8",
		"tin/2012/nam-dinh.html":        "nam-dinh",
		"tin/thu-truong.txt.gz":         "thu-truong",
		filepath.Join("a", "b.c.d.htm"): "b.c.d",
	} {
		if got := baseID(in); got != want {
			t.Errorf("baseID(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestReadFileUnknownFormat(t *testing.T) {
	err := ReadFile("ghi-chu.md", strings.NewReader("# Ghi chú"), Visitor{})
	var re *RecordError
	if !errors.Is(err, ErrUnknownFormat) || !errors.As(err, &re) || re.File != "ghi-chu.md" {
		t.Errorf("ReadFile(ghi-chu.md) = %v; want a RecordError wrapping ErrUnknownFormat", err)
	}
}

// TestReadPathsReaders reads every reader fixture by walking their
// directory, each format at least once.
func TestReadPathsReaders(t *testing.T) {
	var w walkResult
	if err := ReadPaths([]string{readersDir}, w.visitor()); err != nil {
		t.Fatal(err)
	}
	if len(w.bad) != 0 {
		t.Errorf("bad records in the reader fixtures: %v", w.bad)
	}
	want := []string{
		// Lexical order of the file names, then of the lines.
		"sh-2023-0412", "20230607", "sh-2023-0415", "sh-2023-0416", // bao-chi.jsonl
		"buyt-dien",        // buyt-dien.txt
		"hoi-cho-nong-san", // hoi-cho-nong-san.txt
		"https://baosonghong.vn/van-hoa/ron-rang-le-hoi-hoa-sen-1234.html", // le-hoi-hoa-sen.html
		"nha-van-hoa-1258",             // nha-van-hoa-1258.html
		"sh-2023-0501", "sh-2023-0502", // them.ndjson.gz
		"thu-vien-utf16", "tinh-nguyen-he", // .txt
	}
	if !slices.Equal(w.ids, want) {
		t.Errorf("ReadPaths read\n%q\nwant\n%q", w.ids, want)
	}
}

// TestReadPathsMalformed walks the broken fixtures: each is reported as
// expected, the good records among them are read, and hidden files and
// unknown formats are skipped.
func TestReadPathsMalformed(t *testing.T) {
	var w walkResult
	if err := ReadPaths([]string{malformedDir}, w.visitor()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"tot-1", "5", "tot-10", "tot-15"}; !slices.Equal(w.ids[:min(4, len(w.ids))], want) {
		t.Errorf("read %q first; want broken.jsonl's good records %q", w.ids, want)
	}
	truncated := 0
	for _, id := range w.ids[min(4, len(w.ids)):] {
		if !strings.HasPrefix(id, "gz-") {
			t.Errorf("read %q; want only records of broken.jsonl and truncated.jsonl.gz", id)
		}
		truncated++
	}
	if truncated == 0 {
		t.Errorf("read nothing of truncated.jsonl.gz before the cut")
	}
	type report struct {
		file string
		line int
		err  error
	}
	want := []report{
		{"binary.txt", 0, ErrBinary},
		{"broken.jsonl", 2, ErrInvalidJSON},
		{"broken.jsonl", 4, ErrMissingID},
		{"broken.jsonl", 6, ErrEmptyText},
		{"broken.jsonl", 7, ErrInvalidUTF8},
		{"broken.jsonl", 8, schema.ErrBadDate},
		{"broken.jsonl", 9, ErrNotObject},
		{"broken.jsonl", 11, ErrBadField},
		{"broken.jsonl", 12, ErrBadField},
		{"broken.jsonl", 14, ErrNotObject},
		{"empty.html", 0, ErrEmptyText},
		{"empty.txt", 0, ErrEmptyText},
		{"truncated.jsonl.gz", truncated + 1, nil},
		{"windows-1258.txt", 0, ErrInvalidUTF8},
	}
	if len(w.bad) != len(want) {
		t.Errorf("got %d reports; want %d:\n%v", len(w.bad), len(want), w.bad)
	}
	for i := range min(len(w.bad), len(want)) {
		got, want := w.bad[i], want[i]
		if got.File != filepath.Join(malformedDir, want.file) || got.Line != want.line ||
			(want.err != nil && !errors.Is(got, want.err)) {
			t.Errorf("report %d = %v; want %s:%d: %v", i, got, want.file, want.line, want.err)
		}
	}
}

func TestReadPathsExplicit(t *testing.T) {
	var w walkResult
	paths := []string{
		filepath.Join(malformedDir, "README.md"),
		filepath.Join(malformedDir, ".hidden.jsonl"),
		filepath.Join(malformedDir, "khong-co.jsonl"),
		filepath.Join(readersDir, "buyt-dien.txt"),
	}
	if err := ReadPaths(paths, w.visitor()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"an-1", "buyt-dien"}; !slices.Equal(w.ids, want) {
		t.Errorf("read %q; want the named hidden file and text file %q", w.ids, want)
	}
	if len(w.bad) != 2 || !errors.Is(w.bad[0], ErrUnknownFormat) || w.bad[0].File != paths[0] ||
		!errors.Is(w.bad[1], fs.ErrNotExist) || w.bad[1].File != paths[2] {
		t.Errorf("reports %v; want README.md of unknown format and khong-co.jsonl missing", w.bad)
	}
	if len(w.bad) > 1 {
		if want := paths[2] + ": no such file or directory"; w.bad[1].Error() != want {
			t.Errorf("report %q; want %q", w.bad[1].Error(), want)
		}
	}
}

// lockedFS is a MapFS whose file "locked" cannot be opened.
type lockedFS struct{ fstest.MapFS }

func (l lockedFS) Open(name string) (fs.File, error) {
	if path.Base(name) == "locked.jsonl" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return l.MapFS.Open(name)
}

func TestReadUnreadable(t *testing.T) {
	fsys := lockedFS{fstest.MapFS{
		"tin/a.jsonl":      {Data: []byte(`{"id":"a","title":"Đọc được"}`)},
		"tin/locked.jsonl": {Data: []byte(`{"id":"k","title":"Khóa"}`)},
		"tin/z.jsonl":      {Data: []byte(`{"id":"z","title":"Đọc được"}`)},
	}}
	var w walkResult
	if err := ReadFS(fsys, "tin", w.visitor()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.ids, []string{"a", "z"}) {
		t.Errorf("read %q; want the readable files", w.ids)
	}
	if len(w.bad) != 1 || !errors.Is(w.bad[0], fs.ErrPermission) || w.bad[0].Error() != "tin/locked.jsonl: permission denied" {
		t.Errorf("reports %v; want tin/locked.jsonl: permission denied", w.bad)
	}
}

func TestReadPathsSymlinks(t *testing.T) {
	abs, err := filepath.Abs(readersDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	links := map[string]string{
		"kho":           abs,                                  // the root named is a link to a directory
		"tin/buyt.txt":  filepath.Join(abs, "buyt-dien.txt"),  // a link to a file is read
		"tin/vong":      filepath.Join(dir, "tin"),            // a link to a directory is not followed
		"tin/gay.jsonl": filepath.Join(dir, "khong-co.jsonl"), // a dangling link is reported
	}
	if err := os.Mkdir(filepath.Join(dir, "tin"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	var w walkResult
	if err := ReadPaths([]string{filepath.Join(dir, "kho"), filepath.Join(dir, "tin")}, w.visitor()); err != nil {
		t.Fatal(err)
	}
	if len(w.ids) != 13 || w.ids[12] != "buyt" {
		t.Errorf("read %q; want the 12 reader fixtures through the link, then buyt", w.ids)
	}
	if len(w.bad) != 1 || w.bad[0].File != filepath.Join(dir, "tin/gay.jsonl") || !errors.Is(w.bad[0], fs.ErrNotExist) {
		t.Errorf("reports %v; want the dangling link", w.bad)
	}
}

func TestReadPathsStops(t *testing.T) {
	errFull := errors.New("index full")
	n := 0
	err := ReadPaths([]string{readersDir, malformedDir}, Visitor{Article: func(schema.Article) error {
		if n++; n == 6 {
			return errFull
		}
		return nil
	}})
	if err != errFull || n != 6 {
		t.Errorf("ReadPaths = %v after %d articles; want the visitor's error after 6", err, n)
	}
}

func TestReadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"demo/b.jsonl":          {Data: []byte("{\"id\":\"b1\",\"title\":\"Đà Nẵng\"}\n{\"id\":\"b2\"}\n")},
		"demo/a/bai.txt":        {Data: []byte("Hội An đón khách\n\n25/05/2012\n\nPhố cổ đông vui.\n")},
		"demo/a/.nhap.txt":      {Data: []byte("Bản nháp")},
		"demo/ghi-chu.md":       {Data: []byte("# Ghi chú")},
		"demo/.git/config.txt":  {Data: []byte("không đọc")},
		"demo/trang/tin.html":   {Data: []byte("<title>Huế mưa lớn</title><p>Nước dâng cao.</p>")},
		"demo/trang/hinh.jpg":   {Data: []byte{0xff, 0xd8}},
		"khac/khong-doc.jsonl":  {Data: []byte(`{"id":"k","title":"Ngoài gốc"}`)},
		"demo/trang/hong.jsonl": {Data: []byte("{\n")},
	}
	var w walkResult
	if err := ReadFS(fsys, "demo", w.visitor()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"bai", "b1", "tin"}; !slices.Equal(w.ids, want) {
		t.Errorf("ReadFS read %q; want %q", w.ids, want)
	}
	if len(w.bad) != 2 || w.bad[0].File != "demo/b.jsonl" || w.bad[0].Line != 2 ||
		w.bad[1].File != "demo/trang/hong.jsonl" || w.bad[1].Line != 1 {
		t.Errorf("ReadFS reports %v; want demo/b.jsonl:2 and demo/trang/hong.jsonl:1", w.bad)
	}

	w = walkResult{}
	if err := ReadFS(fsys, "khac/khong-doc.jsonl", w.visitor()); err != nil || !slices.Equal(w.ids, []string{"k"}) {
		t.Errorf("ReadFS of one file read %q, %v", w.ids, err)
	}
	w = walkResult{}
	if err := ReadFS(fsys, "khong-co", w.visitor()); err != nil || len(w.bad) != 1 || !errors.Is(w.bad[0], fs.ErrNotExist) {
		t.Errorf("ReadFS of a missing root reported %v, %v; want not exist", w.bad, err)
	}
}
