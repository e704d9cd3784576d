// Package analyzers holds vnsearch's Vietnamese text analysis: Unicode and
// spelling normalisation, diacritic folding, a tokenizer that keeps codes and
// numbers findable, and adjacent-syllable pairs, each registered with bleve
// under a versioned name.
//
// Names are stored inside every index built with them, so a registered name
// is never renamed or changed in behaviour; a new behaviour gets a new
// version (vi_exact_v2) beside the old one.
//
// Every component here is safe for concurrent use: bleve analyses documents
// from several goroutines with one analyzer instance.
package analyzers
