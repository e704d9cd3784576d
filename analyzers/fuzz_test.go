package analyzers

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fuzzSeeds are inputs every fuzz target starts from: the forms and codes
// the table tests cover, and a few that once broke analysis.
var fuzzSeeds = []string{
	"Nam Định", "Vie\u0323\u0302t Nam", "Vi\u00ea\u0323t", "ðường Ðà Nẵng", "hoà bình hòa bình",
	"Uỷ ban nhân dân TP.HCM", "ISO 9001:2000", "15/2020/NĐ-CP", "1.500.000 đồng, 2,5 tỷ, 12,5%",
	"07:05, 25/05/2012", "Vi\u200bệt\u00a0Nam\ufeff", "\u0301 a", "khuỷu ngoài người quốc gìn",
	"nguowif Ddinhj Vie6t5 hoaf", "nguwoif twong luuw cuuws muaw chuaw vieste thoio Ana Wong",
	"VIE65T D9I5NH luu7 U23 F1 A4 CO2 H2O o6", "Ddawks Lawks Kroong Buks Ea Kar Quowis khuawngs khoong",
	"uauauauaw aoaoaoao uuuwwwww", "\u212b\u0915\u093f", "\xff\xfe bad utf-8", "",
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	exact, folded := mustNew(f, Exact), mustNew(f, Folded)
	exactPairs, foldedPairs := mustNew(f, ExactPairs), mustNew(f, FoldedPairs)
	f.Fuzz(func(t *testing.T, s string) {
		input := []byte(s)
		e, fo := exact.Analyze(input), folded.Analyze(input)
		checkStream(t, Exact, input, e)
		checkStream(t, Folded, input, fo)
		checkSameTokens(t, input, e, fo)
		raw := Tokenizer{}.Tokenize(input)
		if len(raw) != len(fo) {
			t.Fatalf("Analyze(%q): %d tokens from the tokenizer, %d folded", s, len(raw), len(fo))
		}
		i := 0
		for start, end := range (Tokenizer{}).Spans(s) {
			if i >= len(raw) || start != raw[i].Start || end != raw[i].End {
				t.Fatalf("Spans(%q): token %d at %d-%d differs from Tokenize", s, i, start, end)
			}
			i++
		}
		if i != len(raw) {
			t.Fatalf("Spans(%q) gave %d tokens; Tokenize %d", s, i, len(raw))
		}
		for i := range e {
			if string(fo[i].Term) != Fold(string(e[i].Term)) {
				t.Errorf("Analyze(%q): folded term %q is not Fold of exact %q", s, fo[i].Term, e[i].Term)
			}
			if got := string(AppendFoldToken(nil, raw[i].Term)); got != string(fo[i].Term) {
				t.Errorf("Analyze(%q): AppendFoldToken(%q) = %q; the folded analyzer gives %q", s, raw[i].Term, got, fo[i].Term)
			}
			if got := string(AppendNormalizedToken(nil, s[raw[i].Start:raw[i].End])); got != string(e[i].Term) {
				t.Errorf("Analyze(%q): AppendNormalizedToken(%q) = %q; the exact analyzer gives %q", s, raw[i].Term, got, e[i].Term)
			}
			if len(e[i].Term) == 0 {
				t.Errorf("Analyze(%q): empty term at %d:%d", s, e[i].Start, e[i].End)
			}
		}
		ep, fp := exactPairs.Analyze(input), foldedPairs.Analyze(input)
		checkStream(t, ExactPairs, input, ep)
		checkStream(t, FoldedPairs, input, fp)
		checkSameTokens(t, input, ep, fp)
		if want := max(len(e)-1, 0); len(ep) != want {
			t.Errorf("Analyze(%q): %d pairs from %d tokens", s, len(ep), len(e))
		}
		if string(input) != s {
			t.Errorf("Analyze(%q) changed its input to %q", s, input)
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if again := Fold(folded); again != folded {
			t.Errorf("Fold(Fold(%q)) = %q; want %q", s, again, folded)
		}
		for _, r := range folded {
			if unicode.Is(unicode.M, r) || unicode.ToLower(r) != r {
				t.Errorf("Fold(%q) = %q holds %U", s, folded, r)
			}
		}
		if isVietnamese(s) && Fold(norm.NFC.String(s)) != Fold(norm.NFD.String(s)) {
			t.Errorf("Fold(%q) differs between NFC and NFD", s)
		}
	})
}

// isVietnamese reports whether s is valid UTF-8 whose every letter is
// Vietnamese, the text whose NFC and NFD forms must fold alike.
func isVietnamese(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range norm.NFD.String(s) {
		if r >= utf8.RuneSelf && !isCombiningMark(r) && r != 'đ' && r != 'Đ' {
			return false
		}
	}
	return true
}

func FuzzCanonicalTone(f *testing.F) {
	for _, s := range fuzzSeeds {
		for _, w := range strings.Fields(s) {
			f.Add(w)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		syl := []rune(norm.NFC.String(s))
		keep := slices.Clone(syl)
		once := CanonicalTone(syl)
		if !slices.Equal(syl, keep) {
			t.Errorf("CanonicalTone(%q) changed its argument", s)
		}
		if twice := CanonicalTone(once); !slices.Equal(twice, once) {
			t.Errorf("CanonicalTone(CanonicalTone(%q)) = %q; want %q", s, string(twice), string(once))
		}
		if Fold(string(once)) != Fold(string(syl)) {
			t.Errorf("CanonicalTone(%q) = %q folds differently", s, string(once))
		}
		// Moving a misplaced tone may make a syllable valid (qúy to quý),
		// never the other way round.
		if ValidSyllable(string(syl)) && !ValidSyllable(string(once)) {
			t.Errorf("CanonicalTone(%q) = %q is no longer a valid syllable", s, string(once))
		}
	})
}

func FuzzDecodeTelex(f *testing.F) {
	for _, s := range fuzzSeeds {
		for _, w := range strings.Fields(s) {
			f.Add(w)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, decode := range map[string]func(string) (string, bool){"DecodeTelex": DecodeTelex, "DecodeVNI": DecodeVNI} {
			got, ok := decode(s)
			if !ok && got != s {
				t.Errorf("%s(%q) = %q, false; want the word back", name, s, got)
			}
			if ok && !ValidSyllable(got) {
				t.Errorf("%s(%q) = %q, true; not a valid syllable", name, s, got)
			}
		}
	})
}

func FuzzQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	abbrs := NewsAbbreviations()
	f.Fuzz(func(t *testing.T, s string) {
		for _, alt := range InputAlternatives(s) {
			if alt == s {
				t.Errorf("InputAlternatives(%q) offers the query itself", s)
			}
		}
		boundaries := runeBoundaries([]byte(s))
		for _, e := range abbrs.Expand(s) {
			if e.Start < 0 || e.End > len(s) || e.Start >= e.End || !boundaries[e.Start] || !boundaries[e.End] {
				t.Errorf("Expand(%q) gives span %d:%d", s, e.Start, e.End)
			}
		}
	})
}
