package places

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// Floors under the precision and recall MinBodyMentions measured on the
// judged articles (docs/places.md): a change that loses either fails.
const (
	minPrecision = 0.95
	minRecall    = 0.90
)

type judgedArticle struct {
	ID, Title, Lead, Body string
	want                  map[string]bool
}

// readJudged reads testdata/places: the articles, and the places each is
// about as judged by reading it.
func readJudged(t testing.TB) []judgedArticle {
	t.Helper()
	judged := map[string]map[string]bool{}
	jf, err := os.Open("../testdata/places/judgments.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer jf.Close()
	sc := bufio.NewScanner(jf)
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		id, list, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("judgments.tsv:%d: no tab", line)
		}
		judged[id] = map[string]bool{}
		for _, name := range strings.Split(list, "|") {
			if name = strings.TrimSpace(name); name != "" {
				judged[id][name] = true
			}
		}
	}
	af, err := os.Open("../testdata/places/articles.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer af.Close()
	var out []judgedArticle
	sc = bufio.NewScanner(af)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var a judgedArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("articles.jsonl:%d: %v", line, err)
		}
		want, ok := judged[a.ID]
		if !ok {
			t.Fatalf("articles.jsonl:%d: %s is not judged", line, a.ID)
		}
		a.want = want
		out = append(out, a)
	}
	if len(out) < 100 || len(out) != len(judged) {
		t.Fatalf("%d articles, %d judged; want at least 100, all judged", len(out), len(judged))
	}
	return out
}

// score is the precision and recall of a detection over the pairs of an
// article and a place it is about.
type score struct{ found, right, judged int }

func (s score) precision() float64 { return float64(s.right) / float64(s.found) }
func (s score) recall() float64    { return float64(s.right) / float64(s.judged) }
func (s score) String() string {
	return fmt.Sprintf("precision %.3f (%d/%d), recall %.3f (%d/%d)",
		s.precision(), s.right, s.found, s.recall(), s.right, s.judged)
}

func measure(g *Gazetteer, articles []judgedArticle, minBody int, errs func(id, kind, place string)) score {
	var s score
	for _, a := range articles {
		got := map[string]bool{}
		for _, p := range g.about(a.Title, a.Lead, a.Body, minBody) {
			got[p.Name] = true
		}
		s.found += len(got)
		s.judged += len(a.want)
		for name := range got {
			if a.want[name] {
				s.right++
			} else {
				errs(a.ID, "false", name)
			}
		}
		for name := range a.want {
			if !got[name] {
				errs(a.ID, "missed", name)
			}
		}
	}
	return s
}

// TestJudgedPlaces measures detection on the judged articles, for each
// number of body mentions About could require, and fails when the one it
// requires falls under the floors. go test -v ./places -run Judged shows
// the figures and every error.
func TestJudgedPlaces(t *testing.T) {
	g := Default()
	for _, name := range []string{"Nam Định", "TP Hồ Chí Minh"} {
		if _, ok := g.Lookup(name); !ok {
			t.Fatalf("gazetteer lacks %s", name)
		}
	}
	articles := readJudged(t)
	for _, a := range articles {
		for name := range a.want {
			if v, ok := g.Lookup(name); !ok || v != name {
				t.Fatalf("%s is judged about %q, which is no place's name", a.ID, name)
			}
		}
	}
	for minBody := 1; minBody <= 3; minBody++ {
		s := measure(g, articles, minBody, func(string, string, string) {})
		t.Logf("title or lead, or %d in the body: %v", minBody, s)
	}
	s := measure(g, articles, MinBodyMentions, func(id, kind, place string) { t.Logf("%s: %s %s", id, kind, place) })
	t.Logf("%d articles, MinBodyMentions %d: %v", len(articles), MinBodyMentions, s)
	if s.precision() < minPrecision || s.recall() < minRecall {
		t.Errorf("%v; want precision at least %.2f and recall at least %.2f", s, minPrecision, minRecall)
	}
}
