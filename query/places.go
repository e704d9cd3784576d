package query

import "github.com/vnsearch/vnsearch/schema"

// IsPlace says whether n is a place: term or phrase, which filters by
// the place facet rather than matching words.
func IsPlace(n Node) bool {
	switch n := n.(type) {
	case Term:
		return n.Field == schema.PlaceFacet
	case Phrase:
		return n.Field == schema.PlaceFacet
	}
	return false
}

// WithoutPlaces returns n without its place: nodes, nil when nothing is
// left.
func WithoutPlaces(n Node) Node {
	var nodes []Node
	keep := func(children []Node) {
		nodes = nil
		for _, child := range children {
			if c := WithoutPlaces(child); c != nil {
				nodes = append(nodes, c)
			}
		}
	}
	switch n := n.(type) {
	case All:
		keep(n.Nodes)
		return andOf(nodes)
	case Any:
		keep(n.Nodes)
		if len(nodes) < 2 {
			return andOf(nodes)
		}
		return Any{Nodes: nodes}
	case Not:
		if c := WithoutPlaces(n.Node); c != nil {
			return Not{Node: c}
		}
		return nil
	}
	if IsPlace(n) {
		return nil
	}
	return n
}
