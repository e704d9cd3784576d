package indexer

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

func TestReadHTMLFixtures(t *testing.T) {
	tests := []struct {
		file  string
		want  schema.Article
		body  []string // paragraphs, in order
		notIn []string
	}{
		{"le-hoi-hoa-sen.html", schema.Article{
			ID:        "https://baosonghong.vn/van-hoa/ron-rang-le-hoi-hoa-sen-1234.html",
			URL:       "https://baosonghong.vn/van-hoa/ron-rang-le-hoi-hoa-sen-1234.html",
			Title:     "Rộn ràng lễ hội hoa sen bên đầm Vân Long",
			Lead:      "Lễ hội hoa sen năm nay thu hút hàng nghìn du khách với nhiều hoạt động trải nghiệm gắn với làng nghề truyền thống.",
			Section:   "Văn hóa",
			Source:    "Báo Sông Hồng",
			Author:    "Hoàng Lan Anh",
			Published: time.Date(2024, 6, 15, 9, 30, 0, 0, schema.VietnamTime),
			Tags:      []string{"lễ hội", "du lịch"},
		}, []string{
			"Ngay từ sáng sớm, hàng trăm chiếc thuyền nan",
			"Ban tổ chức dựng 30 gian hàng",
			"Theo Sở Văn hóa và Thể thao, lễ hội kéo dài đến hết ngày 20/6",
		}, []string{
			"Thời sự", "Trang chủ", "Ảnh:", "Tin liên quan", "Chia sẻ", "Bình luận", "Năm nào tôi cũng",
			"Đọc nhiều", "Giấy phép", "dataLayer", "font-weight", "Thứ bảy, 15/06/2024", "Hoàng Lan Anh", "lễ hội du lịch",
		}},
		{"nha-van-hoa-1258.html", schema.Article{
			ID:        "nha-van-hoa-1258",
			Title:     "Khánh thành nhà văn hóa thôn Đông",
			Lead:      "Sau sáu tháng thi công, nhà văn hóa thôn Đông đã hoàn thành và đưa vào sử dụng với tổng kinh phí gần 900 triệu đồng, trong đó nhân dân đóng góp hơn một phần ba.",
			Author:    "Đinh Công Sơn",
			Published: time.Date(2012, 5, 25, 7, 5, 0, 0, schema.VietnamTime),
		}, []string{
			"Công trình có hội trường 200 chỗ ngồi",
			"Phát biểu tại buổi lễ",
		}, []string{"Quảng cáo", "Tin mới", "Trang chủ", "Bản quyền", "Đinh Công Sơn"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, bad := readFixture(t, filepath.Join(readersDir, tt.file))
			if len(bad) != 0 {
				t.Errorf("bad records: %v", bad)
			}
			if got.ID != tt.want.ID || got.URL != tt.want.URL || got.Title != tt.want.Title || got.Lead != tt.want.Lead ||
				got.Section != tt.want.Section || got.Source != tt.want.Source || got.Author != tt.want.Author ||
				!got.Published.Equal(tt.want.Published) || !slices.Equal(got.Tags, tt.want.Tags) {
				t.Errorf("read\n%+v\nwant\n%+v", got, tt.want)
			}
			paras := strings.Split(got.Body, "\n")
			if len(paras) != len(tt.body) {
				t.Errorf("body has %d paragraphs; want %d:\n%s", len(paras), len(tt.body), got.Body)
			}
			for i := range min(len(paras), len(tt.body)) {
				if !strings.HasPrefix(paras[i], tt.body[i]) {
					t.Errorf("paragraph %d = %q; want it to start %q", i, paras[i], tt.body[i])
				}
			}
			for _, s := range tt.notIn {
				if strings.Contains(got.Body, s) || strings.Contains(got.Lead, s) {
					t.Errorf("text has %q:\n%s\n%s", s, got.Lead, got.Body)
				}
			}
		})
	}
}

func TestParsePage(t *testing.T) {
	tests := []struct {
		name string
		page string
		want schema.Article
	}{
		{"title from h1, date from time element",
			`<html><head><title>Giá xăng giảm | VnExpress</title></head><body>
			<div class="logo">VnExpress</div>
			<div class="detail"><h1>Giá xăng giảm lần thứ ba</h1><time datetime="2024-01-11T15:00:00+07:00">11/1/2024</time>
			<p>Giá xăng RON 95 giảm 300 đồng mỗi lít từ 15h chiều nay.</p><p>Giá dầu diesel giữ nguyên.</p></div></body></html>`,
			schema.Article{Title: "Giá xăng giảm lần thứ ba", Published: time.Date(2024, 1, 11, 15, 0, 0, 0, schema.VietnamTime),
				Lead: "Giá xăng RON 95 giảm 300 đồng mỗi lít từ 15h chiều nay.", Body: "Giá dầu diesel giữ nguyên."}},
		{"title suffix is a domain",
			`<title>Giá xăng giảm - tuoitre.vn</title><p>Giá xăng giảm 300 đồng.</p>`,
			schema.Article{Title: "Giá xăng giảm", Body: "Giá xăng giảm 300 đồng."}},
		{"title with a dash of its own",
			`<title>Hà Nội - Hải Phòng thêm chuyến tàu</title><p>Tàu chạy hằng ngày.</p>`,
			schema.Article{Title: "Hà Nội - Hải Phòng thêm chuyến tàu", Body: "Tàu chạy hằng ngày."}},
		{"description cut short is the first paragraph",
			`<head><meta name="description" content="Giá xăng RON 95 giảm 300 đồng mỗi lít..."><title>Xăng giảm</title></head>
			<body><article><p>Giá xăng RON 95 giảm 300 đồng mỗi lít từ 15h chiều nay.</p><p>Giá dầu giữ nguyên.</p></article></body>`,
			schema.Article{Title: "Xăng giảm", Lead: "Giá xăng RON 95 giảm 300 đồng mỗi lít từ 15h chiều nay.", Body: "Giá dầu giữ nguyên."}},
		{"relative canonical is not an id, line breaks split paragraphs",
			`<link rel="canonical" href="/tin/gia-xang.html"><meta property="og:url" content="https://example.vn/tin/gia-xang.html">
			<title>Xăng</title><div class="content">Giá xăng giảm.<br>Giá dầu giữ nguyên.<br><br><p class="author">Minh Đức</p></div>`,
			schema.Article{ID: "https://example.vn/tin/gia-xang.html", URL: "https://example.vn/tin/gia-xang.html", Source: "example.vn",
				Title: "Xăng", Author: "Minh Đức", Lead: "Giá xăng giảm.", Body: "Giá dầu giữ nguyên."}},
		{"author meta holding a URL is passed over",
			`<meta property="article:author" content="https://facebook.com/baosonghong"><title>Xăng</title>
			<p>Giá xăng giảm.</p><p class="byline">Bài: Thanh Tâm</p>`,
			schema.Article{Title: "Xăng", Author: "Thanh Tâm", Body: "Giá xăng giảm."}},
		{"entities and nbsp",
			`<title>Vàng &amp; đô la</title><p>Giá&nbsp;vàng   tăng &lt;1%.</p>`,
			schema.Article{Title: "Vàng & đô la", Body: "Giá vàng tăng <1%."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got schema.Article
			err := ReadFile("trang.html", strings.NewReader(tt.page), Visitor{
				Article: func(a schema.Article) error { got = a; return nil },
				Bad:     func(e *RecordError) { t.Errorf("bad: %v", e) },
			})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.ID == "" {
				tt.want.ID = "trang"
			}
			if got.ID != tt.want.ID || got.URL != tt.want.URL || got.Title != tt.want.Title || got.Lead != tt.want.Lead ||
				got.Body != tt.want.Body || got.Author != tt.want.Author || got.Source != tt.want.Source ||
				!got.Published.Equal(tt.want.Published) {
				t.Errorf("read %q as\n%+v\nwant\n%+v", tt.page, got, tt.want)
			}
		})
	}
}

func TestReadHTMLRefuses(t *testing.T) {
	tests := []struct {
		name string
		page string
		want error
	}{
		{"latin-1 without a charset", "<title>Gi\xe1 x\xe4ng</title>", ErrInvalidUTF8},
		{"no text", "<html><body><img src=a.jpg></body></html>", ErrEmptyText},
		{"binary", "GIF89a\x01\x00\x00", ErrBinary},
	}
	for _, tt := range tests {
		var bad []*RecordError
		err := ReadFile("trang.html", strings.NewReader(tt.page), Visitor{
			Article: func(a schema.Article) error { t.Errorf("%s: read %+v", tt.name, a); return nil },
			Bad:     func(e *RecordError) { bad = append(bad, e) },
		})
		if err != nil || len(bad) != 1 || !errors.Is(bad[0], tt.want) || bad[0].Line != 0 {
			t.Errorf("%s: ReadFile = %v, reports %v; want one whole-file %v", tt.name, err, bad, tt.want)
		}
	}
}

func FuzzReadHTML(f *testing.F) {
	for _, s := range []string{
		`<html><head><meta property="og:title" content="Nam Định"><link rel=canonical href="https://a.vn/x"></head><body><article><h2 class=sapo>Sapo</h2><p>Thân bài</p><p><b>Nguyễn Hương</b></p></article></body></html>`,
		`<meta charset="windows-1258"><title>Gi` + "\xe1" + `</title>`,
		`<div class="date">Thứ sáu, 25/05/2012 07:05</div><p>x</p>`,
		`<p>`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := ReadFile("fuzz.html", strings.NewReader(string(data)), Visitor{
			Article: func(a schema.Article) error {
				if _, err := Prepare(a); err != nil {
					t.Errorf("yielded article %+v fails Prepare: %v", a, err)
				}
				return nil
			},
		})
		if err != nil {
			t.Errorf("ReadFile: %v", err)
		}
	})
}

func TestReadPage(t *testing.T) {
	const page = `<!doctype html><html><head><meta charset="utf-8"><title>Cầu Tân Phong thông xe - Báo Nam Định</title></head>
<body><article><h1>Cầu Tân Phong thông xe</h1><p>Cầu dài 800 mét nối hai huyện Ý Yên và Vụ Bản.</p><p>Công trình hoàn thành sớm hai tháng.</p></article></body></html>`
	tests := []struct {
		name, page, url, wantURL, wantSource string
	}{
		{"no canonical link: the address served", page, "https://baonamdinh.vn/cau.html", "https://baonamdinh.vn/cau.html", "baonamdinh.vn"},
		{"canonical link wins", strings.Replace(page, "<title>", `<link rel="canonical" href="https://www.baonamdinh.vn/tin/cau.html"><title>`, 1),
			"https://baonamdinh.vn/amp/cau.html", "https://www.baonamdinh.vn/tin/cau.html", "baonamdinh.vn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ReadPage(strings.NewReader(tt.page), tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if a.ID != "" || a.URL != tt.wantURL || a.Source != tt.wantSource || a.Title != "Cầu Tân Phong thông xe" ||
				!strings.Contains(a.Body, "Công trình hoàn thành") {
				t.Errorf("ReadPage(%s) = %+v", tt.url, a)
			}
		})
	}
	if _, err := ReadPage(strings.NewReader("<p>\xff\xfe bad</p>"), "https://x.vn/"); !errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("ReadPage(invalid UTF-8) error = %v, want ErrInvalidUTF8", err)
	}
}
