package replica

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/store"
)

// Snapshot describes an index snapshot in the cluster's object store: its
// manifest.
type Snapshot struct {
	// Sequence is the stream sequence the index had applied, at least:
	// a node restoring it replays the stream from the sequence kept in the
	// index itself.
	Sequence uint64    `json:"sequence"`
	Schema   string    `json:"schema"`   // the schema.Version of the index
	Articles uint64    `json:"articles"` // articles in the index
	Size     uint64    `json:"size"`     // bytes of the backup file
	Digest   string    `json:"digest"`   // SHA-256 of the backup file, checked on download
	Created  time.Time `json:"created"`
}

// Metadata keys of a snapshot object.
const (
	metaSequence = "vnsearch-sequence"
	metaSchema   = "vnsearch-schema"
	metaArticles = "vnsearch-articles"
)

// snapshotBucket names the object store of a stream's snapshots.
func snapshotBucket(stream string) string { return stream + "-snapshots" }

// snapshotName names the snapshot of a schema version: one per version,
// the newest replacing the one before, so that a node of another version
// never opens it.
func snapshotName(version string) string { return "index-v" + version }

// snapshots returns the object store of the snapshots, made when create is
// set and there is none.
func snapshots(ctx context.Context, js jetstream.JetStream, stream string, replicas int, create bool) (jetstream.ObjectStore, error) {
	obs, err := js.ObjectStore(ctx, snapshotBucket(stream))
	if errors.Is(err, jetstream.ErrBucketNotFound) && create {
		obs, err = js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket:      snapshotBucket(stream),
			Description: "vnsearch: the newest index snapshot of each schema version",
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
		})
	}
	return obs, err
}

// Snapshot uploads a consistent snapshot of idx, the index this node
// applies the stream to, to the cluster's object store, replacing the one
// of its schema version. Writes go on meanwhile. The backup file is made
// in tmp (default the system's temporary directory) first. ctx bounds the
// upload; without a deadline, each chunk waits 5 s at most for JetStream
// to acknowledge it.
func (n *Node) Snapshot(ctx context.Context, idx bleve.Index, tmp string) (Snapshot, error) {
	info, err := n.stream.Info(ctx)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%w: snapshot: %w", ErrUnavailable, err)
	}
	obs, err := snapshots(ctx, n.js, n.opts.Stream, info.Config.Replicas, true)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%w: snapshot: %w", ErrUnavailable, err)
	}
	// Read before the copy begins, the sequence is one the copy holds.
	seq := n.writer.Sequence()
	f, err := os.CreateTemp(tmp, "vnsearch-snapshot-")
	if err != nil {
		return Snapshot{}, fmt.Errorf("snapshot: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	m, err := store.Backup(idx, f, tmp)
	if err != nil {
		return Snapshot{}, fmt.Errorf("snapshot: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Snapshot{}, fmt.Errorf("snapshot: %w", err)
	}
	obj, err := obs.Put(ctx, jetstream.ObjectMeta{
		Name:        snapshotName(m.Schema),
		Description: "vnsearch index snapshot",
		Metadata: map[string]string{
			metaSequence: strconv.FormatUint(seq, 10),
			metaSchema:   m.Schema,
			metaArticles: strconv.FormatUint(m.Articles, 10),
		},
	}, f)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%w: snapshot: upload: %w", ErrUnavailable, err)
	}
	return snapshotOf(obj)
}

// snapshotOf reads the manifest of a snapshot object.
func snapshotOf(obj *jetstream.ObjectInfo) (Snapshot, error) {
	s := Snapshot{Schema: obj.Metadata[metaSchema], Size: obj.Size, Digest: obj.Digest, Created: obj.ModTime}
	var err1, err2 error
	s.Sequence, err1 = strconv.ParseUint(obj.Metadata[metaSequence], 10, 64)
	s.Articles, err2 = strconv.ParseUint(obj.Metadata[metaArticles], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return Snapshot{}, fmt.Errorf("snapshot %s: bad manifest: %w", obj.Name, err)
	}
	return s, nil
}

// NewestSnapshot returns the manifest of the newest snapshot of this
// schema version; false when there is none.
func (n *Node) NewestSnapshot(ctx context.Context) (Snapshot, bool, error) {
	return newestSnapshot(ctx, n.js, n.opts.Stream)
}

func newestSnapshot(ctx context.Context, js jetstream.JetStream, stream string) (Snapshot, bool, error) {
	obs, err := snapshots(ctx, js, stream, 0, false)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return Snapshot{}, false, nil
	}
	if err != nil {
		return Snapshot{}, false, err
	}
	obj, err := obs.GetInfo(ctx, snapshotName(schema.Version))
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return Snapshot{}, false, nil
	}
	if err != nil {
		return Snapshot{}, false, err
	}
	s, err := snapshotOf(obj)
	return s, err == nil, err
}

// RestoreSnapshot downloads the newest snapshot of this schema version
// from the cluster named by opts into dir, which holds no index, checking
// the download's digest and every file's checksum, so that a new node
// replays the stream from the snapshot's sequence instead of from the
// start. It returns false, and leaves dir alone, when there is no snapshot
// of this version: the node then builds its index from the whole stream.
func RestoreSnapshot(ctx context.Context, opts Options, dir string) (Snapshot, bool, error) {
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return Snapshot{}, false, err
	}
	nc, err := connect(opts)
	if err != nil {
		return Snapshot{}, false, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return Snapshot{}, false, err
	}
	var (
		s     Snapshot
		found bool
	)
	start, cancel := context.WithTimeout(ctx, opts.StartTimeout)
	err = untilReady(start, func(attempt context.Context) error {
		s, found, err = newestSnapshot(attempt, js, opts.Stream)
		return err
	})
	cancel()
	if err != nil || !found {
		return s, found, err
	}
	obs, err := snapshots(ctx, js, opts.Stream, 0, false)
	if err != nil {
		return Snapshot{}, false, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return Snapshot{}, false, err
	}
	f, err := os.CreateTemp(filepath.Dir(dir), "vnsearch-snapshot-")
	if err != nil {
		return Snapshot{}, false, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := download(ctx, obs, f); err != nil {
		return Snapshot{}, false, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Snapshot{}, false, err
	}
	if _, err := store.Restore(f, dir, false); err != nil {
		return Snapshot{}, false, fmt.Errorf("restore snapshot: %w", err)
	}
	return s, true, nil
}

// download copies the snapshot of this schema version into w; the object
// store checks its digest once the whole object is read.
func download(ctx context.Context, obs jetstream.ObjectStore, w io.Writer) error {
	obj, err := obs.Get(ctx, snapshotName(schema.Version))
	if err != nil {
		return fmt.Errorf("download snapshot: %w", err)
	}
	defer obj.Close()
	if _, err := io.Copy(w, obj); err != nil {
		return fmt.Errorf("download snapshot: %w", err)
	}
	return nil
}

// SnapshotDue says whether the newest snapshot of this schema version is
// missing or older than every: nodes that each snapshot on the same
// schedule, and check this first, upload about one snapshot per period
// between them.
func (n *Node) SnapshotDue(ctx context.Context, every time.Duration) (bool, error) {
	s, found, err := n.NewestSnapshot(ctx)
	if err != nil {
		return false, err
	}
	return !found || time.Since(s.Created) >= every, nil
}
