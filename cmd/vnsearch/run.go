package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// env is what a command may touch of the outside world, so tests can run
// commands with their own output and environment.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command ran and failed
	exitUsage = 2 // the command line was wrong
)

// errUsage marks an error in the command line; the message says what.
var errUsage = errors.New("usage")

type command struct {
	name, synopsis string
	run            func(ctx context.Context, args []string, e env) error
}

func commands() []command {
	return []command{
		{"index", "build or update an index from JSON Lines, text exports and HTML pages", runIndex},
		{"serve", "serve the search API and page over HTTP", runServe},
		{"search", "search an index from the command line", runSearch},
		{"analyze", "show the tokens an analyzer makes of a text", runAnalyze},
		{"eval", "measure relevance on known-item queries against stock engines", runEval},
		{"bench", "measure search speed: queries per second, latency, allocations and CPU per query", runBench},
		{"backup", "write a consistent backup of an index, online from a running server with --url", runBackup},
		{"restore", "restore an index from a backup", runRestore},
		{"dump", "write every article of an index as JSON Lines, which the index command reads", runDump},
		{"generate", "generate a larger corpus from a real one, for measuring at scale", runGenerate},
		{"healthcheck", "exit 0 when a running server is healthy", runHealthcheck},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vnsearch COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.synopsis)
	}
	fmt.Fprintln(w, "\nRun 'vnsearch COMMAND -h' for a command's flags.")
}

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], e)
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.Is(err, errUsage):
			fmt.Fprintf(e.stderr, "vnsearch %s: %v\n", c.name, err)
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "vnsearch %s: %v\n", c.name, err)
		return exitError
	}
	fmt.Fprintf(e.stderr, "vnsearch: unknown command %q\n", args[0])
	usage(e.stderr)
	return exitUsage
}

// newFlags returns a flag set for a command that reports errors to e.stderr.
func newFlags(name, argsHelp string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: vnsearch %s [flags] %s\n\nflags:\n", name, argsHelp)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, wrapping a bad command line in errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// indexFlag adds the --index flag, defaulting to $VNSEARCH_INDEX.
func indexFlag(fs *flag.FlagSet, e env) *string {
	def := e.getenv("VNSEARCH_INDEX")
	if def == "" {
		def = "data/index"
	}
	return fs.String("index", def, "index directory (env VNSEARCH_INDEX)")
}

// isTerminal reports whether w is a character device, where progress lines
// and emphasis are wanted.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// joinArgs joins the words of a query given as several arguments.
func joinArgs(args []string) string { return strings.TrimSpace(strings.Join(args, " ")) }

// printJSON writes v as indented JSON for the --json flags, with HTML
// characters as they are: snippets are HTML, read by people or programs,
// not pasted into a page.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
