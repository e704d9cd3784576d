package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/internal/natstest"
)

// TestClusterLosesNothing runs three `vnsearch serve --nats` processes on
// a cluster of three NATS servers: a write through one node is on the
// others within a second; every write acknowledged while a node is killed
// with SIGKILL and the stream's leader goes away is on every node
// afterwards, once; writes are refused with 503 while JetStream has no
// quorum, and taken again once it has.
func TestClusterLosesNothing(t *testing.T) {
	nats := natstest.Start(t, 3)
	flags := []string{"--nats", strings.Join(nats.URLs(), ",")}
	base := t.TempDir()
	dirs := []string{base + "/a", base + "/b", base + "/c"}
	nodes := make([]*crashServer, len(dirs))
	for i, dir := range dirs {
		nodes[i] = startServer(t, dir, flags...)
	}
	t.Cleanup(func() {
		for _, n := range nodes {
			if n != nil {
				n.kill(t)
			}
		}
	})
	ledger := newCrashLedger()

	t.Run("visible on another node within 1s", func(t *testing.T) {
		delays := ledger.visibility(t, nodes[0], nodes[1], 100)
		t.Logf("visibility on another node, from the write sent, over %d writes: p50 %v, p99 %v, max %v",
			len(delays), delays[len(delays)/2], delays[len(delays)*99/100], delays[len(delays)-1])
		if worst := delays[len(delays)-1]; worst > time.Second {
			t.Errorf("a write took %v to be visible on another node; want at most 1s", worst)
		}
	})

	t.Run("kill -9 a node, then lose the stream's leader", func(t *testing.T) {
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i, srv := range nodes[:2] {
			wg.Go(func() { ledger.keepWriting(ctx, t, srv, fmt.Sprintf("n%d", i)) })
		}
		time.Sleep(300 * time.Millisecond)
		nodes[2].kill(t)
		nodes[2] = nil
		time.Sleep(300 * time.Millisecond)
		leader := nats.StreamLeader("vnsearch")
		if leader < 0 {
			t.Fatal("the stream has no leader")
		}
		nats.Stop(leader)
		lost := time.Now()
		failover := ledger.firstWrite(t, nodes[0], "failover", 30*time.Second)
		t.Logf("stream leader n%d stopped: writes taken again %v later", leader+1, failover.Sub(lost).Round(time.Millisecond))
		time.Sleep(500 * time.Millisecond)
		stop()
		wg.Wait()
		nodes[2] = startServer(t, dirs[2], flags...)
		started := time.Now()
		for _, n := range nodes {
			waitReady(t, n, 30*time.Second)
		}
		t.Logf("restarted node caught up in %v", time.Since(started).Round(time.Millisecond))
		counts := map[int]bool{}
		for i, n := range nodes {
			ledger.verify(t, n, i, "")
			counts[documents(t, n)] = true
		}
		if len(counts) != 1 {
			t.Errorf("the nodes hold different numbers of articles: %v", counts)
		}
		nats.Restart(leader)
		t.Logf("%d writes acknowledged (%d in bulk, %d single, %d replacements), %d sent unacknowledged",
			ledger.acked, ledger.ackedBulk, ledger.ackedSingle, ledger.ackedReplaced, ledger.unacked)
	})

	t.Run("a fresh node joins from a snapshot and the stream", func(t *testing.T) {
		var snap struct{ Sequence, Articles uint64 }
		// The NATS server restarted just before may not be current yet:
		// the upload is refused with 503 until it is.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			resp, err := ledger.request(context.Background(), "POST", nodes[1].base+"api/admin/snapshot", "")
			if err != nil {
				t.Fatal(err)
			}
			err = json.NewDecoder(resp.Body).Decode(&snap)
			resp.Body.Close()
			if err == nil && resp.StatusCode == http.StatusOK && snap.Articles > 0 {
				break
			}
			if resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
				t.Fatalf("POST /api/admin/snapshot = %d %+v, %v", resp.StatusCode, snap, err)
			}
		}
		for i := range 20 {
			if status, body := ledger.put(t, nodes[0], fmt.Sprintf("after-snapshot-%d", i), 0); status != http.StatusOK {
				t.Fatalf("PUT = %d %s", status, body)
			}
		}
		started := time.Now()
		fresh := startServer(t, base+"/d", flags...)
		nodes = append(nodes, fresh)
		waitReady(t, fresh, 30*time.Second)
		t.Logf("a fresh node restored a snapshot of %d articles (sequence %d) and replayed the stream after it: ready in %v",
			snap.Articles, snap.Sequence, time.Since(started).Round(time.Millisecond))
		ledger.verify(t, fresh, len(nodes)-1, "")
		if got, want := documents(t, fresh), documents(t, nodes[0]); got != want {
			t.Errorf("the fresh node holds %d articles; the others %d", got, want)
		}
	})

	t.Run("503 without quorum, then writes again", func(t *testing.T) {
		nats.Stop(0)
		nats.Stop(1)
		status, body := ledger.put(t, nodes[0], "no-quorum", 0)
		var refused struct {
			Error struct{ Code string } `json:"error"`
		}
		if json.Unmarshal(body, &refused) != nil || status != http.StatusServiceUnavailable || refused.Error.Code != "no_quorum" {
			t.Errorf("PUT without quorum = %d %s; want 503 no_quorum", status, body)
		}
		nats.Restart(0)
		nats.Restart(1)
		back := time.Now()
		ledger.firstWrite(t, nodes[0], "quorum-back", 30*time.Second)
		t.Logf("quorum back: writes taken again %v later", time.Since(back).Round(time.Millisecond))
		for i, n := range nodes {
			waitReady(t, n, 30*time.Second)
			ledger.verify(t, n, i, "")
		}
	})
}

// put sends one version of the article id to srv, noted in the ledger,
// and returns the answer's status and body. A request that got no answer
// within the client's timeout has status 0 and the error as its body: the
// write was not acknowledged, and may still be applied.
func (l *crashLedger) put(t *testing.T, srv *crashServer, id string, version int) (int, []byte) {
	t.Helper()
	a := crashArticle(id, version)
	at := l.sent(a)
	data, _ := json.Marshal(a)
	resp, err := l.request(context.Background(), "PUT", srv.base+"api/articles/"+url.PathEscape(id), string(data))
	if err != nil {
		return 0, []byte(err.Error())
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, []byte(err.Error())
	}
	if resp.StatusCode == http.StatusOK {
		l.ack(id, at, &l.ackedSingle)
	}
	return resp.StatusCode, body
}

// visibility writes n articles through one node and returns, sorted, how
// long each took from its sending to being readable on the other node.
func (l *crashLedger) visibility(t *testing.T, from, to *crashServer, n int) []time.Duration {
	t.Helper()
	var delays []time.Duration
	for i := range n {
		id := fmt.Sprintf("vis-%d", i)
		sent := time.Now()
		if status, body := l.put(t, from, id, 0); status != http.StatusOK {
			t.Fatalf("PUT %s = %d %s", id, status, body)
		}
		for {
			_, status := l.get(context.Background(), to, id)
			if status == http.StatusOK {
				break
			}
			if time.Since(sent) > 5*time.Second {
				t.Fatalf("%s not on the other node after 5s (status %d)", id, status)
			}
			time.Sleep(time.Millisecond)
		}
		delays = append(delays, time.Since(sent))
	}
	slices.Sort(delays)
	return delays
}

// keepWriting writes through srv in bulk and one at a time until ctx is
// done, going on after refusals.
func (l *crashLedger) keepWriting(ctx context.Context, t *testing.T, srv *crashServer, prefix string) {
	for round := 0; ctx.Err() == nil; round++ {
		var wg sync.WaitGroup
		wg.Go(func() { l.bulkWriter(ctx, srv, fmt.Sprintf("%s-r%d-b", prefix, round), uint64(round)) })
		wg.Go(func() { l.singleWriter(ctx, t, srv, fmt.Sprintf("%s-r%d-s", prefix, round)) })
		wg.Wait()
		time.Sleep(20 * time.Millisecond)
	}
}

// firstWrite PUTs new articles through srv until one is acknowledged, and
// returns when it was. Until then a write may be refused, or wait longer
// than the client does: while JetStream elects a leader, or the node
// catches up after it.
func (l *crashLedger) firstWrite(t *testing.T, srv *crashServer, prefix string, limit time.Duration) time.Time {
	t.Helper()
	deadline := time.Now().Add(limit)
	for i := 0; ; i++ {
		status, body := l.put(t, srv, fmt.Sprintf("%s-%d", prefix, i), 0)
		if status == http.StatusOK {
			return time.Now()
		}
		if (status != http.StatusServiceUnavailable && status != 0) || time.Now().After(deadline) {
			t.Fatalf("PUT = %d %s; want 200, or 503 or no answer for %v at most", status, body, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitReady waits for srv's /readyz to answer 200.
func waitReady(t *testing.T, srv *crashServer, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(srv.base + "readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready after %v: %s", srv.base, limit, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// documents returns how many articles srv's /readyz counts.
func documents(t *testing.T, srv *crashServer) int {
	t.Helper()
	resp, err := http.Get(srv.base + "readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ready struct{ Documents int }
	if err := json.NewDecoder(resp.Body).Decode(&ready); err != nil {
		t.Fatal(err)
	}
	return ready.Documents
}
