package analyzers

import "github.com/blevesearch/bleve/v2/analysis"

// termArena holds the rewritten terms of one token stream in a few shared
// buffers, so a filter costs a few allocations per document instead of one
// per token. A term handed out is never written again. The zero value is
// ready; an arena belongs to one Filter call.
type termArena struct {
	buf []byte
}

// add appends a term with write and returns it. rest is the stream from the
// token being rewritten on; its terms' length sizes a new buffer, since a
// rewritten term is about as long as the original.
func (a *termArena) add(rest analysis.TokenStream, write func(dst []byte) []byte) []byte {
	if cap(a.buf)-len(a.buf) < 4*len(rest[0].Term) {
		n := 0
		for _, t := range rest {
			n += len(t.Term)
		}
		a.buf = make([]byte, 0, max(n+n/4+16, 2*cap(a.buf)))
	}
	start := len(a.buf)
	a.buf = write(a.buf)
	// The full slice expression keeps a later append from overwriting it.
	return a.buf[start:len(a.buf):len(a.buf)]
}
