package feeds

import (
	"context"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// Writer is where feeds, sitemaps and webhooks write their articles: the
// index's one indexer.Writer, shared with every other source. Both methods
// are durable on return; deleting an id that is not there is not an error.
type Writer interface {
	Put(ctx context.Context, articles ...schema.Article) error
	Delete(ctx context.Context, ids ...string) error
}

var _ Writer = (*indexer.Writer)(nil)
