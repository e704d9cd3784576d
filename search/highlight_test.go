package search

import (
	"strings"
	"testing"

	"github.com/vnsearch/vnsearch/analyzers"
	vnquery "github.com/vnsearch/vnsearch/query"
)

func TestSnippet(t *testing.T) {
	filler := strings.Repeat("Người dân trong xã vẫn đi làm đồng như mọi ngày. ", 6)
	tests := []struct {
		name, query, text string
		maxRunes          int
		want              string
	}{
		{"folded query marks words as published", "nam dinh",
			"Tỉnh Nam Định có 32 cơ quan áp dụng ISO.", 60,
			"Tỉnh <mark>Nam</mark> <mark>Định</mark> có 32 cơ quan áp dụng ISO."},
		{"diacritics mark only the words as typed", "Nam Định",
			"Năm nay tỉnh Nam Định mở rộng.", 60,
			"Năm nay tỉnh <mark>Nam</mark> <mark>Định</mark> mở rộng."},
		{"tone placement does not matter", "hoà bình",
			"Xã Hòa Bình tổ chức lễ hội.", 60,
			"Xã <mark>Hòa</mark> <mark>Bình</mark> tổ chức lễ hội."},
		{"without the spelling as typed, folded words are marked", "Định",
			"Khu dinh thự cũ được trùng tu.", 60,
			"Khu <mark>dinh</mark> thự cũ được trùng tu."},
		// "và" is a word of the abbreviation's alternative "Khoa học và
		// Công nghệ".
		{"the first passage holding every word", "khoa học công nghệ",
			"Khoa nhi mở lớp. " + filler + "Sở Khoa học và Công nghệ họp. " + filler + "Khoa học công nghệ.", 60,
			"…như mọi ngày. Sở <mark>Khoa</mark> <mark>học</mark> <mark>và</mark> <mark>Công</mark> <mark>nghệ</mark> họp. Người dân trong xã vẫn đi làm đồng như mọi ngày. Người…"},
		{"words after the passage is found are marked", "khoa học",
			filler + "Khoa học là khoa của mọi khoa.", 60,
			"…đồng như mọi ngày. <mark>Khoa</mark> <mark>học</mark> là <mark>khoa</mark> của mọi <mark>khoa</mark>."},
		{"padded numbers match unpadded", "7:05 25/5",
			"Cập nhật 07:05, 25/05/2012", 60,
			"Cập nhật <mark>07</mark>:<mark>05</mark>, <mark>25</mark>/<mark>05</mark>/2012"},
		{"no word matched opens the text", "xyzzy",
			"Nam Định có 32 cơ quan. " + filler, 10,
			"Nam Định có 32 cơ…"},
		{"HTML is escaped", "nam dinh",
			"<b>Nam Định</b> & Hà Nội", 60,
			"&lt;b&gt;<mark>Nam</mark> <mark>Định</mark>&lt;/b&gt; &amp; Hà Nội"},
	}
	for _, tt := range tests {
		h := compile(vnquery.Parse(tt.query), nil, analyzers.NewsAbbreviations()).highlight
		if got := h.snippet(tt.text, tt.maxRunes); got != tt.want {
			t.Errorf("%s: snippet(%q) =\n%q; want\n%q", tt.name, tt.query, got, tt.want)
		}
	}
}
