package indexer

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestBulkReader(t *testing.T) {
	body := "\uFEFF" + `{"id": "hue-1", "title": "Festival Huế khai mạc"}` + "\r\n\n" +
		`{"id": "hue-1", "delete": true}` + "\n" +
		`{"id": "hue-2", "delete": "yes"}` + "\n" +
		`{"id": 42, "title": "Tin số", "tags": "Huế, lễ hội"}`
	r := NewBulkReader(strings.NewReader(body))
	var got []string
	for rec := range r.Records() {
		s := rec.Article.ID
		switch {
		case rec.Err != nil:
			s += " error"
		case rec.Delete:
			s += " delete"
		}
		got = append(got, s)
		if rec.Line == 0 {
			t.Errorf("record %q has no line", s)
		}
	}
	want := "hue-1,hue-1 delete, error,42"
	if strings.Join(got, ",") != want || r.Err() != nil {
		t.Errorf("records = %q, %v; want %q", strings.Join(got, ","), r.Err(), want)
	}
}

// FuzzBulkReader reads anything as a bulk body: no panic, lines in order,
// and every record either an error or an article Prepare takes or a
// delete.
func FuzzBulkReader(f *testing.F) {
	f.Add([]byte(`{"id": "a", "title": "Nam Định"}` + "\n" + `{"id": "a", "delete": true}`))
	f.Add([]byte("null\n[]\n\"x\"\n{\"id\": true}\n{\"title\": \"\xff\"}\n"))
	f.Add([]byte(`{"id": "../x", "title": "Tin", "date": "25/05/2012", "tags": ["a", 1]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := NewBulkReader(bytes.NewReader(body))
		last := 0
		for rec := range r.Records() {
			if rec.Line <= last {
				t.Fatalf("line %d after line %d", rec.Line, last)
			}
			last = rec.Line
			if rec.Err != nil || rec.Delete {
				continue
			}
			if _, err := Prepare(rec.Article); err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Field == "" {
					t.Fatalf("Prepare(%+v) = %v; want a FieldError", rec.Article, err)
				}
			}
		}
		if err := r.Err(); err != nil {
			t.Fatalf("reading from memory failed: %v", err)
		}
	})
}

// FuzzReadJSON reads anything as a write body: no panic, and every bad
// record is numbered.
func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`[{"id": "a", "title": "Hội An"}, null, {"id": 1}]`))
	f.Add([]byte(`{"id": "a", "title": "Hội An"}`))
	f.Add([]byte("null"))
	f.Fuzz(func(t *testing.T, body []byte) {
		_ = ReadJSON("body", body, Visitor{
			Bad: func(e *RecordError) {
				if e.Line <= 0 {
					t.Fatalf("bad record without a number: %v", e)
				}
			},
		})
	})
}
