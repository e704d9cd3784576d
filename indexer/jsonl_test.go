package indexer

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

// collect reads name from r and returns what the visitor was told.
func collect(t testing.TB, name string, r io.Reader) ([]schema.Article, []*RecordError, error) {
	t.Helper()
	var arts []schema.Article
	var bad []*RecordError
	err := ReadFile(name, r, Visitor{
		Article: func(a schema.Article) error { arts = append(arts, a); return nil },
		Bad:     func(e *RecordError) { bad = append(bad, e) },
	})
	return arts, bad, err
}

func TestParseJSONRecord(t *testing.T) {
	vn := func(y int, mo time.Month, d, h, mi int) time.Time {
		return time.Date(y, mo, d, h, mi, 0, 0, schema.VietnamTime)
	}
	tests := []struct {
		name string
		line string
		want schema.Article
	}{
		{"all fields",
			`{"id":"nd-1","title":"Thứ trưởng làm việc tại tỉnh","lead":"Sáng nay","body":"Đoàn công tác…","section":"Thời sự","source":"baonamdinh.vn","author":"Nguyễn Hương","url":"https://baonamdinh.vn/a.html","date":"07:05, 25/05/2012","tags":["khoa học","đo lường"]}`,
			schema.Article{ID: "nd-1", Title: "Thứ trưởng làm việc tại tỉnh", Lead: "Sáng nay", Body: "Đoàn công tác…",
				Section: "Thời sự", Source: "baonamdinh.vn", Author: "Nguyễn Hương", URL: "https://baonamdinh.vn/a.html",
				Published: vn(2012, 5, 25, 7, 5), Tags: []string{"khoa học", "đo lường"}}},
		{"number id and alternative names",
			`{"id":1024,"title":"Giá lúa tăng","sapo":"Thương lái thu mua","category":"Kinh doanh","published":"2012-05-25"}`,
			schema.Article{ID: "1024", Title: "Giá lúa tăng", Lead: "Thương lái thu mua", Section: "Kinh doanh", Published: vn(2012, 5, 25, 0, 0)}},
		{"tags as one string",
			`{"id":"t","title":"Bóng đá","tags":"thể thao, V-League,,"}`,
			schema.Article{ID: "t", Title: "Bóng đá", Tags: []string{"thể thao", " V-League", "", ""}}},
		{"unknown fields and nulls ignored",
			`{"id":"u","title":"Mưa lớn","body":null,"category_code":"XH","views":12,"extra":{"a":[1,2]}}`,
			schema.Article{ID: "u", Title: "Mưa lớn"}},
		{"escaped text",
			`{"id":"e","title":"\"Hòa bình\" \u0111ến","body":"dòng một\ndòng hai"}`,
			schema.Article{ID: "e", Title: `"Hòa bình" đến`, Body: "dòng một\ndòng hai"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseJSONRecord([]byte(tt.line))
			if err != nil {
				t.Fatalf("parseJSONRecord(%q): %v", tt.line, err)
			}
			if !got.Published.Equal(tt.want.Published) {
				t.Errorf("parseJSONRecord(%q).Published = %v; want %v", tt.line, got.Published, tt.want.Published)
			}
			got.Published, tt.want.Published = time.Time{}, time.Time{}
			if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", tt.want) {
				t.Errorf("parseJSONRecord(%q) =\n%#v\nwant\n%#v", tt.line, got, tt.want)
			}
		})
	}
}

func TestParseJSONRecordRefuses(t *testing.T) {
	tests := []struct {
		name string
		line string
		want error
	}{
		{"truncated", `{"id":"x","title":"Thiếu ngoặc"`, ErrInvalidJSON},
		{"garbage", `tiêu đề`, ErrInvalidJSON},
		{"array", `["x","y"]`, ErrNotObject},
		{"string", `"Nam Định"`, ErrNotObject},
		{"invalid utf-8", "{\"id\":\"x\",\"title\":\"Nam \xd0\xfdnh\"}", ErrInvalidUTF8},
		{"title a number", `{"id":"x","title":7}`, ErrBadField},
		{"id an array", `{"id":["x"],"title":"Nam Định"}`, ErrBadField},
		{"id true", `{"id":true,"title":"Nam Định"}`, ErrBadField},
		{"tags numbers", `{"id":"x","title":"Nam Định","tags":[1,2]}`, ErrBadField},
		{"bad date", `{"id":"x","title":"Nam Định","date":"25/13/2012"}`, schema.ErrBadDate},
		{"date a number", `{"id":"x","title":"Nam Định","date":1337929500}`, ErrBadField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseJSONRecord([]byte(tt.line)); !errors.Is(err, tt.want) {
				t.Errorf("parseJSONRecord(%q) error = %v; want %v", tt.line, err, tt.want)
			}
		})
	}
}

func TestReadJSONLBroken(t *testing.T) {
	f, err := os.Open(filepath.Join(malformedDir, "broken.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	arts, bad, err := collect(t, "broken.jsonl", f)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	var ids []string
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	if want := []string{"tot-1", "5", "tot-10", "tot-15"}; !slices.Equal(ids, want) {
		t.Errorf("read ids %q; want %q", ids, want)
	}
	if arts[2].Lead != "Sapo được nhận." || arts[3].Tags[0] != "giáo dục" {
		t.Errorf("CRLF and last lines read as %+v, %+v", arts[2], arts[3])
	}
	want := []struct {
		line int
		err  error
	}{
		{2, ErrInvalidJSON}, {4, ErrMissingID}, {6, ErrEmptyText}, {7, ErrInvalidUTF8},
		{8, schema.ErrBadDate}, {9, ErrNotObject}, {11, ErrBadField}, {12, ErrBadField}, {14, ErrNotObject},
	}
	if len(bad) != len(want) {
		t.Errorf("got %d bad records %v; want %d", len(bad), bad, len(want))
	}
	for i := range min(len(bad), len(want)) {
		if bad[i].File != "broken.jsonl" || bad[i].Line != want[i].line || !errors.Is(bad[i], want[i].err) {
			t.Errorf("bad record %d = %v; want line %d: %v", i, bad[i], want[i].line, want[i].err)
		}
	}
}

func TestReadJSONLEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\uFEFF\n", "  \r\n\t\n"} {
		arts, bad, err := collect(t, "empty.jsonl", strings.NewReader(in))
		if len(arts) != 0 || len(bad) != 0 || err != nil {
			t.Errorf("ReadFile(%q) = %v, %v, %v; want nothing", in, arts, bad, err)
		}
	}
}

func TestReadJSONLBOM(t *testing.T) {
	arts, bad, err := collect(t, "bom.jsonl", strings.NewReader("\uFEFF{\"id\":\"b\",\"title\":\"Nam Định\"}\n"))
	if len(arts) != 1 || len(bad) != 0 || err != nil {
		t.Errorf("ReadFile with BOM = %v, %v, %v; want one article", arts, bad, err)
	}
}

func TestReadJSONLLongLines(t *testing.T) {
	long := `{"id":"dai","title":"Bài rất dài","body":"` + strings.Repeat("Nam Định ", 200<<10) + `"}`
	huge := `{"id":"qua-dai","body":"` + strings.Repeat("x", lineMaxBytes) + `"}`
	in := strings.Join([]string{long, huge, `{"id":"sau","title":"Sau dòng quá dài"}`, huge}, "\n")
	arts, bad, err := collect(t, "long.jsonl", strings.NewReader(in))
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	if len(arts) != 2 || arts[0].ID != "dai" || len(arts[0].Body) < 2<<20 || arts[1].ID != "sau" {
		t.Errorf("read %d articles; want the 2 MB one and the one after the 16 MB one", len(arts))
	}
	if len(bad) != 2 || bad[0].Line != 2 || bad[1].Line != 4 || !errors.Is(bad[0], ErrLineTooLong) {
		t.Errorf("bad = %v; want lines 2 and 4 too long", bad)
	}
}

func gzipped(t testing.TB, s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadJSONLGzip(t *testing.T) {
	in := "{\"id\":\"g1\",\"title\":\"Nén gzip\"}\n{\"id\":\"g2\",\"title\":\"Dòng hai\"}\n"
	for _, name := range []string{"a.jsonl.gz", "a.ndjson.gz", "A.JSONL.GZ"} {
		arts, bad, err := collect(t, name, bytes.NewReader(gzipped(t, in)))
		if len(arts) != 2 || len(bad) != 0 || err != nil {
			t.Errorf("ReadFile(%q) = %d articles, %v, %v; want 2", name, len(arts), bad, err)
		}
	}
	_, _, err := collect(t, "plain.jsonl.gz", strings.NewReader(in))
	var re *RecordError
	if !errors.As(err, &re) || re.File != "plain.jsonl.gz" || re.Line != 0 || !errors.Is(err, gzip.ErrHeader) {
		t.Errorf("ReadFile of a .gz that is not gzip = %v; want a whole-file RecordError wrapping gzip.ErrHeader", err)
	}
}

func TestReadJSONLTruncatedGzip(t *testing.T) {
	f, err := os.Open(filepath.Join(malformedDir, "truncated.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	arts, bad, err := collect(t, "truncated.jsonl.gz", f)
	var re *RecordError
	if !errors.As(err, &re) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("ReadFile = %v; want a RecordError wrapping io.ErrUnexpectedEOF", err)
	}
	if len(arts) == 0 || len(arts) >= 200 || len(bad) != 0 || re.Line != len(arts)+1 {
		t.Errorf("read %d of 200 articles, %v, stopped at line %d; want those before the cut, then its line", len(arts), bad, re.Line)
	}
	for i, a := range arts {
		if want := fmt.Sprintf("gz-%d", i+1); a.ID != want {
			t.Fatalf("article %d has id %q; want %q", i, a.ID, want)
		}
	}
}

// TestReadJSONLOrder checks that parallel parsing keeps the input order
// across many chunks, for articles and bad records alike.
func TestReadJSONLOrder(t *testing.T) {
	var b strings.Builder
	const n = 5000
	body := strings.Repeat("Hội nghị tổng kết công tác năm. ", 30)
	for i := 1; i <= n; i++ {
		if i%97 == 0 {
			fmt.Fprintf(&b, "{\"id\":\"r%d\"}\n", i) // no text
			continue
		}
		fmt.Fprintf(&b, "{\"id\":\"r%d\",\"title\":\"Bài %d\",\"body\":%q}\n", i, i, body)
	}
	var lines []int
	err := ReadFile("order.jsonl", strings.NewReader(b.String()), Visitor{
		Article: func(a schema.Article) error {
			var i int
			fmt.Sscanf(a.ID, "r%d", &i)
			lines = append(lines, i)
			return nil
		},
		Bad: func(e *RecordError) { lines = append(lines, -e.Line) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != n {
		t.Fatalf("got %d records; want %d", len(lines), n)
	}
	for i, got := range lines {
		want := i + 1
		if want%97 == 0 {
			want = -want
		}
		if got != want {
			t.Fatalf("record %d is line %d; want %d", i, got, want)
		}
	}
}

func TestReadJSONLStops(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "{\"id\":\"s%d\",\"title\":\"Bài %d\"}\n", i, i)
	}
	errFull := errors.New("disk full")
	seen := 0
	err := ReadFile("stop.jsonl", strings.NewReader(b.String()), Visitor{Article: func(schema.Article) error {
		if seen++; seen == 10 {
			return errFull
		}
		return nil
	}})
	if err != errFull || seen != 10 {
		t.Errorf("ReadFile = %v after %d articles; want the visitor's error after 10", err, seen)
	}
}

// TestReadSampleCorpus reads the 200-article sample of the shared corpus.
func TestReadSampleCorpus(t *testing.T) {
	f, err := os.Open("../../shared/corpus/sample.jsonl")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared corpus not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	arts, bad, err := collect(t, "sample.jsonl", f)
	if err != nil || len(bad) != 0 || len(arts) != 200 {
		t.Fatalf("read %d articles, %d bad (%v), %v; want 200, none bad", len(arts), len(bad), bad, err)
	}
	for _, a := range arts {
		if a.Section == "" || a.Source == "" || a.Title == "" {
			t.Errorf("article %s lacks section, source or title: %+v", a.ID, a)
		}
	}
}

func FuzzReadJSONL(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","title":"Nam Định","body":"Thứ trưởng","date":"25/05/2012","tags":"a,b"}`,
		`{"id":1,"title":"x","tags":["a"]}` + "\n" + `{"id":"b"}`,
		`[1,2]`,
		"{\"id\":\"x\",\"title\":\"\xff\"}",
		`{"id":" ","title":"&amp;"}`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		err := ReadFile("fuzz.jsonl", bytes.NewReader(data), Visitor{
			Article: func(a schema.Article) error {
				if _, err := Prepare(a); err != nil {
					t.Errorf("yielded article %+v fails Prepare: %v", a, err)
				}
				return nil
			},
			Bad: func(e *RecordError) {
				if e.Line < 1 || e.Line > lines {
					t.Errorf("bad record on line %d of %d", e.Line, lines)
				}
			},
		})
		if err != nil {
			t.Errorf("ReadFile: %v", err)
		}
	})
}

// benchJSONL returns about 8 MB of JSON Lines made from the reader
// fixtures, so the benchmark runs on a fresh clone.
func benchJSONL(b *testing.B) []byte {
	fixture, err := os.ReadFile(filepath.Join(readersDir, "bao-chi.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(fixture)), "\n")
	var out bytes.Buffer
	for i := 0; out.Len() < 8<<20; i++ {
		// A corpus-sized body (about 2 KB) and, as the last of two ids
		// wins, a fresh id for each record.
		line := strings.Replace(lines[i%len(lines)], `"body": "`, `"body": "`+strings.Repeat("Người dân cần diệt bọ gậy, loăng quăng và ngủ màn. ", 40), 1)
		line = strings.TrimSuffix(line, "}") + fmt.Sprintf(`, "id": "bench-%d"}`, i)
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func BenchmarkReadJSONL(b *testing.B) {
	data := benchJSONL(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, bad, err := collect(b, "bench.jsonl", bytes.NewReader(data)); err != nil || len(bad) > 0 {
			b.Fatal(err, bad)
		}
	}
}

// BenchmarkReadJSONLCorpus reads the shared 60,000-article corpus from its
// gzip file in memory; MB/s are of the uncompressed JSON.
//
//	go test ./indexer/ -run '^$' -bench ReadJSONLCorpus -benchtime 3x
func BenchmarkReadJSONLCorpus(b *testing.B) {
	gz, err := os.ReadFile("../../shared/corpus/news.jsonl.gz")
	if errors.Is(err, os.ErrNotExist) {
		b.Skip("shared corpus not present")
	}
	if err != nil {
		b.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		b.Fatal(err)
	}
	size, err := io.Copy(io.Discard, zr)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		err := ReadFile("news.jsonl.gz", bytes.NewReader(gz), Visitor{
			Article: func(schema.Article) error { n++; return nil },
			Bad:     func(e *RecordError) { b.Error(e) },
		})
		if err != nil || n != 60000 {
			b.Fatalf("read %d articles: %v", n, err)
		}
	}
}
