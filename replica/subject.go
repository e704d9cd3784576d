package replica

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// subjects names the subjects of a stream: one per article id.
type subjects struct{ prefix string }

func newSubjects(stream string) subjects {
	return subjects{prefix: strings.ToLower(stream) + ".article."}
}

// all is the wildcard of every article's subject.
func (s subjects) all() string { return s.prefix + "*" }

// of returns the subject of an article id. Ids are URLs and free text,
// while a subject's token may hold no ".", "*", ">" nor white space: the
// id is encoded in unpadded URL-safe base64, whose letters are all safe,
// and which maps distinct ids to distinct subjects.
func (s subjects) of(id string) string {
	return s.prefix + base64.RawURLEncoding.EncodeToString([]byte(id))
}

// id returns the article id of a subject.
func (s subjects) id(subject string) (string, error) {
	token, ok := strings.CutPrefix(subject, s.prefix)
	if !ok {
		return "", fmt.Errorf("subject %q is not an article's", subject)
	}
	id, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", fmt.Errorf("subject %q: %w", subject, err)
	}
	return string(id), nil
}
