package places

import "testing"

// BenchmarkAbout reads the judged articles: a cost every indexed article
// pays once.
func BenchmarkAbout(b *testing.B) {
	articles := readJudged(b)
	g := Default()
	size := 0
	for _, a := range articles {
		size += len(a.Title) + len(a.Lead) + len(a.Body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, a := range articles {
			g.About(a.Title, a.Lead, a.Body)
		}
	}
}
