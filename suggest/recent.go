package suggest

import (
	"iter"
	"maps"
	"sort"

	"github.com/vnsearch/vnsearch/schema"
)

// state is what a Suggester answers with: a build and the articles
// written since. It is immutable; Apply and Build replace it.
type state struct {
	base   *suggestions
	recent recent
	// generation is the index's write generation the state reflects.
	generation uint64
}

// recent holds the headlines of the articles written or deleted since the
// build, suggested beside the build's and in place of their old versions.
// Between builds it grows by the articles written; a Build folds it in.
type recent struct {
	changes map[string]change // article id → its last change since the build
	docs    []titleDoc        // the titles written, old versions included; shared between states, appended to only
	titles  []titleEntry      // into docs, current versions only, by folded
}

// change is the last write of one article since the build.
type change struct {
	doc        int32  // into recent.docs; -1 for a deletion
	generation uint64 // the write generation that made it
}

// Apply adds what a batch of writes changed, the write generation gen
// after it: the headlines of the changed articles are suggested at once,
// those of the deleted ones no longer. The phrases' statistics are not
// updated: they follow the archive at the next Build. Apply must be called
// with the batches in the order of their generations.
func (s *Suggester) Apply(gen uint64, changed []schema.Article, deleted []string) {
	s.apply.Lock()
	defer s.apply.Unlock()
	old := s.current.Load()
	if old == nil {
		// Nothing built or loaded yet: kept for the first Build or Load,
		// which may read the index as it was before these writes.
		if s.early == nil {
			s.early = &state{}
		}
		s.early = &state{generation: gen, recent: s.early.recent.with(gen, changed, deleted)}
		return
	}
	next := &state{base: old.base, generation: gen, recent: old.recent.with(gen, changed, deleted)}
	s.current.Store(next)
}

// replace makes next current, with the writes applied before it that it
// may not reflect; the caller holds s.apply.
func (s *Suggester) replace(next *state) {
	prev := s.current.Load()
	if prev == nil {
		prev, s.early = s.early, nil
	}
	if prev != nil {
		next = next.with(prev.recent.since(next.base.generation))
	}
	s.current.Store(next)
}

// RecentShare is how many articles, as a share of those the build read,
// may be written after it before RefreshDue says the build should be
// made again: the phrases' statistics then lag the archive by at most
// that share, and Build, which reads every article, runs rarely under a
// steady feed.
const RecentShare = 0.02

// minRecentRefresh is the fewest recent articles that make a Build due,
// for a small archive.
const minRecentRefresh = 500

// RefreshDue reports whether enough articles were written since the build
// that it should be made again.
func (s *Suggester) RefreshDue() bool {
	st := s.current.Load()
	return st != nil && len(st.recent.changes) >= max(minRecentRefresh, int(RecentShare*float64(st.base.stats.Articles)))
}

// with returns r with one batch of writes applied.
func (r recent) with(gen uint64, changed []schema.Article, deleted []string) recent {
	next := recent{changes: maps.Clone(r.changes), docs: r.docs}
	if next.changes == nil {
		next.changes = map[string]change{}
	}
	added := make([]titleDoc, 0, len(changed))
	for _, a := range changed {
		next.changes[a.ID] = change{doc: int32(len(next.docs) + len(added)), generation: gen}
		added = append(added, titleDoc{id: a.ID, title: a.Title, published: unixOrZero(a.Published)})
	}
	for _, id := range deleted {
		next.changes[id] = change{doc: -1, generation: gen}
	}
	entries := titleEntries(added)
	for i := range entries {
		entries[i].doc += int32(len(next.docs))
	}
	next.docs = append(next.docs, added...)
	// Merge the sorted new entries with the old ones still current.
	next.titles = make([]titleEntry, 0, len(r.titles)+len(entries))
	i, j := 0, 0
	for i < len(r.titles) || j < len(entries) {
		if i < len(r.titles) && !next.current(r.titles[i]) {
			i++
			continue
		}
		if j == len(entries) || i < len(r.titles) && next.key(r.titles[i]) <= next.key(entries[j]) {
			next.titles = append(next.titles, r.titles[i])
			i++
		} else {
			next.titles = append(next.titles, entries[j])
			j++
		}
	}
	return next
}

// current reports whether e is of an article's last version.
func (r *recent) current(e titleEntry) bool {
	c, ok := r.changes[r.docs[e.doc].id]
	return ok && c.doc == e.doc
}

func (r *recent) key(e titleEntry) string {
	return r.docs[e.doc].folded[e.folded:]
}

// since returns the changes of r made after generation gen, oldest first,
// as batches to apply again.
func (r recent) since(gen uint64) []batch {
	byGen := map[uint64]*batch{}
	for id, c := range r.changes {
		if c.generation <= gen {
			continue
		}
		b := byGen[c.generation]
		if b == nil {
			b = &batch{generation: c.generation}
			byGen[c.generation] = b
		}
		if c.doc < 0 {
			b.deleted = append(b.deleted, id)
			continue
		}
		d := r.docs[c.doc]
		b.changed = append(b.changed, titleDoc{id: d.id, title: d.title, published: d.published})
	}
	out := make([]batch, 0, len(byGen))
	for _, b := range byGen {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].generation < out[j].generation })
	return out
}

// batch is the changes of one write generation.
type batch struct {
	generation uint64
	changed    []titleDoc
	deleted    []string
}

func (b batch) articles() []schema.Article {
	out := make([]schema.Article, len(b.changed))
	for i, d := range b.changed {
		out[i] = schema.Article{ID: d.id, Title: d.title}
		if d.published != 0 {
			out[i].Published = unixTime(d.published)
		}
	}
	return out
}

// with returns st with batches applied, oldest first.
func (st *state) with(batches []batch) *state {
	next := *st
	for _, b := range batches {
		next.recent = next.recent.with(b.generation, b.articles(), b.deleted)
		next.generation = max(next.generation, b.generation)
	}
	return &next
}

func (st *state) stats() Stats {
	out := st.base.stats
	out.Recent = len(st.recent.changes)
	if len(st.recent.changes) == 0 {
		return out
	}
	for _, d := range st.base.docs {
		if _, ok := st.recent.changes[d.id]; ok {
			out.Titles--
		}
	}
	for _, c := range st.recent.changes {
		if c.doc >= 0 {
			out.Titles++
		}
	}
	return out
}

// title resolves a candidate of titleCandidates: an index into the
// build's titles, then past them into the recent ones.
func (st *state) title(i int) titleRef {
	if n := len(st.base.titles); i >= n {
		return resolveTitle(st.recent.docs, st.recent.titles[i-n])
	}
	return resolveTitle(st.base.docs, st.base.titles[i])
}

// titleCandidates yields the titles whose folded form starts with pfx:
// the build's, but for articles changed since, then the recent ones.
func (st *state) titleCandidates(pfx string) iter.Seq[int] {
	sg := st.base
	var skip func(int) bool
	if len(st.recent.changes) > 0 {
		skip = func(i int) bool {
			_, changed := st.recent.changes[sg.docs[sg.titles[i].doc].id]
			return changed
		}
	}
	built := sg.popularPrefix(len(sg.titles), sg.titlesByWord, pfx, func(i int) string { return resolveTitle(sg.docs, sg.titles[i]).folded }, skip)
	return func(yield func(int) bool) {
		for i := range built {
			if !yield(i) {
				return
			}
		}
		r := &st.recent
		lo, hi := prefixRange(len(r.titles), func(i int) string { return r.key(r.titles[i]) }, pfx)
		for i := lo; i < hi; i++ {
			if !yield(len(sg.titles) + i) {
				return
			}
		}
	}
}
