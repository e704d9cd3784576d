package analyzers

import (
	"slices"
	"testing"
)

func TestDecodeTelex(t *testing.T) {
	rows := []struct {
		name, in, want string
		ok             bool
	}{
		{"dd and tone at the end", "Ddinhj", "Định", true},
		{"ee and tone before the final", "Vieejt", "Việt", true},
		{"tone after the final", "Vieetj", "Việt", true},
		{"oa takes the tone on o", "hoaf", "hòa", true},
		{"uow is ươ", "nguowif", "người", true},
		{"ee in iê", "tieengs", "tiếng", true},
		{"aw is ă", "nawngj", "nặng", true},
		{"aa is â", "caaps", "cấp", true},
		{"oo is ô", "ddoongf", "đồng", true},
		{"ow is ơ", "mowif", "mời", true},
		{"uw is ư", "tuwf", "từ", true},
		{"w alone is ư", "tw", "tư", true},
		{"w after the vowels", "tuongw", "tương", true},
		{"w on uou", "ruouwj", "rượu", true},
		{"w on oa is ă", "hoawcj", "hoặc", true},
		{"open uơ", "thuowr", "thuở", true},
		{"short ươ", "nguwoif", "người", true},
		{"w alone before o", "twong", "tương", true},
		{"w on uu", "luuw", "lưu", true},
		{"w on open ua", "muaw", "mưa", true},
		{"vowel doubled apart", "vieste", "viết", true},
		{"vowel doubled apart in a two-vowel rhyme", "thoio", "thôi", true},
		{"name with a vowel twice", "Ana", "Ana", false},
		{"leading w before a vowel", "Wong", "Wong", false},
		{"oo only in loanwords", "khoong", "không", true},
		{"highland place", "Ddawks", "Đắk", true},
		{"highland name stays", "Kar", "Kar", false},
		{"rare rhyme after qu", "Quowis", "Quới", true},
		{"qu keeps its u", "quaanf", "quần", true},
		{"uyê", "khuyeens", "khuyến", true},
		{"gi", "gifn", "gìn", true},
		{"gi with ư", "giuwx", "giữ", true},
		{"x is ngã", "ngax", "ngã", true},
		{"r is hỏi", "hoir", "hỏi", true},
		{"z clears the tone", "hoafz", "hoa", true},
		{"all capitals", "VIEEJT", "VIỆT", true},
		{"capital keeps", "Hoaf", "Hòa", true},
		{"s as a consonant", "sao", "sao", false},
		{"no key", "Nam", "Nam", false},
		{"latin abbreviation", "ISO", "ISO", false},
		{"english word", "English", "English", false},
		{"english covid", "COVID", "COVID", false},
		{"digits", "9001", "9001", false},
		{"two tones", "hoafs", "hoafs", false},
		{"not a syllable once decoded", "ddd", "ddd", false},
		{"empty", "", "", false},
		{"non-ascii", "Việtj", "Việtj", false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got, ok := DecodeTelex(row.in)
			if got != row.want || ok != row.ok {
				t.Errorf("DecodeTelex(%q) = %q, %v; want %q, %v", row.in, got, ok, row.want, row.ok)
			}
		})
	}
}

func TestDecodeVNI(t *testing.T) {
	rows := []struct {
		name, in, want string
		ok             bool
	}{
		{"6 and 5", "Vie6t5", "Việt", true},
		{"9 and tone", "D9i5nh", "Định", true},
		{"tone before the final", "D9i5nh", "Định", true},
		{"7 on uo", "nguo72i", "người", true},
		{"7 per vowel", "ngu7o72i", "người", true},
		{"oa takes the tone on o", "hoa2", "hòa", true},
		{"8 is ă", "na8ng5", "nặng", true},
		{"6 after the final", "tieng61", "tiếng", true},
		{"two words are no word", "Ha2 No6i5", "Ha2 No6i5", false},
		{"one word with capital", "Ha2", "Hà", true},
		{"0 clears the tone", "hoa20", "hoa", true},
		{"code in capitals", "F1", "F1", false},
		{"word in capitals", "VIE65T", "VIỆT", true},
		{"tone inside a word in capitals", "BA1O", "BÁO", true},
		{"two letters and a tone in capitals", "CO2", "CO2", false},
		{"digit before the vowels", "H2O", "H2O", false},
		{"0 in capitals", "SU30", "SU30", false},
		{"one letter and a tone", "a4", "a4", false},
		{"one letter and a mark", "o6", "ô", true},
		{"7 on uu", "luu7", "lưu", true},
		{"highland place", "D9a81k", "Đắk", true},
		{"under-23 team", "U23", "U23", false},
		{"paper size", "A4", "A4", false},
		{"virus code", "H5N1", "H5N1", false},
		{"starts with a digit", "9001", "9001", false},
		{"no key", "Nam", "Nam", false},
		{"two tones", "ha21", "ha21", false},
		{"9 without d", "ha9", "ha9", false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got, ok := DecodeVNI(row.in)
			if got != row.want || ok != row.ok {
				t.Errorf("DecodeVNI(%q) = %q, %v; want %q, %v", row.in, got, ok, row.want, row.ok)
			}
		})
	}
}

func TestInputAlternatives(t *testing.T) {
	rows := []struct {
		name, in string
		want     []string
	}{
		{"telex place", "Nam Ddinhj", []string{"Nam Định"}},
		{"telex country", "Vieejt Nam", []string{"Việt Nam"}},
		{"vni country", "Vie6t5 Nam", []string{"Việt Nam"}},
		{"canonical tone style", "hoaf binhf", []string{"hòa bình"}},
		{"one word", "nguowif", []string{"người"}},
		{"highland place", "Ddawks Lawks", []string{"Đắk Lắk"}},
		{"highland name kept", "Ea Kar", nil},
		{"vni capitals", "VIE65T NAM", []string{"VIỆT NAM"}},
		{"english word kept", "tieengs Anh", []string{"tiếng Anh"}},
		{"telex and vni mixed", "Vieejt Na2m", []string{"Việt Nàm"}},
		{"punctuation kept", "(hoaf binhf),", []string{"(hòa bình),"}},
		{"quotes kept", `"Ddaij hocj"`, []string{`"Đại học"`}},
		{"diacritics kept", "Hà Nooij", []string{"Hà Nội"}},
		{"spaces kept", "hoaf  binhf", []string{"hòa  bình"}},
		{"standard left alone", "ISO 9001", nil},
		{"code with dash left alone", "COVID-19", nil},
		{"english left alone", "English", nil},
		{"valid syllable left alone", "Nam", nil},
		{"english article left alone", "the", nil},
		{"real word valid both ways", "xoong", nil},
		{"codes in capitals", "U23 F1", nil},
		{"typed with diacritics", "Việt Nam", nil},
		{"joined code", "TP.HCM", nil},
		{"decree", "15/2020/nd-cp", nil},
		{"empty", "", nil},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := InputAlternatives(row.in); !slices.Equal(got, row.want) {
				t.Errorf("InputAlternatives(%q) = %q; want %q", row.in, got, row.want)
			}
		})
	}
}
