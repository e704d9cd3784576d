package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/search"
)

// The province story and the football story have Nam Định in their
// titles; the science story names Hà Nội once, in passing; the periodic
// one has "năm định", which is no place.
func TestPlaceFacetAndFilter(t *testing.T) {
	ts := newTestServer(t, Options{})
	rec := serve(t, ts.Handler(), "GET", "/api/search?q=nam+dinh", "")
	var res search.Result
	decode(t, rec, &res)
	want := []search.FacetCount{{Value: "Nam Định", Count: 2}, {Value: "Ninh Bình", Count: 2}}
	if res.Facets == nil || !slices.Equal(res.Facets.Place, want) {
		t.Errorf("facets.place = %+v; want %+v", res.Facets, want)
	}

	tests := []struct {
		name, method, target, body string
		want                       []string
	}{
		{"place parameter", "GET", "/api/search?q=nam+dinh&sort=date&place=" + url.QueryEscape("Nam Định"), "", []string{"football", "province"}},
		{"the province since 2025", "GET", "/api/search?q=iso&place=" + url.QueryEscape("Ninh Bình"), "", []string{"province"}},
		{"folded and repeated", "GET", "/api/search?q=iso&place=hcm&place=nam+dinh", "", []string{"province"}},
		{"empty as a form sends it", "GET", "/api/search?q=iso+9001&sort=date&place=", "", []string{"periodic", "province"}},
		{"in the query", "GET", "/api/search?q=" + url.QueryEscape(`iso place:"nam dinh"`), "", []string{"province"}},
		{"JSON body", "POST", "/api/search", `{"q": "iso", "place": ["Nam Định"]}`, []string{"province"}},
		{"no hit about the place", "GET", "/api/search?q=iso&place=" + url.QueryEscape("Cà Mau"), "", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hitIDs(t, serve(t, ts.Handler(), tt.method, tt.target, tt.body)); !slices.Equal(got, tt.want) {
				t.Errorf("%s %s %s = %q; want %q", tt.method, tt.target, tt.body, got, tt.want)
			}
		})
	}

	rec = serve(t, ts.Handler(), "GET", "/api/search?q=iso&place=Paris", "")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"message":"place: \"Paris\" is not a province or city of Vietnam"`) {
		t.Errorf("place=Paris = %d %s; want 400 naming place", rec.Code, rec.Body)
	}
}

func TestSearchPagePlaceFilter(t *testing.T) {
	ts := newTestServer(t, Options{})
	p := getPage(t, ts.Handler(), "/?q=nam+dinh&place="+url.QueryEscape("Ninh Bình"))
	if p.status != http.StatusOK || len(p.hits) != 2 {
		t.Fatalf("status %d, %d hits; want 200 and the two articles about Nam Định", p.status, len(p.hits))
	}
	if got := p.selected["place"]; got != "Ninh Bình (2)" {
		t.Errorf("place shows %q; want Ninh Bình (2)", got)
	}
	if got, want := strings.Join(p.options["place"], "|"), "Mọi tỉnh, thành|Nam Định (2)|Ninh Bình (2)"; got != want {
		t.Errorf("place options %q; want %q", got, want)
	}
	if href := p.links["Bỏ lọc"]; href != "/?q=nam+dinh" {
		t.Errorf("Bỏ lọc links to %q; want /?q=nam+dinh", href)
	}
}
