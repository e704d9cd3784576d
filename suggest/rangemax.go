package suggest

import "container/heap"

// rangeBest finds the best entries of any range of a sorted slice by a
// fixed rank (0 best), in O(log n) each: a segment tree of the index with
// the lowest rank over each span. It lets a one-letter prefix, which
// matches a large share of the entries, be answered from its few hundred
// most popular matches without looking at the others. It is read-only
// once built and safe for concurrent use.
type rangeBest struct {
	rank []int32 // entry → rank
	// tree[p] = the better of node(2p), node(2p+1), for p < n; the leaves,
	// node(n+i) = i, are not stored.
	tree []int32
}

func (rb rangeBest) node(p int) int32 {
	if n := len(rb.rank); p >= n {
		return int32(p - n)
	}
	return rb.tree[p]
}

func newRangeBest(byRank []int32) rangeBest {
	rank := make([]int32, len(byRank))
	for r, i := range byRank {
		rank[i] = int32(r)
	}
	return newRangeBestOfRanks(rank)
}

// newRangeBestOfRanks builds the table from the rank of each entry.
func newRangeBestOfRanks(rank []int32) rangeBest {
	n := len(rank)
	rb := rangeBest{rank: rank, tree: make([]int32, n)}
	for p := n - 1; p > 0; p-- {
		rb.tree[p] = rb.better(rb.node(2*p), rb.node(2*p+1))
	}
	return rb
}

func (rb rangeBest) better(a, b int32) int32 {
	if rb.rank[b] < rb.rank[a] {
		return b
	}
	return a
}

// best returns the index of the best-ranked entry in [lo, hi), hi > lo.
func (rb rangeBest) best(lo, hi int) int32 {
	n := len(rb.rank)
	out := int32(lo)
	for l, r := lo+n, hi+n; l < r; l, r = l/2, r/2 {
		if l&1 == 1 {
			out = rb.better(out, rb.node(l))
			l++
		}
		if r&1 == 1 {
			r--
			out = rb.better(out, rb.node(r))
		}
	}
	return out
}

// each calls yield with the entries of [lo, hi) best first, until it
// returns false.
func (rb rangeBest) each(lo, hi int, yield func(int) bool) {
	if lo >= hi {
		return
	}
	q := &spanHeap{rb: rb}
	heap.Push(q, rangeSpan{lo, hi, rb.best(lo, hi)})
	for q.Len() > 0 {
		s := heap.Pop(q).(rangeSpan)
		if !yield(int(s.top)) {
			return
		}
		if int(s.top) > s.start {
			heap.Push(q, rangeSpan{s.start, int(s.top), rb.best(s.start, int(s.top))})
		}
		if int(s.top)+1 < s.end {
			heap.Push(q, rangeSpan{int(s.top) + 1, s.end, rb.best(int(s.top)+1, s.end)})
		}
	}
}

type rangeSpan struct {
	start, end int
	top        int32
}

// spanHeap orders spans by the rank of their best entry.
type spanHeap struct {
	rb    rangeBest
	spans []rangeSpan
}

func (h *spanHeap) Len() int           { return len(h.spans) }
func (h *spanHeap) Less(i, j int) bool { return h.rb.rank[h.spans[i].top] < h.rb.rank[h.spans[j].top] }
func (h *spanHeap) Swap(i, j int)      { h.spans[i], h.spans[j] = h.spans[j], h.spans[i] }
func (h *spanHeap) Push(x any)         { h.spans = append(h.spans, x.(rangeSpan)) }
func (h *spanHeap) Pop() any {
	s := h.spans[len(h.spans)-1]
	h.spans = h.spans[:len(h.spans)-1]
	return s
}
