package analyzers

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestValidSyllable(t *testing.T) {
	rows := []struct {
		name, in string
		want     bool
	}{
		{"ngh before iê", "nghiêng", true},
		{"uyu rhyme", "khuỷu", true},
		{"gi before a consonant", "gìn", true},
		{"qu with uô", "quốc", true},
		{"qu with y", "quý", true},
		{"qu with a", "quả", true},
		{"qu with ê", "quên", true},
		{"qu with ăp", "quắp", true},
		{"gi with ư", "giữ", true},
		{"gi with ươ", "giường", true},
		{"gi with iê", "giếng", true},
		{"gi alone", "gì", true},
		{"k before y", "kỹ", true},
		{"k before iê", "kiểm", true},
		{"gh before ê", "ghế", true},
		{"ươ with i", "người", true},
		{"iê with ng", "tiếng", true},
		{"uyê with n", "khuyến", true},
		{"oai", "ngoài", true},
		{"oong", "xoong", true},
		{"ooc", "moóc", true},
		{"oo only in loanwords", "khoong", false},
		{"oo after c is Telex for công", "coong", false},
		{"uăng after kh", "khuắng", true},
		{"qu with ơi", "Quới", true},
		{"uăng after c is written qu", "cuăng", false},
		{"highland k final", "Đắk", true},
		{"highland k final without tone", "Đăk", true},
		{"highland cluster", "Krông", true},
		{"highland k before a", "Kar", true},
		{"highland name with another tone", "Kả", false},
		{"highland rhyme without initial", "Ea", true},
		{"highland h final", "Păh", true},
		{"k before a in Bắc Kạn", "Kạn", true},
		{"yê without initial", "yêu", true},
		{"uyê without initial", "uyên", true},
		{"ia without initial", "ỉa", true},
		{"y alone", "ý", true},
		{"đ", "Định", true},
		{"capitals", "NGHIÊNG", true},
		{"nfd", "Vie\u0323\u0302t", true},
		{"eth", "ðường", true},
		{"tone on first vowel", "hòa", true},
		{"tone on second vowel", "hoà", true},
		{"toneless open", "hoa", true},
		{"toneless nasal", "Nam", true},
		{"stop final with sắc", "hát", true},
		{"stop final with nặng", "hạt", true},
		{"ch final with sắc", "thích", true},
		{"loanword p", "pin", true},
		{"toneless word that is also English", "the", true},
		{"latin abbreviation", "iso", false},
		{"english word", "covid", false},
		{"double d", "ddinh", false},
		{"abc", "abc", false},
		{"stop final without tone", "hat", false},
		{"stop final with huyền", "hàt", false},
		{"stop final with hỏi", "thỉch", false},
		{"stop final with ngã", "hãp", false},
		{"two tones", "hóà", false},
		{"c before i", "ci", false},
		{"k before a", "ka", false},
		{"g before e", "ge", false},
		{"ng before i", "ngi", false},
		{"gh before a", "gha", false},
		{"q without u", "qa", false},
		{"qu alone", "qu", false},
		{"c with medial written qu", "coa", false},
		{"iê without initial", "iên", false},
		{"yê after an initial", "tyên", false},
		{"open ươ", "ươ", false},
		{"ă alone", "ă", false},
		{"tone on the u of qu", "qúy", false},
		{"tone on the i of gi", "gìa", false},
		{"f is no Vietnamese letter", "fan", false},
		{"w is no Vietnamese letter", "web", false},
		{"digits", "9001", false},
		{"code with digits", "H5N1", false},
		{"telex keys", "vieejt", false},
		{"missing circumflex", "viet", false},
		{"two syllables", "hànội", false},
		{"too long", "nghiêngg", false},
		{"empty", "", false},
		{"space", "hà nội", false},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := ValidSyllable(row.in); got != row.want {
				t.Errorf("ValidSyllable(%q) = %v; want %v", row.in, got, row.want)
			}
		})
	}
}

// TestValidSyllableCorpus checks ValidSyllable against the most frequent
// syllables of the news corpus: nearly every one with a diacritic is a
// syllable; the rest are abbreviations and run-together words.
func TestValidSyllableCorpus(t *testing.T) {
	f, err := os.Open("../../shared/corpus/syllable_df.tsv")
	if os.IsNotExist(err) {
		t.Skip("shared corpus absent")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var seen, rejected int
	var examples []string
	for sc.Scan() {
		word, _, _ := strings.Cut(sc.Text(), "\t")
		if word == "syllable" || !HasDiacritics(word) {
			continue
		}
		seen++
		if !ValidSyllable(word) {
			rejected++
			examples = append(examples, word)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if seen < 1000 {
		t.Fatalf("read %d syllables with diacritics; want the corpus's thousands", seen)
	}
	if rejected*50 > seen {
		t.Errorf("ValidSyllable rejected %d of %d corpus syllables, over 2%%: %q", rejected, seen, examples)
	}
}
