// Package replica makes an index one node of a cluster over NATS
// JetStream. Every write, whichever node takes it, goes first into a
// replicated stream that keeps the latest version of each article (one
// subject per article id); every node applies the stream to its own index,
// in order, and keeps the sequence of the last message applied in the same
// index batch, so that a restarted node resumes where it stopped. A write
// is acknowledged once JetStream has stored it on a quorum of its servers,
// and the node that took it has applied it.
package replica

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/vnsearch/vnsearch/indexer"
)

// Errors of a node.
var (
	// ErrNoQuorum reports that JetStream did not acknowledge a write in
	// time (no quorum of its servers, none reachable): the write was
	// not acknowledged, and is to be sent again.
	ErrNoQuorum = errors.New("the cluster's log did not acknowledge the write; send it again")
	// ErrUnavailable reports that JetStream could not do what was asked
	// now (a server just restarted, no quorum): try again later.
	ErrUnavailable = errors.New("the cluster cannot do this now; try again")
	// ErrBehind reports that the node has not applied the whole stream
	// yet.
	ErrBehind = errors.New("catching up with the cluster")
)

// Options configure a Node. The zero value of each field but URLs means
// its default.
type Options struct {
	// URLs are the NATS servers to connect to, any of the cluster's;
	// the others are learnt from them. Required.
	URLs []string
	// Stream names the JetStream stream of the writes. Default
	// "vnsearch". Its subjects are the stream's name, lower-cased, then
	// ".article." and the encoded article id.
	Stream string
	// Replicas is how many servers keep the stream when the node creates
	// it. Default 3 when the cluster has 3 servers or more, else 1. A
	// stream that exists keeps its own.
	Replicas int
	// Timeout bounds the wait for JetStream to acknowledge the next
	// write of a batch. Default 3s: long enough for a graceful change of the stream's
	// leader, short enough for the client to try again soon.
	Timeout time.Duration
	// ApplyTimeout bounds the wait, once JetStream has acknowledged a
	// batch of writes, for this node to apply it. Default 1 minute: a
	// batch of 1,000 articles takes seconds to index on a small server.
	ApplyTimeout time.Duration
	// StartTimeout bounds the wait, when starting, for JetStream to be
	// ready and the stream made. Default 30s: a cluster starting at the
	// same time elects its leaders first.
	StartTimeout time.Duration
	// BatchSize is how many messages of the stream are applied to the
	// index in one batch at most. Default the writer's.
	BatchSize int
	// OnError, when set, is told why the stream could not be followed or
	// applied for a while; the node tries again on its own.
	OnError func(error)
}

// SetDefaults fills zero fields, but URLs, with their defaults.
func (o *Options) SetDefaults() {
	if o.Stream == "" {
		o.Stream = "vnsearch"
	}
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Second
	}
	if o.ApplyTimeout <= 0 {
		o.ApplyTimeout = time.Minute
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 30 * time.Second
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	if o.OnError == nil {
		o.OnError = func(error) {}
	}
}

// Validate reports options a node cannot run with.
func (o *Options) Validate() error {
	if len(o.URLs) == 0 {
		return errors.New("replica: no NATS server URL")
	}
	if !validStreamName(o.Stream) {
		return fmt.Errorf("replica: stream name %q: want letters, digits, - and _", o.Stream)
	}
	if o.Replicas < 0 || o.Replicas > 5 {
		return fmt.Errorf("replica: %d replicas: JetStream keeps 1 to 5", o.Replicas)
	}
	return nil
}

func validStreamName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return s != ""
}

// Node is one index in a cluster: it writes through the stream and applies
// the stream to the index. It is safe for concurrent use.
type Node struct {
	opts    Options
	writer  *indexer.Writer
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  jetstream.Stream
	subject subjects
	// id tells this node's messages from the others', so that a write
	// waits for the outcome of its own.
	id      string
	counter atomic.Uint64

	mu       sync.Mutex
	applied  uint64        // the stream sequence applied to the index
	progress chan struct{} // closed, and replaced, when applied moves
	waiting  map[string]*waiter

	last     atomic.Uint64 // the stream's last sequence, as last seen
	checked  atomic.Int64  // when it was read, in Unix nanoseconds
	refused  atomic.Uint64 // writes JetStream did not acknowledge
	stop     context.CancelFunc
	stopped  sync.WaitGroup
	closeOne sync.Once
}

// Start connects to NATS, makes the stream if there is none, and starts
// applying it to w's index from the message after the last one applied.
// Close stops it.
func Start(w *indexer.Writer, opts Options) (*Node, error) {
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	nc, err := connect(opts)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("replica: %w", err)
	}
	n := &Node{
		opts: opts, writer: w, nc: nc, js: js,
		subject:  newSubjects(opts.Stream),
		id:       nats.NewInbox()[len(nats.InboxPrefix):],
		applied:  w.Sequence(),
		progress: make(chan struct{}),
		waiting:  map[string]*waiter{},
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.StartTimeout)
	defer cancel()
	if n.stream, err = n.ensureStream(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	runCtx, stop := context.WithCancel(context.Background())
	n.stop = stop
	n.stopped.Add(2)
	go func() {
		defer n.stopped.Done()
		n.follow(runCtx)
	}()
	go func() {
		defer n.stopped.Done()
		n.watchLast(runCtx)
	}()
	return n, nil
}

// connect connects to the NATS servers of opts.
func connect(opts Options) (*nats.Conn, error) {
	nc, err := nats.Connect(strings.Join(opts.URLs, ","),
		nats.Name("vnsearch"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		// A write while disconnected fails at once rather than waiting in
		// a buffer for its timeout.
		nats.ReconnectBufSize(-1),
	)
	if err != nil {
		return nil, fmt.Errorf("replica: connect to %v: %w", opts.URLs, err)
	}
	return nc, nil
}

// ensureStream returns the stream, made if there is none. JetStream may
// still be electing its leaders when the cluster starts with the node:
// until ctx is done, the node tries again.
func (n *Node) ensureStream(ctx context.Context) (jetstream.Stream, error) {
	replicas := n.opts.Replicas
	if replicas == 0 {
		replicas = 1
		if len(n.nc.Servers()) >= 3 {
			replicas = 3
		}
	}
	cfg := jetstream.StreamConfig{
		Name:        n.opts.Stream,
		Description: "vnsearch: the latest version of every article, or its deletion",
		Subjects:    []string{n.subject.all()},
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		// The latest message of an article is all a node needs to build
		// its index; a deletion is a message too, so that it replaces the
		// article's last version and reaches the nodes behind.
		MaxMsgsPerSubject: 1,
		Retention:         jetstream.LimitsPolicy,
		Discard:           jetstream.DiscardOld,
		// A write sent again after a lost acknowledgement is stored once.
		Duplicates: 2 * time.Minute,
	}
	var s jetstream.Stream
	err := untilReady(ctx, func(attempt context.Context) error {
		var err error
		s, err = n.js.Stream(attempt, cfg.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			// Another node making it meanwhile fails this attempt.
			s, err = n.js.CreateStream(attempt, cfg)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("replica: stream %s: %w", cfg.Name, err)
	}
	return s, nil
}

// untilReady calls try until it succeeds or ctx is done. JetStream may
// still be electing its leaders when the cluster starts with the node, and
// a request it is not ready to answer waits for its context: each attempt
// has a second.
func untilReady(ctx context.Context, try func(context.Context) error) error {
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		err := try(attempt)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Close stops applying the stream and disconnects. Writes in flight fail.
func (n *Node) Close() {
	n.closeOne.Do(func() {
		n.stop()
		n.stopped.Wait()
		n.nc.Close()
	})
}

// Status is where a node stands in the stream.
type Status struct {
	// Applied is the sequence of the last message of the stream applied
	// to the index.
	Applied uint64 `json:"applied"`
	// Last is the stream's last sequence, as last read.
	Last uint64 `json:"last"`
	// Lag is Last minus Applied: how far behind the node is.
	Lag uint64 `json:"lag"`
	// Connected says the node reaches NATS now.
	Connected bool `json:"connected"`
	// Checked is when Last was read; zero when never.
	Checked time.Time `json:"checked,omitzero"`
}

// CaughtUp says the node has applied the stream as far as it was last
// seen: its index holds every acknowledged write.
func (st Status) CaughtUp() bool { return !st.Checked.IsZero() && st.Lag == 0 }

// Status returns where the node stands.
func (n *Node) Status() Status {
	n.mu.Lock()
	applied := n.applied
	n.mu.Unlock()
	st := Status{Applied: applied, Last: n.last.Load(), Connected: n.nc.IsConnected()}
	if st.Last > st.Applied {
		st.Lag = st.Last - st.Applied
	}
	if t := n.checked.Load(); t != 0 {
		st.Checked = time.Unix(0, t)
	}
	return st
}

// Ready returns nil when the node has caught up, else an error wrapping
// ErrBehind that says how far behind it is.
func (n *Node) Ready() error {
	st := n.Status()
	switch {
	case st.Checked.IsZero():
		return fmt.Errorf("%w: the stream's length is not known yet", ErrBehind)
	case !st.CaughtUp():
		return fmt.Errorf("%w: applied %d of %d messages of the stream, %d behind", ErrBehind, st.Applied, st.Last, st.Lag)
	}
	return nil
}

// watchLast reads the stream's last sequence twice a second, for the lag.
func (n *Node) watchLast(ctx context.Context) {
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		reqCtx, cancel := context.WithTimeout(ctx, n.opts.Timeout)
		info, err := n.stream.Info(reqCtx)
		cancel()
		if err == nil {
			n.sawLast(info.State.LastSeq)
			n.checked.Store(time.Now().UnixNano())
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sawLast notes a last sequence of the stream, never going back.
func (n *Node) sawLast(seq uint64) {
	for {
		old := n.last.Load()
		if seq <= old || n.last.CompareAndSwap(old, seq) {
			return
		}
	}
}

// Collectors return the node's Prometheus metrics: where it stands in the
// stream, and the writes JetStream did not acknowledge.
func (n *Node) Collectors() []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vnsearch_replica_applied_sequence",
			Help: "Sequence of the last message of the cluster's stream applied to this node's index.",
		}, func() float64 { return float64(n.Status().Applied) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vnsearch_replica_stream_sequence",
			Help: "Last sequence of the cluster's stream, as last read.",
		}, func() float64 { return float64(n.Status().Last) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vnsearch_replica_lag",
			Help: "Messages of the cluster's stream not yet applied to this node's index: the stream's last sequence minus the applied one.",
		}, func() float64 { return float64(n.Status().Lag) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "vnsearch_replica_writes_refused_total",
			Help: "Batches of writes refused because the cluster's stream did not acknowledge them in time.",
		}, func() float64 { return float64(n.refused.Load()) }),
	}
}
