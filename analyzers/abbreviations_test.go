package analyzers

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	// want is an Expansion with its span given as the text it covers.
	type want struct {
		span, text string
		abbr       bool
	}
	rows := []struct {
		name, query string
		want        []want
	}{
		{"committee", "UBND tỉnh", []want{{"UBND", "Ủy ban nhân dân", false}}},
		{"council", "HĐND", []want{{"HĐND", "Hội đồng nhân dân", false}}},
		{"committee spelt out", "Ủy ban nhân dân", []want{{"Ủy ban nhân dân", "UBND", true}}},
		{"committee spelt out other tone style", "Uỷ ban nhân dân", []want{{"Uỷ ban nhân dân", "UBND", true}}},
		{"committee without diacritics", "uy ban nhan dan tinh", []want{{"uy ban nhan dan", "UBND", true}}},
		{"abbreviation in lower case", "ubnd", []want{{"ubnd", "Ủy ban nhân dân", false}}},
		{"city", "TP Huế", []want{{"TP", "thành phố", false}}},
		{"city spelt out", "thành phố Huế", []want{{"thành phố", "TP", true}}},
		{"ho chi minh city dotted", "TP.HCM", []want{{"TP.HCM", "Thành phố Hồ Chí Minh", false}, {"TP.HCM", "TPHCM", true}}},
		{"ho chi minh city joined", "TPHCM", []want{{"TPHCM", "Thành phố Hồ Chí Minh", false}, {"TPHCM", "TP.HCM", true}}},
		{"ho chi minh city spaced", "TP HCM", []want{{"TP HCM", "Thành phố Hồ Chí Minh", false}, {"TP HCM", "TPHCM", true}}},
		{"ho chi minh city spelt out", "Thành phố Hồ Chí Minh", []want{{"Thành phố Hồ Chí Minh", "TP.HCM", true}, {"Thành phố Hồ Chí Minh", "TPHCM", true}}},
		{"science ampersand", "Bộ KH&CN", []want{{"KH&CN", "Khoa học và Công nghệ", false}, {"KH&CN", "KH và CN", true}, {"KH&CN", "KHCN", true}}},
		{"science with và", "Sở KH và CN", []want{{"KH và CN", "Khoa học và Công nghệ", false}, {"KH và CN", "KH&CN", true}, {"KH và CN", "KHCN", true}}},
		{"science joined", "KHCN", []want{{"KHCN", "Khoa học và Công nghệ", false}, {"KHCN", "KH&CN", true}, {"KHCN", "KH và CN", true}}},
		{"science spelt out", "khoa học và công nghệ", []want{{"khoa học và công nghệ", "KH&CN", true}, {"khoa học và công nghệ", "KH và CN", true}, {"khoa học và công nghệ", "KHCN", true}}},
		{"science spelt out without và", "Khoa học Công nghệ", []want{{"Khoa học Công nghệ", "Khoa học và Công nghệ", false}, {"Khoa học Công nghệ", "KH&CN", true}, {"Khoa học Công nghệ", "KH và CN", true}, {"Khoa học Công nghệ", "KHCN", true}}},
		{"social insurance", "BHXH", []want{{"BHXH", "bảo hiểm xã hội", false}}},
		{"health insurance spelt out", "bảo hiểm y tế", []want{{"bảo hiểm y tế", "BHYT", true}}},
		{"traffic police", "CSGT", []want{{"CSGT", "cảnh sát giao thông", false}}},
		{"high school", "trường THPT", []want{{"THPT", "trung học phổ thông", false}}},
		{"lower secondary", "THCS", []want{{"THCS", "trung học cơ sở", false}}},
		{"university", "ĐH Bách khoa", []want{{"ĐH", "đại học", false}}},
		{"college and trade union", "CĐ", []want{{"CĐ", "công đoàn", false}, {"CĐ", "cao đẳng", false}}},
		{"education dash", "Bộ GD-ĐT", []want{{"GD-ĐT", "Giáo dục và Đào tạo", false}, {"GD-ĐT", "GD và ĐT", true}, {"GD-ĐT", "GDĐT", true}}},
		{"education ampersand", "GD&ĐT", []want{{"GD&ĐT", "Giáo dục và Đào tạo", false}, {"GD&ĐT", "GD và ĐT", true}, {"GD&ĐT", "GDĐT", true}}},
		{"agriculture", "NN&PTNT", []want{{"NN&PTNT", "Nông nghiệp và Phát triển nông thôn", false}, {"NN&PTNT", "NN và PTNT", true}, {"NN&PTNT", "NNPTNT", true}}},
		{"environment", "Sở TN&MT", []want{{"TN&MT", "Tài nguyên và Môi trường", false}, {"TN&MT", "TN và MT", true}, {"TN&MT", "TNMT", true}}},
		{"labour ministry", "LĐ-TB&XH", []want{{"LĐ-TB&XH", "Lao động - Thương binh và Xã hội", false}, {"LĐ-TB&XH", "LĐTBXH", true}}},
		{"culture ministry", "VH-TT&DL", []want{{"VH-TT&DL", "Văn hóa, Thể thao và Du lịch", false}, {"VH-TT&DL", "VHTTDL", true}}},
		{"front", "MTTQ", []want{{"MTTQ", "Mặt trận Tổ quốc", false}}},
		{"army", "QĐND", []want{{"QĐND", "Quân đội nhân dân", false}}},
		{"police", "CAND", []want{{"CAND", "Công an nhân dân", false}}},
		{"road safety", "ATGT", []want{{"ATGT", "an toàn giao thông", false}}},
		{"fire fighting", "PCCC", []want{{"PCCC", "phòng cháy chữa cháy", false}}},
		{"firms", "DN", []want{{"DN", "doanh nghiệp", false}}},
		{"da nang spelt with đ", "ĐN", []want{{"ĐN", "Đà Nẵng", false}}},
		{"folded alike without an exact form", "dn", []want{{"dn", "doanh nghiệp", false}}},
		{"firms spelt out", "doanh nghiệp nhỏ và vừa", []want{{"doanh nghiệp nhỏ và vừa", "DNNVV", true}}},
		{"cooperative", "HTX", []want{{"HTX", "hợp tác xã", false}}},
		{"industrial zone", "KCN", []want{{"KCN", "khu công nghiệp", false}}},
		{"industrial cluster", "CCN", []want{{"CCN", "cụm công nghiệp", false}}},
		{"decree", "Nghị định 15/2020/NĐ-CP", []want{{"Nghị định", "NĐ", true}, {"NĐ-CP", "nghị định của Chính phủ", false}}},
		{"decision", "QĐ", []want{{"QĐ", "quyết định", false}}},
		{"central", "TW", []want{{"TW", "Trung ương", false}, {"TW", "TƯ", true}}},
		{"central spelt out", "Trung ương", []want{{"Trung ương", "TW", true}, {"Trung ương", "TƯ", true}}},
		{"deputy", "ĐBQH", []want{{"ĐBQH", "đại biểu Quốc hội", false}}},
		{"database", "CSDL", []want{{"CSDL", "cơ sở dữ liệu", false}}},
		{"ambiguous abbreviation", "BCT", []want{{"BCT", "Bộ Chính trị", false}, {"BCT", "Bộ Công Thương", false}}},
		{"longest match first", "Ủy ban nhân dân TP.HCM", []want{{"Ủy ban nhân dân", "UBND", true}, {"TP.HCM", "Thành phố Hồ Chí Minh", false}, {"TP.HCM", "TPHCM", true}}},
		{"word-like abbreviation in capitals", "CA tỉnh", []want{{"CA", "Công an", false}}},
		{"word-like abbreviation in lower case is a word", "ca sĩ", nil},
		{"stop-final word-like abbreviation", "cat", nil},
		{"no abbreviation", "giá vàng hôm nay", nil},
		{"empty", "", nil},
	}
	a := NewsAbbreviations()
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var got []want
			for _, e := range a.Expand(row.query) {
				got = append(got, want{row.query[e.Start:e.End], e.Text, e.Abbreviation})
			}
			if !slices.Equal(got, row.want) {
				t.Errorf("Expand(%q) = %+v; want %+v", row.query, got, row.want)
			}
		})
	}
}

func TestExpansionApply(t *testing.T) {
	const q = "UBND TP.HCM"
	var got []string
	for _, e := range NewsAbbreviations().Expand(q) {
		got = append(got, e.Apply(q))
	}
	want := []string{"Ủy ban nhân dân TP.HCM", "UBND Thành phố Hồ Chí Minh", "UBND TPHCM"}
	if !slices.Equal(got, want) {
		t.Errorf("Apply over Expand(%q) = %q; want %q", q, got, want)
	}
}

// TestNewsAbbreviationsRoundTrip checks every line of the shipped table:
// each abbreviation expands to its line's expansion, and the expansion
// spelt out gives the abbreviation back.
func TestNewsAbbreviationsRoundTrip(t *testing.T) {
	a := NewsAbbreviations()
	if a.Len() < 150 {
		t.Errorf("NewsAbbreviations has %d entries; want at least 150", a.Len())
	}
	lines := 0
	for line := range strings.Lines(newsAbbreviationsTSV) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		lines++
		abbrs, expansions, _ := strings.Cut(line, "\t")
		abbr, _, _ := strings.Cut(abbrs, "|")
		expansion, _, _ := strings.Cut(expansions, "|")
		has := func(query, text string) bool {
			for _, e := range a.Expand(query) {
				if e.Text == text && e.Start == 0 && e.End == len(query) {
					return true
				}
			}
			return false
		}
		if !has(abbr, expansion) {
			t.Errorf("Expand(%q) = %+v; want %q", abbr, a.Expand(abbr), expansion)
		}
		if !has(expansion, abbr) {
			t.Errorf("Expand(%q) = %+v; want %q", expansion, a.Expand(expansion), abbr)
		}
	}
	if lines != a.Len() {
		t.Errorf("read %d table lines; NewsAbbreviations has %d", lines, a.Len())
	}
}

func TestParseAbbreviationsErrors(t *testing.T) {
	rows := []struct {
		name, table string
		line        int
	}{
		{"no tab", "UBND Ủy ban nhân dân\n", 1},
		{"three fields", "# c\nUBND\tỦy ban\tnhân dân\n", 2},
		{"empty form", "UBND|\tỦy ban nhân dân\n", 1},
		{"punctuation form", "UBND\t--\n", 1},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			_, err := ParseAbbreviations(strings.NewReader(row.table))
			var ae *AbbreviationError
			if !errors.As(err, &ae) || ae.Line != row.line {
				t.Errorf("ParseAbbreviations(%q) = %v; want an *AbbreviationError on line %d", row.table, err, row.line)
			}
		})
	}
}

func TestZeroAbbreviations(t *testing.T) {
	var a Abbreviations
	if got := a.Expand("UBND"); got != nil {
		t.Errorf("zero Abbreviations: Expand(%q) = %+v; want nil", "UBND", got)
	}
}

func TestExtend(t *testing.T) {
	news := NewsAbbreviations()
	ext, err := news.Extend(strings.NewReader("# the newsroom's own\nCSGTĐB\tcảnh sát giao thông đường bộ\nTP\tthủ phủ\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ext.Len() != news.Len()+2 {
		t.Errorf("Extend: %d lines; want %d", ext.Len(), news.Len()+2)
	}
	rows := []struct {
		name, query string
		want        []string // the alternatives offered
	}{
		{"added", "CSGTĐB Huế", []string{"cảnh sát giao thông đường bộ"}},
		{"added spelt out", "cảnh sát giao thông đường bộ", []string{"CSGTĐB"}},
		{"added beside shipped", "TP Huế", []string{"thành phố", "thủ phủ"}},
		{"shipped kept", "UBND", []string{"Ủy ban nhân dân"}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var got []string
			for _, e := range ext.Expand(row.query) {
				got = append(got, e.Text)
			}
			if !slices.Equal(got, row.want) {
				t.Errorf("Extend(…).Expand(%q) = %q; want %q", row.query, got, row.want)
			}
		})
	}
	// The shipped table is shared and must not see the additions.
	for _, e := range news.Expand("TP Huế CSGTĐB") {
		if e.Text == "thủ phủ" || e.Text == "cảnh sát giao thông đường bộ" {
			t.Errorf("NewsAbbreviations().Expand offers %q after Extend", e.Text)
		}
	}
}

func TestExtendError(t *testing.T) {
	_, err := NewsAbbreviations().Extend(strings.NewReader("BHXH\tbảo hiểm xã hội\n\nUBND Ủy ban\n"))
	var ae *AbbreviationError
	if !errors.As(err, &ae) || ae.Line != 3 {
		t.Errorf("Extend with a bad third line = %v; want an *AbbreviationError on line 3", err)
	}
}
