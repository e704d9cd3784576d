package corpusgen

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

// titleModel makes new titles by walking the source titles: it starts
// with the words of one up to a pair of words another title has too, goes
// on with the words after that pair in the other title, and may jump
// again the same way, until the title it is in ends. Every three adjacent
// words of a generated title are then words some source title has in a
// row, which keeps them readable, while the jumps make new titles.
type titleModel struct {
	words [][]string // each source title's words
	// pairs holds, for each title, the keys of its pairs of adjacent
	// words: pairs[t][i-2] is that of words[t][i-2:i].
	pairs [][]string
	// next holds, for each pair of adjacent words ("lower(w1) lower(w2)"),
	// where titles have it: the title and the index of the word after it.
	next map[string][]wordAt
	// known holds the source titles, which a walk must not give back.
	known map[string]bool
	// maxWords bounds a generated title's length to the source titles'.
	maxWords int
}

// wordAt is the word at index pos of title; pos is the title's length
// at its end.
type wordAt struct {
	title int32
	pos   int16
}

// Bounds of a walk. More jumps make more distinct titles but longer and
// less readable ones; a title of fewer than minTitleWords words is too
// vague to find an article by. Titles are cut at maxTitleWords: longer
// first lines are a lead run into the title.
const (
	titleTries    = 32
	extraJumps    = 2
	jumpChance    = 0.7
	minTitleWords = 5
	maxTitleWords = 40
)

// add takes in a source title and returns its number.
func (tm *titleModel) add(title string) int32 {
	if tm.next == nil {
		tm.next, tm.known = map[string][]wordAt{}, map[string]bool{}
	}
	id := int32(len(tm.words))
	w := strings.Fields(title)
	if len(w) > maxTitleWords {
		w = w[:maxTitleWords]
	}
	tm.words = append(tm.words, w)
	tm.known[strings.Join(w, " ")] = true
	tm.maxWords = max(tm.maxWords, len(w))
	var keys []string
	for i := 2; i <= len(w); i++ {
		k := strings.ToLower(w[i-2]) + " " + strings.ToLower(w[i-1])
		keys = append(keys, k)
		tm.next[k] = append(tm.next[k], wordAt{id, int16(i)})
	}
	tm.pairs = append(tm.pairs, keys)
	return id
}

// recombine returns a new title walked from one of starts, or, after
// titleTries walks that give a source title, one given has, or a length
// out of range, the title fallback unchanged. It adds the title it
// returns to given.
func (tm *titleModel) recombine(rng *rand.Rand, starts []int32, fallback int32, given *givenTitles) string {
	out := make([]string, 0, tm.maxWords+1)
	for range titleTries {
		a := starts[rng.IntN(len(starts))]
		w := tm.words[a]
		if len(w) < 3 {
			continue
		}
		i := tm.pivot(rng, a)
		if i < 0 {
			continue
		}
		t, at, ok := tm.jump(rng, a, i)
		if !ok {
			continue
		}
		out = append(out[:0], w[:i]...)
		for jumps := 0; at < len(tm.words[t]) && len(out) <= tm.maxWords; at++ {
			if jumps < extraJumps && rng.Float64() < jumpChance {
				if t2, at2, ok := tm.jump(rng, t, at); ok {
					t, at = t2, at2
					jumps++
				}
			}
			out = append(out, tm.words[t][at])
		}
		if len(out) < minTitleWords || len(out) > tm.maxWords {
			continue
		}
		if title := strings.Join(out, " "); !tm.known[title] && given.add(title) {
			return title
		}
	}
	title := strings.Join(tm.words[fallback], " ")
	given.add(title)
	return title
}

// givenTitlesPerSource sizes the memory of the titles given: so many
// slots per source title, 8 bytes each.
const givenTitlesPerSource = 64

// givenTitles remembers the titles generated so far, so that a walk
// giving one again is drawn anew, in a table of fixed size so that memory
// stays the source's however many articles are generated: a hash per
// slot, a new title taking the slot of an older one with the same place.
// Titles repeat again once the articles outnumber the slots several times.
// The hash is fixed, not seeded per process, so that the same seed gives
// the same articles.
type givenTitles struct {
	slots []uint64
}

func newGivenTitles(sourceTitles int) *givenTitles {
	return &givenTitles{slots: make([]uint64, givenTitlesPerSource*max(sourceTitles, 1))}
}

// add remembers title and reports whether it was new, as far as the
// table remembers.
func (g *givenTitles) add(title string) bool {
	f := fnv.New64a()
	f.Write([]byte(title))
	h := f.Sum64() | 1 // 0 marks an empty slot
	slot := &g.slots[h%uint64(len(g.slots))]
	if *slot == h {
		return false
	}
	*slot = h
	return true
}

// pivot picks where in w a walk leaves it: the index of the word after a
// pair other titles have too, with a chance growing with how many have it,
// since a pair few titles share leads to few different titles. It returns
// -1 when no pair of title a is shared.
func (tm *titleModel) pivot(rng *rand.Rand, a int32) int {
	var weights [maxTitleWords]int
	total := 0
	for i := 2; i < len(tm.words[a]); i++ {
		weights[i] = len(tm.next[tm.pairs[a][i-2]]) - 1
		total += weights[i]
	}
	if total == 0 {
		return -1
	}
	r := rng.IntN(total)
	for i := 2; ; i++ {
		if r -= weights[i]; r < 0 {
			return i
		}
	}
}

// jump picks a title other than from with the pair of words before index
// at of from, and at least one word after it, and returns it and the index
// of that word.
func (tm *titleModel) jump(rng *rand.Rand, from int32, at int) (int32, int, bool) {
	others := tm.next[tm.pairs[from][at-2]]
	if len(others) < 2 {
		return 0, 0, false
	}
	o := others[rng.IntN(len(others))]
	if o.title == from || int(o.pos) >= len(tm.words[o.title]) {
		return 0, 0, false
	}
	return o.title, int(o.pos), true
}
