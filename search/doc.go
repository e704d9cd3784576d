// Package search answers ranked queries over a vnsearch index: it analyses
// the query, as package query read it, the way the index analysed the
// articles, builds a bleve query that prefers exact diacritics, adjacent
// syllables and titles, and returns hits with highlighted snippets taken
// from the text as published. It also finds the articles most like one.
//
// The package has no HTTP in it; the server and the command line both call
// Searcher.Search.
package search
