// Package natstest runs NATS servers with JetStream inside a test's
// process: one alone, or a cluster whose servers a test stops and starts
// again, their storage in the test's temporary directory.
package natstest

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Cluster is a set of NATS servers with JetStream, clustered when there
// are several. It is not safe for concurrent use.
type Cluster struct {
	t       testing.TB
	opts    []*server.Options
	servers []*server.Server // nil while stopped
}

// Start starts size servers and waits until they accept connections. They
// are shut down when the test ends.
func Start(t testing.TB, size int) *Cluster {
	t.Helper()
	c := &Cluster{t: t, servers: make([]*server.Server, size)}
	dir := t.TempDir()
	clientPorts, routePorts := freePorts(t, size), freePorts(t, size)
	var routes []*url.URL
	for _, p := range routePorts {
		routes = append(routes, &url.URL{Scheme: "nats", Host: fmt.Sprintf("127.0.0.1:%d", p)})
	}
	for i := range size {
		o := &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       clientPorts[i],
			JetStream:  true,
			StoreDir:   filepath.Join(dir, fmt.Sprintf("n%d", i+1)),
			NoSigs:     true,
			NoLog:      true,
		}
		if size > 1 {
			o.Cluster = server.ClusterOpts{Name: "vnsearch-test", Host: "127.0.0.1", Port: routePorts[i]}
			o.Routes = routes
		}
		c.opts = append(c.opts, o)
	}
	for i := range size {
		c.Restart(i)
	}
	t.Cleanup(func() {
		for i := range c.servers {
			c.Stop(i)
		}
	})
	return c
}

// freePorts returns n TCP ports free now on the loopback interface: the
// routes of a cluster are known before its servers start.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// URLs returns the client URLs of every server, running or not.
func (c *Cluster) URLs() []string {
	var urls []string
	for _, o := range c.opts {
		urls = append(urls, fmt.Sprintf("nats://%s:%d", o.Host, o.Port))
	}
	return urls
}

// Stop shuts server i down, if it runs.
func (c *Cluster) Stop(i int) {
	if s := c.servers[i]; s != nil {
		s.Shutdown()
		s.WaitForShutdown()
		c.servers[i] = nil
	}
}

// Restart starts server i again, on its storage, and waits until it
// accepts connections.
func (c *Cluster) Restart(i int) {
	c.t.Helper()
	if c.servers[i] != nil {
		return
	}
	o := *c.opts[i]
	s, err := server.NewServer(&o)
	if err != nil {
		c.t.Fatalf("nats server %s: %v", o.ServerName, err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		c.t.Fatalf("nats server %s not ready in 10s", o.ServerName)
	}
	c.servers[i] = s
}

// StreamLeader returns the index of the server leading stream, or -1
// when none does.
func (c *Cluster) StreamLeader(stream string) int {
	for i, s := range c.servers {
		if s != nil && s.JetStreamIsStreamLeader(server.DEFAULT_GLOBAL_ACCOUNT, stream) {
			return i
		}
	}
	return -1
}
