// Package vnsearch bundles the demo corpus: Vietnamese news articles written
// for this project, which `vnsearch serve` indexes when its index directory
// is empty so that a new user can search something at once. The search
// engine itself lives in the analyzers, schema, indexer, query, search,
// suggest and server packages.
package vnsearch

import (
	"embed"
	"io/fs"
)

//go:embed testdata/corpus
var demoFiles embed.FS

// DemoCorpus returns the bundled articles: JSON Lines, plain-text exports
// and saved HTML pages, in the formats `vnsearch index` reads.
func DemoCorpus() fs.FS {
	sub, err := fs.Sub(demoFiles, "testdata/corpus")
	if err != nil {
		panic(err) // the directory is embedded above, so this cannot happen
	}
	return sub
}
