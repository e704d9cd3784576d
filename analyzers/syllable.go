package analyzers

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// initials are the written initial consonants, longest first so that "ngh"
// is tried before "ng" and "n"; the empty initial comes last. p is kept for
// loanwords (pin, pa-nô) that news prints as Vietnamese syllables.
var initials = []string{
	"ngh",
	"ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
	"",
}

// rhymes are the written rhymes (medial, vowel nucleus and final) without a
// tone, as they follow an initial consonant. After "qu" the rhyme is written
// without its medial u or o, after "gi" without a leading i; rhymeAfter
// restores them before looking a rhyme up here.
var rhymes = func() map[string]bool {
	m := make(map[string]bool)
	for _, r := range strings.Fields(`
		a ac ach ai am an ang anh ao ap at au ay
		ăc ăm ăn ăng ăp ăt
		âc âm ân âng âp ât âu ây
		e ec em en eng eo ep et
		ê êch êm ên ênh êp êt êu
		i ia ich im in inh ip it iu
		iêc iêm iên iêng iêp iêt iêu
		o oc oi om on ong op ot oong ooc
		oa oac oach oai oam oan oang oanh oao oap oat oay
		oăc oăm oăn oăng oăt
		oe oen oeo oet
		ô ôc ôi ôm ôn ông ôp ôt
		ơ ơi ơm ơn ơp ơt
		u uc ui um un ung up ut ua
		uân uâng uât uây uê uêch uên uênh uêt uơ uăng
		uôc uôi uôm uôn uông uôt
		uy uya uych uyên uyêt uynh uyp uyt uyu
		ư ưa ưc ưi ưm ưn ưng ưt ưu
		ươc ươi ươm ươn ương ươp ươt ươu
		y yêm yên yêng yêt yêu`) {
		m[r] = true
	}
	return m
}()

// placeSyllables are the syllables of place names written outside the Kinh
// inventory, mostly of the Central Highlands, whose names keep the spelling
// of their languages: initial clusters (Krông, Plông), finals k and h
// (Đắk Lắk, Chư Păh), k before a and o (Ea Kar, Kon Tum, Bắc Kạn). They
// are accepted only as written here, tone included, so that "Kar" stays a
// name and is never read as Telex for "kả".
var placeSyllables = func() map[string]bool {
	m := make(map[string]bool)
	for _, s := range strings.Fields(`
		đắk đăk đak lắk lăk krông kông búk ea kar kon kạn
		păh pưh prông plông glong glei grai kbang chro đrắk
		jút kuin mil yang huoai tẻh drai ayun`) {
		m[s] = true
	}
	return m
}()

// maxSyllableRunes bounds a syllable: "nghiêng" has seven letters.
const maxSyllableRunes = 7

// ValidSyllable reports whether s is one well-formed Vietnamese syllable:
// an initial consonant from the written inventory, a rhyme from the
// inventory of rhymes, spelling rules between them (k, gh and ngh before i,
// e, ê and y; c, g and ng elsewhere; q only as qu; the oo of loanwords
// only in xoong, boong, goòng, loong, moóc, soóc and voọc), at most one
// tone mark, placed on a vowel of the rhyme, and only sắc or nặng on a
// rhyme closed by p, t, c or ch; or a syllable of a place name outside
// that inventory ("Đắk", "Krông", "Kar"). It accepts "nghiêng", "khuỷu",
// "gìn" and "quốc", in either case, NFC or NFD, with the tone in either
// placement style (hoà and hòa), and rejects "iso", "covid", "ddinh",
// "abc", "khoong" and a toneless "hat".
// It is a phonotactic check, not a dictionary: a well-formed syllable that
// no word uses is accepted. It is safe for concurrent use.
func ValidSyllable(s string) bool {
	if s == "" || len(s) > 8*maxSyllableRunes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			// NFC only when needed: NFD input is rare.
			s = norm.NFC.String(s)
			break
		}
	}
	var buf [maxSyllableRunes]rune
	letters := buf[:0]
	toneAt, tone := -1, ToneLevel
	for _, r := range s {
		if len(letters) == maxSyllableRunes {
			return false
		}
		r = unicode.ToLower(r)
		if r == 'ð' {
			r = 'đ'
		}
		if _, t, ok := vowelOf(r); ok {
			if t != ToneLevel {
				if toneAt >= 0 {
					return false
				}
				toneAt, tone = len(letters), t
			}
			letters = append(letters, withTone(r, ToneLevel))
			continue
		}
		if !strings.ContainsRune("bcdđghklmnpqrstvx", r) {
			return false
		}
		letters = append(letters, r)
	}
	syl := string(letters)
	for _, initial := range initials {
		if !strings.HasPrefix(syl, initial) {
			continue
		}
		rhyme, back := rhymeAfter(initial, syl[len(initial):])
		if rhyme == "" {
			continue
		}
		if toneAt >= 0 && toneAt < utf8.RuneCountInString(initial)-back {
			continue // the tone sits on the u of qu or the i of gi: qúy, gìa
		}
		if stopFinal(rhyme) && tone != ToneRising && tone != ToneHeavy {
			continue
		}
		return true
	}
	if toneAt >= 0 {
		letters[toneAt] = withTone(letters[toneAt], tone)
	}
	return placeSyllables[string(letters)]
}

// rhymeAfter returns the rhyme that initial and the written rest of a
// syllable spell, or "" when they do not spell one. back says how many
// letters of the initial belong to the rhyme: the i of "gi" in "gìn".
func rhymeAfter(initial, rest string) (rhyme string, back int) {
	first, n := utf8.DecodeRuneInString(rest)
	second, _ := utf8.DecodeRuneInString(rest[n:])
	front := strings.ContainsRune("ieêy", first)
	switch initial {
	case "qu":
		// qu spells the medial too: quân is u+ân, quen is o+en, and it
		// goes before rhymes that take no medial elsewhere: quạu, quắp.
		if !isVowel(first) || first == 'u' || first == 'ư' {
			return "", 0
		}
		for _, r := range [...]string{"u" + rest, "o" + rest} {
			if rhymes[r] {
				return r, 0
			}
		}
		if rhymes[rest] && !strings.ContainsRune("oôơ", first) {
			return rest, 0
		}
		if rest == "ơi" {
			return "uơi", 0 // Quới, a rhyme no other initial takes
		}
		return "", 0
	case "gi":
		// gi swallows the i of a rhyme: gì, gìn, giếng.
		if first == 'i' || first == 'y' {
			return "", 0
		}
		if rest == "" || !isVowel(first) || first == 'ê' {
			if r := "i" + rest; rhymes[r] {
				return r, 1
			}
			return "", 0
		}
	case "k":
		if !front {
			return "", 0
		}
	case "gh", "ngh":
		if !front || first == 'y' {
			return "", 0
		}
	case "c":
		// The medial after a k sound is written with qu: qua, quy.
		if first == 'o' && strings.ContainsRune("aăe", second) ||
			first == 'u' && strings.ContainsRune("yăâêơ", second) {
			return "", 0
		}
		fallthrough
	case "g", "ng":
		if front {
			return "", 0
		}
	case "":
		if strings.HasPrefix(rest, "iê") {
			return "", 0 // yê without an initial: yên, not iên
		}
	}
	if initial != "" && strings.HasPrefix(rest, "yê") {
		return "", 0 // iê after an initial: tiên, not tyên
	}
	if strings.HasPrefix(rest, "oo") && !loanwordOO[initial] {
		return "", 0 // "khoong" is Telex for không, no word
	}
	if rhymes[rest] {
		return rest, 0
	}
	return "", 0
}

// loanwordOO are the initials of the few loanwords spelt with oo: xoong,
// boong, goòng, loong toong, moóc, soóc, voọc.
var loanwordOO = map[string]bool{"b": true, "g": true, "l": true, "m": true, "s": true, "v": true, "x": true}

// stopFinal reports whether rhyme ends in p, t, c or ch, which take only
// the sắc or nặng tone.
func stopFinal(rhyme string) bool {
	return strings.HasSuffix(rhyme, "p") || strings.HasSuffix(rhyme, "t") ||
		strings.HasSuffix(rhyme, "c") || strings.HasSuffix(rhyme, "ch")
}
