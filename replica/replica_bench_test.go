package replica

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/natstest"
	"github.com/vnsearch/vnsearch/schema"
)

// sharedCorpus holds the real articles a catch-up is measured with.
const sharedCorpus = "../../shared/corpus/news.jsonl.gz"

var errEnough = errors.New("enough articles")

// BenchmarkCatchUp writes the first 10,000 articles of the shared corpus
// through a node of a cluster of three NATS servers, takes a snapshot, and
// writes 100 more; then it starts new nodes on empty index directories
// and reports how fast each is ready: "stream" replays the whole stream,
// "snapshot" restores the snapshot and replays the 100 after it. Run with
// -benchtime=1x; VNSEARCH_CATCHUP_ARTICLES=60000 measures with the whole
// corpus before the snapshot.
func BenchmarkCatchUp(b *testing.B) {
	before, after := 10_000, 100
	if n, err := strconv.Atoi(os.Getenv("VNSEARCH_CATCHUP_ARTICLES")); err == nil && n > after {
		before = n - after
	}
	var articles []schema.Article
	err := indexer.ReadPaths([]string{sharedCorpus}, indexer.Visitor{Article: func(a schema.Article) error {
		if len(articles) == before+after {
			return errEnough
		}
		articles = append(articles, a)
		return nil
	}})
	if err != nil && !errors.Is(err, errEnough) {
		b.Skipf("shared corpus absent: %v", err)
	}
	nats := natstest.Start(b, 3)
	from := startNode(b, filepath.Join(b.TempDir(), "from"), nats.URLs())
	ctx := context.Background()
	if err := from.node.Put(ctx, articles[:before]...); err != nil {
		b.Fatal(err)
	}
	// Without a deadline, each chunk of the upload waits 5 s at most for
	// its acknowledgement, too little on a loaded machine.
	upload, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	if _, err := from.node.Snapshot(upload, from.idx, b.TempDir()); err != nil {
		b.Fatal(err)
	}
	if err := from.node.Put(ctx, articles[before:]...); err != nil {
		b.Fatal(err)
	}
	join := func(b *testing.B, restore bool) {
		var elapsed time.Duration
		for b.Loop() {
			dir := filepath.Join(b.TempDir(), "index")
			started := time.Now()
			if restore {
				if _, found, err := RestoreSnapshot(ctx, Options{URLs: nats.URLs()}, dir); err != nil || !found {
					b.Fatalf("RestoreSnapshot = %v, %v", found, err)
				}
			}
			node := startNode(b, dir, nats.URLs())
			for node.node.Ready() != nil {
				time.Sleep(10 * time.Millisecond)
			}
			elapsed += time.Since(started)
			b.StopTimer()
			if n, _ := node.idx.DocCount(); n != uint64(len(articles)) {
				b.Fatalf("caught-up node holds %d articles; want %d", n, len(articles))
			}
			node.stop()
			b.StartTimer()
		}
		b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/join")
		b.ReportMetric(float64(len(articles)*b.N)/elapsed.Seconds(), "articles/s")
	}
	b.Run("stream", func(b *testing.B) { join(b, false) })
	b.Run("snapshot", func(b *testing.B) { join(b, true) })
}
