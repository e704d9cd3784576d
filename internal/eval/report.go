package eval

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes r as Markdown tables, readable in a terminal and
// ready for docs/relevance.md: one row per variant with its ceiling and
// each engine's success@1 / success@10 / MRR@10 and share of the ceiling,
// then how often each engine's first hit holds a span query's words, each
// engine's nDCG@10 and P@10 on the topical set, then each engine's build
// and query times.
func (r Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d articles, seed %d, up to %d queries per variant, top %d, op=and for vnsearch.\n\n",
		r.Corpus, r.Docs, r.Seed, r.QueriesPerVariant, topK)
	b.WriteString("success@1 / success@10 / MRR@10 (share of the ceiling):\n\n")
	r.writeHeader(&b, "| variant | queries | shared | ceiling |", "|---|---:|---:|---:|", "---|")
	for _, v := range r.Variants {
		fmt.Fprintf(&b, "| %s | %d | %d | %.3f |", v.Variant, v.Queries, v.Shared, v.CeilingMRR10)
		for _, m := range v.Scores {
			fmt.Fprintf(&b, " %.3f / %.3f / %.3f (%.1f%%) |", m.Success1, m.Success10, m.MRR10, 100*m.OfCeiling)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nShare of the span queries whose first hit holds the query's words in that order:\n\n")
	r.writeHeader(&b, "| variant |", "|---|", "---:|")
	for _, v := range r.Variants {
		if !v.Variant.isSpan() {
			continue
		}
		fmt.Fprintf(&b, "| %s |", v.Variant)
		for _, m := range v.Scores {
			fmt.Fprintf(&b, " %.3f |", m.RunFirst)
		}
		b.WriteString("\n")
	}
	if t := r.Topical; t != nil {
		fmt.Fprintf(&b, "\nTopical set %s, %d queries, %d judgments", t.Set, t.Queries, t.Judgments)
		if t.Skipped != "" {
			fmt.Fprintf(&b, ": skipped, %s.\n", t.Skipped)
		} else {
			b.WriteString(", nDCG@10 / P@10 (unjudged articles count as not relevant):\n\n| engine | nDCG@10 | P@10 |\n|---|---:|---:|\n")
			for _, m := range t.Scores {
				fmt.Fprintf(&b, "| %s | %.3f | %.3f |\n", m.Engine, m.NDCG10, m.Precision10)
			}
		}
	}
	b.WriteString("\n| engine | index build | mean query | what it is |\n|---|---:|---:|---|\n")
	for _, e := range r.Engines {
		build := fmt.Sprintf("%.1f s", e.BuildSec)
		if e.Reused {
			build += " (kept)"
		}
		fmt.Fprintf(&b, "| %s | %s | %.2f ms | %s |\n", e.Name, build, e.MeanQueryMS, e.Description)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeHeader writes the head of a table with a column per engine after
// the columns of first, aligned by firstRule and each engine's by rule.
func (r Report) writeHeader(b *strings.Builder, first, firstRule, rule string) {
	b.WriteString(first)
	for _, e := range r.Engines {
		fmt.Fprintf(b, " %s |", e.Name)
	}
	b.WriteString("\n" + firstRule)
	for range r.Engines {
		b.WriteString(rule)
	}
	b.WriteString("\n")
}
