package analyzers

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/registry"
)

// benchArticle is a news article written for these benchmarks, about the
// length of an average article body, with the mix news text has: names,
// numbers, codes, abbreviations and both tone placements.
const benchArticle = `Đà Nẵng đẩy mạnh ứng dụng khoa học và công nghệ trong quản lý đô thị

Sáng 14/3/2023, UBND TP. Đà Nẵng phối hợp với Bộ KH&CN tổ chức hội thảo "Chuyển đổi số và nâng cao năng suất chất lượng" với sự tham dự của hơn 300 đại biểu đến từ các sở, ngành, doanh nghiệp và trường đại học.

Phát biểu khai mạc, ông Nguyễn Văn Hùng, Phó Chủ tịch UBND thành phố, cho biết năm 2022 toàn thành phố đã có 45 cơ quan hành chính áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015, giúp rút ngắn thời gian giải quyết hồ sơ từ 7 ngày xuống còn 3 ngày. Tổng vốn đầu tư cho các nhiệm vụ khoa học đạt 125,5 tỷ đồng, tăng 12,5% so với cùng kỳ; riêng chương trình hỗ trợ doanh nghiệp nhỏ và vừa đã giải ngân 18.750.000.000 đồng.

Theo Sở KH và CN, thành phố hiện có 12 phòng thí nghiệm đạt chuẩn ISO/IEC 17025, trong đó 3 phòng được công nhận năng lực thử nghiệm về an toàn thực phẩm. Việc kiểm tra chất lượng xăng dầu, hàng đóng gói sẵn và phương tiện đo được thực hiện định kỳ theo Nghị định 119/2017/NĐ-CP. Trong quý I, lực lượng quản lý thị trường đã kiểm tra 1.245 cơ sở, xử phạt 87 trường hợp vi phạm với tổng số tiền hơn 2,3 tỷ đồng.

Tại hội thảo, đại diện Trường Đại học Bách khoa trình bày mô hình giám sát giao thông thông minh dùng camera AI, đã thử nghiệm tại 20 nút giao trên đường Nguyễn Văn Linh và Điện Biên Phủ. Hệ thống giúp giảm 18% thời gian chờ đèn đỏ vào giờ cao điểm từ 6h30 đến 8h và từ 16h30 đến 18h30. Lãnh đạo CSGT thành phố đánh giá cao kết quả ban đầu và đề nghị mở rộng ra các quận Hải Châu, Thanh Khê, Sơn Trà.

Bà Trần Thị Thuý Hoà, Giám đốc một doanh nghiệp chế biến thuỷ sản ở KCN Hoà Khánh, chia sẻ: "Nhờ áp dụng công cụ cải tiến năng suất, năm qua công ty tiết kiệm được khoảng 1,2 tỷ đồng chi phí điện năng, sản phẩm xuất khẩu sang Nhật Bản và EU tăng 30%". Theo bà, điều doanh nghiệp cần nhất lúc này là thủ tục hành chính đơn giản hơn và nguồn nhân lực có trình độ.

Kết luận hội thảo, Thứ trưởng Bộ KH&CN đề nghị thành phố tập trung xây dựng cơ sở dữ liệu dùng chung, khuyến khích doanh nghiệp đổi mới công nghệ, đồng thời phối hợp với các trường đào tạo kỹ sư phần mềm. Dự kiến đến năm 2025, Đà Nẵng sẽ có 50% doanh nghiệp sử dụng nền tảng số và kinh tế số chiếm 20% GRDP. Mọi góp ý xin gửi về địa chỉ email khcn@danang.gov.vn hoặc số điện thoại (0236) 3822 123.`

// BenchmarkAnalyzers measures each vnsearch analyzer beside bleve's own
// standard analyzer on the same article. Each iteration analyses a fresh
// copy, as bleve does for a stored field, because the standard analyzer
// lower-cases its input in place.
func BenchmarkAnalyzers(b *testing.B) {
	std, err := registry.NewCache().AnalyzerNamed(standard.Name)
	if err != nil {
		b.Fatal(err)
	}
	all := map[string]analysis.Analyzer{"standard": std}
	for _, name := range Names() {
		all[name] = mustNew(b, name)
	}
	for _, name := range append([]string{"standard"}, Names()...) {
		a := all[name]
		b.Run(name, func(b *testing.B) {
			buf := make([]byte, len(benchArticle))
			b.SetBytes(int64(len(benchArticle)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				copy(buf, benchArticle)
				a.Analyze(buf)
			}
		})
	}
}

// BenchmarkTokenizer measures the tokenizer alone: as the token stream
// the analyzers filter, and as the spans the highlighter reads.
func BenchmarkTokenizer(b *testing.B) {
	b.Run("Tokenize", func(b *testing.B) {
		input := []byte(benchArticle)
		b.SetBytes(int64(len(input)))
		b.ReportAllocs()
		for b.Loop() {
			Tokenizer{}.Tokenize(input)
		}
	})
	b.Run("Spans", func(b *testing.B) {
		b.SetBytes(int64(len(benchArticle)))
		b.ReportAllocs()
		for b.Loop() {
			for range (Tokenizer{}).Spans(benchArticle) {
			}
		}
	})
}

func BenchmarkFold(b *testing.B) {
	b.SetBytes(int64(len(benchArticle)))
	b.ReportAllocs()
	for b.Loop() {
		Fold(benchArticle)
	}
}

func BenchmarkQueryHelpers(b *testing.B) {
	const query = "UBND TP.HCM hoaf binhf Vieejt Nam"
	abbrs := NewsAbbreviations()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		InputAlternatives(query)
		abbrs.Expand(query)
	}
}
