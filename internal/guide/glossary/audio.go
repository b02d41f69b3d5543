package glossary

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"parcours/internal/guide/seed"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
)

// Service holds the glossary content and its recordings.
type Service struct {
	DB    *db.DB
	Audit *audit.Log
	Clock clock.Clock
	C     *Content
}

// New loads the content and returns the service.
func New(d *db.DB, a *audit.Log, c clock.Clock) (*Service, error) {
	content, err := LoadContent()
	if err != nil {
		return nil, err
	}
	return &Service{DB: d, Audit: a, Clock: c, C: content}, nil
}

// Sources of a recording.
const (
	SourceTTS   = "tts"
	SourceHuman = "human"
)

// Clip is a stored recording, without its bytes.
type Clip struct {
	bun.BaseModel `bun:"table:glossary_audio"`

	ID         string    `bun:"id,pk"`
	Term       string    `bun:"term"`
	Lang       string    `bun:"lang"`
	Source     string    `bun:"source"`
	Format     string    `bun:"format"`
	Size       int       `bun:"size"`
	DurationMS int       `bun:"duration_ms"`
	SHA256     string    `bun:"sha256"`
	Voice      string    `bun:"voice"`
	OrgID      string    `bun:"org_id"`
	CreatedBy  string    `bun:"created_by"`
	CreatedAt  time.Time `bun:"created_at"`
}

// URL is where the clip is served; the version makes it cacheable forever.
func (c Clip) URL() string {
	return "/audio/glossary/" + c.Lang + "/" + c.Term + "." + c.Format + "?v=" + c.SHA256[:12]
}

// ContentType is the clip's MIME type (for <source type>).
func (c Clip) ContentType() string { return ContentType(c.Format) }

// Seconds is the duration, rounded to a tenth.
func (c Clip) Seconds() string { return fmt.Sprintf("%.1f", float64(c.DurationMS)/1000) }

type clipData struct {
	Clip `bun:",extend"`
	Data []byte `bun:"data"`
}

// formatOrder is the order of <source> elements: the smallest first.
var formatOrder = []string{FormatOpus, FormatM4A, FormatOgg, FormatMP3, FormatWAV}

// Choose returns the clips to offer for a word in lang: the human
// recording when there is one, else the generated ones, smallest format
// first.
func Choose(clips []Clip, lang string) []Clip {
	var human, tts []Clip
	for _, c := range clips {
		if c.Lang != lang {
			continue
		}
		if c.Source == SourceHuman {
			human = append(human, c)
		} else {
			tts = append(tts, c)
		}
	}
	out := tts
	if len(human) > 0 {
		out = human
	}
	slices.SortFunc(out, func(a, b Clip) int { return slices.Index(formatOrder, a.Format) - slices.Index(formatOrder, b.Format) })
	return out
}

// Clips lists the recordings of a term (every language and source).
func (s *Service) Clips(ctx context.Context, term string) ([]Clip, error) {
	var out []Clip
	err := s.DB.R.NewSelect().Model(&out).Where("term = ?", term).Order("lang", "source", "format").Scan(ctx)
	return out, err
}

// AllClips lists every recording, without bytes (staff overview).
func (s *Service) AllClips(ctx context.Context) ([]Clip, error) {
	var out []Clip
	err := s.DB.R.NewSelect().Model(&out).Order("term", "lang", "source", "format").Scan(ctx)
	return out, err
}

// Audio returns the bytes to play for a word in lang and format: the human
// recording when there is one in that format, else the generated one.
func (s *Service) Audio(ctx context.Context, term, lang, format string) (Clip, []byte, error) {
	var rows []clipData
	err := s.DB.R.NewSelect().Model(&rows).Where("term = ? AND lang = ? AND format = ?", term, lang, format).Scan(ctx)
	if err != nil {
		return Clip{}, nil, err
	}
	var best *clipData
	for i := range rows {
		if best == nil || rows[i].Source == SourceHuman {
			best = &rows[i]
		}
	}
	if best == nil {
		return Clip{}, nil, apperr.ErrNotFound
	}
	return best.Clip, best.Data, nil
}

func (s *Service) term(slug string) (seed.Term, error) {
	t, ok := s.C.Term(slug)
	if !ok {
		return t, apperr.ErrNotFound
	}
	return t, nil
}

// Upload stores a human recording of a word in lang, replacing the previous
// human recording of that word in that language; it takes precedence over
// the generated one. The upload is written to the audit trail in the same
// transaction.
func (s *Service) Upload(ctx context.Context, slug, lang string, data []byte) (Clip, error) {
	if _, err := s.term(slug); err != nil {
		return Clip{}, err
	}
	if _, ok := i18n.Lookup(lang); !ok {
		return Clip{}, apperr.Validation(map[string]string{"lang": "common.form.invalid_choice"})
	}
	sn, err := ValidateAudio(data)
	if err != nil {
		return Clip{}, err
	}
	actor, _ := audit.ActorFrom(ctx)
	sum := sha256.Sum256(data)
	c := clipData{Clip: Clip{ID: db.NewID(), Term: slug, Lang: lang, Source: SourceHuman, Format: sn.Format, Size: len(data),
		DurationMS: int(sn.Duration / time.Millisecond), SHA256: hex.EncodeToString(sum[:]), OrgID: actor.OrgID,
		CreatedBy: actor.UserID, CreatedAt: s.Clock.Now().UTC()}, Data: data}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var old []Clip
		if err := tx.NewSelect().Model(&old).Where("term = ? AND lang = ? AND source = ?", slug, lang, SourceHuman).Scan(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Clip)(nil)).Where("term = ? AND lang = ? AND source = ?", slug, lang, SourceHuman).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&c).Exec(ctx); err != nil {
			return err
		}
		details := map[string]any{"term": slug, "lang": lang, "format": c.Format, "size": c.Size, "duration_ms": c.DurationMS, "sha256": c.SHA256}
		if len(old) > 0 {
			details["replaced_sha256"] = old[0].SHA256
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "glossary.audio.upload", ObjectType: "glossary_audio", ObjectID: c.ID, Details: details})
	})
	return c.Clip, err
}

// DeleteHuman removes the human recording of a word in lang (the generated
// one plays again), audited.
func (s *Service) DeleteHuman(ctx context.Context, slug, lang string) error {
	if _, err := s.term(slug); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var old []Clip
		if err := tx.NewSelect().Model(&old).Where("term = ? AND lang = ? AND source = ?", slug, lang, SourceHuman).Scan(ctx); err != nil {
			return err
		}
		if len(old) == 0 {
			return apperr.ErrNotFound
		}
		if _, err := tx.NewDelete().Model((*Clip)(nil)).Where("term = ? AND lang = ? AND source = ?", slug, lang, SourceHuman).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "glossary.audio.delete", ObjectType: "glossary_audio", ObjectID: old[0].ID,
			Details: map[string]any{"term": slug, "lang": lang, "sha256": old[0].SHA256}})
	})
}

// Voices are the espeak-ng voices of the served languages. Pashto,
// Tigrinya and Pular have none in Debian's espeak-ng 1.51: record them.
var Voices = map[string]string{
	"fr": "fr", "en": "en", "ar": "ar", "fa": "fa", "fa-AF": "fa", "ro": "ro", "bn": "bn", "ur": "ur", "zh-Hans": "cmn",
}

// ErrNoEspeak says how to install the speech synthesizer.
var ErrNoEspeak = errors.New("espeak-ng is not installed: install the Debian package (apt-get install espeak-ng), " +
	"and opus-tools or lame for compact files; or upload human recordings from the staff page")

// Tools are the programs audio generation uses.
type Tools struct {
	Espeak  string // espeak-ng (required)
	Opusenc string // opus-tools: Ogg Opus, the smallest ("" when absent)
	Lame    string // lame: MP3, played by every browser ("" when absent)
	Version string // espeak-ng's version line
}

// FindTools looks the programs up on PATH; espeak-ng is required.
func FindTools(ctx context.Context) (Tools, error) {
	var t Tools
	p, err := exec.LookPath("espeak-ng")
	if err != nil {
		return t, ErrNoEspeak
	}
	t.Espeak = p
	t.Opusenc, _ = exec.LookPath("opusenc")
	t.Lame, _ = exec.LookPath("lame")
	out, err := exec.CommandContext(ctx, p, "--version").Output()
	if err == nil {
		t.Version = strings.TrimSpace(strings.SplitN(string(out), "Data at", 2)[0])
	}
	return t, nil
}

// Formats lists what generation stores with these tools: Opus and MP3 when
// their encoders exist, WAV only when neither does.
func (t Tools) Formats() []string {
	var f []string
	if t.Opusenc != "" {
		f = append(f, FormatOpus)
	}
	if t.Lame != "" {
		f = append(f, FormatMP3)
	}
	if len(f) == 0 {
		f = []string{FormatWAV}
	}
	return f
}

// GenOptions control a generation run.
type GenOptions struct {
	Lang  string   // language spoken (default French)
	Force bool     // regenerate words that already have a generated clip
	Terms []string // term slugs (default: every term)
	Tools Tools
	// Progress receives one line per word (nil: silent).
	Progress io.Writer
}

// FormatStat sums the clips of one format.
type FormatStat struct {
	Count int
	Bytes int64
}

// GenReport says what a run did.
type GenReport struct {
	Lang      string
	Generated int
	Skipped   int // already had a generated clip (without Force)
	Formats   map[string]*FormatStat
	WAVBytes  int64 // what the same clips weigh as WAV, for comparison
	Duration  time.Duration
}

// SpokenText is what the synthesizer reads for a term in lang: the word
// without its explanation in parentheses; an acronym spelled letter by
// letter in French ("CSS" -> "C S S") unless it is read as a word ("CAF").
func SpokenText(t seed.Term, lang string) string {
	if lang != "fr" {
		if tr, ok := t.Tr[lang]; ok && tr.Term != "" {
			return stripParen(tr.Term)
		}
		if l, ok := i18n.Lookup(lang); ok && len(l.Fallback) > 0 {
			if tr, ok := t.Tr[l.Fallback[0]]; ok && tr.Term != "" {
				return stripParen(tr.Term)
			}
		}
	}
	w := stripParen(t.FR)
	if isAcronym(w) && spelled(w, t.Tr["en"].Say) {
		return strings.Join(strings.Split(w, ""), " ")
	}
	return w
}

func isAcronym(w string) bool {
	if len(w) < 2 || len(w) > 6 {
		return false
	}
	for _, r := range w {
		if !unicode.IsUpper(r) || r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

// spelled tells from the English respelling whether an acronym is said
// letter by letter ("say es es": one syllable per letter) or as a word.
func spelled(w, say string) bool {
	return len(strings.Fields(stripParen(say))) == len(w) && !strings.Contains(say, "-")
}

// Generate synthesizes the words with espeak-ng and stores them, one
// transaction per word, then writes one audit entry for the run.
func (s *Service) Generate(ctx context.Context, o GenOptions) (GenReport, error) {
	if o.Lang == "" {
		o.Lang = "fr"
	}
	rep := GenReport{Lang: o.Lang, Formats: map[string]*FormatStat{}}
	if _, ok := i18n.Lookup(o.Lang); !ok {
		return rep, fmt.Errorf("--lang %q is not a served language", o.Lang)
	}
	voice, ok := Voices[o.Lang]
	if !ok {
		return rep, fmt.Errorf("espeak-ng has no voice for %q here: record these words and upload them from the staff page", o.Lang)
	}
	if o.Tools.Espeak == "" {
		return rep, ErrNoEspeak
	}
	start := time.Now()
	terms := s.C.Terms
	if len(o.Terms) > 0 {
		terms = nil
		for _, slug := range o.Terms {
			t, ok := s.C.Term(slug)
			if !ok {
				return rep, fmt.Errorf("no glossary term %q", slug)
			}
			terms = append(terms, t)
		}
	}
	have := map[string]bool{}
	if !o.Force {
		clips, err := s.AllClips(ctx)
		if err != nil {
			return rep, err
		}
		for _, c := range clips {
			if c.Lang == o.Lang && c.Source == SourceTTS {
				have[c.Term] = true
			}
		}
	}
	label := strings.TrimSpace(o.Tools.Version + " " + voice)
	for _, t := range terms {
		if have[t.Slug] {
			rep.Skipped++
			continue
		}
		text := SpokenText(t, o.Lang)
		wav, err := run(ctx, bytes.NewReader([]byte(text)), o.Tools.Espeak, "-v", voice, "-s", "130", "--stdin", "--stdout")
		if err != nil {
			return rep, fmt.Errorf("espeak-ng %q: %w", t.Slug, err)
		}
		sn, ok := sniffWAV(wav)
		if !ok {
			return rep, fmt.Errorf("espeak-ng %q: output is not WAV", t.Slug)
		}
		now := s.Clock.Now().UTC()
		var clips []clipData
		for _, f := range o.Tools.Formats() {
			data := wav
			switch f {
			case FormatOpus:
				data, err = run(ctx, bytes.NewReader(wav), o.Tools.Opusenc, "--quiet", "--bitrate", "16", "--downmix-mono", "-", "-")
			case FormatMP3:
				data, err = run(ctx, bytes.NewReader(wav), o.Tools.Lame, "--quiet", "-m", "m", "-b", "24", "-", "-")
			}
			if err != nil {
				return rep, fmt.Errorf("encode %q as %s: %w", t.Slug, f, err)
			}
			sum := sha256.Sum256(data)
			clips = append(clips, clipData{Clip: Clip{ID: db.NewID(), Term: t.Slug, Lang: o.Lang, Source: SourceTTS, Format: f, Size: len(data),
				DurationMS: int(sn.Duration / time.Millisecond), SHA256: hex.EncodeToString(sum[:]), Voice: label, CreatedAt: now}, Data: data})
		}
		err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewDelete().Model((*Clip)(nil)).Where("term = ? AND lang = ? AND source = ?", t.Slug, o.Lang, SourceTTS).Exec(ctx); err != nil {
				return err
			}
			_, err := tx.NewInsert().Model(&clips).Exec(ctx)
			return err
		})
		if err != nil {
			return rep, err
		}
		rep.Generated++
		rep.WAVBytes += int64(len(wav))
		for _, c := range clips {
			st := rep.Formats[c.Format]
			if st == nil {
				st = &FormatStat{}
				rep.Formats[c.Format] = st
			}
			st.Count++
			st.Bytes += int64(c.Size)
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "%-28s %-32q %5d ms\n", t.Slug, text, int(sn.Duration/time.Millisecond))
		}
	}
	rep.Duration = time.Since(start)
	details := map[string]any{"lang": o.Lang, "generated": rep.Generated, "skipped": rep.Skipped, "force": o.Force, "voice": label}
	for f, st := range rep.Formats {
		details[f+"_bytes"] = st.Bytes
	}
	err := s.Audit.RecordNow(ctx, audit.Event{Action: "glossary.audio.generate", ObjectType: "glossary_audio", ActorLabel: "cli", Details: details})
	return rep, err
}

// run executes a program with stdin and returns its standard output.
func run(ctx context.Context, stdin io.Reader, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w: %s", err, strings.TrimSpace(errb.String()))
	}
	if out.Len() == 0 {
		return nil, errors.New("no output")
	}
	return out.Bytes(), nil
}
