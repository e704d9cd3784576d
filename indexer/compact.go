package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/vnsearch/vnsearch/schema"
)

// Compact merges the segments of idx (of each of its shards) into one and
// waits until it is done. A search visits every segment, so an archive
// indexed in many batches answers several times faster once compacted. It
// is for the end of a bulk load: the index stays searchable meanwhile, and
// an index of another kind than bleve's default is left as it is.
func Compact(ctx context.Context, idx bleve.Index) error {
	for _, shard := range schema.ShardsOf(idx) {
		adv, err := shard.Advanced()
		if err != nil {
			return fmt.Errorf("compact: %w", err)
		}
		s, ok := adv.(*scorch.Scorch)
		if !ok {
			continue
		}
		if err := s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
			return fmt.Errorf("compact: %w", err)
		}
	}
	return ctx.Err()
}
