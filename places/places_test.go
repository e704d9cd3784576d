package places

import (
	"slices"
	"strings"
	"testing"
)

func names(ps []Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestMentions(t *testing.T) {
	g := Default()
	tests := []struct {
		name, text string
		want       map[string]int
	}{
		{"name with prefix", "Mưa lớn ở tỉnh Nam Định làm ngập 2.000 ha lúa.", map[string]int{"Nam Định": 1}},
		{"false friend năm định", "Kế hoạch năm định hướng phát triển bền vững.", map[string]int{}},
		{"TP.HCM and TP HCM", "Giá nhà ở TP.HCM tăng; người dân TP HCM và TPHCM than khó.", map[string]int{"TP Hồ Chí Minh": 3}},
		{"Sài Gòn and HCMC", "Sài Gòn mưa to, HCMC flooded.", map[string]int{"TP Hồ Chí Minh": 2}},
		{"thành phố Hồ Chí Minh but not the person", "Thành phố Hồ Chí Minh học tập tư tưởng Hồ Chí Minh.", map[string]int{"TP Hồ Chí Minh": 1}},
		{"HN in capitals only", "Đội bóng HN thắng; hn là chữ thường.", map[string]int{"Hà Nội": 1}},
		{"Hà Nam Ninh is not Hà Nam", "Tỉnh Hà Nam Ninh cũ được chia năm 1991.", map[string]int{}},
		{"Hà Nam", "Hà Nam khởi công khu công nghiệp.", map[string]int{"Hà Nam": 1}},
		{"Pacific is not Thái Bình nor Bình Dương", "Bão hình thành trên Thái Bình Dương.", map[string]int{}},
		{"Bình Dương", "Bình Dương thu hút vốn FDI.", map[string]int{"Bình Dương": 1}},
		{"person named Huế", "Chị Nguyễn Thị Huế bán hàng ở Huế.", map[string]int{"Huế": 1}},
		{"person named Hòa Bình", "Ông Nguyễn Hòa Bình thăm tỉnh Hòa Bình.", map[string]int{"Hòa Bình": 1}},
		{"a form of address starting a sentence", "Anh Hải Dương làm đèn lồng. Bà Hà Nam dạy chữ.", map[string]int{}},
		{"a capital Anh inside a name", "Hoàng Anh Gia Lai thắng.", map[string]int{"Gia Lai": 1}},
		{"hòa bình is peace", "Giải Nobel Hòa bình vì hòa bình thế giới.", map[string]int{}},
		{"street named after a place", "Tai nạn trên đường Điện Biên Phủ, quận Bình Thạnh.", map[string]int{}},
		{"thành phố is no street", "Thành phố Hải Phòng mở rộng cảng.", map[string]int{"Hải Phòng": 1}},
		{"Bà Rịa - Vũng Tàu once", "Tỉnh Bà Rịa - Vũng Tàu và BR-VT, rồi Vũng Tàu.", map[string]int{"Bà Rịa Vũng Tàu": 3}},
		{"Đắk Lắk spellings", "Đắk Lắk, Đăk Lăk và Daklak.", map[string]int{"Đắk Lắk": 3}},
		{"tone placement", "Khánh Hoà và Thanh Hoá.", map[string]int{"Khánh Hòa": 1, "Thanh Hóa": 1}},
		{"NFD text", "Nam \u0110i\u0323nh", map[string]int{"Nam Định": 1}},
		{"long an is not Long An", "Để long an toàn, Long An lắp camera.", map[string]int{"Long An": 1}},
		{"folded text", "Lu lut o Nam Dinh va Ha Noi.", map[string]int{"Nam Định": 1, "Hà Nội": 1}},
		{"newspaper Sài Gòn Giải Phóng", "Theo báo Sài Gòn Giải Phóng.", map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Mentions(tt.text)
			if len(got) != len(tt.want) {
				t.Fatalf("Mentions(%q) = %v; want %v", tt.text, got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Fatalf("Mentions(%q) = %v; want %v", tt.text, got, tt.want)
				}
			}
		})
	}
}

func TestAbout(t *testing.T) {
	g := Default()
	tests := []struct {
		name, title, lead, body string
		want                    []string
	}{
		{"in the title", "Nam Định khánh thành cầu mới", "", "Cây cầu dài 500 m.", []string{"Nam Định"}},
		{"twice in the body", "Khánh thành cầu mới", "", "Cầu ở Nam Định. Người dân Nam Định vui mừng.", []string{"Nam Định"}},
		{"once in passing", "Khánh thành cầu mới ở Cà Mau", "", "Nhà thầu từ Hà Nội thi công.", []string{"Cà Mau"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := names(g.About(tt.title, tt.lead, tt.body)); !slices.Equal(got, tt.want) {
				t.Errorf("About(%q, %q, %q) = %q; want %q", tt.title, tt.lead, tt.body, got, tt.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	g := Default()
	tests := []struct{ typed, want string }{
		{"Nam Định", "Nam Định"},
		{"nam dinh", "Nam Định"},
		{"tỉnh Nam Định", "Nam Định"},
		{"hcm", "TP Hồ Chí Minh"},
		{"TP.HCM", "TP Hồ Chí Minh"},
		{"sai gon", "TP Hồ Chí Minh"},
		{"Hồ Chí Minh", "TP Hồ Chí Minh"},
		{"thanh pho ho chi minh", "TP Hồ Chí Minh"},
		{"hn", "Hà Nội"},
		{"Thừa Thiên Huế", "Huế"},
		{"ba ria - vung tau", "Bà Rịa Vũng Tàu"},
		{"dak lak", "Đắk Lắk"},
		{"Ninh Bình", "Ninh Bình"},
		{"  khanh   hoa ", "Khánh Hòa"},
	}
	for _, tt := range tests {
		if got, ok := g.Lookup(tt.typed); !ok || got != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.typed, got, ok, tt.want)
		}
	}
	for _, typed := range []string{"", "năm", "Paris", "thanh pho"} {
		if got, ok := g.Lookup(typed); ok {
			t.Errorf("Lookup(%q) = %q; want none", typed, got)
		}
	}
}

// The reorganisation of 1 July 2025 (Resolution 202/2025/QH15): 63 into
// 34, 11 kept unchanged and 23 formed by mergers.
func TestGazetteerReorganisation(t *testing.T) {
	ps := Default().Places()
	if len(ps) != 63 {
		t.Fatalf("%d places; want 63", len(ps))
	}
	merged := map[string][]string{}
	for _, p := range ps {
		merged[p.Province] = append(merged[p.Province], p.Name)
	}
	if len(merged) != 34 {
		t.Fatalf("%d provinces since 1 July 2025; want 34", len(merged))
	}
	unchanged := 0
	for province, from := range merged {
		if !slices.Contains(from, province) {
			t.Errorf("%s is formed from %v, none of which bears its name", province, from)
		}
		if len(from) == 1 {
			unchanged++
		}
	}
	if unchanged != 11 {
		t.Errorf("%d provinces unchanged; want 11", unchanged)
	}
	for province, want := range map[string]string{
		"Ninh Bình": "Hà Nam Nam Định Ninh Bình", "TP Hồ Chí Minh": "Bà Rịa Vũng Tàu Bình Dương TP Hồ Chí Minh",
		"Phú Thọ": "Hòa Bình Phú Thọ Vĩnh Phúc", "Lâm Đồng": "Bình Thuận Lâm Đồng Đắk Nông",
		"Cần Thơ": "Cần Thơ Hậu Giang Sóc Trăng", "Vĩnh Long": "Bến Tre Trà Vinh Vĩnh Long",
		"Gia Lai": "Bình Định Gia Lai", "Đà Nẵng": "Quảng Nam Đà Nẵng", "An Giang": "An Giang Kiên Giang",
	} {
		from := slices.Clone(merged[province])
		slices.Sort(from)
		if got := strings.Join(from, " "); got != want {
			t.Errorf("%s formed from %q; want %q", province, got, want)
		}
	}
}

func TestValues(t *testing.T) {
	g := Default()
	got := Values(g.About("Nam Định và Ninh Bình hợp tác", "", ""))
	if want := []string{"Ninh Bình", "Nam Định"}; !slices.Equal(got, want) {
		t.Errorf("Values = %q; want %q", got, want)
	}
}

func TestParseRefusesBadLines(t *testing.T) {
	for _, table := range []string{
		"Nam Định\tNinh Bình",
		"\tNinh Bình\t",
		"Nam Định\tNinh Bình\tHà Nam\nHà Nam\tNinh Bình\t",
	} {
		if _, err := parse(table); err == nil {
			t.Errorf("parse(%q) succeeded; want an error", table)
		}
	}
}

// FuzzAbout checks that any text is read without a panic, and that a
// place an article's title makes it about is one the title names.
func FuzzAbout(f *testing.F) {
	for _, s := range []string{"TP.HCM", "Nam \u0110i\u0323nh", "Thái Bình Dương", "đường Hà Nội", "thành phố", "Bà Rịa -"} {
		f.Add(s)
	}
	g := Default()
	f.Fuzz(func(t *testing.T, title string) {
		mentions := g.Mentions(title)
		for _, p := range g.About(title, "", "") {
			if mentions[p.Name] == 0 {
				t.Errorf("About(%q) has %s, which Mentions does not count", title, p.Name)
			}
		}
	})
}

// FuzzLookup checks that any name is looked up without a panic, and that
// what a name stands for stands for itself.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"nam dinh", "TP.HCM", "tỉnh ", "thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "\u0300"} {
		f.Add(s)
	}
	g := Default()
	f.Fuzz(func(t *testing.T, name string) {
		if v, ok := g.Lookup(name); ok {
			if again, ok := g.Lookup(v); !ok || again != v {
				t.Errorf("Lookup(%q) = %q, which looks up as %q, %v", name, v, again, ok)
			}
		}
	})
}
