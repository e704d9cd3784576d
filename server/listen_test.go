package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestListenAndServeShutsDownGracefully(t *testing.T) {
	ts := newTestServer(t, Options{ShutdownTimeout: 5 * time.Second})
	// A request that is still running when the server is told to stop.
	entered, release := make(chan struct{}), make(chan struct{})
	ts.engine.GET("/test/slow", func(c *gin.Context) {
		close(entered)
		<-release
		c.JSON(http.StatusOK, healthResult{Status: "done"})
	})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- ts.ListenAndServe(ctx, "127.0.0.1:0", func(addr string) { addrc <- addr }) }()
	var base string
	select {
	case addr := <-addrc:
		base = "http://" + addr
	case err := <-served:
		t.Fatalf("ListenAndServe = %v before listening", err)
	}

	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health healthResult
	err = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || health.Status != "ok" {
		t.Fatalf("GET /healthz = %d %+v, %v; want 200 ok", resp.StatusCode, health, err)
	}

	slow := make(chan string, 1)
	go func() {
		resp, err := client.Get(base + "/test/slow")
		if err != nil {
			slow <- err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		slow <- resp.Status + " " + string(body)
	}()
	<-entered
	cancel()
	// Shutdown has begun once new connections are refused; only then let
	// the slow request finish, to show that it is waited for.
	for deadline := time.Now().Add(2 * time.Second); ; {
		if _, err := client.Get(base + "/healthz"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server still accepting requests 2s after ctx was cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)

	if got, want := <-slow, `200 OK {"status":"done","documents":0}`; got != want {
		t.Errorf("request in flight at shutdown got %q; want %q", got, want)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("ListenAndServe = %v; want nil after a graceful shutdown", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("ListenAndServe did not return 3s after its requests finished")
	}
}

func TestListenAndServeBadAddress(t *testing.T) {
	ts := newTestServer(t, Options{})
	err := ts.ListenAndServe(context.Background(), "127.0.0.1:-1", func(string) {
		t.Error("ready called for an address that cannot be listened on")
	})
	if err == nil {
		t.Error("ListenAndServe(127.0.0.1:-1) = nil; want an error")
	}
}
