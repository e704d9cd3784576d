package search

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

// placeArticles are about places before and after the reorganisation of
// 1 July 2025, which merged Nam Định into Ninh Bình and Bình Dương into
// TP Hồ Chí Minh.
var placeArticles = []schema.Article{
	{ID: "namdinh-2012", Title: "Nam Định khánh thành cầu Tân Phong",
		Body:      "Cây cầu nối hai huyện Ý Yên và Vụ Bản.",
		Published: time.Date(2012, 5, 25, 7, 5, 0, 0, schema.VietnamTime)},
	{ID: "ninhbinh-2025", Title: "Ninh Bình mới khởi công cầu qua sông Đáy",
		Lead:      "Phường Nam Định, trước là thành phố Nam Định, sẽ có thêm một cây cầu.",
		Published: time.Date(2025, 9, 2, 8, 0, 0, 0, schema.VietnamTime)},
	{ID: "periodic", Title: "Kiểm tra năm định kỳ các cây cầu yếu",
		Body:      "Bộ Giao thông vận tải yêu cầu kiểm tra năm định kỳ.",
		Published: time.Date(2013, 1, 2, 8, 0, 0, 0, schema.VietnamTime)},
	{ID: "hcm", Title: "TP.HCM xây thêm cầu vượt sông Sài Gòn",
		Published: time.Date(2019, 3, 1, 8, 0, 0, 0, schema.VietnamTime)},
	{ID: "binhduong", Title: "Bình Dương làm cầu nối với TP Thủ Đức",
		Published: time.Date(2020, 3, 1, 8, 0, 0, 0, schema.VietnamTime)},
}

func TestPlaceQuery(t *testing.T) {
	s := newTestSearcher(t, placeArticles...)
	tests := []struct {
		name string
		req  Request
		want []string
	}{
		{"a place before and after it merged", Request{Query: `cầu place:"Nam Định"`}, []string{"namdinh-2012", "ninhbinh-2025"}},
		{"typed without diacritics", Request{Query: `cau place:"nam dinh"`}, []string{"namdinh-2012", "ninhbinh-2025"}},
		{"the merged province", Request{Query: `place:"Ninh Bình"`}, []string{"namdinh-2012", "ninhbinh-2025"}},
		{"an abbreviation", Request{Query: "cầu place:hcm"}, []string{"binhduong", "hcm"}},
		{"excluded", Request{Query: `cầu place:"sai gon" -place:"Bình Dương"`}, []string{"hcm"}},
		{"a filter", Request{Query: "cầu", Places: []string{"TP.HCM"}}, []string{"binhduong", "hcm"}},
		{"any of two filters", Request{Query: "cầu", Places: []string{"Bình Dương", "nam dinh"}}, []string{"binhduong", "namdinh-2012", "ninhbinh-2025"}},
		{"a place the gazetteer does not know", Request{Query: "cầu place:Paris"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Search(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%+v) = %q; want %q", tt.req, got, tt.want)
			}
		})
	}
}

func TestPlaceFacet(t *testing.T) {
	s := newTestSearcher(t, placeArticles...)
	res, err := s.Search(context.Background(), Request{Query: "cầu"})
	if err != nil {
		t.Fatal(err)
	}
	want := []FacetCount{{"Nam Định", 2}, {"Ninh Bình", 2}, {"TP Hồ Chí Minh", 2}, {"Bình Dương", 1}}
	if !slices.Equal(res.Facets.Place, want) {
		t.Errorf("Facets.Place = %v; want %v", res.Facets.Place, want)
	}
}

func TestUnknownPlaceFilter(t *testing.T) {
	s := newTestSearcher(t, placeArticles...)
	_, err := s.Search(context.Background(), Request{Query: "cầu", Places: []string{"Paris"}})
	var pe *ParamError
	if !errors.As(err, &pe) || pe.Param != "place" {
		t.Errorf("Search with place Paris: %v; want a *ParamError for place", err)
	}
}
