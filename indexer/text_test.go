package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnsearch/vnsearch/schema"
)

func TestParseText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want schema.Article
	}{
		{"title only", "Mưa lớn ở Hà Nội\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội"}},
		{"no date, no byline",
			"Mưa lớn ở Hà Nội\n\nNhiều tuyến phố ngập sâu.\n\nGiao thông ùn tắc kéo dài.\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.\nGiao thông ùn tắc kéo dài."}},
		{"date above the title",
			"25/05/2012\nMưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.", Published: time.Date(2012, 5, 25, 0, 0, 0, 0, schema.VietnamTime)}},
		{"labelled date",
			"Mưa lớn ở Hà Nội\nCập nhật: 25/05/2012 16:20\nNhiều tuyến phố ngập sâu.\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.", Published: time.Date(2012, 5, 25, 16, 20, 0, 0, schema.VietnamTime)}},
		{"a dated first sentence is body",
			"Đoàn công tác làm việc tại tỉnh\nNgày 23-5-2012, đoàn công tác đã làm việc với tỉnh.\n",
			schema.Article{Title: "Đoàn công tác làm việc tại tỉnh", Body: "Ngày 23-5-2012, đoàn công tác đã làm việc với tỉnh."}},
		{"byline in capitals",
			"Mưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\nHỒNG MINH\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.", Author: "HỒNG MINH"}},
		{"two authors",
			"Mưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\nThu Hà - Quang Minh\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.", Author: "Thu Hà - Quang Minh"}},
		{"source credit is not a byline",
			"Mưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\nTheo TTXVN\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.\nTheo TTXVN"}},
		{"photo credit is not a byline",
			"Mưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\nẢnh: Quang Minh\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.\nẢnh: Quang Minh"}},
		{"sentence is not a byline",
			"Mưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\nNgười dân được khuyến cáo hạn chế ra đường\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.\nNgười dân được khuyến cáo hạn chế ra đường"}},
		{"lone line after the title is body",
			"Mưa lớn ở Hà Nội\nQuang Minh\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Quang Minh"}},
		{"footer without byline",
			"Mưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\nTổng biên tập: Lê Văn A\nTòa soạn: 1 Tràng Tiền, Hà Nội\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu."}},
		{"masthead in title case",
			"Mưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\nQuang Minh\nBáo Thủ Đô điện tử\n© Bản quyền thuộc Báo Thủ Đô\nEmail: toasoan@example.vn\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.", Author: "Quang Minh", Source: "Báo Thủ Đô điện tử"}},
		{"contact lines alone are body",
			"Quyên góp ủng hộ đồng bào vùng lũ\nMọi đóng góp xin gửi về Ủy ban MTTQ phường.\nĐịa chỉ: 12 Hàng Bài, Hà Nội\nĐiện thoại: 024.3825.1234\n",
			schema.Article{Title: "Quyên góp ủng hộ đồng bào vùng lũ", Body: "Mọi đóng góp xin gửi về Ủy ban MTTQ phường.\nĐịa chỉ: 12 Hàng Bài, Hà Nội\nĐiện thoại: 024.3825.1234"}},
		{"press words opening a sentence are body",
			"Sách mới về Hà Nội\nCuốn sách gồm 12 chương.\nXuất bản lần đầu năm 1990, sách vẫn được tái bản\n",
			schema.Article{Title: "Sách mới về Hà Nội", Body: "Cuốn sách gồm 12 chương.\nXuất bản lần đầu năm 1990, sách vẫn được tái bản"}},
		{"báo cáo is not a masthead",
			"Mưa lớn ở Hà Nội\nNhiều tuyến phố ngập sâu.\nBáo cáo gửi Ủy ban nhân dân thành phố\n",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu.\nBáo cáo gửi Ủy ban nhân dân thành phố"}},
		{"old mac line ends", "Mưa lớn ở Hà Nội\rNhiều tuyến phố ngập sâu.\r",
			schema.Article{Title: "Mưa lớn ở Hà Nội", Body: "Nhiều tuyến phố ngập sâu."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseText(tt.in)
			if !got.Published.Equal(tt.want.Published) || got.Title != tt.want.Title || got.Body != tt.want.Body ||
				got.Author != tt.want.Author || got.Source != tt.want.Source {
				t.Errorf("parseText(%q) =\n%+v\nwant\n%+v", tt.in, got, tt.want)
			}
		})
	}
}

func readFixture(t *testing.T, path string) (schema.Article, []*RecordError) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	arts, bad, err := collect(t, filepath.Base(path), f)
	if err != nil || len(arts) != 1 {
		t.Fatalf("ReadFile(%s) = %d articles, %v, %v; want one", path, len(arts), bad, err)
	}
	return arts[0], bad
}

func TestReadTextFixtures(t *testing.T) {
	tests := []struct {
		file string
		want schema.Article
		// footer text that must not be in the article
		notIn []string
	}{
		{"tinh-nguyen-he.txt", schema.Article{
			ID:        "tinh-nguyen-he",
			Title:     "Tuổi trẻ huyện Hải Hậu ra quân chiến dịch tình nguyện hè",
			Lead:      "Sáng 1-7, Huyện đoàn Hải Hậu tổ chức lễ ra quân chiến dịch thanh niên tình nguyện hè năm 2023 với sự tham gia của hơn 600 đoàn viên, thanh niên đến từ 35 cơ sở đoàn trong huyện.",
			Author:    "Phạm Thu Trang",
			Source:    "BÁO SÔNG HỒNG ĐIỆN TỬ",
			Published: time.Date(2023, 7, 2, 18, 30, 0, 0, schema.VietnamTime),
		}, []string{"Giấy phép", "Tổng biên tập", "Toà soạn", "Điện thoại", "gmail", "Phạm Thu Trang"}},
		{"buyt-dien.txt", schema.Article{
			ID:        "buyt-dien",
			Title:     "Hà Nội mở thêm 3 tuyến buýt điện kết nối khu đô thị mới",
			Lead:      "Từ ngày 15/3, Hà Nội đưa vào khai thác thêm ba tuyến xe buýt điện nối các khu đô thị phía tây với trung tâm thành phố, nâng tổng số tuyến buýt điện lên 21.",
			Author:    "Trần Minh Khoa",
			Published: time.Date(2024, 3, 12, 15, 40, 0, 0, schema.VietnamTime),
		}, []string{"\r", "Trần Minh Khoa"}},
		{"hoi-cho-nong-san.txt", schema.Article{
			ID:    "hoi-cho-nong-san",
			Title: "Hội chợ nông sản an toàn cuối tuần tại công viên ven hồ",
			Lead:  "Hội chợ giới thiệu hơn 200 sản phẩm nông sản đạt chuẩn VietGAP của các hợp tác xã vùng ven đô, từ rau củ, trái cây đến mật ong và gạo đặc sản.",
		}, nil},
		{"thu-vien-utf16.txt", schema.Article{
			ID:        "thu-vien-utf16",
			Title:     "Thư viện tỉnh mở cửa đến 21 giờ trong dịp hè",
			Lead:      "Để phục vụ học sinh trong kỳ nghỉ hè, thư viện tỉnh kéo dài giờ mở cửa phòng đọc thiếu nhi đến 21 giờ tất cả các ngày trong tuần.",
			Author:    "Lê Văn Tú",
			Published: time.Date(2022, 6, 5, 0, 0, 0, 0, schema.VietnamTime),
		}, []string{"\uFEFF", "Lê Văn Tú"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, bad := readFixture(t, filepath.Join(readersDir, tt.file))
			if len(bad) != 0 {
				t.Errorf("bad records: %v", bad)
			}
			if got.ID != tt.want.ID || got.Title != tt.want.Title || got.Lead != tt.want.Lead ||
				got.Author != tt.want.Author || got.Source != tt.want.Source || !got.Published.Equal(tt.want.Published) {
				t.Errorf("read\n%+v\nwant\n%+v", got, tt.want)
			}
			if got.Body == "" {
				t.Errorf("empty body")
			}
			for _, s := range tt.notIn {
				if strings.Contains(got.Body, s) || strings.Contains(got.Lead, s) {
					t.Errorf("body has %q:\n%s", s, got.Body)
				}
			}
		})
	}
	// The phone number ending an article is its text, not a footer.
	got, _ := readFixture(t, filepath.Join(readersDir, "hoi-cho-nong-san.txt"))
	if !strings.HasSuffix(got.Body, "ĐT: 0912 345 678") {
		t.Errorf("body lost its last line:\n%s", got.Body)
	}
}

// TestReadSeed reads the real export the text format was modelled on.
func TestReadSeed(t *testing.T) {
	path := "../../shared/seeds/000_b6a23e5ce0cde5a8.txt"
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		t.Skip("shared seeds not present")
	}
	got, bad := readFixture(t, path)
	if len(bad) != 0 {
		t.Errorf("bad records: %v", bad)
	}
	want := schema.Article{
		ID:        "000_b6a23e5ce0cde5a8",
		Title:     "Thứ trưởng Bộ Khoa học và Công nghệ làm việc tại tỉnh ta",
		Author:    "Nguyễn Hương",
		Source:    "BÁO NAM ĐỊNH ĐIỆN TỬ",
		Published: time.Date(2012, 5, 25, 7, 5, 0, 0, time.FixedZone("", 7*3600)),
	}
	if got.ID != want.ID || got.Title != want.Title || got.Author != want.Author || got.Source != want.Source ||
		!got.Published.Equal(want.Published) {
		t.Errorf("read\n%+v\nwant\n%+v", got, want)
	}
	if _, off := got.Published.Zone(); off != 7*3600 {
		t.Errorf("published %v; want +07:00", got.Published)
	}
	if !strings.HasPrefix(got.Lead, "Ngày 23-5-2012, Đoàn công tác") {
		t.Errorf("lead %q; want the first paragraph", got.Lead)
	}
	if !strings.HasSuffix(got.Body, "trong thời gian sớm nhất./.") {
		t.Errorf("body does not end with the last paragraph:\n%s", got.Body)
	}
	for _, s := range []string{"Tổng biên tập", "Giấy phép", "Tòa soạn", "Điện thoại", "BÁO NAM ĐỊNH", "Nguyễn Hương"} {
		if strings.Contains(got.Body, s) {
			t.Errorf("body has footer or byline text %q", s)
		}
	}
}

func FuzzReadText(f *testing.F) {
	for _, s := range []string{
		"Mưa lớn\n\n07:05, 25/05/2012\n\nNhiều tuyến phố ngập.\n\nQuang Minh\n\nBÁO THỦ ĐÔ ĐIỆN TỬ\nTổng biên tập: A\n",
		"25/05/2012\n",
		"\xff\xfeM\x00",
		"Bài và ảnh: \n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := ReadFile("fuzz.txt", strings.NewReader(string(data)), Visitor{
			Article: func(a schema.Article) error {
				if _, err := Prepare(a); err != nil {
					t.Errorf("yielded article %+v fails Prepare: %v", a, err)
				}
				if a.ID != "fuzz" {
					t.Errorf("id %q; want the file's base name", a.ID)
				}
				return nil
			},
			Bad: func(e *RecordError) {
				if e.Line != 0 {
					t.Errorf("text report on line %d: %v", e.Line, e)
				}
			},
		})
		if err != nil {
			t.Errorf("ReadFile: %v", err)
		}
	})
}
