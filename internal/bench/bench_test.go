package bench

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/internal/testindex"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/suggest"
)

const testCorpus = "../../testdata/corpus"

// testIndex indexes the bundled demo corpus into a fresh directory.
func testIndex(t *testing.T) bleve.Index {
	t.Helper()
	return testindex.FromPaths(t, 40, testCorpus)
}

// checkLevel checks what every measured level must say.
func checkLevel(t *testing.T, lv Level, concurrency, count, failed int) {
	t.Helper()
	if lv.Concurrency != concurrency || lv.Count != count || lv.Failed != failed || lv.Stopped != "" {
		t.Errorf("level = %+v; want concurrency %d, count %d, failed %d, not stopped", lv, concurrency, count, failed)
	}
	if !(0 < lv.P50MS && lv.P50MS <= lv.P90MS && lv.P90MS <= lv.P99MS && lv.P99MS <= lv.MaxMS) {
		t.Errorf("level %d: percentiles p50 %v, p90 %v, p99 %v, max %v; want positive and ordered",
			concurrency, lv.P50MS, lv.P90MS, lv.P99MS, lv.MaxMS)
	}
	if lv.QPS <= 0 || lv.Seconds <= 0 || lv.AllocsPerQuery <= 0 || lv.BytesPerQuery <= 0 {
		t.Errorf("level %d: qps %v, seconds %v, allocs %v, bytes %v; want all positive",
			concurrency, lv.QPS, lv.Seconds, lv.AllocsPerQuery, lv.BytesPerQuery)
	}
	if runtime.GOOS == "linux" && lv.CPUMSPerQuery <= 0 {
		t.Errorf("level %d: CPU per query %v; want the process's CPU time, positive", concurrency, lv.CPUMSPerQuery)
	}
}

func TestSearchOverDerivedQueries(t *testing.T) {
	s := search.New(testIndex(t), search.Options{})
	queries, err := CorpusQueries(testCorpus, 30, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(queries) < 20 {
		t.Fatalf("derived %d queries from %s; want at least 20", len(queries), testCorpus)
	}
	rep, err := Search(context.Background(), s, queries, Options{Queries: 60, Concurrency: []int{1, 3}, Warmup: 10})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != ModeSearch || rep.Listed != len(queries) || rep.Size != search.DefaultSize || rep.Warmup != 10 {
		t.Errorf("report = %+v; want mode search, %d queries, size %d, warmup 10", rep, len(queries), search.DefaultSize)
	}
	if len(rep.Levels) != 2 {
		t.Fatalf("report has %d levels; want 2", len(rep.Levels))
	}
	checkLevel(t, rep.Levels[0], 1, 60, 0)
	checkLevel(t, rep.Levels[1], 3, 60, 0)
}

func TestSearchCountsInvalidQueries(t *testing.T) {
	s := search.New(testIndex(t), search.Options{})
	// "—" has no word to search for: every other call is refused.
	rep, err := Search(context.Background(), s, []string{"Nam Định", "—"}, Options{Queries: 10, Warmup: -1})
	if err != nil {
		t.Fatal(err)
	}
	checkLevel(t, rep.Levels[0], 1, 10, 5)
}

func TestSearchStops(t *testing.T) {
	s := search.New(testIndex(t), search.Options{})
	queries := []string{"iso 9001 nam dinh", "khoa học"}

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rep, err := Search(ctx, s, queries, Options{Warmup: -1, Concurrency: []int{2, 4}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Search with a cancelled context: %v; want context.Canceled", err)
		}
		if len(rep.Levels) != 1 || rep.Levels[0].Stopped != "cancelled" || rep.Levels[0].Count != 0 {
			t.Errorf("levels = %+v; want one level stopped as cancelled with no call", rep.Levels)
		}
	})
	t.Run("time limit", func(t *testing.T) {
		// A thousand searches cannot fit in a nanosecond: the level stops
		// early and says so.
		rep, err := Search(context.Background(), s, queries, Options{Queries: 1000, Warmup: -1, MaxDuration: time.Nanosecond})
		if err != nil {
			t.Fatal(err)
		}
		if lv := rep.Levels[0]; lv.Stopped != "time limit" || lv.Count >= 1000 {
			t.Errorf("level = %+v; want stopped by the time limit before 1000 calls", lv)
		}
	})
}

func TestSuggest(t *testing.T) {
	idx := testIndex(t)
	sg := suggest.New(idx, suggest.Options{})
	prefixes := Prefixes([]string{"Nam Định đẩy mạnh áp dụng ISO", "khai trường năm học mới", "giá vàng"})
	if _, err := Suggest(context.Background(), sg, prefixes, Options{}); !errors.Is(err, suggest.ErrNotReady) {
		t.Errorf("Suggest before Build: %v; want ErrNotReady", err)
	}
	if _, err := sg.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep, err := Suggest(context.Background(), sg, prefixes, Options{Queries: 30, Concurrency: []int{2}, Warmup: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != ModeSuggest || rep.Size != suggest.DefaultSuggestions || len(rep.Levels) != 1 {
		t.Fatalf("report = %+v; want mode suggest, size %d, one level", rep, suggest.DefaultSuggestions)
	}
	checkLevel(t, rep.Levels[0], 2, 30, 0)
}

func TestSizeBounds(t *testing.T) {
	idx := testIndex(t)
	queries := []string{"nam dinh"}
	if _, err := Search(context.Background(), search.New(idx, search.Options{}), queries, Options{Size: search.MaxSize + 1}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("Search with %d hits a page: %v; want ErrInvalidOptions", search.MaxSize+1, err)
	}
	sg := suggest.New(idx, suggest.Options{})
	if _, err := Suggest(context.Background(), sg, queries, Options{Size: suggest.MaxSuggestions + 1}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("Suggest with %d suggestions: %v; want ErrInvalidOptions", suggest.MaxSuggestions+1, err)
	}
}

func TestOptionsValidate(t *testing.T) {
	rows := []struct {
		name string
		opts Options
		want string // in the error; empty for none
	}{
		{"defaults", Options{}, ""},
		{"too many queries", Options{Queries: MaxQueries + 1}, "queries must be"},
		{"no concurrency", Options{Concurrency: []int{1, 0}}, "concurrency must be"},
		{"too much concurrency", Options{Concurrency: []int{MaxConcurrency + 1}}, "concurrency must be"},
		{"long warm-up", Options{Warmup: MaxWarmup + 1}, "warmup"},
		{"negative size", Options{Size: -1}, "size"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			row.opts.SetDefaults()
			err := row.opts.Validate()
			if row.want == "" && err != nil || row.want != "" && (!errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), row.want)) {
				t.Errorf("Validate(%+v) = %v; want %q", row.opts, err, row.want)
			}
		})
	}
}

func TestReadQueries(t *testing.T) {
	rows := []struct {
		name string
		text string
		want []string
		line int   // of the *LineError expected; 0 for none
		err  error // expected in the chain
	}{
		{"blanks and comments", "# queries of the front page\n\nNam Định\n   \n  khoa học  \n#iso\nISO 9001:2000\n",
			[]string{"Nam Định", "khoa học", "ISO 9001:2000"}, 0, nil},
		{"CRLF and a byte-order mark", "\uFEFFnam dinh\r\nHà Nội\r\n", []string{"nam dinh", "Hà Nội"}, 0, nil},
		{"NFD kept as typed", "Nam \u0110i\u0323nh\n", []string{"Nam \u0110i\u0323nh"}, 0, nil},
		{"no final newline", "giá vàng", []string{"giá vàng"}, 0, nil},
		{"invalid UTF-8", "Nam Định\n# note\nNam \xc4\x90\xe1nh\nkhoa học\n", nil, 3, ErrNotUTF8},
		{"Latin-1 file", "Nam \xd0inh\n", nil, 1, ErrNotUTF8},
		{"line too long for a query", "Nam Định\n" + strings.Repeat("khoa học ", 60) + "\n", nil, 2, ErrLongQuery},
		{"line longer than the buffer", strings.Repeat("a", 3*maxLineBytes) + "\n", nil, 1, ErrLongQuery},
		{"only comments", "# nothing yet\n\n", nil, 0, ErrNoQueries},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "queries.txt")
			if err := os.WriteFile(path, []byte(row.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadQueries(path)
			if row.err == nil {
				if err != nil || !slices.Equal(got, row.want) {
					t.Errorf("ReadQueries(%q) = %q, %v; want %q", row.text, got, err, row.want)
				}
				return
			}
			if !errors.Is(err, row.err) {
				t.Fatalf("ReadQueries(%q) = %q, %v; want %v", row.text, got, err, row.err)
			}
			if !strings.HasPrefix(err.Error(), path) {
				t.Errorf("error %q does not name the file %s", err, path)
			}
			var le *LineError
			if row.line > 0 && (!errors.As(err, &le) || le.Line != row.line || le.File != path) {
				t.Errorf("ReadQueries(%q) = %v; want a *LineError for %s line %d", row.text, err, path, row.line)
			}
		})
	}
}

func TestReadQueriesMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.txt")
	if _, err := ReadQueries(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadQueries of a missing file: %v; want os.ErrNotExist", err)
	}
}

func TestPrefixes(t *testing.T) {
	// The i-th query gives its first 1 + i%3 words, the last cut after
	// 1 + (i/3)%(len-1) letters.
	queries := []string{
		"Nam Định đẩy mạnh",        // 1 word, "Nam" cut after 1
		"“Giá vàng” tăng",          // 2 words, quotes dropped, "vàng" cut after 1
		"ISO 9001:2000 ở Nam Định", // 3 words, "ở" whole: one letter
		"—",                        // no word: left out
		"hoa\u0300 bi\u0300nh",     // 2 words, NFD "bình" cut after 2 letters with the mark
		"Đà Nẵng",                  // 2 words, "Nẵng" cut after 2
	}
	want := []string{"N", "Giá v", "ISO 9001:2000 ở", "hoa\u0300 bi\u0300", "Đà Nẵ"}
	if got := Prefixes(queries); !slices.Equal(got, want) {
		t.Errorf("Prefixes(%q) = %q; want %q", queries, got, want)
	}
}

func TestCorpusQueriesMissing(t *testing.T) {
	if _, err := CorpusQueries(filepath.Join(t.TempDir(), "none.jsonl"), 10, 1); err == nil {
		t.Error("CorpusQueries of a missing corpus: no error")
	}
}
