// Package suggest completes the text a reader is typing: frequent phrases
// of the archive and the headlines that begin with it, built from the
// stored articles of a vnsearch index and kept in memory, with range
// tables that find the most popular completions of a prefix quickly. A
// build is saved beside the index with the write generation it reflects
// and loaded back at start; headlines written since are added as they
// come, and the phrases' statistics follow at the next build.
package suggest
