package places

import (
	"github.com/vnsearch/vnsearch/analyzers"
)

// MinBodyMentions is how many times a place named in neither the title
// nor the lead must be named in the body for an article to be about it.
// Once is too few: a place named in passing ("a man from Hà Nội") is not
// what an article is about. docs/places.md gives the precision and recall
// of each choice on the judged articles.
const MinBodyMentions = 2

// About returns the places an article is about: those named in its title
// or lead, or at least MinBodyMentions times in its body, in the order of
// the gazetteer. An article written without any diacritics is matched
// folded; one with diacritics must spell a name as the gazetteer does.
func (g *Gazetteer) About(title, lead, body string) []Place {
	return g.about(title, lead, body, MinBodyMentions)
}

func (g *Gazetteer) about(title, lead, body string, minBody int) []Place {
	folded := !analyzers.HasDiacritics(title) && !analyzers.HasDiacritics(lead) && !analyzers.HasDiacritics(body)
	counts := make([]int, len(g.places))
	words := g.count(nil, title, folded, counts)
	words = g.count(words, lead, folded, counts)
	inBody := make([]int, len(g.places))
	g.count(words, body, folded, inBody)
	var out []Place
	for i, n := range counts {
		if n > 0 || inBody[i] >= minBody {
			out = append(out, g.places[i])
		}
	}
	return out
}

// Mentions returns how many times each place is named in text, by name.
func (g *Gazetteer) Mentions(text string) map[string]int {
	counts := make([]int, len(g.places))
	g.count(nil, text, !analyzers.HasDiacritics(text), counts)
	out := map[string]int{}
	for i, n := range counts {
		if n > 0 {
			out[g.places[i].Name] = n
		}
	}
	return out
}

// count adds to counts, by place, how many times each is named in text:
// at each word, the longest form standing there, unless the word before
// makes it a street's or a person's name. It splits text into scratch,
// which it returns for the next call to reuse.
func (g *Gazetteer) count(scratch []word, text string, folded bool, counts []int) []word {
	words := appendWords(scratch[:0], text)
	byFirst := g.exact
	if folded {
		byFirst = g.folded
	}
	sp := speller{folded: folded}
	for i := 0; i < len(words); i++ {
		if !words[i].capital && !g.lowerStarts[firstRune(words[i].text)] {
			continue
		}
		forms, ok := byFirst[string(sp.spell(words[i]))]
		if !ok {
			continue
		}
		for _, f := range forms {
			if !sp.matches(f, words[i:]) {
				continue
			}
			if f.place >= 0 && !sp.namesSomethingElse(words, i) {
				counts[f.place]++
			}
			i += len(f.words) - 1
			break
		}
	}
	return words
}

// speller spells the words of a text as the gazetteer's forms are
// spelt: normalised with diacritics, or folded. The spelling it returns
// is valid until the next call.
type speller struct {
	folded bool
	buf    []byte
}

func (sp *speller) spell(w word) []byte {
	if sp.folded {
		sp.buf = analyzers.AppendFoldToken(sp.buf[:0], w.text)
	} else {
		sp.buf = analyzers.AppendNormalizedToken(sp.buf[:0], w.text)
	}
	return sp.buf
}

// matches reports whether the words of f start words. Punctuation may
// stand between them: "TP.HCM", "Bà Rịa - Vũng Tàu", "BR-VT".
func (sp *speller) matches(f form, words []word) bool {
	if len(words) < len(f.words) {
		return false
	}
	for j, fw := range f.words {
		w := words[j]
		if (fw.capital && !w.capital) || (fw.capitals && !w.capitals) {
			return false
		}
		want := fw.exact
		if sp.folded {
			want = fw.folded
		}
		if string(sp.spell(w)) != want {
			return false
		}
	}
	return true
}

// Words that say that the name after them is not a province's, spelt as
// speller spells them, with diacritics and folded.
var (
	// A street named after a province: "đường Điện Biên Phủ", "phố Hà
	// Nam"; but "thành phố Hà Nội" is the city.
	streetWords = wordSet("đường", "phố")
	cityWords   = wordSet("thành")
	// Forms of address: "chị Huế", "ông Hòa Bình". With a capital
	// inside a sentence they are mostly names ("Hoàng Anh Gia Lai").
	addressWords = wordSet("ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em", "cháu")
	// Family and middle names, written with a capital: "Nguyễn Thị Huế",
	// "Nguyễn Hòa Bình", "Lê Thanh Hóa".
	nameWords = wordSet("nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ",
		"đặng", "bùi", "đỗ", "hồ", "ngô", "dương", "lý", "đinh", "trịnh", "lưu", "tạ",
		"thị", "văn", "hữu")
)

func wordSet(words ...string) map[string]bool {
	set := map[string]bool{}
	for _, w := range words {
		set[w], set[analyzers.Fold(w)] = true, true
	}
	return set
}

// namesSomethingElse reports whether the word just before words[i] makes
// the place named from there a street's or a person's name.
func (sp *speller) namesSomethingElse(words []word, i int) bool {
	if i == 0 || !words[i].joined {
		return false
	}
	prev := string(sp.spell(words[i-1]))
	switch {
	case streetWords[prev]:
		// "thành phố" is a city, not a street.
		return i < 2 || !words[i-1].joined || !cityWords[string(sp.spell(words[i-2]))]
	case addressWords[prev]:
		startsSentence := i == 1 || !words[i-1].joined
		return !words[i-1].capital || startsSentence
	case nameWords[prev]:
		return words[i-1].capital
	}
	return false
}
