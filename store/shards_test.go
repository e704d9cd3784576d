package store

import (
	"fmt"
	"testing"
)

func TestPlanShards(t *testing.T) {
	tests := []struct {
		name     string
		articles map[int]int
		n        int
		want     string // each shard as from-to:articles
	}{
		{"one shard", map[int]int{2012: 4, 2013: 2, 0: 1}, 1, "[0-0:7]"},
		{"even years", map[int]int{2011: 10, 2012: 10, 2013: 10, 2014: 10}, 2, "[0-2012:20 2013-0:20]"},
		{"a heavy year alone", map[int]int{2011: 5, 2012: 5, 2013: 80, 2014: 5, 2015: 5}, 3, "[0-2012:10 2013-2013:80 2014-0:10]"},
		{"undated go last", map[int]int{2016: 10, 2017: 10, 2018: 10, 0: 10}, 2, "[0-2017:20 2018-0:20]"},
		{"fewer years than shards", map[int]int{2020: 3, 2021: 4}, 4, "[0-2020:3 2021-0:4]"},
		{"a year for every shard", map[int]int{2010: 100, 2011: 1, 2012: 1, 2013: 1}, 4, "[0-2010:100 2011-2011:1 2012-2012:1 2013-0:1]"},
		{"ten years in four", map[int]int{2015: 90, 2016: 100, 2017: 110, 2018: 100, 2019: 95, 2020: 105, 2021: 100, 2022: 100, 2023: 100, 2024: 100}, 4,
			"[0-2017:300 2018-2019:195 2020-2021:205 2022-0:300]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := PlanShards(tt.articles, tt.n)
			got := "["
			for i, s := range plan {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("%d-%d:%d", s.From, s.To, s.Articles)
				if s.Dir != fmt.Sprintf("shard-%d", i+1) {
					t.Errorf("shard %d in %q", i, s.Dir)
				}
			}
			got += "]"
			if got != tt.want {
				t.Errorf("PlanShards(%v, %d) = %s; want %s", tt.articles, tt.n, got, tt.want)
			}
			// Every year, and no date, has exactly one shard.
			for y := range tt.articles {
				held := 0
				for i, s := range plan {
					if s.Holds(y, i == len(plan)-1) {
						held++
					}
				}
				if held != 1 {
					t.Errorf("year %d is held by %d shards of %v", y, held, plan)
				}
			}
		})
	}
}
