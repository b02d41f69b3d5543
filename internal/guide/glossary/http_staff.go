package glossary

import (
	"errors"
	"io"
	"net/http"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
)

// AudioRow is one word in the staff overview.
type AudioRow struct {
	Term  TermIn
	FR    []Clip // what plays for the French word
	Human []string
	Count int
}

// Source is what plays for the French word: "human", "tts" or "".
func (a AudioRow) Source() string {
	if len(a.FR) == 0 {
		return ""
	}
	return a.FR[0].Source
}

type audioListData struct {
	Rows                []AudioRow
	Human, TTS, Missing int
	Filter              string
}

func (h *HTTP) audioList(w http.ResponseWriter, r *http.Request) error {
	clips, err := h.S.AllClips(r.Context())
	if err != nil {
		return err
	}
	by := map[string][]Clip{}
	for _, c := range clips {
		by[c.Term] = append(by[c.Term], c)
	}
	filter := r.URL.Query().Get("show")
	if filter != "missing" && filter != "human" && filter != "tts" {
		filter = ""
	}
	d := audioListData{Filter: filter}
	for _, t := range h.S.C.Terms {
		row := AudioRow{Term: TermFor(t, "fr"), FR: Choose(by[t.Slug], "fr"), Count: len(by[t.Slug])}
		for _, c := range by[t.Slug] {
			if c.Source == SourceHuman {
				row.Human = append(row.Human, c.Lang)
			}
		}
		switch row.Source() {
		case SourceHuman:
			d.Human++
		case SourceTTS:
			d.TTS++
		default:
			d.Missing++
		}
		if filter == "" || filter == row.Source() || (filter == "missing" && row.Source() == "") {
			d.Rows = append(d.Rows, row)
		}
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/audio_list", d)
}

// LangClips is what plays for a word in one language.
type LangClips struct {
	Lang  i18n.Language
	Text  Text // the word in that language
	Clips []Clip
	Human bool
}

type audioTermData struct {
	Term  TermIn
	Langs []LangClips
	Lang  string // the language selected in the form
	Max   int    // MiB
}

// LangOptions are the choices of the language select.
func (d audioTermData) LangOptions() []web.Option {
	out := make([]web.Option, len(d.Langs))
	for i, l := range d.Langs {
		out[i] = web.Option{Value: l.Lang.Tag, Label: l.Lang.Name + " — " + l.Text.S, Raw: true}
	}
	return out
}

func (h *HTTP) audioTermData(r *http.Request, slug, sel string) (audioTermData, error) {
	t, ok := h.S.C.Term(slug)
	if !ok {
		return audioTermData{}, apperr.ErrNotFound
	}
	clips, err := h.S.Clips(r.Context(), slug)
	if err != nil {
		return audioTermData{}, err
	}
	if _, ok := i18n.Lookup(sel); !ok {
		sel = "fr"
	}
	d := audioTermData{Term: TermFor(t, "fr"), Lang: sel, Max: MaxUploadBytes >> 20}
	for _, l := range i18n.Languages {
		lc := LangClips{Lang: l, Text: TermFor(t, l.Tag).Term, Clips: Choose(clips, l.Tag)}
		lc.Human = len(lc.Clips) > 0 && lc.Clips[0].Source == SourceHuman
		d.Langs = append(d.Langs, lc)
	}
	return d, nil
}

func (h *HTTP) audioTerm(w http.ResponseWriter, r *http.Request) error {
	d, err := h.audioTermData(r, r.PathValue("slug"), r.URL.Query().Get("lang"))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/audio_term", d)
}

func (h *HTTP) audioUpload(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	d, err := h.audioTermData(r, slug, "fr")
	if err != nil {
		return err
	}
	fail := func(field, key string) error {
		return h.K.RenderInvalid(w, r, "glossary/audio_term", d, map[string]string{field: key})
	}
	if err := r.ParseMultipartForm(MaxUploadBytes + 64<<10); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return fail("audio", ErrKeyTooLarge)
		}
		return fail("audio", ErrKeyEmpty)
	}
	defer r.MultipartForm.RemoveAll()
	tag := web.Clean(r.FormValue("lang"))
	if _, ok := i18n.Lookup(tag); !ok {
		return fail("lang", "common.form.invalid_choice")
	}
	d.Lang = tag
	f, _, err := r.FormFile("audio")
	if err != nil {
		return fail("audio", ErrKeyEmpty)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxUploadBytes+1))
	if err != nil {
		return err
	}
	c, err := h.S.Upload(r.Context(), slug, tag, data)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Invalid {
		return h.K.RenderInvalid(w, r, "glossary/audio_term", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/glossary/audio/"+slug+"?lang="+tag, "glossary.audio.uploaded", "Term", d.Term.FR.S, "Seconds", c.Seconds())
}

func (h *HTTP) audioDelete(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	tag := f.Value("lang")
	if _, ok := i18n.Lookup(tag); !ok {
		return apperr.ErrNotFound
	}
	t, ok := h.S.C.Term(slug)
	if !ok {
		return apperr.ErrNotFound
	}
	if err := h.S.DeleteHuman(r.Context(), slug, tag); err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/glossary/audio/"+slug+"?lang="+tag, "glossary.audio.deleted", "Term", t.FR)
}
