package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/schema"
)

// opHeader, set to opDelete, makes a message the deletion of its subject's
// article; a message without it holds the article, in JSON.
const (
	opHeader = "Vnsearch-Op"
	opDelete = "delete"
)

// ErrTooLarge rejects an article larger than a NATS message may be.
var ErrTooLarge = errors.New("article larger than the cluster's message size limit")

// waiter is a write of this node waiting for its message to be applied.
type waiter struct {
	result  indexer.Result
	applied bool
}

// Put writes articles through the stream; see Apply.
func (n *Node) Put(ctx context.Context, articles ...schema.Article) error {
	return n.applyAll(ctx, func(yield func(indexer.Record) bool) {
		for _, a := range articles {
			if !yield(indexer.Record{Article: a}) {
				return
			}
		}
	})
}

// Delete removes articles through the stream; see Apply.
func (n *Node) Delete(ctx context.Context, ids ...string) error {
	return n.applyAll(ctx, func(yield func(indexer.Record) bool) {
		for _, id := range ids {
			if !yield(indexer.Record{Article: schema.Article{ID: id}, Delete: true}) {
				return
			}
		}
	})
}

// applyAll applies records and returns the first rejection, if any.
func (n *Node) applyAll(ctx context.Context, records iter.Seq[indexer.Record]) error {
	var rejected error
	_, err := n.Apply(ctx, records, func(o indexer.Outcome) {
		if o.Result == indexer.Rejected && rejected == nil {
			rejected = fmt.Errorf("article %q: %w", o.ID, o.Err)
		}
	})
	if err != nil {
		return err
	}
	return rejected
}

// Apply writes records as indexer.Writer.Apply does, through the stream:
// each batch is checked, published, acknowledged by JetStream, then applied
// by this node, before its outcomes are reported, in input order. It fails
// with ErrNoQuorum when JetStream does not acknowledge a batch within
// Options.Timeout, and with ErrBehind when this node does not apply it
// within Options.ApplyTimeout (the write is then in the stream, and every
// node applies it).
// The outcomes reported before an error stay true.
func (n *Node) Apply(ctx context.Context, records iter.Seq[indexer.Record], report func(indexer.Outcome)) (indexer.Stats, error) {
	var (
		st    indexer.Stats
		batch []indexer.Record
		err   error
	)
	flush := func() error {
		outcomes, err := n.write(ctx, batch)
		batch = batch[:0]
		for _, o := range outcomes {
			st.Add(o.Result)
			if report != nil {
				report(o)
			}
		}
		return err
	}
	for rec := range records {
		if err = ctx.Err(); err != nil {
			break
		}
		batch = append(batch, rec)
		if len(batch) >= n.opts.BatchSize {
			if err = flush(); err != nil {
				break
			}
		}
	}
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	return st, err
}

// write publishes one batch and returns its outcomes once this node has
// applied it.
func (n *Node) write(ctx context.Context, records []indexer.Record) ([]indexer.Outcome, error) {
	outcomes := make([]indexer.Outcome, len(records))
	last := map[string]int{} // id → its last record in the batch, the one published
	for i := range records {
		rec, err := indexer.PrepareRecord(records[i])
		records[i] = rec
		outcomes[i] = indexer.Outcome{Line: rec.Line, ID: rec.Article.ID}
		if err != nil {
			outcomes[i].Result, outcomes[i].Err = indexer.Rejected, err
			continue
		}
		last[rec.Article.ID] = i
	}
	type published struct {
		record int
		token  string
		ack    jetstream.PubAckFuture
	}
	var sent []published
	defer func() {
		n.mu.Lock()
		for _, p := range sent {
			delete(n.waiting, p.token)
		}
		n.mu.Unlock()
	}()
	for i, rec := range records {
		if outcomes[i].Result == indexer.Rejected || last[rec.Article.ID] != i {
			continue
		}
		msg, err := n.message(rec)
		if err != nil {
			outcomes[i].Result, outcomes[i].Err = indexer.Rejected, err
			continue
		}
		token := n.id + "." + strconv.FormatUint(n.counter.Add(1), 10)
		// Registered before it is sent: this node may apply it before
		// the acknowledgement arrives.
		n.mu.Lock()
		n.waiting[token] = &waiter{}
		n.mu.Unlock()
		sent = append(sent, published{record: i, token: token})
		ack, err := n.js.PublishMsgAsync(msg, jetstream.WithMsgID(token))
		if err != nil {
			n.refused.Add(1)
			return nil, fmt.Errorf("%w: %w", ErrNoQuorum, err)
		}
		sent[len(sent)-1].ack = ack
	}
	// JetStream has no quorum when it acknowledges nothing for a while;
	// a large batch on a busy cluster may take longer than that in all.
	stalled := time.NewTimer(n.opts.Timeout)
	defer stalled.Stop()
	var top uint64
	for _, p := range sent {
		select {
		case ack := <-p.ack.Ok():
			top = max(top, ack.Sequence)
			stalled.Reset(n.opts.Timeout)
		case err := <-p.ack.Err():
			n.refused.Add(1)
			return nil, fmt.Errorf("%w: %w", ErrNoQuorum, err)
		case <-stalled.C:
			n.refused.Add(1)
			return nil, fmt.Errorf("%w: no acknowledgement for %v", ErrNoQuorum, n.opts.Timeout)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	n.sawLast(top)
	applyCtx, cancelApply := context.WithTimeout(ctx, n.opts.ApplyTimeout)
	defer cancelApply()
	if err := n.waitApplied(applyCtx, top); err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, p := range sent {
		// A message replaced by a later write of the same article before
		// this node read it was never applied here: it was written, and
		// then overwritten.
		if w := n.waiting[p.token]; w.applied {
			outcomes[p.record].Result = w.result
		} else if records[p.record].Delete {
			outcomes[p.record].Result = indexer.Deleted
		} else {
			outcomes[p.record].Result = indexer.Indexed
		}
	}
	// An earlier record of an id in the batch was replaced by its last.
	for i, rec := range records {
		if outcomes[i].Result != "" {
			continue
		}
		outcomes[i].Result = indexer.Indexed
		if rec.Delete {
			outcomes[i].Result = indexer.Deleted
		}
	}
	return outcomes, nil
}

// message returns the message of a prepared record.
func (n *Node) message(rec indexer.Record) (*nats.Msg, error) {
	msg := nats.NewMsg(n.subject.of(rec.Article.ID))
	if rec.Delete {
		msg.Header.Set(opHeader, opDelete)
		return msg, nil
	}
	data, err := json.Marshal(rec.Article)
	if err != nil {
		return nil, err
	}
	// Headers and the subject take a few hundred bytes more.
	if int64(len(data))+1024 > n.nc.MaxPayload() {
		return nil, &indexer.FieldError{Field: "body", Err: ErrTooLarge}
	}
	msg.Data = data
	return msg, nil
}

// waitApplied returns once this node has applied the stream up to seq, or
// an error wrapping ErrBehind when ctx is done first.
func (n *Node) waitApplied(ctx context.Context, seq uint64) error {
	for {
		n.mu.Lock()
		applied, progress := n.applied, n.progress
		n.mu.Unlock()
		if applied >= seq {
			return nil
		}
		select {
		case <-progress:
		case <-ctx.Done():
			return fmt.Errorf("%w: the write is in the cluster's log (message %d) but not yet applied here (at %d); every node applies it", ErrBehind, seq, applied)
		}
	}
}
