package vnsearch

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/vnsearch/vnsearch"

// allowedImports lists, for every package of the module, the project
// packages it may import: dependencies point one way, from cmd down to
// analyzers. A package missing from it fails the test, so a new one is
// placed in the layers when it is added.
var allowedImports = map[string][]string{
	// The module's root bundles the demo corpus.
	".":         {},
	"analyzers": {},
	"places":    {"analyzers"},
	"schema":    {"analyzers", "places"},
	"indexer":   {"analyzers", "schema"},
	"query":     {"analyzers", "schema"},
	"search":    {"analyzers", "schema", "places", "query"},
	"suggest":   {"analyzers", "schema", "query", "internal/atomicfile"},
	"feeds":     {"analyzers", "schema", "indexer"},
	"querylog":  {"internal/atomicfile"},
	"store":     {"analyzers", "schema", "indexer", "internal/atomicfile"},
	"replica":   {"schema", "indexer", "store"},
	"server":    {"analyzers", "schema", "query", "search", "suggest", "indexer", "feeds", "querylog", "store", "replica"},
	// The relevance eval drives the core like a program does.
	"internal/eval":   {"analyzers", "schema", "indexer", "search", "store"},
	"internal/bench":  {"internal/eval", "schema", "search", "suggest"},
	"internal/golden": {},
	// Files replaced in one step.
	"internal/atomicfile": {},
	// Larger corpora recombined from a real one.
	"internal/corpusgen": {"schema"},
	// Real indexes for the tests of every package.
	"internal/testindex": {"indexer", "schema"},
	// NATS servers in the process, for the tests of a cluster.
	"internal/natstest": {},
	// The command wires everything together.
	"cmd/vnsearch": {".", "analyzers", "schema", "indexer", "search", "suggest", "server", "feeds", "querylog", "store", "replica", "internal/eval", "internal/bench", "internal/corpusgen", "internal/atomicfile"},
}

// neverIn names, for a package, the import path prefixes it must not
// import.
var neverIn = map[string][]string{
	// Reading the query language needs no index.
	"query": {"github.com/blevesearch/"},
}

// onlyIn names third-party or standard imports that belong to one layer.
var onlyIn = map[string]string{
	"github.com/gin-gonic/gin": "server",
	// SQLite is a baseline of the eval, never part of vnsearch.
	"modernc.org/sqlite": "internal/eval",
	// The load generator of the bench command, never part of the server.
	"github.com/tsenart/vegeta/v12/lib": "internal/bench",
	// Programs and the core are NATS clients; the server runs in tests.
	"github.com/nats-io/nats-server/v2/server": "internal/natstest",
}

func TestDependenciesPointOneWay(t *testing.T) {
	imports := map[string]map[string]bool{} // package dir -> imports
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && p != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(p))
		if imports[dir] == nil {
			imports[dir] = map[string]bool{}
		}
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			imports[dir][ip] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg := range allowedImports {
		if imports[pkg] == nil {
			t.Errorf("package %s has no source files: the layering rules have gone stale", pkg)
		}
	}
	for dir, imps := range imports {
		allowed, listed := allowedImports[dir]
		if !listed {
			t.Errorf("package %s is not in allowedImports: add it with the project packages it may import", dir)
		}
		for ip := range imps {
			if layer, ok := onlyIn[ip]; ok && dir != layer {
				t.Errorf("%s imports %s, which only %s may import", dir, ip, layer)
			}
			for _, prefix := range neverIn[dir] {
				if strings.HasPrefix(ip, prefix) {
					t.Errorf("%s imports %s; it must import nothing under %s", dir, ip, prefix)
				}
			}
			rel, ours := strings.CutPrefix(ip, module+"/")
			if ip == module {
				rel, ours = ".", true
			}
			if !listed || !ours {
				continue
			}
			if !contains(allowed, rel) {
				t.Errorf("%s imports %s; it may import only %v", dir, path.Join(module, rel), allowed)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
