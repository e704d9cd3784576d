package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/querylog"
	"github.com/vnsearch/vnsearch/search"
)

// servedCmd is `vnsearch serve` running in the test's own process.
type servedCmd struct {
	base   string // http://host:port/
	cancel context.CancelFunc
	done   chan int // the exit code
}

// startServe runs serve with args and the environment vars, listening on
// a free local port, and returns once it prints the address it serves.
func startServe(t *testing.T, vars map[string]string, args ...string) *servedCmd {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	stdoutR, stdoutW := io.Pipe()
	s := &servedCmd{cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), env{
			stdout: stdoutW, stderr: io.Discard, getenv: func(k string) string { return vars[k] },
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
