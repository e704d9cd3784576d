package analyzers

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// analysisRows give the Exact terms and, when they are not simply the
// folded Exact terms, the Folded terms of real Vietnamese news text.
var analysisRows = []struct {
	name, input, exact, folded string
}{
	// One spelling whatever the Unicode form.
	{"nfc Việt Nam", "Việt Nam", "việt nam", "viet nam"},
	{"nfd Việt Nam dot then circumflex", "Vie\u0323\u0302t Nam", "việt nam", "viet nam"},
	{"nfd Việt Nam circumflex then dot", "Vie\u0302\u0323t Nam", "việt nam", "viet nam"},
	{"windows-1258 ê with combining dot", "Vi\u00ea\u0323t Nam", "việt nam", "viet nam"},
	{"nfd Định", "Nam \u0110i\u0323nh", "nam định", "nam dinh"},
	{"nfd người", "ngu\u031bo\u031b\u0300i da\u0302n", "người dân", "nguoi dan"},
	{"nfd tiếng", "tie\u0302\u0301ng Vie\u0323\u0302t", "tiếng việt", "tieng viet"},
	{"nfd capitals", "HA\u0300 N\u00d4\u0323I", "hà nội", "ha noi"},
	{"nfd ngã", "ba\u0303o lu\u0303", "bão lũ", "bao lu"},
	{"windows-1258 ư with acute", "th\u01b0\u0301c \u0103n", "thức ăn", "thuc an"},
	{"windows-1258 ơ with grave", "m\u01a1\u0300i khách", "mời khách", "moi khach"},
	{"windows-1258 ă with tilde", "\u0110a\u0300 N\u0103\u0303ng", "đà nẵng", "da nang"},
	{"mixed nfc and nfd in one text", "Nguy\u00ea\u0303n Văn Trỗi", "nguyễn văn trỗi", "nguyen van troi"},
	{"mixed nfc and nfd in one word", "Quô\u0301c hội", "quốc hội", "quoc hoi"},
	{"nfd with second-vowel tone", "hoa\u0300 bi\u0300nh", "hòa bình", "hoa binh"},
	{"nfd khỏe", "kho\u0309e ma\u0323nh", "khỏe mạnh", "khoe manh"},
	{"nfd thủy", "thu\u0309y đi\u0323ên", "thủy điện", "thuy dien"},
	{"nfd hỏi on capital", "\u00dd KI\u00ca\u0301N", "ý kiến", "y kien"},

	// đ and its look-alike eth.
	{"eth for đ", "ðường phố", "đường phố", "duong pho"},
	{"capital eth", "Ðà Nẵng", "đà nẵng", "da nang"},
	{"eth inside a name", "Bình Ðịnh", "bình định", "binh dinh"},
	{"eth with nfd tone", "\u00d0o\u0302\u0300ng Nai", "đồng nai", "dong nai"},
	{"đ lower and upper", "Đảng đoàn", "đảng đoàn", "dang doan"},

	// Invisible characters and other spaces.
	{"zero-width space inside a syllable", "Vi\u200bệt Nam", "việt nam", "viet nam"},
	{"zero-width space before a word", "Hà \u200bNội", "hà nội", "ha noi"},
	{"soft hyphen inside a syllable", "ngh\u00adiên cứu", "nghiên cứu", "nghien cuu"},
	{"zero-width joiner after a word", "Hà\u200d Nội", "hà nội", "ha noi"},
	{"byte order mark at the start", "\ufeffHà Nội", "hà nội", "ha noi"},
	{"no-break space", "Hà\u00a0Nội", "hà nội", "ha noi"},
	{"narrow no-break space in a number", "15\u202f000 người", "15 000 người", "15 000 nguoi"},
	{"em space", "Hồ\u2003Gươm", "hồ gươm", "ho guom"},
	{"ideographic space", "Sài\u3000Gòn", "sài gòn", "sai gon"},
	{"tab and newline", "Cần\tThơ\nAn Giang", "cần thơ an giang", "can tho an giang"},

	// Both tone placements meet, in exact and folded fields alike.
	{"hoà second vowel", "hoà bình", "hòa bình", "hoa binh"},
	{"hòa first vowel", "hòa bình", "hòa bình", "hoa binh"},
	{"khoẻ second vowel", "sức khoẻ", "sức khỏe", "suc khoe"},
	{"khỏe first vowel", "sức khỏe", "sức khỏe", "suc khoe"},
	{"thuý second vowel", "Thanh Thuý", "thanh thúy", "thanh thuy"},
	{"thúy first vowel", "Thanh Thúy", "thanh thúy", "thanh thuy"},
	{"loè second vowel", "loè loẹt", "lòe loẹt", "loe loet"},
	{"lòe first vowel", "lòe loẹt", "lòe loẹt", "loe loet"},
	{"uỷ second vowel", "uỷ viên", "ủy viên", "uy vien"},
	{"ủy first vowel", "ủy viên", "ủy viên", "uy vien"},
	{"Uỷ ban capital second vowel", "Uỷ ban", "ủy ban", "uy ban"},
	{"Ủy ban capital first vowel", "Ủy ban", "ủy ban", "uy ban"},
	{"UỶ BAN all capitals", "UỶ BAN", "ủy ban", "uy ban"},
	{"hoá second vowel", "văn hoá", "văn hóa", "van hoa"},
	{"hóa first vowel", "văn hóa", "văn hóa", "van hoa"},
	{"toà second vowel", "toà án", "tòa án", "toa an"},
	{"tòa first vowel", "tòa án", "tòa án", "toa an"},
	{"thuỷ second vowel", "thuỷ sản", "thủy sản", "thuy san"},
	{"thủy first vowel", "thủy sản", "thủy sản", "thuy san"},
	{"hoạ second vowel", "hội hoạ", "hội họa", "hoi hoa"},
	{"thoả second vowel", "thoả thuận", "thỏa thuận", "thoa thuan"},
	{"toạ second vowel", "toạ đàm", "tọa đàm", "toa dam"},
	{"hoả second vowel", "hoả hoạn", "hỏa hoạn", "hoa hoan"},
	{"khoá second vowel", "khoá học", "khóa học", "khoa hoc"},
	{"Thuỵ second vowel", "Thuỵ Sĩ", "thụy sĩ", "thuy si"},
	{"tuỳ second vowel", "tuỳ theo", "tùy theo", "tuy theo"},
	{"huỷ second vowel", "huỷ bỏ", "hủy bỏ", "huy bo"},
	{"luỹ second vowel", "tích luỹ", "tích lũy", "tich luy"},
	{"xoè second vowel", "xoè ô", "xòe ô", "xoe o"},
	{"closed syllable already canonical", "Hoàng Sa", "hoàng sa", "hoang sa"},
	{"misplaced tone in a closed syllable", "Hòang Sa", "hoàng sa", "hoang sa"},
	{"three vowels open", "ngòai trời", "ngoài trời", "ngoai troi"},
	{"tone on the marked vowel stays", "thuyền buồm", "thuyền buồm", "thuyen buom"},

	// qu and gi.
	{"quý", "quý khách", "quý khách", "quy khach"},
	{"qúy tone on the u of qu", "qúy khách", "quý khách", "quy khach"},
	{"quả", "quả bóng", "quả bóng", "qua bong"},
	{"quốc", "Quốc hội", "quốc hội", "quoc hoi"},
	{"quà", "quà tặng", "quà tặng", "qua tang"},
	{"quyển", "quyển sách", "quyển sách", "quyen sach"},
	{"quyết", "quyết định", "quyết định", "quyet dinh"},
	{"giá", "giá vàng", "giá vàng", "gia vang"},
	{"gìn", "giữ gìn", "giữ gìn", "giu gin"},
	{"giường", "giường bệnh", "giường bệnh", "giuong benh"},
	{"giếng", "giếng khoan", "giếng khoan", "gieng khoan"},
	{"già", "người già", "người già", "nguoi gia"},
	{"gìa tone on the i of gi", "người gìa", "người già", "nguoi gia"},
	{"GIÁ capitals", "GIÁ VÀNG", "giá vàng", "gia vang"},

	// uyê, ươ, iê and friends.
	{"khuyến", "khuyến mại", "khuyến mại", "khuyen mai"},
	{"người", "người Việt", "người việt", "nguoi viet"},
	{"tiếng", "tiếng Anh", "tiếng anh", "tieng anh"},
	{"khuỷu", "khuỷu tay", "khuỷu tay", "khuyu tay"},
	{"khủyu misplaced", "khủyu tay", "khuỷu tay", "khuyu tay"},
	{"ngoài", "ngoài trời", "ngoài trời", "ngoai troi"},
	{"thuở", "thuở nhỏ", "thuở nhỏ", "thuo nho"},
	{"rượu", "rượu bia", "rượu bia", "ruou bia"},
	{"hươu", "hươu sao", "hươu sao", "huou sao"},
	{"chuyện", "câu chuyện", "câu chuyện", "cau chuyen"},
	{"Nguyễn", "Nguyễn Du", "nguyễn du", "nguyen du"},
	{"yêu", "yêu nước", "yêu nước", "yeu nuoc"},
	{"oái oăm", "oái oăm", "oái oăm", "oai oam"},
	{"tuổi", "tuổi trẻ", "tuổi trẻ", "tuoi tre"},
	{"mùa", "mùa mưa", "mùa mưa", "mua mua"},
	{"gửi", "gửi thư", "gửi thư", "gui thu"},

	// Capitals, toneless syllables and words that are no syllable.
	{"all capitals", "HÀ NỘI", "hà nội", "ha noi"},
	{"headline capitals", "ĐẢNG CỘNG SẢN VIỆT NAM", "đảng cộng sản việt nam", "dang cong san viet nam"},
	{"toneless syllables", "ta con anh em", "ta con anh em", "ta con anh em"},
	{"toneless name", "Nam Trung", "nam trung", "nam trung"},
	{"french name with accent", "André Villas", "andré villas", "andre villas"},
	{"spanish name", "José Mourinho", "josé mourinho", "jose mourinho"},
	{"german umlaut", "Zürich", "zürich", "zurich"},
	{"minority place name", "Đắk Lắk", "đắk lắk", "dak lak"},
	{"brand in mixed case", "iPhone 15", "iphone 15", "iphone 15"},
	{"apostrophe in a name", "H'Mông", "h mông", "h mong"},
	{"hyphenated loanword", "ca-ri", "ca ri", "ca ri"},

	// Folding.
	{"fold Nam Định", "Nam Định", "nam định", "nam dinh"},
	{"fold đ", "đ", "đ", "d"},
	{"fold capital Đ", "ĐỒNG", "đồng", "dong"},
	{"fold street name", "Nguyễn Thị Minh Khai", "nguyễn thị minh khai", "nguyen thi minh khai"},
	{"fold province", "Quảng Ngãi", "quảng ngãi", "quang ngai"},
	{"fold every vowel", "ă â ê ô ơ ư", "ă â ê ô ơ ư", "a a e o o u"},
	{"fold every tone", "a à á ả ã ạ", "a à á ả ã ạ", "a a a a a a"},

	// Codes and numbers stay findable as written.
	{"ISO 9001:2000", "ISO 9001:2000", "iso 9001 2000", ""},
	{"ISO/IEC 17025", "ISO/IEC 17025", "iso iec 17025", ""},
	{"TCVN 5699-1:2010", "TCVN 5699-1:2010", "tcvn 5699 1 2010", ""},
	{"QCVN", "QCVN 01:2009/BYT", "qcvn 1 2009 byt", ""},
	{"COVID-19", "COVID-19", "covid 19", ""},
	{"H5N1", "cúm H5N1", "cúm h5n1", "cum h5n1"},
	{"F1", "các F1", "các f1", "cac f1"},
	{"SEA Games 31", "SEA Games 31", "sea games 31", ""},
	{"U23", "U23 Việt Nam", "u23 việt nam", "u23 viet nam"},
	{"decree number", "Nghị định 15/2020/NĐ-CP", "nghị định 15 2020 nđ cp", "nghi dinh 15 2020 nd cp"},
	{"decree number lower case", "15/2020/nd-cp", "15 2020 nd cp", ""},
	{"decision number", "Quyết định 1234/QĐ-TTg", "quyết định 1234 qđ ttg", "quyet dinh 1234 qd ttg"},
	{"mobile number spaced", "0912 345 678", "0912 345 678", ""},
	{"mobile number dotted", "0912.345.678", "0912.345.678", ""},
	{"landline with area code", "(024) 3825 1234", "024 3825 1234", ""},
	{"international number", "+84 912 345 678", "84 912 345 678", ""},
	{"email", "toasoan@baomoi.vn", "toasoan baomoi vn", ""},
	{"url", "https://vnexpress.net/thoi-su", "https vnexpress net thoi su", ""},
	{"money with dots", "1.500.000 đồng", "1.500.000 đồng", "1.500.000 dong"},
	{"decimal comma", "2,5 tỷ", "2,5 tỷ", "2,5 ty"},
	{"percent", "tăng 12,5%", "tăng 12,5", "tang 12,5"},
	{"version number", "công nghiệp 4.0", "công nghiệp 4.0", "cong nghiep 4.0"},
	{"aircraft model", "Boeing 787-9", "boeing 787 9", ""},
	{"flight", "MH370", "mh370", ""},
	{"number ends a sentence", "năm 2012. Sau đó", "năm 2012 sau đó", "nam 2012 sau do"},
	{"comma after a number", "5, 6 và 7", "5 6 và 7", "5 6 va 7"},
	{"2G and 5G", "mạng 5G", "mạng 5g", "mang 5g"},

	// Dates and times: the query analyses as the text does.
	{"date with dashes", "Ngày 23-5-2012", "ngày 23 5 2012", "ngay 23 5 2012"},
	{"date with slashes and zero", "25/05/2012", "25 5 2012", ""},
	{"date with slashes no zero", "25/5/2012", "25 5 2012", ""},
	{"time and date", "07:05, 25/05/2012", "7 5 25 5 2012", ""},
	{"date in words", "ngày 25 tháng 5 năm 2012", "ngày 25 tháng 5 năm 2012", "ngay 25 thang 5 nam 2012"},
	{"month with zero", "tháng 05/2012", "tháng 5 2012", "thang 5 2012"},
	{"hour in Vietnamese style", "lúc 7h30", "lúc 7h30", "luc 7h30"},
	{"iso date", "2012-05-25", "2012 5 25", ""},
	{"zero itself", "0 giờ", "0 giờ", "0 gio"},
	{"double zero", "00:30", "0 30", ""},

	// No stop words: every word counts.
	{"short words stay", "năm có người an to do", "năm có người an to do", "nam co nguoi an to do"},
	{"function words stay", "và của là cho được một các", "và của là cho được một các", "va cua la cho duoc mot cac"},
	{"năm and Nam both stay", "Nam Định năm nay", "nam định năm nay", "nam dinh nam nay"},

	// Headlines and sentences from the news.
	{"headline", "Thứ trưởng Bộ KH&CN làm việc tại tỉnh", "thứ trưởng bộ kh cn làm việc tại tỉnh", "thu truong bo kh cn lam viec tai tinh"},
	{"quoted title", "đề án “Nâng cao năng suất”", "đề án nâng cao năng suất", "de an nang cao nang suat"},
	{"dash between clauses", "kinh tế - xã hội", "kinh tế xã hội", "kinh te xa hoi"},
	{"ellipsis", "Hà Nội…", "hà nội", "ha noi"},
	{"html entity left as text", "Tom &amp; Jerry", "tom amp jerry", ""},
	{"empty", "", "", ""},
	{"punctuation only", " - , . ", "", ""},
	{"lone combining mark", "\u0301 a", "a", "a"},
}

func TestAnalyzersRows(t *testing.T) {
	exact, folded := mustNew(t, Exact), mustNew(t, Folded)
	for _, row := range analysisRows {
		t.Run(row.name, func(t *testing.T) {
			input := []byte(row.input)
			e, f := exact.Analyze(input), folded.Analyze(input)
			checkStream(t, Exact, input, e)
			checkStream(t, Folded, input, f)
			checkSameTokens(t, input, e, f)
			want := strings.Fields(row.exact)
			if got := streamTerms(e); !slices.Equal(got, want) {
				t.Errorf("%s: Analyze(%q) = %q; want %q", Exact, row.input, got, want)
			}
			wantFolded := strings.Fields(row.folded)
			if row.folded == "" {
				wantFolded = strings.Fields(Fold(row.exact))
			}
			if got := streamTerms(f); !slices.Equal(got, wantFolded) {
				t.Errorf("%s: Analyze(%q) = %q; want %q", Folded, row.input, got, wantFolded)
			}
		})
	}
}

// TestAnalyzeKeepsInput checks that analysis never writes into its input:
// the query side and highlighting reuse the bytes they analyse.
func TestAnalyzeKeepsInput(t *testing.T) {
	const text = "UBND TP.HCM họp về Hoà Bình, ISO 9001 và Vie\u0323\u0302t NAM ngày 05/05"
	for _, name := range Names() {
		input := []byte(text)
		mustNew(t, name).Analyze(input)
		if !bytes.Equal(input, []byte(text)) {
			t.Errorf("%s: Analyze(%q) changed its input to %q", name, text, input)
		}
	}
}

// TestOffsetsPointAtPublishedText checks that each token's offsets cover
// the word as published, whatever the filters did to its term.
func TestOffsetsPointAtPublishedText(t *testing.T) {
	const text = "Uỷ ban \u200bVie\u0323\u0302t Nam: ðường 05/2012"
	want := []string{"Uỷ", "ban", "Vie\u0323\u0302t", "Nam", "ðường", "05", "2012"}
	for _, name := range []string{Exact, Folded} {
		var got []string
		for _, tok := range mustNew(t, name).Analyze([]byte(text)) {
			got = append(got, text[tok.Start:tok.End])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: Analyze(%q) spans = %q; want %q", name, text, got, want)
		}
	}
}

// TestQueryFindsPublished checks that a query typed the way a reader
// writes finds text written the way it was published: every folded query
// term is a folded term of the text.
func TestQueryFindsPublished(t *testing.T) {
	rows := []struct{ name, published, query string }{
		{"decree in capitals", "theo Nghị định 15/2020/NĐ-CP", "15/2020/nd-cp"},
		{"date with zero", "ngày 25/05/2012", "25/5/2012"},
		{"date in words", "ngày 25 tháng 5 năm 2012", "25/5/2012"},
		{"date with dashes", "Ngày 23-5-2012", "23/5/2012"},
		{"time", "07:05, 25/05/2012", "7:05"},
		{"tone style", "hoà bình", "hòa bình"},
		{"tone style reversed", "Thanh Thúy", "thanh thuý"},
		{"no diacritics", "Nam Định", "nam dinh"},
		{"nfd text", "Vie\u0323\u0302t Nam", "Việt Nam"},
		{"nfd query", "Việt Nam", "Vie\u0323\u0302t Nam"},
		{"eth in text", "Bình Ðịnh", "bình định"},
		{"standard", "ISO 9001:2000", "iso 9001"},
		{"money", "1.500.000 đồng", "1.500.000 dong"},
		{"zero-width space", "Vi\u200bệt Nam", "viet nam"},
	}
	folded := mustNew(t, Folded)
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			have := streamTerms(folded.Analyze([]byte(row.published)))
			for _, q := range streamTerms(folded.Analyze([]byte(row.query))) {
				if !slices.Contains(have, q) {
					t.Errorf("Analyze(%q) = %q; want it to hold %q from query %q", row.published, have, q, row.query)
				}
			}
		})
	}
}

var pairRows = []struct {
	name, input, exact, folded string // pairs separated by |
}{
	{"compound words", "khoa học công nghệ", "khoa học|học công|công nghệ", "khoa hoc|hoc cong|cong nghe"},
	{"reversed order is another pair", "học khoa", "học khoa", "hoc khoa"},
	{"place name", "Nam Định", "nam định", "nam dinh"},
	{"single syllable gives no pair", "Huế", "", ""},
	{"empty", "", "", ""},
	{"tone style meets in pairs", "hoà bình", "hòa bình", "hoa binh"},
	{"nfd in pairs", "Vie\u0323\u0302t Nam", "việt nam", "viet nam"},
	{"pairs run across punctuation", "Hà Nội, Việt Nam", "hà nội|nội việt|việt nam", "ha noi|noi viet|viet nam"},
	{"codes pair too", "ISO 9001:2000", "iso 9001|9001 2000", "iso 9001|9001 2000"},
	{"committee", "Uỷ ban nhân dân", "ủy ban|ban nhân|nhân dân", "uy ban|ban nhan|nhan dan"},
}

func TestPairsRows(t *testing.T) {
	exact, folded := mustNew(t, ExactPairs), mustNew(t, FoldedPairs)
	split := func(s string) []string {
		if s == "" {
			return []string{}
		}
		return strings.Split(s, "|")
	}
	for _, row := range pairRows {
		t.Run(row.name, func(t *testing.T) {
			input := []byte(row.input)
			e, f := exact.Analyze(input), folded.Analyze(input)
			checkStream(t, ExactPairs, input, e)
			checkStream(t, FoldedPairs, input, f)
			checkSameTokens(t, input, e, f)
			if got, want := streamTerms(e), split(row.exact); !slices.Equal(got, want) {
				t.Errorf("%s: Analyze(%q) = %q; want %q", ExactPairs, row.input, got, want)
			}
			if got, want := streamTerms(f), split(row.folded); !slices.Equal(got, want) {
				t.Errorf("%s: Analyze(%q) = %q; want %q", FoldedPairs, row.input, got, want)
			}
		})
	}
}

// TestPairSpans checks that a pair covers both syllables' bytes and takes
// the first one's position.
func TestPairSpans(t *testing.T) {
	const text = "khoa  học công"
	got := mustNew(t, ExactPairs).Analyze([]byte(text))
	want := []struct {
		span string
		pos  int
	}{{"khoa  học", 1}, {"học công", 2}}
	if len(got) != len(want) {
		t.Fatalf("Analyze(%q) = %q; want %d pairs", text, streamTerms(got), len(want))
	}
	for i, w := range want {
		if span := text[got[i].Start:got[i].End]; span != w.span || got[i].Position != w.pos {
			t.Errorf("Analyze(%q) pair %d spans %q at %d; want %q at %d", text, i, span, got[i].Position, w.span, w.pos)
		}
	}
}

func TestNewUnknown(t *testing.T) {
	if _, err := New("vi_nope_v1"); err == nil {
		t.Error(`New("vi_nope_v1") succeeded; want an error`)
	}
	for _, name := range Names() {
		if _, err := New(name); err != nil {
			t.Errorf("New(%q): %v", name, err)
		}
	}
}

func TestNormalizeText(t *testing.T) {
	rows := []struct{ name, in, want string }{
		{"nfd to nfc", "Vie\u0323\u0302t Nam", "Việt Nam"},
		{"eth to đ keeping case", "Ðà Nẵng ðường", "Đà Nẵng đường"},
		{"no-break space to space", "Hà\u00a0Nội", "Hà Nội"},
		{"zero-width space removed", "Vi\u200bệt", "Việt"},
		{"tone placement kept as published", "hoà bình", "hoà bình"},
		{"newline and tab kept", "a\nb\tc", "a\nb\tc"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := NormalizeText(row.in); got != row.want {
				t.Errorf("NormalizeText(%q) = %q; want %q", row.in, got, row.want)
			}
		})
	}
}
