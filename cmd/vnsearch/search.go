package main

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/vnsearch/vnsearch/schema"
	"github.com/vnsearch/vnsearch/search"
	"github.com/vnsearch/vnsearch/store"
)

func runSearch(ctx context.Context, args []string, e env) error {
	fs := newFlags("search", "QUERY", e)
	dir := indexFlag(fs, e)
	asJSON := fs.Bool("json", false, "print the result as JSON, in the API's shape")
	size := fs.Int("size", search.DefaultSize, "hits to show")
	page := fs.Int("page", 1, "page of hits to show")
	op := fs.String("op", string(search.And), `"and" (every word) or "or" (any word)`)
	sort := fs.String("sort", search.SortRelevance, `"relevance", "date" (newest first) or "-date"`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	q := joinArgs(fs.Args())
	if q == "" {
		return fmt.Errorf("%w: no query", errUsage)
	}
	// Searching never writes to the index, not even the spellings
	// Prepare learns.
	idx, _, err := store.OpenReadOnly(*dir)
	err = withRebuildHint(err, *dir)
	if err != nil {
		return err
	}
	defer idx.Close()
	searcher := search.New(idx, search.Options{ReadOnly: true})
	if err := searcher.Prepare(); err != nil {
		return err
	}
	res, err := searcher.Search(ctx, search.Request{
		Query: q, Size: *size, Page: *page, Operator: search.Operator(*op), Sort: *sort,
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, res)
	}
	printResult(e, res)
	return nil
}

// printResult prints hits for people: rank, title, date and section, then
// the snippet with matched words emphasised.
func printResult(e env, res search.Result) {
	emph := func(s string) string { return "«" + s + "»" }
	if isTerminal(e.stdout) {
		emph = func(s string) string { return "\033[1m" + s + "\033[0m" }
	}
	if res.Relaxed {
		fmt.Fprintln(e.stdout, "No article has every word; showing articles with some of them.")
	}
	fmt.Fprintf(e.stdout, "%d results (%.1f ms)\n", res.Total, res.TookMS)
	for i, h := range res.Hits {
		fmt.Fprintf(e.stdout, "\n%d. %s\n", (res.Page-1)*res.Size+i+1, fromHTML(h.TitleHTML, emph))
		var meta []string
		if h.Date != nil {
			meta = append(meta, h.Date.In(schema.VietnamTime).Format("02/01/2006 15:04"))
		}
		for _, s := range []string{h.Section, h.Author, h.ID} {
			if s != "" {
				meta = append(meta, s)
			}
		}
		fmt.Fprintf(e.stdout, "   %s\n   %s\n", strings.Join(meta, " · "), fromHTML(h.Snippet, emph))
	}
}

// fromHTML turns a highlighted HTML fragment back into text, passing each
// marked word through emph.
func fromHTML(s string, emph func(string) string) string {
	var b strings.Builder
	for {
		before, rest, ok := strings.Cut(s, "<mark>")
		b.WriteString(html.UnescapeString(before))
		if !ok {
			return b.String()
		}
		marked, after, _ := strings.Cut(rest, "</mark>")
		b.WriteString(emph(html.UnescapeString(marked)))
		s = after
	}
}
