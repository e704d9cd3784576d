package schema

import (
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	vn := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, VietnamTime)
	}
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"rfc 3339 with zone", "2012-05-25T07:05:00+07:00", vn(2012, 5, 25, 7, 5, 0)},
		{"rfc 3339 utc", "2012-05-25T00:05:00Z", vn(2012, 5, 25, 7, 5, 0)},
		{"rfc 3339 fraction", "2012-05-25T07:05:00.123+07:00", vn(2012, 5, 25, 7, 5, 0).Add(123 * time.Millisecond)},
		{"iso without zone", "2012-05-25T07:05:00", vn(2012, 5, 25, 7, 5, 0)},
		{"iso date", "2012-05-25", vn(2012, 5, 25, 0, 0, 0)},
		{"iso date and minutes", "2012-05-25 07:05", vn(2012, 5, 25, 7, 5, 0)},
		{"iso date and seconds", "2012-05-25 07:05:09", vn(2012, 5, 25, 7, 5, 9)},
		{"sql with zone", "2012-05-25 07:05:00+07:00", vn(2012, 5, 25, 7, 5, 0)},
		{"rss", "Fri, 25 May 2012 07:05:00 +0700", vn(2012, 5, 25, 7, 5, 0)},
		{"rss gmt", "Fri, 25 May 2012 00:05:00 GMT", vn(2012, 5, 25, 7, 5, 0)},
		{"day month year", "25/05/2012", vn(2012, 5, 25, 0, 0, 0)},
		{"short month", "25/5/2012", vn(2012, 5, 25, 0, 0, 0)},
		{"hyphens", "23-5-2012", vn(2012, 5, 23, 0, 0, 0)},
		{"dots", "23.05.2012", vn(2012, 5, 23, 0, 0, 0)},
		{"time first", "07:05, 25/05/2012", vn(2012, 5, 25, 7, 5, 0)},
		{"time after", "25/05/2012 07:05", vn(2012, 5, 25, 7, 5, 0)},
		{"time after seconds", "25/05/2012 07:05:30", vn(2012, 5, 25, 7, 5, 30)},
		{"time with h", "7h05 ngày 25/5/2012", vn(2012, 5, 25, 7, 5, 0)},
		{"words", "ngày 25 tháng 5 năm 2012", vn(2012, 5, 25, 0, 0, 0)},
		{"words capitalised", "Ngày 25 Tháng 05 Năm 2012", vn(2012, 5, 25, 0, 0, 0)},
		{"words nfd", "nga\u0300y 25 tha\u0301ng 5 na\u0306m 2012", vn(2012, 5, 25, 0, 0, 0)},
		{"weekday", "Thứ sáu, 25/05/2012 07:05", vn(2012, 5, 25, 7, 5, 0)},
		{"weekday digit", "Thứ 6, 25/5/2012, 07:05 (GMT+7)", vn(2012, 5, 25, 7, 5, 0)},
		{"sunday", "Chủ nhật, 27/5/2012 - 19:30", vn(2012, 5, 27, 19, 30, 0)},
		{"weekday words", "Thứ Bảy, ngày 26 tháng 5 năm 2012", vn(2012, 5, 26, 0, 0, 0)},
		{"luc", "25/05/2012, lúc 07 giờ 05 phút", vn(2012, 5, 25, 7, 5, 0)},
		{"pm", "25/05/2012 7:05 PM", vn(2012, 5, 25, 19, 5, 0)},
		{"other zone", "25/05/2012 07:05 GMT+9", time.Date(2012, 5, 25, 7, 5, 0, 0, time.FixedZone("", 9*3600))},
		{"nbsp", "25/05/2012\u00a007:05", vn(2012, 5, 25, 7, 5, 0)},
		{"go zero time", "0001-01-01T00:00:00Z", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseDateZone(t *testing.T) {
	got, err := ParseDate("25/05/2012 07:05")
	if err != nil {
		t.Fatal(err)
	}
	if _, off := got.Zone(); off != 7*3600 {
		t.Errorf("ParseDate(%q) has offset %d; want +7h", "25/05/2012 07:05", off)
	}
}

func TestParseDateRefuses(t *testing.T) {
	for _, in := range []string{
		"",
		"hôm qua",
		"Ngày 23-5-2012, Đoàn công tác của Bộ KH và CN đã có buổi làm việc",
		"31/02/2012",
		"25/13/2012",
		"25/05/2012 25:00",
		"25/05/2012 07:61",
		"07:05, 25/05/2012 08:00",
		"25/05/0012",
		"9999-01-01",
		"25/05/12",
		"2012",
		"25/05/2012 13:00 PM",
		"25/05/2012 GMT+15",
		"Thứ tám, 25/05/2012",
	} {
		if got, err := ParseDate(in); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrBadDate", in, got, err)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2012-05-25T07:05:00+07:00", "25/05/2012", "07:05, 25/05/2012",
		"ngày 25 tháng 5 năm 2012", "Thứ sáu, 25/05/2012 07:05 (GMT+7)",
		"Fri, 25 May 2012 07:05:00 +0700", "25/05/2012 7:05 pm", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrBadDate) {
				t.Errorf("ParseDate(%q) error %v does not wrap ErrBadDate", s, err)
			}
			return
		}
		if y := got.Year(); !got.IsZero() && (y < minYear || y > maxYear) {
			t.Errorf("ParseDate(%q) = %v, out of range", s, got)
		}
	})
}

func TestParseDateSpan(t *testing.T) {
	vn := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, VietnamTime)
	}
	endOf := func(t time.Time) time.Time { return t.Add(-time.Nanosecond) }
	tests := []struct {
		name       string
		in         string
		start, end time.Time
	}{
		{"rfc 3339 is an instant", "2012-05-25T08:00:00+07:00", vn(2012, 5, 25, 8, 0, 0), vn(2012, 5, 25, 8, 0, 0)},
		{"rfc 3339 utc", "2012-05-25T01:00:00Z", vn(2012, 5, 25, 8, 0, 0), vn(2012, 5, 25, 8, 0, 0)},
		{"iso day", "2012-05-25", vn(2012, 5, 25, 0, 0, 0), endOf(vn(2012, 5, 26, 0, 0, 0))},
		{"day month year", "25/05/2012", vn(2012, 5, 25, 0, 0, 0), endOf(vn(2012, 5, 26, 0, 0, 0))},
		{"time and day", "07:05, 25/05/2012", vn(2012, 5, 25, 7, 5, 0), vn(2012, 5, 25, 7, 5, 0)},
		{"hyphens", "23-5-2012", vn(2012, 5, 23, 0, 0, 0), endOf(vn(2012, 5, 24, 0, 0, 0))},
		{"words", "ngày 25 tháng 5 năm 2012", vn(2012, 5, 25, 0, 0, 0), endOf(vn(2012, 5, 26, 0, 0, 0))},
		{"vietnam time offset", "25/05/2012 07:05 (GMT+7)", vn(2012, 5, 25, 7, 5, 0), vn(2012, 5, 25, 7, 5, 0)},
		{"month slash", "5/2012", vn(2012, 5, 1, 0, 0, 0), endOf(vn(2012, 6, 1, 0, 0, 0))},
		{"iso month", "2012-05", vn(2012, 5, 1, 0, 0, 0), endOf(vn(2012, 6, 1, 0, 0, 0))},
		{"december", "12/2012", vn(2012, 12, 1, 0, 0, 0), endOf(vn(2013, 1, 1, 0, 0, 0))},
		{"month words", "tháng 5 năm 2012", vn(2012, 5, 1, 0, 0, 0), endOf(vn(2012, 6, 1, 0, 0, 0))},
		{"month words slash", "Tháng 5/2012", vn(2012, 5, 1, 0, 0, 0), endOf(vn(2012, 6, 1, 0, 0, 0))},
		{"year", "2012", vn(2012, 1, 1, 0, 0, 0), endOf(vn(2013, 1, 1, 0, 0, 0))},
		{"year words", "năm 2012", vn(2012, 1, 1, 0, 0, 0), endOf(vn(2013, 1, 1, 0, 0, 0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDateSpan(tt.in)
			if err != nil || !got.Start.Equal(tt.start) || !got.End.Equal(tt.end) {
				t.Errorf("ParseDateSpan(%q) = %v, %v; want %v to %v", tt.in, got, err, tt.start, tt.end)
			}
		})
	}
}

func TestParseDateSpanRefuses(t *testing.T) {
	for _, in := range []string{"", "hôm qua", "13/2012", "0/2012", "2012-13", "1500", "năm 1500", "25/05", "tháng 5", "31/02/2012"} {
		if got, err := ParseDateSpan(in); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDateSpan(%q) = %v, %v; want ErrBadDate", in, got, err)
		}
	}
}

func FuzzParseDateSpan(f *testing.F) {
	for _, s := range []string{"2012", "5/2012", "tháng 5 năm 2012", "25/05/2012", "07:05, 25/05/2012", "2012-05", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDateSpan(s)
		if err != nil {
			if !errors.Is(err, ErrBadDate) {
				t.Errorf("ParseDateSpan(%q) error %v does not wrap ErrBadDate", s, err)
			}
			return
		}
		if got.End.Before(got.Start) {
			t.Errorf("ParseDateSpan(%q) = %v, ends before it starts", s, got)
		}
		if day, err := ParseDate(s); err == nil && !day.Equal(got.Start) {
			t.Errorf("ParseDateSpan(%q) starts at %v; ParseDate gives %v", s, got.Start, day)
		}
	})
}
