package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// ErrNotArticle reports a page the HTML reader finds no article in: no
// title and no text, or text that is not valid in its declared encoding.
var ErrNotArticle = errors.New("no article in the page")

// fetched is an article page got and read.
type fetched struct {
	article  schema.Article // prepared, with its id
	response *Response      // NotModified when the copy held is current
}

// fetchArticle gets the page at r.URL and reads its article, whose id comes
// from its canonical URL: the page's canonical link, else the address it
// was served from after redirects.
func fetchArticle(ctx context.Context, f *Fetcher, r Request) (fetched, error) {
	res, err := f.Get(ctx, r)
	if err != nil || res.NotModified {
		return fetched{response: res}, err
	}
	a, err := indexer.ReadPage(bytes.NewReader(res.Body), res.URL)
	if err != nil {
		return fetched{}, fmt.Errorf("%s: %w: %w", r.URL, ErrNotArticle, err)
	}
	if a.URL, err = Canonical(a.URL); err != nil {
		return fetched{}, fmt.Errorf("%s: canonical link: %w", r.URL, err)
	}
	a.ID = ArticleID(a.URL)
	if a, err = indexer.Prepare(a); err != nil {
		return fetched{}, fmt.Errorf("%s: %w: %w", r.URL, ErrNotArticle, err)
	}
	return fetched{article: a, response: res}, nil
}
