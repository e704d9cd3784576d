package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/replica"
	"github.com/vnsearch/vnsearch/server"
)

// clusterFlags are serve's flags of a node of a cluster.
type clusterFlags struct {
	urls          *string
	stream        *string
	replicas      *int
	snapshotEvery *time.Duration
}

func (f *clusterFlags) register(fs *flag.FlagSet, e env) {
	f.urls = fs.String("nats", e.getenv("VNSEARCH_NATS_URL"),
		"comma-separated `URLs` of NATS servers with JetStream: join their cluster, every write going through its stream (env VNSEARCH_NATS_URL; default none: a node alone)")
	f.stream = fs.String("nats-stream", "vnsearch", "`name` of the JetStream stream of the writes")
	f.replicas = fs.Int("nats-replicas", 0, "servers keeping the stream, when this node makes it (default 3 in a cluster of 3 servers or more, else 1)")
	f.snapshotEvery = fs.Duration("snapshot-every", time.Hour,
		"in a cluster, upload a snapshot of the index to the cluster's object store when the newest is older than this, checked as often; 0 for never")
}

// enabled says the node joins a cluster.
func (f *clusterFlags) enabled() bool { return strings.TrimSpace(*f.urls) != "" }

// options returns the options of the node.
func (f *clusterFlags) options(logger *slog.Logger) (replica.Options, error) {
	opts := replica.Options{Stream: *f.stream, Replicas: *f.replicas,
		OnError: func(err error) { logger.Warn("cluster", "cause", err) }}
	for _, u := range strings.Split(*f.urls, ",") {
		if u = strings.TrimSpace(u); u != "" {
			opts.URLs = append(opts.URLs, u)
		}
	}
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return opts, fmt.Errorf("%w: %v", errUsage, err)
	}
	if *f.snapshotEvery < 0 {
		return opts, fmt.Errorf("%w: --snapshot-every %v: want a duration of 0 or more", errUsage, *f.snapshotEvery)
	}
	return opts, nil
}

// restore fills dir, which holds no index, from the cluster's newest
// snapshot of this schema version, when there is one.
func (f *clusterFlags) restore(ctx context.Context, dir string, logger *slog.Logger) error {
	opts, err := f.options(logger)
	if err != nil {
		return err
	}
	started := time.Now()
	s, found, err := replica.RestoreSnapshot(ctx, opts, dir)
	switch {
	case err != nil:
		return err
	case found:
		logger.Info("index restored from the cluster's snapshot", "index", dir, "sequence", s.Sequence,
			"articles", s.Articles, "bytes", s.Size, "took", time.Since(started))
	default:
		logger.Info("no snapshot of this schema version: the index is built from the cluster's stream", "index", dir)
	}
	return nil
}

// snapshots uploads a snapshot of srv's index whenever the newest is
// older than --snapshot-every, until ctx is done.
func (f *clusterFlags) snapshots(ctx context.Context, srv *server.Server, logger *slog.Logger) {
	every := *f.snapshotEvery
	if srv.Replica() == nil || every == 0 {
		return
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		due, err := srv.Replica().SnapshotDue(ctx, every)
		if err == nil && due {
			var s replica.Snapshot
			if s, err = srv.Snapshot(ctx); err == nil {
				logger.Info("snapshot uploaded", "sequence", s.Sequence, "articles", s.Articles, "bytes", s.Size)
			}
		}
		if err != nil && ctx.Err() == nil {
			logger.Warn("snapshot not uploaded", "cause", err)
		}
	}
}

// replicate returns the server's hook that makes its index a node of the
// cluster, or nil when none is named.
func (f *clusterFlags) replicate(logger *slog.Logger) (func(*indexer.Writer) (*replica.Node, error), error) {
	if !f.enabled() {
		return nil, nil
	}
	opts, err := f.options(logger)
	if err != nil {
		return nil, err
	}
	return func(w *indexer.Writer) (*replica.Node, error) {
		n, err := replica.Start(w, opts)
		if err == nil {
			logger.Info("joined the cluster", "nats", opts.URLs, "stream", opts.Stream, "applied", n.Status().Applied)
		}
		return n, err
	}, nil
}
