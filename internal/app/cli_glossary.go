package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"

	"parcours/internal/guide/glossary"
)

// cmdGlossary runs `parcours glossary audio [--lang fr] [--force]`: it
// speaks every glossary word with espeak-ng, encodes it (Opus and MP3 when
// opus-tools and lame are installed, WAV otherwise) and stores it in the
// database, where every instance finds it. Human recordings uploaded by
// staff are kept and still take precedence.
func cmdGlossary(ctx context.Context, args []string, io IO) error {
	if len(args) == 0 || args[0] != "audio" {
		return errors.New("usage: parcours glossary audio [--lang fr] [--force] [--quiet]")
	}
	var lang string
	var force, quiet bool
	cfg, err := parse("glossary audio", args[1:], io, func(fs *flag.FlagSet) {
		fs.StringVar(&lang, "lang", "fr", "language spoken (French: the words of the glossary)")
		fs.BoolVar(&force, "force", false, "generate again the words that already have a generated recording")
		fs.BoolVar(&quiet, "quiet", false, "print only the summary")
	})
	if err != nil {
		return err
	}
	tools, err := glossary.FindTools(ctx)
	if err != nil {
		return err
	}
	if _, ok := glossary.Voices[lang]; !ok {
		return fmt.Errorf("--lang %q: espeak-ng has no voice for it here (voices: fr, en, ar, fa, fa-AF, ro, bn, ur, zh-Hans); record these words and upload them from the staff page", lang)
	}
	return withApp(ctx, cfg, io, func(a *App) error {
		s, err := glossary.New(a.DB, a.Audit, a.Clock)
		if err != nil {
			return err
		}
		o := glossary.GenOptions{Lang: lang, Force: force, Tools: tools}
		if !quiet {
			o.Progress = io.Out
		}
		fmt.Fprintf(io.Out, "%s, voice %q, formats %v\n", tools.Version, glossary.Voices[lang], tools.Formats())
		rep, err := s.Generate(ctx, o)
		if err != nil {
			return err
		}
		fmt.Fprintf(io.Out, "%d word(s) generated, %d already had a recording (--force to redo them), in %s.\n",
			rep.Generated, rep.Skipped, rep.Duration.Round(1e7))
		var formats []string
		for f := range rep.Formats {
			formats = append(formats, f)
		}
		slices.Sort(formats)
		for _, f := range formats {
			st := rep.Formats[f]
			fmt.Fprintf(io.Out, "  %-4s %4d file(s), %7d bytes, %5d bytes a word on average\n", f, st.Count, st.Bytes, st.Bytes/int64(max(st.Count, 1)))
		}
		if rep.Generated > 0 {
			fmt.Fprintf(io.Out, "  (as WAV: %d bytes, %d a word)\n", rep.WAVBytes, rep.WAVBytes/int64(rep.Generated))
		}
		return nil
	})
}
