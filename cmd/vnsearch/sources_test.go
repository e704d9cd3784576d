package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServePollsTheConfiguredSources(t *testing.T) {
	var site *httptest.Server
	site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss":
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Báo Nam Định</title><item><link>%s/a.html</link></item></channel></rss>`, site.URL)
		case "/a.html":
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>Lễ hội hoa đào Đông Triều</title></head><body><article><h1>Lễ hội hoa đào Đông Triều</h1>
<p>Lễ hội thu hút hàng nghìn du khách thập phương.</p><p>Nhiều giống đào quý được trưng bày.</p></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	config := filepath.Join(t.TempDir(), "sources.conf")
	if err := os.WriteFile(config, []byte("# nguồn tin\nfeed "+site.URL+"/rss\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	srv := startServe(t, map[string]string{"VNSEARCH_API_TOKEN": "token-for-tests"},
		"--index", filepath.Join(t.TempDir(), "idx"), "--config", config)
	base := srv.base

	var status struct {
		Sources []struct {
			URL   string `json:"url"`
			Added int    `json:"added"`
		} `json:"sources"`
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		req, _ := http.NewRequest("GET", base+"api/admin/sources", nil)
		req.Header.Set("Authorization", "Bearer token-for-tests")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&status)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(status.Sources) == 1 && status.Sources[0].Added == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the feed's article was not added: %+v", status)
		}
	}
	resp, err := http.Get(base + "api/search?q=hoa+dao+dong+trieu")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Lễ hội hoa đào Đông Triều") {
		t.Errorf("search for the polled article: %s", body)
	}

	srv.stop(t)
}

func TestServeRefusesBadSources(t *testing.T) {
	config := filepath.Join(t.TempDir(), "sources.conf")
	if err := os.WriteFile(config, []byte("feed https://baonamdinh.vn/rss\nrss https://baonamdinh.vn/rss\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"bad line in the file", []string{"--config", config}, "sources.conf:2"},
		{"missing file", []string{"--config", config + ".missing"}, "sources.conf.missing"},
		{"relative feed", []string{"--feed", "/rss"}, `"/rss"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			args := append([]string{"serve", "--index", filepath.Join(t.TempDir(), "idx"), "--addr", "127.0.0.1:0"}, tt.args...)
			code := run(context.Background(), args, env2(nil, &stderr))
			if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("serve %v: exit %d, %q; want %d naming %s", tt.args, code, stderr.String(), exitUsage, tt.want)
			}
		})
	}
}
