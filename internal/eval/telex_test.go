package eval

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/vnsearch/vnsearch/analyzers"
)

func TestEncodeTelex(t *testing.T) {
	rows := []struct {
		name, in string
		key      ToneKey
		want     string
	}{
		{"đ and nặng last", "Nam Định", ToneKeyLast, "Nam Ddinhj"},
		{"ê and nặng after the vowels", "Việt Nam", ToneKeyAfterVowels, "Vieejt Nam"},
		{"ê and nặng last", "Việt Nam", ToneKeyLast, "Vieetj Nam"},
		{"ư and ươ", "Thứ trưởng", ToneKeyLast, "Thuws truwowngr"},
		{"ươ tone after the vowels", "trưởng", ToneKeyAfterVowels, "truwowrng"},
		{"đ after the vowels", "Định", ToneKeyAfterVowels, "Ddijnh"},
		{"open ươi", "người", ToneKeyLast, "nguwowif"},
		{"ă", "nặng", ToneKeyLast, "nawngj"},
		{"â", "cấp", ToneKeyLast, "caaps"},
		{"tone before a stop final", "cấp", ToneKeyAfterVowels, "caasp"},
		{"ô and huyền", "đồng", ToneKeyLast, "ddoongf"},
		{"qu keeps its u", "quốc hội", ToneKeyAfterVowels, "quoosc hooij"},
		{"gi", "gìn giữ", ToneKeyAfterVowels, "gifn giuwx"},
		{"gi tone last", "gìn giữ", ToneKeyLast, "ginf giuwx"},
		{"ngã", "ngã", ToneKeyLast, "ngax"},
		{"hỏi on oa, second-vowel style", "hoả", ToneKeyLast, "hoar"},
		{"all capitals", "VIỆT NAM", ToneKeyLast, "VIEETJ NAM"},
		{"capital Đ", "Đà Nẵng", ToneKeyLast, "Ddaf Nawngx"},
		{"no diacritics stays", "ISO 9001 Nam", ToneKeyLast, "ISO 9001 Nam"},
		{"punctuation kept", "Hà Nội: 5 tháng", ToneKeyLast, "Haf Nooij: 5 thangs"},
		{"code with đ", "NĐ-CP", ToneKeyLast, "ND-CP"},
		{"foreign word loses its marks", "Schröder", ToneKeyLast, "Schroder"},
		{"NFD input", "Vie\u0323\u0302t", ToneKeyLast, "Vieetj"},
		{"empty", "", ToneKeyLast, ""},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := EncodeTelex(row.in, row.key); got != row.want {
				t.Errorf("EncodeTelex(%q, %d) = %q; want %q", row.in, row.key, got, row.want)
			}
		})
	}
}

// TestEncodeTelexRoundTrip checks that analyzers.DecodeTelex reads back
// every Vietnamese syllable with diacritics of the bundled corpus, in both
// tone-key habits, as the canonical form of the syllable.
func TestEncodeTelexRoundTrip(t *testing.T) {
	articles, err := LoadCorpus(testCorpus, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range articles {
		for _, w := range strings.FieldsFunc(a.Title+" "+a.Lead+" "+a.Body, func(r rune) bool { return !isWordRune(r) }) {
			w = norm.NFC.String(w)
			if analyzers.HasDiacritics(w) && analyzers.ValidSyllable(w) {
				seen[w] = true
			}
		}
	}
	if len(seen) < 300 {
		t.Fatalf("found %d distinct syllables with diacritics in %s; want at least 300", len(seen), testCorpus)
	}
	for w := range seen {
		want := string(analyzers.CanonicalTone([]rune(w)))
		for _, key := range []ToneKey{ToneKeyLast, ToneKeyAfterVowels} {
			typed := EncodeTelex(w, key)
			got, ok := analyzers.DecodeTelex(typed)
			if !ok || got != want {
				t.Errorf("DecodeTelex(EncodeTelex(%q, %d) = %q) = %q, %v; want %q", w, key, typed, got, ok, want)
			}
		}
	}
}

func TestStripDiacritics(t *testing.T) {
	rows := []struct{ name, in, want string }{
		{"province", "Nam Định", "Nam Dinh"},
		{"capitals", "ỦY BAN NHÂN DÂN", "UY BAN NHAN DAN"},
		{"punctuation and digits", "Hà Nội: 5 tháng, 1.700 tỷ", "Ha Noi: 5 thang, 1.700 ty"},
		{"NFD", "Vie\u0323\u0302t", "Viet"},
		{"ascii", "ISO 9001", "ISO 9001"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := stripDiacritics(row.in); got != row.want {
				t.Errorf("stripDiacritics(%q) = %q; want %q", row.in, got, row.want)
			}
		})
	}
}

func TestOtherToneStyle(t *testing.T) {
	rows := []struct {
		name, in, want string
		ok             bool
	}{
		{"oa first to second", "hòa", "hoà", true},
		{"oa second to first", "hoà", "hòa", true},
		{"oe first to second", "khỏe", "khoẻ", true},
		{"oe second to first", "khoẻ", "khỏe", true},
		{"uy first to second", "thủy", "thuỷ", true},
		{"uy alone capital", "Ủy", "Uỷ", true},
		{"uy capitals", "THỦY", "THUỶ", true},
		{"oa acute", "Hóa", "Hoá", true},
		{"closed oa is one style", "hoàng", "hoàng", false},
		{"qu is a consonant", "quý", "quý", false},
		{"three vowels", "ngoài", "ngoài", false},
		{"toneless", "hoa", "hoa", false},
		{"no such vowels", "Định", "Định", false},
		{"not a syllable", "ISO", "ISO", false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got, ok := otherToneStyle(row.in)
			if got != row.want || ok != row.ok {
				t.Errorf("otherToneStyle(%q) = %q, %v; want %q, %v", row.in, got, ok, row.want, row.ok)
			}
		})
	}
}

func TestMistypings(t *testing.T) {
	rows := []struct {
		name, in string
		want     []string
	}{
		{"open syllable takes every other mark", "đội", []string{"đồi", "đối", "đổi", "đỗi"}},
		{"stop final takes sắc or nặng", "Việt", []string{"Viết"}},
		{"sắc on a stop final", "Bắc", []string{"Bặc"}},
		{"capital", "Hà", []string{"Há", "Hả", "Hã", "Hạ"}},
		{"toneless", "Nam", nil},
		{"not a syllable", "ISO", nil},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got := mistypings(row.in)
			if strings.Join(got, " ") != strings.Join(row.want, " ") {
				t.Errorf("mistypings(%q) = %q; want %q", row.in, got, row.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	rows := []struct{ name, in, want string }{
		{"colon and quotes", `Hà Nội: "khởi công" cầu mới`, "Hà|Nội|khởi|công|cầu|mới"},
		{"codes keep inner punctuation", "Nghị định 15/2020/NĐ-CP (sửa đổi)", "Nghị|định|15/2020/NĐ-CP|sửa|đổi"},
		{"lone dash dropped", "Thể thao - Bóng đá", "Thể|thao|Bóng|đá"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := strings.Join(words(row.in), "|"); got != row.want {
				t.Errorf("words(%q) = %q; want %q", row.in, got, row.want)
			}
		})
	}
}

// FuzzEncodeTelex checks that any text encodes without panicking, that a
// lower-case syllable with diacritics reads back through
// analyzers.DecodeTelex in both tone-key habits, and that encoding what is
// already typed changes nothing.
func FuzzEncodeTelex(f *testing.F) {
	for _, s := range []string{"Nam Định", "Thứ trưởng", "người", "khuỷu", "quốc", "gìn giữ", "hoà", "Vie\u0323\u0302t", "ISO 9001:2000", "Schröder", "\u0301a", "đ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, key := range []ToneKey{ToneKeyLast, ToneKeyAfterVowels} {
			typed := EncodeTelex(s, key)
			if again := EncodeTelex(typed, key); again != typed {
				t.Errorf("EncodeTelex(%q) = %q, which encodes again to %q", s, typed, again)
			}
			w := norm.NFC.String(s)
			if w != strings.ToLower(w) || !analyzers.HasDiacritics(w) || !analyzers.ValidSyllable(w) {
				continue
			}
			want := string(analyzers.CanonicalTone([]rune(w)))
			if got, ok := analyzers.DecodeTelex(typed); !ok || got != want {
				t.Errorf("DecodeTelex(EncodeTelex(%q, %d) = %q) = %q, %v; want %q", s, key, typed, got, ok, want)
			}
		}
	})
}
