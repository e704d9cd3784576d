package query

import (
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"plain words", "ISO 9001 Nam Định", "ISO 9001 Nam Định"},
		{"phrase", `"khoa học" công nghệ`, `"khoa học" công nghệ`},
		{"curly quotes", "“Nam Định” ISO", `"Nam Định" ISO`},
		{"unclosed quote", `ISO "Nam Định`, `ISO "Nam Định"`},
		{"empty quotes dropped", `ISO ""`, "ISO"},
		{"excluded word", "Nam Định -bóng", "Nam Định -bóng"},
		{"excluded phrase", `ISO -"Thái Bình"`, `ISO -"Thái Bình"`},
		{"excluded group", "ISO -(Hà Nam)", "ISO -(Hà Nam)"},
		{"double dash cancels", "ISO --9001", "ISO 9001"},
		{"dash between words is no operator", "Hà Nội - Hải Phòng", "Hà Nội Hải Phòng"},
		{"hyphen inside a code", "COVID-19 H5N1", "COVID-19 H5N1"},
		{"dangling dash", "ISO -", "ISO"},
		{"or", "bóng đá OR bóng chuyền", "bóng (đá OR bóng) chuyền"},
		{"or of groups", "(bóng đá) OR (bóng chuyền)", "((bóng đá) OR (bóng chuyền))"},
		{"lower-case or is a word", "trà or cà phê", "trà or cà phê"},
		{"or at the start and end", "OR Nam Định OR", "Nam Định"},
		{"doubled or", "Hà Nam OR OR Nam Định", "Hà (Nam OR Nam) Định"},
		{"pipe as or", "hòa | hoà", "(hòa OR hoà)"},
		{"unclosed bracket", "(Nam Định ISO", "Nam Định ISO"},
		{"stray closing bracket", "Nam) Định", "Nam Định"},
		{"empty brackets", "() ISO", "ISO"},
		{"title field", "title:ISO Nam", "title:ISO Nam"},
		{"field phrase", `title:"Nam Định" 2012`, `title:"Nam Định" 2012`},
		{"vietnamese field name", `chuyênmục:"Thể thao"`, `section:"Thể thao"`},
		{"author field", "tácgiả:Hương", "author:Hương"},
		{"place field", `lũ place:"Nam Định"`, `lũ place:"Nam Định"`},
		{"vietnamese place field", "địadanh:hcm", "place:hcm"},
		{"unknown field is a word", "http:x 9001:2000 07:05", "http:x 9001:2000 07:05"},
		{"empty field value dropped", "title: ISO", "ISO"},
		{"year filter", "ISO year:2012", "ISO from:2012-01-01 to:2012-12-31"},
		{"from and to", "ISO from:2011-05-01 to:25/05/2012", "ISO from:2011-05-01 to:2012-05-25"},
		{"month", "to:5/2012", "to:2012-05-31"},
		{"not a date is a word", "year:hai", "year:hai"},
		{"only operators", `OR - ( ) ""`, ""},
		{"empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.input).String(); got != tt.want {
				t.Errorf("Parse(%q) = %q; want %q", tt.input, got, tt.want)
			}
			// The explanation parses back to the same query.
			again := Parse(Parse(tt.input).String()).String()
			if again != tt.want {
				t.Errorf("Parse(%q).String() parses back as %q", tt.want, again)
			}
		})
	}
}

func TestParseDates(t *testing.T) {
	q := Parse("year:2012 from:2012-03-01")
	from := time.Date(2012, 3, 1, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	if !q.From.Equal(from) {
		t.Errorf("From = %v; want %v, the later of the two starts", q.From, from)
	}
	if q.To.Year() != 2012 || q.To.Month() != 12 || q.To.Day() != 31 {
		t.Errorf("To = %v; want the end of 2012", q.To)
	}
}

func TestParseDateForms(t *testing.T) {
	vn := func(y int, mo time.Month, d int) time.Time {
		return time.Date(y, mo, d, 0, 0, 0, 0, schema.VietnamTime)
	}
	tests := []struct {
		name     string
		in       string
		from, to time.Time // the To wanted is the instant before this
	}{
		{"day month year", "from:25/05/2012", vn(2012, 5, 25), time.Time{}},
		{"hyphens to", "to:23-5-2012", time.Time{}, vn(2012, 5, 24)},
		{"words quoted", `from:"ngày 25 tháng 5 năm 2012" bão`, vn(2012, 5, 25), time.Time{}},
		{"month", "tu:5/2012 den:6/2012", vn(2012, 5, 1), vn(2012, 7, 1)},
		{"year", "nam:2012", vn(2012, 1, 1), vn(2013, 1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Parse(tt.in)
			wantTo := tt.to
			if !wantTo.IsZero() {
				wantTo = wantTo.Add(-time.Nanosecond)
			}
			if !q.From.Equal(tt.from) || !q.To.Equal(wantTo) {
				t.Errorf("Parse(%q) dates = %v to %v; want %v to %v", tt.in, q.From, q.To, tt.from, wantTo)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`ISO "Nam Định" -bóng OR (a b`, "title:\"x", "year:2012 -(-a)", "“”„", "- -- OR |"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		if again := Parse(q.String()).String(); again != q.String() {
			t.Errorf("Parse(%q) = %q, which parses back as %q", s, q.String(), again)
		}
	})
}
