package query

import "fmt"

// ParamError reports a request parameter with a value out of its range.
type ParamError struct {
	Param  string // the parameter's name as the API spells it
	Reason string
}

func (e *ParamError) Error() string { return fmt.Sprintf("%s: %s", e.Param, e.Reason) }
