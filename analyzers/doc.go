// Package analyzers holds vnsearch's Vietnamese text analysis: Unicode and
// spelling normalisation, diacritic folding, a tokenizer that keeps codes and
// numbers findable, and adjacent-syllable pairs, each registered with bleve
// under a versioned name. It also holds the query-side helpers that read a
// query the way the index reads text: ValidSyllable, Telex and VNI decoding
// (InputAlternatives) and news abbreviations (NewsAbbreviations).
//
// Names are stored inside every index built with them, so a registered name
// is never renamed or changed in behaviour once an index built with it is in
// use; a new behaviour gets a new version (vi_exact_v2) beside the old one.
//
// Every component here is safe for concurrent use: bleve analyses documents
// from several goroutines with one analyzer instance. docs/analysis.md
// describes the rules with examples.
package analyzers
