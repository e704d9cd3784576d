package schema

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vnsearch/vnsearch/analyzers"
)

// ErrBadDate reports a date ParseDate does not recognise.
var ErrBadDate = errors.New("unrecognised date")

// DateMaxBytes bounds what ParseDate looks at, and so the line a reader
// may take for a date: the longest form it knows
// ("Chủ nhật, ngày 25 tháng 12 năm 2012, lúc 07 giờ 05 phút (GMT+7)")
// is well under it, and the text reader tries every candidate line.
const DateMaxBytes = 120

// Years a date may fall in. Bleve stores dates as int64 nanoseconds since
// 1970, which reach only 1677 to 2262; a year outside this range is a typo.
const (
	minYear = 1800
	maxYear = 2200
)

// isoLayouts are the machine formats tried before the newsroom ones:
// RFC 3339 and its common relaxations, and the RFC 1123 dates of RSS feeds.
// Layouts without a zone are read as Vietnam time.
var isoLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 Z0700",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
}

// newsDate matches the forms Vietnamese newsrooms print, after Fold has
// removed diacritics and case ("Thứ sáu" is "thu sau", "tháng" is
// "thang"): an optional weekday, an optional time, the date as day, month,
// year (or ISO year, month, day), an optional time and an optional zone.
var newsDate = regexp.MustCompile(`^` +
	// Weekday: "thứ sáu", "thứ 6", "t6", "chủ nhật", "cn".
	`(?:(?:thu ?(?:hai|ba|tu|nam|sau|bay|[2-7])|chu ?nhat|cn|t[2-7]) ?[,|-]? ?)?` +
	// Time before the date: "07:05, ", "lúc 7h05 ngày ".
	`(?:(?:luc ?)?` + timePattern + ` ?[,|-]? ?)?` +
	`(?:ngay ?)?` +
	`(?:` +
	`(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{4})` + // 25/05/2012, 23-5-2012
	`|(\d{1,2}) ?thang ?(\d{1,2}) ?,? ?(?:nam ?)?(\d{4})` + // 25 tháng 5 năm 2012
	`|(\d{4}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{1,2})` + // 2012-05-25
	`)` +
	// Time after the date: " 07:05", ", lúc 07:05".
	`(?: ?[,|-]? ?(?:luc ?)?` + timePattern + `)?` +
	// Zone: "(GMT+7)", "GMT+07:00".
	`(?: ?\(? ?(?:gmt|utc) ?([+-]) ?(\d{1,2})(?::?(\d{2}))? ?\)?)?` +
	`$`)

// timePattern is one time of day: "07:05", "7:05:30", "7h05", "7h",
// "7 giờ 5 phút", with an optional am/pm.
const timePattern = `(\d{1,2}) ?(?::|h|gio) ?(?:(\d{1,2}) ?(?:phut)?)?(?: ?: ?(\d{1,2}))?(?: ?(am|pm))?`

// Indexes of newsDate's submatches.
const (
	subTime1                          = 1 // hour, minute, second, am/pm
	subDay1, subMonth1, subYear1      = 5, 6, 7
	subDay2, subMonth2, subYear2      = 8, 9, 10
	subYear3, subMonth3, subDay3      = 11, 12, 13
	subTime2                          = 14
	subZoneSign, subZoneH, subZoneMin = 18, 19, 20
)

// ParseDate parses a publication date as news sites and archives write it:
// RFC 3339 ("2012-05-25T07:05:00+07:00"), ISO dates with or without a time
// ("2012-05-25", "2012-05-25 07:05"), RSS dates, and the Vietnamese forms
// "25/05/2012", "25/5/2012", "23-5-2012", "07:05, 25/05/2012",
// "25/05/2012 07:05", "ngày 25 tháng 5 năm 2012" and "Thứ sáu, 25/05/2012
// 07:05 (GMT+7)". Days come before months, as in Vietnam. A date without a
// zone is in Vietnam time (VietnamTime). The whole of s must be the
// date: "Ngày 23-5-2012, Đoàn công tác…" is not one. A Go zero time
// ("0001-01-01T00:00:00Z"), which exporters write for "unknown", parses as
// the zero time. Otherwise the error wraps ErrBadDate.
func ParseDate(s string) (time.Time, error) {
	t, _, err := parseInstantOrDay(s)
	return t, err
}

// parseInstantOrDay reads what ParseDate reads, and reports whether s gave
// a time of day or only a day.
func parseInstantOrDay(s string) (t time.Time, hasTime bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > DateMaxBytes {
		return time.Time{}, false, badDate(s)
	}
	for _, layout := range isoLayouts {
		if t, err := time.ParseInLocation(layout, s, VietnamTime); err == nil {
			if t.IsZero() {
				return t, true, nil
			}
			t, err = checkYear(t, s)
			return t, true, err
		}
	}
	m := newsDate.FindStringSubmatch(strings.Join(strings.Fields(analyzers.Fold(s)), " "))
	if m == nil {
		return time.Time{}, false, badDate(s)
	}
	if m[subTime1] != "" && m[subTime2] != "" {
		return time.Time{}, false, badDate(s) // two times: which one is it?
	}
	day, month, year := m[subDay1], m[subMonth1], m[subYear1]
	if m[subDay2] != "" {
		day, month, year = m[subDay2], m[subMonth2], m[subYear2]
	} else if m[subDay3] != "" {
		day, month, year = m[subDay3], m[subMonth3], m[subYear3]
	}
	clock := m[subTime1 : subTime1+4]
	if m[subTime2] != "" {
		clock = m[subTime2 : subTime2+4]
	}
	loc := VietnamTime
	if m[subZoneSign] != "" {
		off := atoi(m[subZoneH])*3600 + atoi(m[subZoneMin])*60
		if m[subZoneH] == "" || off > 14*3600 {
			return time.Time{}, false, badDate(s)
		}
		if m[subZoneSign] == "-" {
			off = -off
		}
		if off != 7*3600 {
			loc = time.FixedZone("", off)
		}
	}
	hour, minute, sec := atoi(clock[0]), atoi(clock[1]), atoi(clock[2])
	switch clock[3] {
	case "am", "pm":
		if hour < 1 || hour > 12 {
			return time.Time{}, false, badDate(s)
		}
		hour %= 12
		if clock[3] == "pm" {
			hour += 12
		}
	}
	d, mo, y := atoi(day), atoi(month), atoi(year)
	t = time.Date(y, time.Month(mo), d, hour, minute, sec, 0, loc)
	// time.Date normalises 31/02 to 2/3 and 25:00 to the next day; a date
	// that does not come back as written was not a date.
	if t.Day() != d || int(t.Month()) != mo || t.Hour() != hour || t.Minute() != minute || t.Second() != sec {
		return time.Time{}, false, badDate(s)
	}
	t, err = checkYear(t, s)
	return t, clock[0] != "", err
}

// DateSpan is the stretch of time a written date covers, both ends
// included: a whole year, month or day, or a single instant for a date
// with a time of day.
type DateSpan struct {
	Start, End time.Time
}

// coarseDate matches, after folding, a month or a year written alone:
// "5/2012", "05-2012", "2012-05", "tháng 5/2012", "tháng 5 năm 2012",
// "2012", "năm 2012".
var coarseDate = regexp.MustCompile(`^(?:` +
	`(?:thang ?)?(\d{1,2}) ?[/.-] ?(\d{4})` +
	`|thang ?(\d{1,2}) ?,? ?(?:nam ?)?(\d{4})` +
	`|(\d{4}) ?[/.-] ?(\d{1,2})` +
	`|(?:nam ?)?(\d{4})` +
	`)$`)

// ParseDateSpan parses a date as a person filters by it: anything
// ParseDate reads, which covers its day, or its instant when it has a time
// of day, and a month ("5/2012", "2012-05", "tháng 5 năm 2012") or a year
// ("2012", "năm 2012"), which cover the whole of it. The search query
// language and the API's from and to share it, so that both read the same
// dates as the archive readers. The error wraps ErrBadDate.
func ParseDateSpan(s string) (DateSpan, error) {
	t, hasTime, err := parseInstantOrDay(s)
	switch {
	case err == nil && hasTime:
		return DateSpan{t, t}, nil
	case err == nil:
		return DateSpan{t, t.AddDate(0, 0, 1).Add(-time.Nanosecond)}, nil
	}
	m := coarseDate.FindStringSubmatch(strings.Join(strings.Fields(analyzers.Fold(s)), " "))
	if m == nil || len(s) > DateMaxBytes {
		return DateSpan{}, err
	}
	if year := m[7]; year != "" {
		start, err := checkYear(time.Date(atoi(year), 1, 1, 0, 0, 0, 0, VietnamTime), s)
		return DateSpan{start, start.AddDate(1, 0, 0).Add(-time.Nanosecond)}, err
	}
	month, year := cmp.Or(m[1], m[3], m[6]), cmp.Or(m[2], m[4], m[5])
	if mo := atoi(month); mo < 1 || mo > 12 {
		return DateSpan{}, badDate(s)
	}
	start, err := checkYear(time.Date(atoi(year), time.Month(atoi(month)), 1, 0, 0, 0, 0, VietnamTime), s)
	return DateSpan{start, start.AddDate(0, 1, 0).Add(-time.Nanosecond)}, err
}

func checkYear(t time.Time, s string) (time.Time, error) {
	if y := t.Year(); y < minYear || y > maxYear {
		return time.Time{}, fmt.Errorf("%w %q: year out of range", ErrBadDate, s)
	}
	return t, nil
}

// atoi reads the regexp's digit groups; an absent group is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// badDate quotes at most 40 runes of s: the error may be about a whole
// line that was not a date.
func badDate(s string) error {
	return fmt.Errorf("%w %.40q", ErrBadDate, s)
}
