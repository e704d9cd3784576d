package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/replica"
)

// clusterFlags are serve's flags of a node of a cluster.
type clusterFlags struct {
	urls     *string
	stream   *string
	replicas *int
}

func (f *clusterFlags) register(fs *flag.FlagSet, e env) {
	f.urls = fs.String("nats", e.getenv("VNSEARCH_NATS_URL"),
		"comma-separated `URLs` of NATS servers with JetStream: join their cluster, every write going through its stream (env VNSEARCH_NATS_URL; default none: a node alone)")
	f.stream = fs.String("nats-stream", "vnsearch", "`name` of the JetStream stream of the writes")
	f.replicas = fs.Int("nats-replicas", 0, "servers keeping the stream, when this node makes it (default 3 in a cluster of 3 servers or more, else 1)")
}

// enabled says the node joins a cluster.
func (f *clusterFlags) enabled() bool { return strings.TrimSpace(*f.urls) != "" }

// replicate returns the server's hook that makes its index a node of the
// cluster, or nil when none is named.
func (f *clusterFlags) replicate(logger *slog.Logger) (func(*indexer.Writer) (*replica.Node, error), error) {
	if !f.enabled() {
		return nil, nil
	}
	opts := replica.Options{Stream: *f.stream, Replicas: *f.replicas,
		OnError: func(err error) { logger.Warn("cluster", "cause", err) }}
	for _, u := range strings.Split(*f.urls, ",") {
		if u = strings.TrimSpace(u); u != "" {
			opts.URLs = append(opts.URLs, u)
		}
	}
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return func(w *indexer.Writer) (*replica.Node, error) {
		n, err := replica.Start(w, opts)
		if err == nil {
			logger.Info("joined the cluster", "nats", opts.URLs, "stream", opts.Stream, "applied", n.Status().Applied)
		}
		return n, err
	}, nil
}
