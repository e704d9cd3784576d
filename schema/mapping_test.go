package schema

import (
	"slices"
	"testing"
	"time"
)

func TestDocumentFacets(t *testing.T) {
	tests := []struct {
		name string
		a    Article
		want []string
	}{
		{
			"section, year and places before and after 1 July 2025",
			Article{
				Title:     "Nam Định khởi công cầu vượt sông Đáy",
				Section:   "Xã hội",
				Published: time.Date(2012, 5, 25, 7, 5, 0, 0, VietnamTime),
			},
			[]string{"section:Xã hội", "year:2012", "place:Nam Định", "place:Ninh Bình"},
		},
		{
			"no place in năm định",
			Article{Title: "Kế hoạch năm định hướng đầu tư", Body: "Năm định hướng."},
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := Document(tt.a)[Facets].([]string)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Document(%q)[%s] = %q; want %q", tt.a.Title, Facets, got, tt.want)
			}
		})
	}
}
