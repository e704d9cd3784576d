package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

// asServe makes the test binary run the command line it is given, as the
// vnsearch binary does, when started by a test as a server to kill.
const asServe = "VNSEARCH_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asServe) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// crashToken is the API token of the servers the crash test kills.
const crashToken = "crash-test-token"

// crashMarker is a word in every article the crash test writes, to find
// them all with one search.
const crashMarker = "kiemtrabenvung"

// TestKillNineLosesNothing writes to a real `vnsearch serve` process in
// bulk and one article at a time, kills it with SIGKILL at a random moment,
// restarts it, and checks that every write it acknowledged is there, that
// an acknowledged article was searchable as soon as the answer came, and
// that every article visible is one that was sent, whole. Set
// VNSEARCH_CRASH_CYCLES for more than the 20 cycles of a normal run.
func TestKillNineLosesNothing(t *testing.T) {
	cycles := 20
	if n, err := strconv.Atoi(os.Getenv("VNSEARCH_CRASH_CYCLES")); err == nil && n > 0 {
		cycles = n
	}
	if testing.Short() {
		cycles = 3
	}
	dir := filepath.Join(t.TempDir(), "index")
	ledger := newCrashLedger()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 12))
	started := time.Now()
	for cycle := range cycles {
		srv := startServer(t, dir)
		// What the last server acknowledged before it was killed is all
		// here, and nothing sent is visible half-written.
		ledger.verify(t, srv, cycle, fmt.Sprintf("c%d-", cycle-1))
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Go(func() { ledger.bulkWriter(ctx, srv, fmt.Sprintf("c%d-b%d", cycle, w), rng.Uint64()) })
		}
		wg.Go(func() { ledger.singleWriter(ctx, t, srv, fmt.Sprintf("c%d-s", cycle)) })
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		srv.kill(t)
		stop()
		wg.Wait()
	}
	srv := startServer(t, dir)
	ledger.verify(t, srv, cycles, "")
	srv.kill(t)
	t.Logf("%d kill -9 cycles in %.1fs: %d writes acknowledged (%d in bulk, %d single, %d replacements), %d sent unacknowledged; %d lost, %d not as sent",
		cycles, time.Since(started).Seconds(), ledger.acked, ledger.ackedBulk, ledger.ackedSingle, ledger.ackedReplaced, ledger.unacked,
		ledger.lost, ledger.garbled)
}

// crashServer is one `vnsearch serve` process.
type crashServer struct {
	cmd  *exec.Cmd
	base string // http://host:port/
}

// startServer starts `vnsearch serve` on dir, with more flags when given.
func startServer(t *testing.T, dir string, flags ...string) *crashServer {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--index", dir, "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = append(os.Environ(), asServe+"=1", "VNSEARCH_API_TOKEN="+crashToken)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		base := regexp.MustCompile(`http://\S+/`).FindString(line)
		if base == "" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("serve printed %q; stderr:\n%s", line, stderr.String())
		}
		return &crashServer{cmd: cmd, base: base}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve did not start; stderr:\n%s", stderr.String())
	}
	return nil
}

func (s *crashServer) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
}

// crashLedger remembers every version of every article sent, and the
// last one acknowledged.
type crashLedger struct {
	mu       sync.Mutex
	versions map[string][]schema.Article // by id, in the order sent
	acked    int
	// ackedAt is, by id, the index in versions of the last version
	// acknowledged; absent when none was.
	ackedAt                               map[string]int
	ackedBulk, ackedSingle, ackedReplaced int
	unacked                               int
	lost, garbled                         int // found by verify
	client                                *http.Client
}

func newCrashLedger() *crashLedger {
	return &crashLedger{versions: map[string][]schema.Article{}, ackedAt: map[string]int{},
		client: &http.Client{Timeout: 10 * time.Second}}
}

func crashArticle(id string, version int) schema.Article {
	return schema.Article{
		ID:      id,
		Title:   fmt.Sprintf("Bản tin %s kiểm tra bền vững số %d", id, version),
		Body:    fmt.Sprintf("Nội dung %s của bản tin %s, phiên bản %d, viết để kiểm tra rằng không mất bài nào.", crashMarker, id, version),
		Section: "Kiểm tra",
	}
}

// sent records a version about to be sent and returns its place.
func (l *crashLedger) sent(a schema.Article) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.versions[a.ID] = append(l.versions[a.ID], a)
	l.unacked++
	return len(l.versions[a.ID]) - 1
}

func (l *crashLedger) ack(id string, at int, count *int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if prev, ok := l.ackedAt[id]; !ok || at > prev {
		l.ackedAt[id] = at
	}
	l.acked++
	l.unacked--
	*count++
}

func (l *crashLedger) request(ctx context.Context, method, target, body string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewBufferString(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+crashToken)
	return l.client.Do(req)
}

// bulkWriter sends bulks of new articles until the server dies.
func (l *crashLedger) bulkWriter(ctx context.Context, srv *crashServer, prefix string, seed uint64) {
	for n := 0; ctx.Err() == nil; n++ {
		var body bytes.Buffer
		var places []int
		size := 20 + int(seed%40)
		for i := range size {
			a := crashArticle(fmt.Sprintf("%s-%d-%d", prefix, n, i), 0)
			places = append(places, l.sent(a))
			line, _ := json.Marshal(a)
			body.Write(append(line, '\n'))
		}
		resp, err := l.request(ctx, "POST", srv.base+"api/articles/_bulk", body.String())
		if err != nil {
			return // killed
		}
		var res struct {
			Items []struct {
				ID     string `json:"id"`
				Result string `json:"result"`
			} `json:"items"`
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return // killed while answering
		}
		for i, item := range res.Items {
			if item.Result == "indexed" || item.Result == "replaced" {
				l.ack(item.ID, places[i], &l.ackedBulk)
			}
		}
	}
}

// singleWriter PUTs new articles and new versions of acknowledged ones
// until the server dies, checking that each is readable as soon as it is
// acknowledged.
func (l *crashLedger) singleWriter(ctx context.Context, t *testing.T, srv *crashServer, prefix string) {
	for n := 0; ctx.Err() == nil; n++ {
		id, count := fmt.Sprintf("%s-%d", prefix, n), &l.ackedSingle
		if n%3 == 2 {
			// Replace an article written two steps before.
			id, count = fmt.Sprintf("%s-%d", prefix, n-2), &l.ackedReplaced
		}
		l.mu.Lock()
		version := len(l.versions[id])
		l.mu.Unlock()
		a := crashArticle(id, version)
		at := l.sent(a)
		body, _ := json.Marshal(a)
		resp, err := l.request(ctx, "PUT", srv.base+"api/articles/"+url.PathEscape(id), string(body))
		if err != nil {
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return
		}
		l.ack(id, at, count)
		got, status := l.get(ctx, srv, id)
		if status == 0 {
			return // killed
		}
		if status != http.StatusOK || !sameArticle(got, a) {
			t.Errorf("GET %s right after its PUT was acknowledged = %d %+v; want %+v", id, status, got, a)
		}
	}
}

// get reads one article; status 0 means no answer.
func (l *crashLedger) get(ctx context.Context, srv *crashServer, id string) (schema.Article, int) {
	resp, err := l.request(ctx, "GET", srv.base+"api/articles/"+url.PathEscape(id), "")
	if err != nil {
		return schema.Article{}, 0
	}
	defer resp.Body.Close()
	var a schema.Article
	if resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&a) != nil {
		return a, 0
	}
	return a, resp.StatusCode
}

// sameArticle compares the fields the crash test writes.
func sameArticle(a, b schema.Article) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Body == b.Body && a.Section == b.Section
}

// verify checks the ids sent with prefix (every id for "") against a
// fresh server: an acknowledged one holds its last acknowledged version or
// a later one sent; any visible one holds a version sent whole. Once all
// ids are checked, search must find exactly the visible ones.
func (l *crashLedger) verify(t *testing.T, srv *crashServer, cycle int, prefix string) {
	t.Helper()
	ctx := context.Background()
	l.mu.Lock()
	defer l.mu.Unlock()
	visible := 0
	for id, versions := range l.versions {
		if !strings.HasPrefix(id, prefix) {
			continue
		}
		got, status := l.get(ctx, srv, id)
		acked, wasAcked := l.ackedAt[id]
		switch {
		case status == http.StatusNotFound && !wasAcked:
			continue
		case status == http.StatusNotFound:
			t.Errorf("cycle %d: acknowledged article %s lost", cycle, id)
			l.lost++
			continue
		case status != http.StatusOK:
			t.Fatalf("cycle %d: GET %s = %d", cycle, id, status)
		}
		visible++
		from := 0
		if wasAcked {
			from = acked
		}
		found := false
		for _, v := range versions[from:] {
			found = found || sameArticle(v, got)
		}
		if !found {
			l.garbled++
			t.Errorf("cycle %d: article %s = %+v; want one of the versions sent since the last acknowledged: %+v", cycle, id, got, versions[from:])
		}
	}
	if prefix != "" {
		return
	}
	resp, err := l.request(ctx, "GET", srv.base+"api/search?size=1&q="+crashMarker, "")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	if res.Total != visible {
		t.Errorf("cycle %d: a search finds %d written articles; %d are readable by id", cycle, res.Total, visible)
	}
}
