package analyzers

import "unicode"

// latinSize bounds the runes the lookup tables below cover: everything up
// to the end of Latin Extended Additional, so all of Vietnamese and most
// other news text, without unicode's range searches in the hot paths.
const latinSize = 0x1F00

// Rune classes of runeClass.
const (
	classWord = 1 << iota // letter, digit or mark: belongs inside a token
	classMark             // combining mark: continues a token, never starts one
)

// runeClass and runeLower are built by a variable initialiser, not init,
// because foldTable's initialiser reads them.
var runeClass, runeLower = buildRuneTables()

func buildRuneTables() (class *[latinSize]uint8, lower *[latinSize]rune) {
	class, lower = new([latinSize]uint8), new([latinSize]rune)
	for r := rune(0); r < latinSize; r++ {
		lower[r] = unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.M, r):
			class[r] = classWord | classMark
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			class[r] = classWord
		}
	}
	return class, lower
}

// toLower is unicode.ToLower with a table for the common runes.
func toLower(r rune) rune {
	if r >= 0 && r < latinSize {
		return runeLower[r]
	}
	return unicode.ToLower(r)
}
