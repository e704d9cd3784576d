// Package indexer reads news archives (JSON Lines, plain-text exports and
// saved HTML pages) into schema.Article values and writes them into a
// vnsearch index in batches, replacing articles whose id is already there.
//
// A bad record never stops a run: readers report it as a *RecordError
// naming the file and line, and go on with the rest.
package indexer
