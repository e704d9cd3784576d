package corpusgen

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"two sentences",
			"Sở Khoa học và Công nghệ tổ chức hội thảo. Đại biểu 20 sở, ngành đã dự.",
			[]string{"Sở Khoa học và Công nghệ tổ chức hội thảo.", "Đại biểu 20 sở, ngành đã dự."}},
		{"codes and numbers stay whole",
			"Đơn vị áp dụng ISO 9001:2000 từ 25/05/2012, lúc 07:05, với 1.700 hồ sơ và 6,25% lỗi. Sau đó mở rộng.",
			[]string{"Đơn vị áp dụng ISO 9001:2000 từ 25/05/2012, lúc 07:05, với 1.700 hồ sơ và 6,25% lỗi.", "Sau đó mở rộng."}},
		{"TP.HCM inside and at the end",
			"Hội chợ mở tại TP.HCM ngày 3/4. Khách đến từ TP.HCM. Nhiều gian hàng kín chỗ.",
			[]string{"Hội chợ mở tại TP.HCM ngày 3/4.", "Khách đến từ TP.HCM.", "Nhiều gian hàng kín chỗ."}},
		{"titles before names",
			"PGS.TS. Lê Văn Hùng và ThS. Trần Thị Mai trình bày báo cáo tại TP. Nam Định.",
			[]string{"PGS.TS. Lê Văn Hùng và ThS. Trần Thị Mai trình bày báo cáo tại TP. Nam Định."}},
		{"initials",
			"Tổng thống George W. Bush gặp ông Nguyễn V. Hải. Cuộc gặp kéo dài một giờ.",
			[]string{"Tổng thống George W. Bush gặp ông Nguyễn V. Hải.", "Cuộc gặp kéo dài một giờ."}},
		{"a phone number after a stop",
			"Liên hệ khu du lịch, ĐT: 0350. 3846 123.",
			[]string{"Liên hệ khu du lịch, ĐT: 0350. 3846 123."}},
		{"question and exclamation",
			"Vì sao giá lúa giảm? Nông dân lo lắng! Ngành nông nghiệp vào cuộc.",
			[]string{"Vì sao giá lúa giảm?", "Nông dân lo lắng!", "Ngành nông nghiệp vào cuộc."}},
		{"ellipsis before a lower-case word continues",
			"Chợ bán rau, cá, thịt… đều tươi. Giá ổn định...",
			[]string{"Chợ bán rau, cá, thịt… đều tươi.", "Giá ổn định..."}},
		{"ellipsis before a capital ends",
			"Mưa lớn kéo dài... Nước sông Đáy dâng cao.",
			[]string{"Mưa lớn kéo dài...", "Nước sông Đáy dâng cao."}},
		{"closing quote stays with its sentence",
			"Ông nói: “Chúng tôi sẽ hoàn thành.” Công trình khởi công tháng 5.",
			[]string{"Ông nói: “Chúng tôi sẽ hoàn thành.”", "Công trình khởi công tháng 5."}},
		{"opening quote starts a sentence",
			"Bà Hoa kể lại. \"Tôi rất mừng\", bà nói.",
			[]string{"Bà Hoa kể lại.", "\"Tôi rất mừng\", bà nói."}},
		{"dash of an interview",
			"Phóng viên hỏi về kế hoạch. - Năm nay tỉnh trồng thêm 200 ha.",
			[]string{"Phóng viên hỏi về kế hoạch.", "- Năm nay tỉnh trồng thêm 200 ha."}},
		{"byline", "(Theo TTXVN)", []string{"(Theo TTXVN)"}},
		{"no final stop", "Ảnh: Đội tuyển nhận cúp vô địch", []string{"Ảnh: Đội tuyển nhận cúp vô địch"}},
		{"white space only", "  \t ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitSentences(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("SplitSentences(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{
		"Sở KH&CN Nam Định tổ chức hội thảo ISO 9001:2000. Đại biểu dự đông đủ.",
		"PGS.TS. Lê Văn A nói: “Tốt.” Sau đó… Hết!",
		"Ông Bush. ", ". A", "…Ä", "a.\u00a0B", "Nam Đi\u0323nh. Ha\u0300 Nô\u0323i",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := SplitSentences(p)
		noSpace := func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, s)
		}
		if noSpace(strings.Join(got, "")) != noSpace(p) {
			t.Fatalf("SplitSentences(%q) = %q: lost or added text", p, got)
		}
		rest := p
		for _, s := range got {
			if s == "" || s != strings.TrimSpace(s) {
				t.Fatalf("SplitSentences(%q) gave %q, empty or not trimmed", p, s)
			}
			at := strings.Index(rest, s)
			if at < 0 {
				t.Fatalf("SplitSentences(%q): %q is not the next part of the input", p, s)
			}
			rest = rest[at+len(s):]
			if utf8.ValidString(p) && !utf8.ValidString(s) {
				t.Fatalf("SplitSentences(%q) cut a character: %q", p, s)
			}
		}
	})
}
