package querylog

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// clock is a settable time for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func newLog(t *testing.T, path string, max int) *Log {
	t.Helper()
	c := &clock{t: time.Date(2026, 5, 25, 7, 5, 0, 0, time.UTC)}
	l, err := Open(Options{Path: path, MaxQueries: max, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func queries(t *testing.T, l *Log, kind Kind) []string {
	t.Helper()
	list, err := l.Queries(kind, 10)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, q := range list {
		out = append(out, q.Query)
	}
	return out
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"case and spaces", "  Nam  Định ", "nam định"},
		{"nfd to nfc", "Nam \u0110i\u0323nh", "nam định"},
		{"no diacritics kept", "nam dinh", "nam dinh"},
		{"abbreviation", "UBND tỉnh", "ubnd tỉnh"},
		{"blank", " \t", ""},
		{"not utf-8", "nam \xff", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRecordAndList(t *testing.T) {
	l := newLog(t, filepath.Join(t.TempDir(), FileName), 0)
	for _, r := range []struct {
		q     string
		total uint64
	}{
		{"Nam Định", 12}, {"giá xăng", 40}, {"nam định", 12}, {"KKT Vũng Áng", 0},
		{"giá xăng", 40}, {"NAM ĐỊNH", 12}, {"bão số 3 quảng ninh", 0}, {"kkt vũng áng", 0},
	} {
		l.Record(r.q, r.total)
	}
	if got, want := queries(t, l, Top), []string{"nam định", "kkt vũng áng", "giá xăng", "bão số 3 quảng ninh"}; !slices.Equal(got, want) {
		t.Errorf("Top = %q; want %q (most asked, then most recent)", got, want)
	}
	if got, want := queries(t, l, Zero), []string{"kkt vũng áng", "bão số 3 quảng ninh"}; !slices.Equal(got, want) {
		t.Errorf("Zero = %q; want %q", got, want)
	}
	top, _ := l.Queries(Top, 1)
	if len(top) != 1 || top[0].Count != 3 || top[0].LastSeen.IsZero() {
		t.Errorf("Queries(Top, 1) = %+v; want nam định counted 3 times with its time", top)
	}
	if _, err := l.Queries("all", 10); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("Queries(%q) = %v; want ErrUnknownKind", "all", err)
	}
}

func TestFlushAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	l := newLog(t, path, 0)
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("Flush with nothing counted wrote %s (%v)", path, err)
	}
	l.Record("Nam Định", 3)
	l.Record("hoa hậu 2026", 0)
	l.Record("Nam Định", 3)
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	again := newLog(t, path, 0)
	if got, want := queries(t, again, Top), []string{"nam định", "hoa hậu 2026"}; !slices.Equal(got, want) {
		t.Errorf("Top after reopening = %q; want %q", got, want)
	}
	if got, want := queries(t, again, Zero), []string{"hoa hậu 2026"}; !slices.Equal(got, want) {
		t.Errorf("Zero after reopening = %q; want %q", got, want)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestOpenRefusesABrokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(`{"queries": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Path: path}); err == nil {
		t.Errorf("Open of a cut-off file = nil error; want one naming it")
	}
}

func TestEvictsTheLeastAsked(t *testing.T) {
	l := newLog(t, filepath.Join(t.TempDir(), FileName), 10)
	for range 3 {
		l.Record("bóng đá", 5)
	}
	for _, q := range []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10"} {
		l.Record(q, 1)
	}
	l.mu.Lock()
	n := len(l.entries)
	_, kept := l.entries["bóng đá"]
	_, oldest := l.entries["a1"]
	_, newest := l.entries["a10"]
	l.mu.Unlock()
	if n > 10 || !kept || oldest || !newest {
		t.Errorf("after 11 queries with room for 10: %d kept, bóng đá %v, a1 %v, a10 %v; want at most 10, the most asked and the newest kept, the oldest once-asked dropped",
			n, kept, oldest, newest)
	}
}

func TestFlushEvery(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	l := newLog(t, path, 0)
	l.Record("Nam Định", 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		l.FlushEvery(ctx, time.Hour, func(err error) { t.Error(err) })
		close(done)
	}()
	cancel() // the last flush happens on the way out
	<-done
	if got := queries(t, newLog(t, path, 0), Top); !slices.Equal(got, []string{"nam định"}) {
		t.Errorf("after FlushEvery stopped, the file holds %q; want nam định", got)
	}
}

// TestConcurrentRecord counts from many goroutines while flushing; run
// with -race.
func TestConcurrentRecord(t *testing.T) {
	l := newLog(t, filepath.Join(t.TempDir(), FileName), 50)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				l.Record([]string{"nam định", "hà nội", "giá vàng"}[i%3], uint64(g%2))
				if i%50 == 0 {
					if err := l.Flush(); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	top, _ := l.Queries(Top, 3)
	var sum int64
	for _, q := range top {
		sum += q.Count
	}
	if sum != 800 {
		t.Errorf("counted %d searches; want 800", sum)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Nam Định", " UBND  tỉnh ", "nam \u0110i\u0323nh", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Errorf("Normalize(Normalize(%q)) = %q; want %q", s, Normalize(n), n)
		}
	})
}
