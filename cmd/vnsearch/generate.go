package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vnsearch/vnsearch/indexer"
	"github.com/vnsearch/vnsearch/internal/atomicfile"
	"github.com/vnsearch/vnsearch/internal/corpusgen"
	"github.com/vnsearch/vnsearch/schema"
)

func runGenerate(ctx context.Context, args []string, e env) error {
	fs := newFlags("generate", "", e)
	corpus := fs.String("corpus", "", "source corpus: a `FILE` or directory in any format index reads")
	n := fs.Int("n", 0, "number of articles to generate")
	seed := fs.Uint64("seed", 1, "seed choosing everything drawn; the same seed and corpus give the same articles")
	out := fs.String("out", "", "`FILE` to write the JSON Lines to, gzip-compressed when it ends in .gz (default stdout)")
	from := fs.String("from", "2004", "first publication `DATE` (a day, month or year)")
	to := fs.String("to", "2013", "last publication `DATE` (a day, month or year)")
	report := fs.Bool("report", false, "compare the generated articles with the source's on stderr: syllable frequencies, lengths, sections, repeated titles")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opts := corpusgen.Options{N: *n, Seed: *seed}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	case *corpus == "":
		return fmt.Errorf("%w: give the source corpus with --corpus FILE", errUsage)
	}
	first, err := schema.ParseDateSpan(*from)
	if err != nil {
		return fmt.Errorf("%w: --from: %v", errUsage, err)
	}
	last, err := schema.ParseDateSpan(*to)
	if err != nil {
		return fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	opts.From, opts.To = first.Start, last.End
	opts.SetDefaults()
	if err := opts.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	started := time.Now()
	var model corpusgen.Model
	source := corpusgen.NewProfile()
	add := model.Add
	if *report {
		add = func(a schema.Article) error { source.Add(a); return model.Add(a) }
	}
	err = indexer.ReadPaths([]string{*corpus}, indexer.Visitor{Article: add, Bad: func(re *indexer.RecordError) {
		fmt.Fprintln(e.stderr, re)
	}})
	if err != nil {
		return err
	}
	if model.Articles() == 0 {
		return fmt.Errorf("%s: no article with a title and a body", *corpus)
	}
	fmt.Fprintf(e.stderr, "read %d articles, %d sentences from %s in %.1fs\n",
		model.Articles(), model.Sentences(), *corpus, time.Since(started).Seconds())

	started = time.Now()
	// The generated corpus's vocabulary is noted after as many articles
	// as the source has, to compare the two at the same size.
	generated := corpusgen.NewProfile(source.Summary().Articles)
	write := func(w io.Writer) error {
		if strings.HasSuffix(strings.ToLower(*out), ".gz") {
			zw := gzip.NewWriter(w)
			if err := writeArticles(ctx, zw, &model, opts, *report, generated); err != nil {
				return err
			}
			return zw.Close()
		}
		return writeArticles(ctx, w, &model, opts, *report, generated)
	}
	if *out == "" {
		err = write(e.stdout)
	} else {
		err = atomicfile.Write(*out, 0o600, write)
	}
	if err != nil {
		return err
	}
	took := time.Since(started)
	fmt.Fprintf(e.stderr, "generated %d articles in %.1fs (%.0f articles/s)\n", opts.N, took.Seconds(), float64(opts.N)/took.Seconds())
	if *report {
		return printGenerateReport(e.stderr, source, generated)
	}
	return nil
}

// writeArticles writes the generated articles to w as JSON Lines, in the
// form the index command reads, and measures them into prof when asked.
func writeArticles(ctx context.Context, w io.Writer, model *corpusgen.Model, opts corpusgen.Options, measure bool, prof *corpusgen.Profile) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err := model.Generate(ctx, opts, func(a schema.Article) error {
		if measure {
			prof.Add(a)
		}
		return enc.Encode(a)
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// printGenerateReport prints the source's and the generated corpus's
// figures side by side.
func printGenerateReport(w io.Writer, source, generated *corpusgen.Profile) error {
	s, g := source.Summary(), generated.Summary()
	like := corpusgen.Compare(source, generated)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\tsource\tgenerated\n")
	fmt.Fprintf(tw, "articles\t%d\t%d\n", s.Articles, g.Articles)
	fmt.Fprintf(tw, "syllables per article\t%.0f\t%.0f\n", float64(s.Syllables)/float64(s.Articles), float64(g.Syllables)/float64(g.Articles))
	fmt.Fprintf(tw, "distinct syllables per article\t%.1f\t%.1f\n", s.DistinctPerArticle, g.DistinctPerArticle)
	fmt.Fprintf(tw, "top-1000 syllables' share\t%.4f\t%.4f\n", s.Top1000Share, g.Top1000Share)
	for _, v := range g.Vocabulary {
		sv := "-"
		if i := slices.IndexFunc(s.Vocabulary, func(x corpusgen.VocabularyAt) bool { return x.Articles == v.Articles }); i >= 0 {
			sv = fmt.Sprint(s.Vocabulary[i].Syllables)
		}
		fmt.Fprintf(tw, "distinct syllables in %d articles\t%s\t%d\n", v.Articles, sv, v.Syllables)
	}
	for _, l := range []struct {
		name string
		s, g corpusgen.Lengths
	}{{"body words", s.BodyWords, g.BodyWords}, {"title words", s.TitleWords, g.TitleWords}} {
		fmt.Fprintf(tw, "%s p10/p50/p90/mean\t%d/%d/%d/%.1f\t%d/%d/%d/%.1f\n", l.name,
			l.s.P10, l.s.P50, l.s.P90, l.s.Mean, l.g.P10, l.g.P50, l.g.P90, l.g.Mean)
	}
	fmt.Fprintf(tw, "articles with a repeated title\t%.2f%%\t%.2f%%\n", 100*s.DuplicateTitles, 100*g.DuplicateTitles)
	sections := make([]string, 0, len(s.Sections))
	for sec := range s.Sections {
		sections = append(sections, sec)
	}
	slices.Sort(sections)
	for _, sec := range sections {
		fmt.Fprintf(tw, "section %q\t%.2f%%\t%.2f%%\n", sec, 100*s.Sections[sec], 100*g.Sections[sec])
	}
	fmt.Fprintf(tw, "\ntop-1000 syllables shared\t\t%.1f%%\n", 100*like.TopOverlap)
	fmt.Fprintf(tw, "top-1000 frequency distance\t\t%.4f\n", like.TopDistance)
	fmt.Fprintf(tw, "source syllables never generated\t\t%.2f%%\n", 100*like.Missing)
	return tw.Flush()
}
