// Package query reads a query as a reader types it into a tree of words,
// phrases, exclusions and alternatives, with the dates it is restricted
// to, and names the error for a request parameter out of its range, which
// the searcher and the suggester share. It knows the query language only,
// not the index: the search package compiles the tree into a bleve query.
package query
