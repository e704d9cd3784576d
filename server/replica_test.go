package server

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/natstest"
	"github.com/vnsearch/vnsearch/replica"
)

// newTestNode is newTestServer as a node of the cluster of nats.
func newTestNode(t testing.TB, nats *natstest.Cluster, opts Options) testServer {
	t.Helper()
	opts.Replicate = func(w *indexer.Writer) (*replica.Node, error) {
		return replica.Start(w, replica.Options{URLs: nats.URLs(), Timeout: time.Second})
	}
	ts := newTestServer(t, opts)
	t.Cleanup(ts.replica.Close)
	return ts
}

// within waits a second at most for ok.
func within(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 1s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWritesThroughCluster(t *testing.T) {
	nats := natstest.Start(t, 1)
	a := newTestNode(t, nats, Options{APIToken: testToken})
	b := newTestNode(t, nats, Options{APIToken: testToken})
	ha, hb := a.Handler(), b.Handler()

	body := strings.Join([]string{
		`{"id": "hl-1", "title": "Vịnh Hạ Long đón 5 triệu lượt khách"}`,
		`{"id": "hl-2", "title": "Tin", "tags": 7}`,
		`{"id": "khong-co", "delete": true}`,
		`{"id": "hl-1", "title": "Vịnh Hạ Long đón 6 triệu lượt khách"}`,
	}, "\n")
	rec := send(t, ha, "POST", "/api/articles/_bulk", body, bearer)
	var res bulkResult
	decode(t, rec, &res)
	if rec.Code != 200 || res.Indexed != 2 || res.Rejected != 1 || res.NotFound != 1 {
		t.Fatalf("bulk through the cluster = %d %s; want 2 indexed, 1 rejected, 1 not found", rec.Code, rec.Body)
	}
	if ids := hitIDs(t, serve(t, ha, "GET", "/api/search?q="+url.QueryEscape("ha long 6 trieu"), "")); len(ids) == 0 || ids[0] != "hl-1" {
		t.Errorf("search on the node that took the write = %v; want hl-1 first", ids)
	}
	within(t, "the write on the other node", func() bool {
		ids := hitIDs(t, serve(t, hb, "GET", "/api/search?q="+url.QueryEscape("ha long 6 trieu"), ""))
		return len(ids) > 0 && ids[0] == "hl-1"
	})
	if rec := send(t, ha, "DELETE", "/api/articles/hl-1", "", bearer); rec.Code != 200 {
		t.Errorf("DELETE through the cluster = %d %s", rec.Code, rec.Body)
	}
	within(t, "the delete on the other node", func() bool {
		return serve(t, hb, "GET", "/api/articles/hl-1", "").Code == 404
	})
	if rec := send(t, ha, "DELETE", "/api/articles/hl-1", "", bearer); rec.Code != 404 {
		t.Errorf("DELETE of a deleted article = %d %s; want 404", rec.Code, rec.Body)
	}

	var ready readyResult
	within(t, "the other node ready", func() bool { return serve(t, hb, "GET", "/readyz", "").Code == 200 })
	decode(t, serve(t, hb, "GET", "/readyz", ""), &ready)
	if ready.Replica == nil || ready.Replica.Lag != 0 || ready.Replica.Applied == 0 {
		t.Errorf("/readyz of a caught-up node: replica %+v; want applied > 0, lag 0", ready.Replica)
	}
	metrics := serve(t, hb, "GET", "/metrics", "").Body.String()
	for _, want := range []string{"vnsearch_replica_lag 0", "vnsearch_replica_applied_sequence "} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics have no %q:\n%s", want, grepLines(metrics, "vnsearch_replica"))
		}
	}

	var snap replica.Snapshot
	decode(t, send(t, hb, "POST", "/api/admin/snapshot", "", bearer), &snap)
	if snap.Articles == 0 || snap.Sequence == 0 || snap.Digest == "" {
		t.Errorf("POST /api/admin/snapshot = %+v; want a manifest", snap)
	}

	nats.Stop(0)
	rec = send(t, ha, "PUT", "/api/articles/hue", `{"title": "Huế khôi phục Đại Nội"}`, bearer)
	var refused errorBody
	decode(t, rec, &refused)
	if rec.Code != 503 || refused.Error.Code != "no_quorum" {
		t.Errorf("PUT with the cluster's log down = %d %s; want 503 no_quorum", rec.Code, rec.Body)
	}
	if rec := serve(t, ha, "GET", "/api/articles/hue", ""); rec.Code != 404 {
		t.Errorf("a refused write is served: %d", rec.Code)
	}
}

func TestSnapshotNeedsCluster(t *testing.T) {
	ts := newTestServer(t, Options{APIToken: testToken})
	rec := send(t, ts.Handler(), "POST", "/api/admin/snapshot", "", bearer)
	var got errorBody
	decode(t, rec, &got)
	if rec.Code != 409 || got.Error.Code != "no_cluster" {
		t.Errorf("POST /api/admin/snapshot alone = %d %s; want 409 no_cluster", rec.Code, rec.Body)
	}
}
