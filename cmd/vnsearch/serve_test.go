package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/querylog"
	"github.com/vnsearch/vnsearch/search"
)

// servedCmd is `vnsearch serve` running in the test's own process.
type servedCmd struct {
	base   string // http://host:port/
	cancel context.CancelFunc
	done   chan int    // the exit code
	logs   *lockedLogs // what it wrote to stderr
}

// lockedLogs collects a server's log lines, which it writes from several
// goroutines.
type lockedLogs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLogs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLogs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startServe runs serve with args and the environment vars, listening on
// a free local port, and returns once it prints the address it serves.
func startServe(t *testing.T, vars map[string]string, args ...string) *servedCmd {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	stdoutR, stdoutW := io.Pipe()
	s := &servedCmd{cancel: cancel, done: make(chan int, 1), logs: &lockedLogs{}}
	go func() {
		s.done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), env{
			stdout: stdoutW, stderr: s.logs, getenv: func(k string) string { return vars[k] },
		})
		stdoutW.Close()
	}()
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v (exit %d)", err, <-s.done)
	}
	go io.Copy(io.Discard, stdoutR)
	if s.base = regexp.MustCompile(`http://\S+/`).FindString(line); s.base == "" {
		t.Fatalf("serve printed %q; want the URL to open", line)
	}
	return s
}

// stop shuts the server down as Ctrl-C does and checks it exits cleanly.
func (s *servedCmd) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		if code != exitOK {
			t.Errorf("serve exit code after shutdown = %d; want %d", code, exitOK)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func TestServeBuildsDemoIndexAndAnswers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	srv := startServe(t, nil, "--index", dir, "--query-log")

	resp, err := http.Get(srv.base + "api/search?q=iso+9001+nam+dinh")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res search.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/search: %s, %v", resp.Status, err)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != "nd-2012-0001" {
		t.Errorf("demo search hits = %+v; want nd-2012-0001 first", res.Hits)
	}

	srv.stop(t)
	// --query-log wrote its counts beside the index on the way out.
	log, err := querylog.Open(querylog.Options{Path: filepath.Join(dir, querylog.FileName)})
	if err != nil {
		t.Fatal(err)
	}
	if top, _ := log.Queries(querylog.Top, 5); len(top) != 1 || top[0].Query != "iso 9001 nam dinh" {
		t.Errorf("query log after shutdown = %+v; want the one search", top)
	}
}

func TestServeRefusesBadCORSOrigin(t *testing.T) {
	env := map[string]string{"VNSEARCH_CORS_ORIGINS": "https://baonamdinh.example, baonamdinh.example/tin-tuc"}
	var stderr strings.Builder
	code := run(context.Background(), []string{"serve", "--index", filepath.Join(t.TempDir(), "idx"), "--addr", "127.0.0.1:0"}, env2(env, &stderr))
	if code != exitUsage || !strings.Contains(stderr.String(), "baonamdinh.example/tin-tuc") {
		t.Errorf("serve with a bad CORS origin: exit %d, %q; want %d naming the origin", code, stderr.String(), exitUsage)
	}
}

// env2 is an env with the given variables and stderr.
func env2(vars map[string]string, stderr io.Writer) env {
	return env{stdout: io.Discard, stderr: stderr, getenv: func(k string) string { return vars[k] }}
}

// waitReady polls /readyz until the server is ready.
func (s *servedCmd) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.base + "readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 30s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// suggests reports whether the server suggests text for prefix.
func (s *servedCmd) suggests(t *testing.T, prefix, text string) bool {
	t.Helper()
	resp, err := http.Get(s.base + "api/suggest?q=" + url.QueryEscape(prefix))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/suggest?q=%s: %s %s", prefix, resp.Status, body)
	}
	return strings.Contains(string(body), text)
}

// TestServeLoadsSavedSuggestions indexes the demo corpus, which saves the
// suggestions beside the index: serve loads them rather than builds them,
// follows the writes made while it serves, and saves those for the next
// start.
func TestServeLoadsSavedSuggestions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if code, _, stderr := runCmd(t, nil, "index", "--index", dir, "../../testdata/corpus"); code != exitOK {
		t.Fatalf("index exit %d: %s", code, stderr)
	}
	const token = "bi-mat-cua-toa-soan"
	vars := map[string]string{"VNSEARCH_API_TOKEN": token}
	srv := startServe(t, vars, "--index", dir)
	srv.waitReady(t)
	const title = "Nhà máy nước Thái Bình mở rộng công suất"
	req, err := http.NewRequest("PUT", srv.base+"api/articles/nuoc-tb-1",
		strings.NewReader(`{"title": "`+title+`", "body": "Nhà máy cấp nước cho ba huyện."}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("PUT an article: %s", resp.Status)
	}
	if !srv.suggests(t, "nha may nuoc", title) {
		t.Errorf("a headline written while serving is not suggested")
	}
	srv.stop(t)
	for _, logs := range []string{srv.logs.String(), func() string {
		again := startServe(t, vars, "--index", dir)
		defer again.stop(t)
		again.waitReady(t)
		if !again.suggests(t, "nha may nuoc", title) {
			t.Errorf("a headline written before the restart is not suggested after it")
		}
		return again.logs.String()
	}()} {
		if !strings.Contains(logs, `"msg":"suggestions loaded"`) || strings.Contains(logs, `"msg":"suggestions built"`) {
			t.Errorf("serve built the suggestions; want them loaded:\n%s", logs)
		}
	}
}
