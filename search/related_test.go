package search

import (
	"context"
	"errors"
	"testing"
)

func TestRelated(t *testing.T) {
	s, err := corpusSearcher()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, id string
		want     []string // any of these first
	}{
		// The other Nam Định ISO 9001 stories (testdata/relevance).
		{"ISO 9001 in Nam Định", "nd-2012-0001", []string{"nd-2011-0014", "nd-2019-0022"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := s.Related(context.Background(), tt.id, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 {
				t.Fatalf("Related(%s) found nothing", tt.id)
			}
			ok := false
			for _, w := range tt.want {
				ok = ok || hits[0].ID == w
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.ID)
				if h.ID == tt.id {
					t.Errorf("Related(%s) includes the article itself", tt.id)
				}
			}
			if !ok {
				t.Errorf("Related(%s) = %v; want one of %v first", tt.id, got, tt.want)
			}
		})
	}
	var pe *ParamError
	if _, err := s.Related(context.Background(), "no-such-article", 5); !errors.Is(err, ErrNotFound) {
		t.Errorf("Related(unknown) = %v; want ErrNotFound", err)
	}
	if _, err := s.Related(context.Background(), "nd-2012-0001", MaxRelated+1); !errors.As(err, &pe) || pe.Param != "size" {
		t.Errorf("Related(size %d) = %v; want a ParamError for size", MaxRelated+1, err)
	}
}
