package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/blevesearch/bleve/v2"

	"github.com/vnsearch/vnsearch/schema"
)

// Dump writes every article of idx to out as JSON Lines, one
// schema.Article a line, in the format the indexer reads: a dump indexed
// again, by this version of vnsearch or a later one, gives the same
// articles. It returns how many it wrote.
func Dump(ctx context.Context, idx bleve.Index, out io.Writer) (int, error) {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	n := 0
	err := schema.ReadArticles(ctx, idx, func(a schema.Article) error {
		if err := enc.Encode(a); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("dump: %w", err)
	}
	return n, nil
}
