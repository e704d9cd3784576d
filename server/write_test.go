package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWriteBadInput sends every write endpoint what a broken client or a
// hostile one sends: each gets a 4xx JSON error naming what is wrong,
// never a 500.
func TestWriteBadInput(t *testing.T) {
	ts := newTestServer(t, Options{APIToken: testToken, MaxBulkBytes: 4 << 10})
	tests := []struct {
		name, method, target, body string
		status                     int
		code, field                string // field: in the message, or the rejected record's
	}{
		{"PUT null", "PUT", "/api/articles/x", `null`, 400, "invalid_body", "null"},
		{"PUT empty array", "PUT", "/api/articles/x", `[]`, 400, "invalid_body", "array"},
		{"PUT a string", "PUT", "/api/articles/x", `"Tin mới"`, 400, "invalid_body", "string"},
		{"PUT not JSON", "PUT", "/api/articles/x", `{"title": `, 400, "invalid_body", "JSON object"},
		{"PUT empty", "PUT", "/api/articles/x", ``, 400, "invalid_body", "JSON object"},
		{"PUT title a number", "PUT", "/api/articles/x", `{"title": 5}`, 400, "invalid_records", "title"},
		{"PUT tags an object", "PUT", "/api/articles/x", `{"title": "Tin", "tags": {"a": 1}}`, 400, "invalid_records", "tags"},
		{"PUT body invalid UTF-8", "PUT", "/api/articles/x", "{\"title\": \"Tin\", \"body\": \"Gi\xe1 x\xe4ng\"}", 400, "invalid_records", "body"},
		{"PUT bad date", "PUT", "/api/articles/x", `{"title": "Tin", "date": "ngày 35 tháng 13"}`, 400, "invalid_records", "date"},
		{"PUT id with slash", "PUT", "/api/articles/" + url.PathEscape("a/b"), `{"title": "Tin"}`, 400, "invalid_param", "id"},
		{"PUT id ..", "PUT", "/api/articles/%2E%2E", `{"title": "Tin"}`, 400, "invalid_records", "id"},
		{"PUT id with NUL", "PUT", "/api/articles/a%00b", `{"title": "Tin"}`, 400, "invalid_records", "id"},
		{"PUT too large", "PUT", "/api/articles/x", `{"body": "` + strings.Repeat("a", maxWriteBytes) + `"}`, 413, "body_too_large", ""},
		{"POST null", "POST", "/api/articles", `null`, 400, "invalid_records", ""},
		{"POST empty array", "POST", "/api/articles", `[]`, 400, "invalid_body", ""},
		{"POST array of null", "POST", "/api/articles", `[null]`, 400, "invalid_records", ""},
		{"POST id a boolean", "POST", "/api/articles", `{"id": true, "title": "Tin"}`, 400, "invalid_records", "id"},
		{"POST id ../", "POST", "/api/articles", `{"id": "../../etc/passwd", "title": "Tin"}`, 400, "invalid_records", "id"},
		{"POST invalid UTF-8 title", "POST", "/api/articles", "{\"id\": \"x\", \"title\": \"\xff\"}", 400, "invalid_records", "title"},
		{"DELETE id with NUL", "DELETE", "/api/articles/a%00b", ``, 400, "invalid_param", "id"},
		{"DELETE id with slash", "DELETE", "/api/articles/" + url.PathEscape("a/b"), ``, 400, "invalid_param", "id"},
		{"DELETE id ..", "DELETE", "/api/articles/%2E%2E", ``, 400, "invalid_param", "id"},
		{"bulk empty", "POST", "/api/articles/_bulk", ``, 400, "invalid_body", ""},
		{"bulk blank lines", "POST", "/api/articles/_bulk", "\n\n", 400, "invalid_body", ""},
		{"bulk too large", "POST", "/api/articles/_bulk", strings.Repeat(`{"id": "x", "title": "Tin"}`+"\n", 400), 413, "body_too_large", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := send(t, ts.Handler(), tt.method, tt.target, tt.body, bearer)
			var got badRecordsBody
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("%s %s: body %q is not JSON: %v", tt.method, tt.target, rec.Body, err)
			}
			if rec.Code != tt.status || got.Error.Code != tt.code {
				t.Fatalf("%s %s %q = %d %s; want %d %s", tt.method, tt.target, tt.body, rec.Code, got.Error.Code, tt.status, tt.code)
			}
			named := strings.Contains(got.Error.Message, tt.field)
			for _, r := range got.Rejected {
				named = named || r.Field == tt.field
			}
			if !named {
				t.Errorf("%s %s %q = %s; want it to name %q", tt.method, tt.target, tt.body, rec.Body, tt.field)
			}
		})
	}
}

// TestBulk sends one bulk body of every kind of line.
func TestBulk(t *testing.T) {
	ts := newTestServer(t, Options{APIToken: testToken, SuggestRefresh: 50 * time.Millisecond})
	h := ts.Handler()
	body := strings.Join([]string{
		`{"id": "hl-1", "title": "Vịnh Hạ Long đón 5 triệu lượt khách", "category": "Du lịch", "date": "2024-07-01"}`,
		`{"id": "hl-2", "title": "Hạ Long mở thêm tuyến du thuyền đêm"}`,
		``,
		`{"id": "hl-3", "title": `,
		`{"id": "hl-4", "title": "Tin", "tags": 7}`,
		`{"id": "province", "delete": true}`,
		`{"id": "khong-co", "delete": true}`,
		`{"id": "hl-1", "title": "Vịnh Hạ Long đón 6 triệu lượt khách", "category": "Du lịch"}`,
		`[1, 2]`,
		`{"id": "hl-5", "title": "Hạ Long: phố đi bộ mở cửa cuối tuần"}`,
	}, "\n")
	rec := send(t, h, "POST", "/api/articles/_bulk", body, map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/x-ndjson"})
	var res bulkResult
	decode(t, rec, &res)
	if rec.Code != 200 {
		t.Fatalf("bulk = %d %s", rec.Code, rec.Body)
	}
	var got []string
	for _, it := range res.Items {
		got = append(got, strings.TrimSpace(fmt.Sprintf("%d %s %s %s", it.Line, it.ID, it.Result, it.Field)))
	}
	want := []string{"1 hl-1 indexed", "2 hl-2 indexed", "4  rejected", "5 hl-4 rejected tags", "6 province deleted",
		"7 khong-co not_found", "8 hl-1 replaced", "9  rejected", "10 hl-5 indexed"}
	if !slices.Equal(got, want) {
		t.Errorf("bulk items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Indexed != 4 || res.Replaced != 1 || res.Deleted != 1 || res.NotFound != 1 || res.Rejected != 3 {
		t.Errorf("bulk counts = %+v", res)
	}
	for _, it := range res.Items {
		if it.Result == "rejected" && it.Reason == "" {
			t.Errorf("line %d rejected without a reason", it.Line)
		}
	}
	// Searchable and deleted as soon as the answer came.
	if ids := hitIDs(t, serve(t, h, "GET", "/api/search?q="+url.QueryEscape("ha long 6 trieu"), "")); len(ids) == 0 || ids[0] != "hl-1" {
		t.Errorf("search after bulk = %v; want hl-1 first", ids)
	}
	if rec := serve(t, h, "GET", "/api/articles/province", ""); rec.Code != 404 {
		t.Errorf("GET a deleted article = %d; want 404", rec.Code)
	}
	// The suggestions follow within seconds, without a restart.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(serve(t, h, "GET", "/api/suggest?q="+url.QueryEscape("ha lo"), "").Body.String(), "Hạ Long") {
		if time.Now().After(deadline) {
			t.Fatal("suggestions 10s after a bulk write do not have Hạ Long")
		}
		time.Sleep(50 * time.Millisecond)
	}
	metrics := serve(t, h, "GET", "/metrics", "").Body.String()
	for _, want := range []string{`vnsearch_indexed_articles_total{outcome="deleted"} 1`, `vnsearch_indexed_articles_total{outcome="skipped"} 3`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics have no %q:\n%s", want, grepLines(metrics, "vnsearch_indexed"))
		}
	}
}
