package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// servingFile, in an index directory, holds the address of the server
// that has the index open, so that a command the server's lock keeps out
// (backup) can ask the server instead.
const servingFile = "serving.url"

// markServing notes in dir that the index is served at url; the returned
// function takes the note back.
func markServing(dir, url string) (unmark func(), err error) {
	name := filepath.Join(dir, servingFile)
	if err := os.WriteFile(name, []byte(url+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("note the server's address: %w", err)
	}
	return func() { os.Remove(name) }, nil
}

// servingURL returns the address of the server noted in dir, or "" when
// none is.
func servingURL(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, servingFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return strings.TrimSpace(string(data)), err
}
