package search

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/vnsearch/vnsearch/schema"
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

// bodyTwins are two reports of one shrimp disease whose titles and leads
// share no word: only their bodies are alike. "shrimpPrice" has the
// subject's word in its title and nothing else in common.
var bodyTwins = []schema.Article{
	{ID: "shrimp-1", Title: "Chuyện ở một làng chài", Lead: "Vụ đầu năm của nhiều gia đình coi như mất.",
		Body: "Dịch bệnh đốm trắng bùng phát trên tôm thẻ chân trắng khiến hàng chục hộ nuôi tôm ở đầm Thị Nại thiệt hại nặng."},
	{ID: "shrimp-2", Title: "Ghi chép cuối tuần", Lead: "Người Quy Nhơn kể về mùa khó khăn.",
		Body: "Các hộ nuôi tôm thẻ chân trắng quanh đầm Thị Nại lại gặp dịch bệnh đốm trắng, nhiều ao tôm phải xả bỏ."},
	{ID: "shrimp-price", Title: "Giá tôm xuất khẩu tăng mạnh",
		Body: "Kim ngạch xuất khẩu thủy sản quý một đạt hơn hai tỷ đô la Mỹ."},
}

func TestRelatedAlikeOnlyInBody(t *testing.T) {
	s := newTestSearcher(t, append(slices.Clone(rankingArticles), bodyTwins...)...)
	for _, pair := range [][2]string{{"shrimp-1", "shrimp-2"}, {"shrimp-2", "shrimp-1"}} {
		hits, err := s.Related(context.Background(), pair[0], 5)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.ID)
		}
		if len(got) == 0 || got[0] != pair[1] {
			t.Errorf("Related(%s) = %v; want %s, alike in the body only, first", pair[0], got, pair[1])
		}
	}
}
