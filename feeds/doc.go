// Package feeds keeps an index current from the sites it covers: it polls
// RSS and Atom feeds and news sitemaps, fetches the article pages that are
// new or changed, and applies the publish, update, unpublish and delete
// webhooks a CMS sends.
//
// Every page is fetched politely (a Fetcher: one request per second per
// host by default, robots.txt obeyed, conditional GETs, timeouts) and read
// with the HTML reader of package indexer. An article's id derives from its
// canonical URL (see ArticleID), so the same story reached through a feed,
// a sitemap and a webhook is one article.
//
// The package writes through a Writer and never logs: a Poller reports what
// it did in Status, and a webhook returns its outcome.
package feeds
