package analyzers

import (
	"slices"
	"testing"
)

func TestCanonicalTone(t *testing.T) {
	rows := []struct{ name, in, want string }{
		{"oa open", "hoà", "hòa"},
		{"oe open", "khoẻ", "khỏe"},
		{"uy open", "thuý", "thúy"},
		{"oe open falling", "loè", "lòe"},
		{"uy alone", "uỷ", "ủy"},
		{"uy alone capital", "Uỷ", "Ủy"},
		{"uy capitals", "THUỶ", "THỦY"},
		{"oa acute", "hoá", "hóa"},
		{"oa court", "toà", "tòa"},
		{"uy hook", "thuỷ", "thủy"},
		{"already canonical", "hòa", "hòa"},
		{"closed syllable to last vowel", "hòang", "hoàng"},
		{"closed oa canonical", "toán", "toán"},
		{"marked vowel takes it", "tìên", "tiền"},
		{"ươ takes it on ơ", "ngừơi", "người"},
		{"three vowels open to the middle", "ngòai", "ngoài"},
		{"uyu to the middle", "khủyu", "khuỷu"},
		{"qu is a consonant", "qúy", "quý"},
		{"tone on the u of qu closed", "qúôc", "quốc"},
		{"gi is a consonant", "gìa", "già"},
		{"gi alone", "gì", "gì"},
		{"gi closed", "gìn", "gìn"},
		{"ia open stays on i", "mía", "mía"},
		{"ua open stays on u", "múa", "múa"},
		{"toneless", "hoa", "hoa"},
		{"two tones left alone", "hóà", "hóà"},
		{"not a syllable", "andré", "andré"},
		{"digits left alone", "h5à", "h5à"},
		{"empty", "", ""},
		{"no vowel", "đ", "đ"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			in := []rune(row.in)
			keep := slices.Clone(in)
			got := string(CanonicalTone(in))
			if got != row.want {
				t.Errorf("CanonicalTone(%q) = %q; want %q", row.in, got, row.want)
			}
			if !slices.Equal(in, keep) {
				t.Errorf("CanonicalTone(%q) changed its argument to %q", row.in, string(in))
			}
		})
	}
}
