package indexer

import (
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/schema"
)

// readText reads a plain-text export of one article: the headline, a date
// line, body paragraphs, a byline and the site's footer (masthead, licence,
// editors, address), each but the headline optional. Its id is the file's
// base name.
func readText(name string, r io.Reader, v Visitor) error {
	data, bad, err := readAll(r)
	if err != nil {
		return &RecordError{File: name, Err: err}
	}
	if bad == nil && !utf8.Valid(data) {
		bad = ErrInvalidUTF8
	}
	if bad != nil {
		v.bad(&RecordError{File: name, Err: bad})
		return nil
	}
	a := parseText(string(data))
	a.ID = baseID(name)
	return v.yield(name, 0, a)
}

// parseText splits an exported article into its parts. Paragraphs are the
// non-blank lines, joined with "\n" in the body.
func parseText(s string) schema.Article {
	var lines []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	var a schema.Article
	if len(lines) == 0 {
		return a
	}
	// Some exports put the date above the headline.
	if t, ok := dateLine(lines[0]); ok && len(lines) > 1 {
		a.Published, lines = t, lines[1:]
	}
	a.Title, lines = lines[0], lines[1:]
	if len(lines) > 0 && a.Published.IsZero() {
		if t, ok := dateLine(lines[0]); ok {
			a.Published, lines = t, lines[1:]
		}
	}
	lines, a.Source = cutFooter(lines)
	// A byline needs a paragraph above it: a lone short line is the body.
	if n := len(lines); n >= 2 {
		if author, ok := byline(lines[n-1]); ok {
			a.Author, lines = author, lines[:n-1]
		}
	}
	a.Body = strings.Join(lines, "\n")
	return a
}

// dateLine parses a line that is only a date, perhaps after a label:
// "07:05, 25/05/2012", "Cập nhật: 25/05/2012 07:05".
func dateLine(line string) (time.Time, bool) {
	if len(line) > schema.DateMaxBytes+40 {
		return time.Time{}, false
	}
	if t, err := schema.ParseDate(line); err == nil {
		return t, true
	}
	label, rest, ok := strings.Cut(line, ":")
	if !ok || len(label) > 40 || strings.ContainsAny(label, "0123456789") {
		return time.Time{}, false
	}
	t, err := schema.ParseDate(rest)
	return t, err == nil
}

// footerLineMaxBytes bounds a footer line: licence and address lines are
// short, so a long line ending an article is body text.
const footerLineMaxBytes = 300

// cutFooter removes the site's boilerplate from the end of an article's
// lines: the longest run of footer-like lines (see footerCue) that holds at
// least one cue only a footer has, so that an article ending with a phone
// number keeps it. source is the run's masthead, if any.
func cutFooter(lines []string) (body []string, source string) {
	start, strong := len(lines), false
	for start > 0 {
		cue := footerCue(lines[start-1])
		if cue == cueNone {
			break
		}
		if cue == cueMasthead {
			source = lines[start-1]
		}
		strong = strong || cue >= cueLabel
		start--
	}
	if !strong {
		return lines, ""
	}
	return lines[:start], source
}

// footerKind grades how surely a line belongs to a site's footer.
type footerKind int

const (
	cueNone     footerKind = iota
	cueContact             // phone, e-mail, web address: also found in articles
	cueLabel               // "Tổng biên tập:", "Giấy phép số": only in footers
	cueMasthead            // "BÁO NAM ĐỊNH ĐIỆN TỬ"
)

// Footer labels, folded (no diacritics, lower case), as they start a line.
var (
	// Press labels count only followed by a colon or a number ("Tổng biên
	// tập: …", "Giấy phép số 136/GP"), as the same words open sentences.
	pressLabels = []string{
		"giay phep", "giay phep so", "so giay phep", "tong bien tap",
		"pho tong bien tap", "thu ky toa soan", "toa soan", "co quan chu quan",
		"chiu trach nhiem", "chiu trach nhiem xuat ban", "ban quyen",
		"xuat ban", "hoi dong bien tap", "ban bien tap", "lien he quang cao",
		"van phong dai dien",
	}
	// Copyright marks count anywhere on the line.
	copyrightMarks = []string{"©", "copyright", "ban quyen thuoc", "ghi ro nguon"}
	contactLabels  = []string{
		"dia chi", "tru so", "dien thoai", "dt", "tel", "fax", "email",
		"e-mail", "hotline", "duong day nong", "website", "web",
	}
	// Words that open a masthead when a capitalised name follows them:
	// "Báo Nam Định", "Tạp chí Cộng sản", but not "Báo cáo cho biết".
	// Longer openers come first, so "Báo điện tử Chính phủ" is one too.
	mastheadOpeners = []string{
		"cong thong tin dien tu", "trang thong tin dien tu", "bao dien tu",
		"cong thong tin", "trang thong tin", "dai phat thanh",
		"dai truyen hinh", "thong tan xa", "tap chi", "bao",
	}
)

var (
	emailRe  = regexp.MustCompile(`[\w.+-]+@[\w-]+(\.[\w-]+)+`)
	phoneRe  = regexp.MustCompile(`(^|[^\d])(\+84|0)\d{1,4}([ .-]?\d{2,4}){2,4}($|[^\d])`)
	domainRe = regexp.MustCompile(`^(https?://)?(www\.)?[\w-]+(\.[\w-]+)*\.(vn|com|net|org|info)(/\S*)?$`)
)

// footerCue grades one line.
func footerCue(line string) footerKind {
	if len(line) > footerLineMaxBytes {
		return cueNone
	}
	folded := analyzers.Fold(line)
	switch {
	case isMasthead(line, folded):
		return cueMasthead
	case hasPressLabel(folded), containsAny(folded, copyrightMarks):
		return cueLabel
	case hasLabel(folded, contactLabels), emailRe.MatchString(line),
		phoneRe.MatchString(line), domainRe.MatchString(folded),
		!strings.ContainsFunc(line, isWordRune):
		return cueContact
	}
	return cueNone
}

// hasLabel reports whether folded starts with one of labels as a whole word.
func hasLabel(folded string, labels []string) bool {
	for _, l := range labels {
		if rest, ok := strings.CutPrefix(folded, l); ok {
			if r, _ := utf8.DecodeRuneInString(rest); rest == "" || !isWordRune(r) {
				return true
			}
		}
	}
	return false
}

// hasPressLabel reports whether folded starts with a press label and a
// colon or a number.
func hasPressLabel(folded string) bool {
	for _, l := range pressLabels {
		if rest, ok := strings.CutPrefix(folded, l); ok {
			rest = strings.TrimSpace(rest)
			if rest != "" && (rest[0] == ':' || ('0' <= rest[0] && rest[0] <= '9')) {
				return true
			}
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// isMasthead reports a newspaper's name on a line of its own: a few words
// without a final period, either a masthead opener and a capitalised name
// ("Báo Nam Định điện tử"), or capitals naming an online newspaper
// ("VNEXPRESS ONLINE", "BÁO NAM ĐỊNH ĐIỆN TỬ").
func isMasthead(line, folded string) bool {
	words := strings.Fields(line)
	if len(words) < 2 || len(words) > 10 || strings.HasSuffix(line, ".") {
		return false
	}
	for _, opener := range mastheadOpeners {
		k := strings.Count(opener, " ") + 1
		if len(words) > k && analyzers.Fold(strings.Join(words[:k], " ")) == opener {
			if r, _ := utf8.DecodeRuneInString(words[k]); unicode.IsUpper(r) {
				return true
			}
		}
	}
	return isUpper(line) && (strings.Contains(folded, "dien tu") || strings.Contains(folded, "online") ||
		strings.Contains(folded, "news"))
}

// isUpper reports whether line has letters and all of them are capitals.
func isUpper(line string) bool {
	letters := 0
	for _, r := range line {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// bylineMaxBytes bounds a byline: a few names, never a sentence.
const bylineMaxBytes = 80

// creditWords may label a byline ("Bài và ảnh: Nguyễn Hương"), folded.
// Those marked true name the writer; a label without one ("Ảnh: TTXVN")
// credits a photo, not the article.
var creditWords = map[string]bool{
	"bai": true, "tin": true, "thuc": true, "hien": true, "tac": true,
	"gia": true, "ghi": true, "chep": true, "phong": true, "vien": true,
	"nhom": true, "anh": false, "va": false, "video": false, "clip": false,
	"do": false, "hoa": false, "&": false,
}

// byline returns the author named by a byline line: one or more names of
// capitalised words ("Nguyễn Hương", "HỒNG MINH", "N.H"), joined by "-",
// "," or "và", after an optional credit label, with no final punctuation.
// A source credit ("Theo TTXVN") is not a byline.
func byline(line string) (string, bool) {
	s := line
	if label, rest, ok := strings.Cut(s, ":"); ok && isCreditLabel(label) {
		s = strings.TrimSpace(rest)
	}
	if s == "" || len(s) > bylineMaxBytes || strings.ContainsAny(s[len(s)-1:], ".!?:;,") {
		return "", false
	}
	words := strings.Fields(s)
	if len(words) > 10 || analyzers.Fold(words[0]) == "theo" {
		return "", false
	}
	names := 0
	for _, w := range words {
		switch w = strings.TrimSuffix(w, ","); w {
		case "-", "–", "&", "và", "":
			continue
		}
		first, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(first) {
			return "", false
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '.' {
				return "", false
			}
		}
		names++
	}
	return s, names > 0
}

func isCreditLabel(label string) bool {
	writer := false
	for _, w := range strings.FieldsFunc(analyzers.Fold(label), func(r rune) bool { return r == ' ' || r == ',' || r == '/' }) {
		names, ok := creditWords[w]
		if !ok {
			return false
		}
		writer = writer || names
	}
	return writer
}
