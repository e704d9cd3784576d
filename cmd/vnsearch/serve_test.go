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

func TestServeBuildsDemoIndexAndAnswers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	done := make(chan int, 1)
	dir := filepath.Join(t.TempDir(), "idx")
	go func() {
		done <- run(ctx, []string{"serve", "--index", dir, "--addr", "127.0.0.1:0", "--query-log"}, env{
			stdout: stdoutW, stderr: io.Discard, getenv: func(string) string { return "" },
		})
		stdoutW.Close()
	}()
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v (exit %d)", err, <-done)
	}
	go io.Copy(io.Discard, stdoutR)
	url := regexp.MustCompile(`http://\S+/`).FindString(line)
	if url == "" {
		t.Fatalf("serve printed %q; want the URL to open", line)
	}

	resp, err := http.Get(url + "api/search?q=iso+9001+nam+dinh")
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

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exit code after shutdown = %d; want %d", code, exitOK)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
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
