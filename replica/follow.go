package replica

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// follow applies the stream to the index until ctx is done, starting
// again after a failure.
func (n *Node) follow(ctx context.Context) {
	for {
		err := n.consume(ctx)
		if ctx.Err() != nil {
			return
		}
		n.opts.OnError(fmt.Errorf("follow the stream: %w", err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// consume reads the stream from the message after the last one applied,
// and applies it in batches: whatever has arrived while the last batch was
// written, so that a quiet stream is applied a message at a time, at once,
// and a busy one in large batches.
func (n *Node) consume(ctx context.Context) error {
	// An ordered consumer recreates itself, from where it was, when its
	// server goes away.
	cons, err := n.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   n.writer.Sequence() + 1,
	})
	if err != nil {
		return err
	}
	msgs := make(chan jetstream.Msg, n.opts.BatchSize)
	cc, err := cons.Consume(func(m jetstream.Msg) {
		select {
		case msgs <- m:
		case <-ctx.Done():
		}
	}, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		n.opts.OnError(fmt.Errorf("follow the stream: %w", err))
	}),
		// A server lost is noticed by the heartbeats it no longer sends,
		// and the consumer made again on another: at most a second or
		// two of delay instead of the default's 30.
		jetstream.PullHeartbeat(500*time.Millisecond), jetstream.PullExpiry(2*time.Second))
	if err != nil {
		return err
	}
	defer cc.Stop()
	var batch []jetstream.Msg
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-msgs:
			batch = append(batch[:0], m)
		}
	more:
		for len(batch) < n.opts.BatchSize {
			select {
			case m := <-msgs:
				batch = append(batch, m)
			default:
				break more
			}
		}
		// A batch that cannot be written (a full disk) is tried again
		// until it is: the stream is applied in order or not at all.
		for {
			err := n.apply(ctx, batch)
			if err == nil {
				break
			}
			n.opts.OnError(fmt.Errorf("apply the stream: %w", err))
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(time.Second):
			}
		}
	}
}

// apply writes a batch of messages to the index, with the sequence of the
// last in the same index batch. Messages applied already are skipped, so
// that applying is idempotent.
func (n *Node) apply(ctx context.Context, msgs []jetstream.Msg) error {
	done := n.writer.Sequence()
	records := make([]indexer.Record, 0, len(msgs))
	tokens := make([]string, 0, len(msgs))
	var top uint64
	for _, m := range msgs {
		meta, err := m.Metadata()
		if err != nil {
			return err
		}
		seq := meta.Sequence.Stream
		n.sawLast(seq + meta.NumPending)
		if seq <= done {
			continue
		}
		top = max(top, seq)
		records = append(records, n.record(m, seq, len(records)))
		tokens = append(tokens, m.Headers().Get(jetstream.MsgIDHeader))
	}
	if len(records) == 0 {
		return nil
	}
	results := make([]indexer.Result, len(records))
	if _, err := n.writer.Apply(ctx, slices.Values(records), func(o indexer.Outcome) {
		results[o.Line] = o.Result
	}); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for i, token := range tokens {
		if w := n.waiting[token]; w != nil {
			w.result, w.applied = results[i], true
		}
	}
	n.applied = max(n.applied, top)
	close(n.progress)
	n.progress = make(chan struct{})
	return nil
}

// record reads the record of a message; one that cannot be read is
// rejected by the writer, with the sequence moving on past it.
func (n *Node) record(m jetstream.Msg, seq uint64, line int) indexer.Record {
	rec := indexer.Record{Line: line, Sequence: seq}
	id, err := n.subject.id(m.Subject())
	if err != nil {
		rec.Err = err
		return rec
	}
	if m.Headers().Get(opHeader) == opDelete {
		rec.Article, rec.Delete = schema.Article{ID: id}, true
		return rec
	}
	if err := json.Unmarshal(m.Data(), &rec.Article); err != nil {
		rec.Err = fmt.Errorf("message %d: %w", seq, err)
	}
	rec.Article.ID = id
	return rec
}
