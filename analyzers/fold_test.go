package analyzers

import (
	"strings"
	"testing"
	"unicode"
)

func TestFold(t *testing.T) {
	rows := []struct{ name, in, want string }{
		{"place name", "Nam Định", "nam dinh"},
		{"đ", "đ", "d"},
		{"capital Đ", "ĐÀ NẴNG", "da nang"},
		{"eth look-alike", "ðường Ðiện Biên", "duong dien bien"},
		{"every vowel mark", "ăâêôơư ĂÂÊÔƠƯ", "aaeoou aaeoou"},
		{"every tone", "àáảãạ ÀÁẢÃẠ", "aaaaa aaaaa"},
		{"nfd", "Vie\u0323\u0302t Nam", "viet nam"},
		{"windows-1258", "Vi\u00ea\u0323t", "viet"},
		{"both tone styles", "hoà hòa Uỷ Ủy", "hoa hoa uy uy"},
		{"ascii unchanged", "iso 9001", "iso 9001"},
		{"ascii capitals", "ISO 9001", "iso 9001"},
		{"zero-width space dropped", "Vi\u200bệt", "viet"},
		{"soft hyphen dropped", "ngh\u00adiên", "nghien"},
		{"no-break space kept", "Hà\u00a0Nội", "ha\u00a0noi"},
		{"latin letters beyond Vietnamese", "Zürich Ångström Łódź", "zurich angstrom łodz"},
		{"angstrom sign folds like Å", "\u212b", "a"},
		{"combining mark of another script", "\u0915\u093f", "\u0915"},
		{"empty", "", ""},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got := Fold(row.in)
			if got != row.want {
				t.Errorf("Fold(%q) = %q; want %q", row.in, got, row.want)
			}
			if again := Fold(got); again != got {
				t.Errorf("Fold(Fold(%q)) = %q; want %q", row.in, again, got)
			}
		})
	}
}

// TestFoldRuneEveryRune checks folding rune by rune over all of Unicode:
// idempotent, never upper case, never a combining mark.
func TestFoldRuneEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		f := FoldRune(r)
		if f < 0 {
			continue
		}
		if g := FoldRune(f); g != f {
			t.Errorf("FoldRune(FoldRune(%U)) = %U; want %U", r, g, f)
		}
		if unicode.ToLower(f) != f {
			t.Errorf("FoldRune(%U) = %U, which has a lower case", r, f)
		}
		if unicode.Is(unicode.M, f) {
			t.Errorf("FoldRune(%U) = %U, a combining mark", r, f)
		}
	}
}

func TestHasDiacritics(t *testing.T) {
	rows := []struct {
		name, in string
		want     bool
	}{
		{"tone", "Định", true},
		{"đ only", "đi", true},
		{"vowel mark without tone", "ăn", true},
		{"nfd tone", "Vie\u0323\u0302t", true},
		{"plain ascii", "Nam Dinh", false},
		{"capitals", "ISO", false},
		{"zero-width space is no diacritic", "Vi\u200bet", false},
		{"empty", "", false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := HasDiacritics(row.in); got != row.want {
				t.Errorf("HasDiacritics(%q) = %v; want %v", row.in, got, row.want)
			}
		})
	}
}

// Spans and AppendFoldToken must give, token by token, what Tokenize and
// the folded analyzer give.
func TestSpansAndFoldTokenMatchFoldedAnalyzer(t *testing.T) {
	folded := mustNew(t, Folded)
	inputs := []string{
		"Nam Định ISO 9001:2000, 07:05 ngày 05/05/2012",
		"Vie\u0323\u0302t Nam \u0110à Nẵng ðường THUỶ LỢI Hoà Bình",
		"Vi\u200Bệt 0 00 007 09h COVID-19 1.500.000 đồng",
		"",
		"  …  ",
	}
	for _, input := range inputs {
		want := folded.Analyze([]byte(input))
		var spans [][2]int
		for start, end := range (Tokenizer{}).Spans(input) {
			spans = append(spans, [2]int{start, end})
		}
		if len(spans) != len(want) {
			t.Fatalf("Spans(%q) gave %d tokens; the folded analyzer %d", input, len(spans), len(want))
		}
		for i, sp := range spans {
			if sp != [2]int{want[i].Start, want[i].End} {
				t.Errorf("Spans(%q) token %d = %v; the analyzer gives %d-%d", input, i, sp, want[i].Start, want[i].End)
			}
			raw := input[sp[0]:sp[1]]
			if term := string(AppendFoldToken(nil, raw)); term != string(want[i].Term) {
				t.Errorf("AppendFoldToken(%q) = %q; the folded analyzer gives %q", raw, term, want[i].Term)
			}
		}
	}
}

func TestSpansStopsWhenAsked(t *testing.T) {
	var got []string
	text := "Sở Khoa học và Công nghệ Nam Định"
	for start, end := range (Tokenizer{}).Spans(text) {
		got = append(got, text[start:end])
		if len(got) == 3 {
			break
		}
	}
	if strings.Join(got, " ") != "Sở Khoa học" {
		t.Errorf("Spans up to the third token = %q", got)
	}
}
