package store

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnsearch/vnsearch/schema"
)

// Errors of backups and restores.
var (
	// ErrBadBackup reports a file that is not a vnsearch backup, or one
	// damaged since it was written.
	ErrBadBackup = errors.New("not a vnsearch backup, or a damaged one")
	// ErrNotEmpty reports a restore into a directory that holds an index
	// already.
	ErrNotEmpty = errors.New("the directory holds an index already")
)

// manifestName is the first file of a backup, saying what the rest is.
const manifestName = "manifest.json"

// backupFormat is the version of the layout of a backup file.
const backupFormat = 1

// Manifest describes a backup: what it holds and how to check it.
type Manifest struct {
	Format   int       `json:"format"`
	Schema   string    `json:"schema"`   // the schema.Version of the index
	Articles uint64    `json:"articles"` // articles in the index
	Created  time.Time `json:"created"`
	Files    []File    `json:"files"`
}

// File is one file of the index in a backup.
type File struct {
	Name   string `json:"name"` // slash-separated, relative to the index
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Backup writes a consistent snapshot of idx to out as a gzipped tar: a
// manifest (schema version, article count, time, the checksum of every
// file) and the files of a complete bleve index, or of every shard of a
// sharded one with its shards.json. Writes may go on meanwhile; the backup
// holds the index as it was when Backup began, what was written and not
// yet saved to disk included, and over shards every shard's part of a
// write or none. The snapshot is copied to a directory under tmp (default
// the system's) first.
func Backup(idx bleve.Index, out io.Writer, tmp string) (Manifest, error) {
	dir, err := os.MkdirTemp(tmp, "vnsearch-backup-")
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := copyIndex(idx, dir); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	m := Manifest{Format: backupFormat, Created: time.Now().UTC()}
	if m.Schema, m.Articles, err = describe(dir); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		size, err := io.Copy(h, f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m.Files = append(m.Files, File{Name: filepath.ToSlash(rel), Size: size, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	if err == nil {
		err = writeArchive(out, dir, m)
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// copyIndex copies a snapshot of idx into dir, with the files kept beside
// it: one index, or each shard into a directory of the shard's name, the
// snapshots of all taken at one point between writes.
func copyIndex(idx bleve.Index, dir string) error {
	shards := schema.ShardsOf(idx)
	var readers []index.CopyReader
	defer func() {
		for _, r := range readers {
			r.CloseCopyReader()
		}
	}()
	err := schema.Exclusive(idx, func() error {
		for _, shard := range shards {
			adv, err := shard.Advanced()
			if err != nil {
				return err
			}
			c, ok := adv.(index.CopyIndex)
			if !ok {
				return fmt.Errorf("the index %s cannot be copied", shard.Name())
			}
			r := c.CopyReader()
			if r == nil {
				return fmt.Errorf("the index %s cannot be copied: closed", shard.Name())
			}
			readers = append(readers, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, shard := range shards {
		into := dir
		if len(shards) > 1 { // the shards of a generation are its subdirectories
			into = filepath.Join(dir, filepath.Base(shard.Name()))
		}
		if err := readers[i].CopyTo(bleve.FileSystemDirectory(into)); err != nil {
			return err
		}
		if err := copyBeside(shard.Name(), into); err != nil { // index_meta.json among them
			return err
		}
	}
	if len(shards) > 1 {
		return copyBeside(filepath.Dir(shards[0].Name()), dir)
	}
	return nil
}

// describe returns the schema version and article count of the index (or
// shards) in dir, opened read-only.
func describe(dir string) (version string, articles uint64, err error) {
	idx, err := openGeneration(dir, func(dir string) (bleve.Index, error) {
		return bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
	})
	if err != nil {
		return "", 0, err
	}
	defer idx.Close()
	if version, err = schema.StoredVersion(idx); err != nil {
		return "", 0, err
	}
	articles, err = idx.DocCount()
	return version, articles, err
}

// writeArchive writes the manifest, then the files of dir it lists.
func writeArchive(out io.Writer, dir string, m Manifest) error {
	zw := gzip.NewWriter(out)
	tw := tar.NewWriter(zw)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(manifest)), ModTime: m.Created}); err != nil {
		return err
	}
	if _, err := tw.Write(manifest); err != nil {
		return err
	}
	for _, f := range m.Files {
		if err := tw.WriteHeader(&tar.Header{Name: f.Name, Mode: 0o600, Size: f.Size, ModTime: m.Created}); err != nil {
			return err
		}
		if err := copyFile(tw, filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// copyBeside copies into dir, which holds a copy of the index of the
// directory from, the files kept beside that index (the saved
// suggestions, the manifest of shards), so that a restored index need not build them again. Each
// says which write generation of the index it reflects: one older than
// the copy, as writes go on during a backup, is built again after a
// restore rather than served.
func copyBeside(from, dir string) error {
	entries, err := os.ReadDir(from)
	if errors.Is(err, os.ErrNotExist) {
		return nil // an index in memory
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasSuffix(name, ".tmp") {
			continue // a file being written
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			continue // the index's own, copied with it
		}
		out, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		err = copyFile(out, filepath.Join(from, name))
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func copyFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// Restore reads a backup written by Backup from in into a new generation
// of dir and makes it current, once every file matches its checksum and
// the index opens with the article count of the manifest. It refuses a
// dir that holds an index, with ErrNotEmpty, unless replace is set; the
// index replaced is then deleted. A backup of another schema version is
// restored, and opening it says to rebuild it.
func Restore(in io.Reader, dir string, replace bool) (Manifest, error) {
	old, err := Current(dir)
	switch {
	case err == nil && !replace:
		return Manifest{}, fmt.Errorf("restore into %s: %w", dir, ErrNotEmpty)
	case err != nil && !errors.Is(err, schema.ErrNoIndex):
		return Manifest{}, err
	}
	hadIndex := err == nil
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	g := generation(dir, lastGeneration(dir)+1)
	m, err := unpack(in, g.Dir)
	if err == nil {
		err = check(g.Dir, m)
	}
	if err == nil {
		err = setCurrent(dir, g)
	}
	if err != nil {
		os.RemoveAll(g.Dir)
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	if hadIndex {
		if err := Remove(dir, old); err != nil {
			return m, fmt.Errorf("restore: delete the index replaced: %w", err)
		}
	}
	return m, nil
}

// unpack writes the files of a backup into dir, checking each against the
// manifest.
func unpack(in io.Reader, dir string) (Manifest, error) {
	zr, err := gzip.NewReader(in)
	if err != nil {
		return Manifest{}, fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	tr := tar.NewReader(zr)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != manifestName {
		return Manifest{}, fmt.Errorf("%w: no %s first", ErrBadBackup, manifestName)
	}
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("%w: %s: %v", ErrBadBackup, manifestName, err)
	}
	if m.Format != backupFormat {
		return Manifest{}, fmt.Errorf("%w: format %d, want %d", ErrBadBackup, m.Format, backupFormat)
	}
	want := map[string]File{}
	for _, f := range m.Files {
		want[f.Name] = f
	}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Manifest{}, fmt.Errorf("%w: %v", ErrBadBackup, err)
		}
		f, ok := want[hdr.Name]
		if !ok || !filepath.IsLocal(filepath.FromSlash(hdr.Name)) || path.Clean(hdr.Name) != hdr.Name {
			return Manifest{}, fmt.Errorf("%w: %q is not in the manifest", ErrBadBackup, hdr.Name)
		}
		delete(want, hdr.Name)
		if err := unpackFile(tr, filepath.Join(dir, filepath.FromSlash(hdr.Name)), f); err != nil {
			return Manifest{}, err
		}
	}
	for name := range want {
		return Manifest{}, fmt.Errorf("%w: %q is missing", ErrBadBackup, name)
	}
	return m, nil
}

// unpackFile writes one file of a backup to name, synced, checking its
// size and checksum.
func unpackFile(r io.Reader, name string, want File) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), badReader{io.LimitReader(r, want.Size+1)})
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n != want.Size || hex.EncodeToString(h.Sum(nil)) != want.SHA256 {
		return fmt.Errorf("%w: %s does not match its checksum", ErrBadBackup, want.Name)
	}
	return nil
}

// badReader reads a backup, whose read errors (cut short, bad gzip
// checksum) say the backup is damaged.
type badReader struct{ r io.Reader }

func (b badReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: %w", ErrBadBackup, err)
	}
	return n, err
}

// check opens the index restored in dir and compares it with m.
func check(dir string, m Manifest) error {
	version, articles, err := describe(dir)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	if version != m.Schema || articles != m.Articles {
		return fmt.Errorf("%w: holds %d articles of schema %q; the manifest says %d of %q",
			ErrBadBackup, articles, version, m.Articles, m.Schema)
	}
	return nil
}
