// Package suggest completes the text a reader is typing: frequent phrases
// of the archive and the headlines that begin with it, built once from the
// stored articles of a vnsearch index and kept in memory, with range
// tables that find the most popular completions of a prefix quickly.
package suggest
