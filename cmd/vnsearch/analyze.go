package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vnsearch/vnsearch/analyzers"
)

// token is one token as `vnsearch analyze --json` prints it.
type token struct {
	Term     string `json:"term"`
	Position int    `json:"position"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

func runAnalyze(_ context.Context, args []string, e env) error {
	fs := newFlags("analyze", "TEXT", e)
	name := fs.String("analyzer", analyzers.Exact, "analyzer: "+strings.Join(analyzers.Names(), ", "))
	asJSON := fs.Bool("json", false, "print the tokens as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	text := joinArgs(fs.Args())
	if text == "" {
		return fmt.Errorf("%w: no text", errUsage)
	}
	a, err := analyzers.New(*name)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	tokens := []token{}
	for _, t := range a.Analyze([]byte(text)) {
		tokens = append(tokens, token{Term: string(t.Term), Position: t.Position, Start: t.Start, End: t.End})
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(tokens)
	}
	for _, t := range tokens {
		fmt.Fprintf(e.stdout, "%3d  %-20q  %d-%d  %q\n", t.Position, t.Term, t.Start, t.End, text[t.Start:t.End])
	}
	return nil
}
