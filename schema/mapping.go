package schema

import (
	"strconv"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnsearch/vnsearch/analyzers"
	"github.com/vnsearch/vnsearch/places"
)

// NewMapping returns the index mapping of a vnsearch index: BM25 scoring,
// every article text analysed into the four views of TextField, and keyword
// fields for filters and facets. Nothing outside the mapping is indexed.
func NewMapping() *mapping.IndexMappingImpl {
	im := mapping.NewIndexMapping()
	im.ScoringModel = index.BM25Scoring
	im.DefaultAnalyzer = analyzers.Exact
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	doc := mapping.NewDocumentStaticMapping()
	for _, f := range TextFields {
		var fms []*mapping.FieldMapping
		for _, v := range f.views() {
			fm := mapping.NewTextFieldMapping()
			fm.Name = v.field
			fm.Analyzer = v.analyzer
			fm.Store = v.field == f.Exact
			// No term vectors: the pairs views answer adjacency and phrases,
			// and snippets are made by analysing the stored text again, so
			// positions and offsets in the index would only cost time and
			// space.
			fm.IncludeTermVectors = false
			fm.IncludeInAll = false
			fm.DocValues = false
			fms = append(fms, fm)
		}
		doc.AddFieldMappingsAt(f.Exact, fms...)
	}

	keywordField := func(name string, store bool) *mapping.FieldMapping {
		fm := mapping.NewKeywordFieldMapping()
		fm.Name = name
		fm.Analyzer = keyword.Name
		fm.Store = store
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = name == Facets
		return fm
	}
	foldedText := func(name string) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Name = name
		fm.Analyzer = analyzers.Folded
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = false
		return fm
	}
	doc.AddFieldMappingsAt(Section, keywordField(Section, true), foldedText(SectionFolded))
	doc.AddFieldMappingsAt(Author, keywordField(Author, true), foldedText(AuthorFolded))
	doc.AddFieldMappingsAt(Source, keywordField(Source, true))
	doc.AddFieldMappingsAt(Tags, keywordField(Tags, true))
	doc.AddFieldMappingsAt(Facets, keywordField(Facets, false))

	urlField := mapping.NewTextFieldMapping()
	urlField.Index = false
	urlField.Store = true
	urlField.IncludeInAll = false
	urlField.IncludeTermVectors = false
	urlField.DocValues = false
	doc.AddFieldMappingsAt(URL, urlField)

	published := mapping.NewDateTimeFieldMapping()
	published.Store = true
	published.IncludeInAll = false
	published.DocValues = true
	doc.AddFieldMappingsAt(Published, published)

	// Every field is searched by name, so the catch-all _all field bleve
	// builds by default would be pure cost.
	doc.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
	im.DefaultMapping = doc
	return im
}

// Document returns the value bleve indexes for a: its properties under the
// mapping's names, with empty ones left out so they neither match nor
// appear in facets.
func Document(a Article) map[string]interface{} {
	doc := make(map[string]interface{}, 10)
	set := func(name, value string) {
		if value != "" {
			doc[name] = value
		}
	}
	var facets []string
	addFacet := func(facet, value string) {
		if value != "" {
			facets = append(facets, FacetTerm(facet, value))
		}
	}
	set(Title.Exact, a.Title)
	set(Lead.Exact, a.Lead)
	set(Body.Exact, a.Body)
	set(Section, a.Section)
	set(Source, a.Source)
	set(Author, a.Author)
	set(URL, a.URL)
	if len(a.Tags) > 0 {
		doc[Tags] = a.Tags
	}
	addFacet(SectionFacet, a.Section)
	addFacet(SourceFacet, a.Source)
	if !a.Published.IsZero() {
		doc[Published] = a.Published
		addFacet(YearFacet, strconv.Itoa(a.Published.In(VietnamTime).Year()))
	}
	for _, place := range places.Values(places.Default().About(a.Title, a.Lead, a.Body)) {
		addFacet(PlaceFacet, place)
	}
	if len(facets) > 0 {
		doc[Facets] = facets
	}
	return doc
}
