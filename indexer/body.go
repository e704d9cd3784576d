package indexer

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// ReadJSON reads the articles of a JSON document sent whole, as an HTTP
// body: one JSON object, a JSON array of objects, or JSON Lines. Records
// have the fields of the JSON Lines reader and are prepared alike. A bad
// record goes to v.Bad with its Line set to its 1-based place (its line in
// JSON Lines, its element in an array); the error is v.Article's, or a
// *RecordError when the document as a whole is not JSON.
func ReadJSON(name string, data []byte, v Visitor) error {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\uFEFF")))
	switch {
	case len(data) == 0:
		return &RecordError{File: name, Err: fmt.Errorf("%w: empty", ErrInvalidJSON)}
	case data[0] == '[':
		var records []json.RawMessage
		if err := json.Unmarshal(data, &records); err != nil {
			return &RecordError{File: name, Err: fmt.Errorf("%w: %w", ErrInvalidJSON, err)}
		}
		for i, rec := range records {
			if err := v.jsonRecord(name, i+1, bytes.TrimSpace(rec)); err != nil {
				return err
			}
		}
		return nil
	case data[0] == '{' && json.Valid(data):
		// One object, perhaps over several lines.
		return v.jsonRecord(name, 1, data)
	}
	return readJSONL(name, bytes.NewReader(data), v)
}

// jsonRecord parses and prepares one record and hands it on.
func (v Visitor) jsonRecord(name string, n int, rec []byte) error {
	if len(rec) == 0 {
		v.bad(&RecordError{File: name, Line: n, Err: ErrNotObject})
		return nil
	}
	a, err := parseJSONRecord(rec)
	if err == nil {
		a, err = Prepare(a)
	}
	if err != nil {
		v.bad(&RecordError{File: name, Line: n, Err: err})
		return nil
	}
	return v.article(a)
}
