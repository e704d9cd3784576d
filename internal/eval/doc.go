// Package eval measures how well vnsearch finds a known article from what a
// reporter remembers of it, and compares it with the stock engines a
// newsroom would otherwise use.
//
// From a corpus and a seed it derives known-item queries in several
// variants (the headline as published, without diacritics, a few headline
// words, a phrase from the lead, the other tone-mark style, a mistyped tone,
// Telex typed with the input method off), builds every engine over the same
// articles, runs each query on each engine and reports success@1,
// success@5, success@10 and MRR@10 per variant and engine. The expected hit
// of a query is the article it was derived from. docs/relevance.md
// describes the derivation and the engines, and holds the figures.
package eval
