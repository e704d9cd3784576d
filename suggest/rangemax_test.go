package suggest

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRangeBestOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 7, 100} {
		byRank := make([]int32, n)
		for i := range byRank {
			byRank[i] = int32(i)
		}
		rng.Shuffle(n, func(i, j int) { byRank[i], byRank[j] = byRank[j], byRank[i] })
		rb := newRangeBest(byRank)
		for range 20 {
			lo := rng.IntN(n)
			hi := lo + 1 + rng.IntN(n-lo)
			var got, want []int
			rb.each(lo, hi, func(i int) bool { got = append(got, i); return true })
			for _, i := range byRank {
				if int(i) >= lo && int(i) < hi {
					want = append(want, int(i))
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d each(%d, %d) = %v; want %v", n, lo, hi, got, want)
			}
		}
	}
}
