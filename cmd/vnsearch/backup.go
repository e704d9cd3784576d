package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/vnsearch/vnsearch/internal/atomicfile"
	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/store"
)

func runBackup(ctx context.Context, args []string, e env) error {
	fs := newFlags("backup", "", e)
	dir := indexFlag(fs, e)
	out := fs.String("out", "", "file to write the backup to (required)")
	serverURL := fs.String("url", "", "back up the index a running server holds, as http://127.0.0.1:8080, rather than --index")
	token := fs.String("api-token", "", "bearer token of the server, with --url (default env VNSEARCH_API_TOKEN)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: want --out FILE and no arguments", errUsage)
	}
	if *token == "" {
		*token = e.getenv("VNSEARCH_API_TOKEN")
	}
	return atomicfile.Write(*out, 0o600, func(w io.Writer) error {
		if *serverURL != "" {
			return fetchBackup(ctx, strings.TrimSuffix(*serverURL, "/")+"/api/admin/backup", *token, w)
		}
		idx, _, err := store.OpenAnyVersion(*dir)
		if errors.Is(err, schema.ErrLocked) {
			// A running server holds the index: it makes the backup.
			url, uerr := servingURL(*dir)
			if uerr != nil || url == "" {
				return err
			}
			fmt.Fprintf(e.stderr, "the index is served at %s: backing it up there\n", url)
			return fetchBackup(ctx, url+"/api/admin/backup", *token, w)
		}
		if err != nil {
			return err
		}
		defer idx.Close()
		m, err := store.Backup(idx, w, "")
		if err == nil {
			fmt.Fprintf(e.stderr, "backed up %d articles of schema %s to %s\n", m.Articles, m.Schema, *out)
		}
		return err
	})
}

// fetchBackup asks a running server for a backup and copies it to w.
func fetchBackup(ctx context.Context, url, token string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return fmt.Errorf("%w: --url: %v", errUsage, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return fmt.Errorf("%s answered %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	_, err = io.Copy(w, resp.Body)
	return err
}

func runRestore(ctx context.Context, args []string, e env) error {
	fs := newFlags("restore", "", e)
	dir := indexFlag(fs, e)
	in := fs.String("in", "", "backup file to restore (required)")
	force := fs.Bool("force", false, "replace the index the directory holds")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *in == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: want --in FILE and no arguments", errUsage)
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	m, err := store.Restore(f, *dir, *force)
	if errors.Is(err, store.ErrNotEmpty) {
		return fmt.Errorf("%w; add --force to replace it", err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	fmt.Fprintf(e.stderr, "restored %d articles of schema %s, backed up %s, into %s\n",
		m.Articles, m.Schema, m.Created.Format("2006-01-02 15:04:05 MST"), *dir)
	return nil
}

func runDump(ctx context.Context, args []string, e env) error {
	fs := newFlags("dump", "", e)
	dir := indexFlag(fs, e)
	out := fs.String("out", "", "file to write the JSON Lines to (default stdout)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	idx, _, err := store.OpenAnyVersion(*dir)
	if err != nil {
		return err
	}
	defer idx.Close()
	dump := func(w io.Writer) error {
		n, err := store.Dump(ctx, idx, w)
		if err == nil {
			fmt.Fprintf(e.stderr, "dumped %d articles\n", n)
		}
		return err
	}
	if *out == "" {
		return dump(e.stdout)
	}
	return atomicfile.Write(*out, 0o600, dump)
}
