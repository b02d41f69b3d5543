package glossary_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/app"
	"parcours/internal/guide/glossary"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

var sourceRe = regexp.MustCompile(`<source src="([^"]+)" type="([^"]+)">`)

// sources lists the <source> URLs of the first audio player of a page.
func sources(body string) []string {
	i := strings.Index(body, "<audio")
	if i < 0 {
		return nil
	}
	j := strings.Index(body[i:], "</audio>")
	var out []string
	for _, m := range sourceRe.FindAllStringSubmatch(body[i:i+j], -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

func fetch(t *testing.T, w *testkit.World, path string) (int, string, []byte) {
	t.Helper()
	resp, err := http.Get(w.Server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// Generation with espeak-ng stores compact files in the database; the word
// page plays them (smallest format first) and the audio route serves them.
func TestGenerateAudio(t *testing.T) {
	tools, err := glossary.FindTools(context.Background())
	if err != nil {
		t.Skip("espeak-ng not installed: audio generation not tested")
	}
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, s := world(t, e)
		ctx := context.Background()
		var progress bytes.Buffer
		rep, err := s.Generate(ctx, glossary.GenOptions{Terms: []string{"prefecture", "ame", "css"}, Tools: tools, Progress: &progress})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Generated != 3 || len(rep.Formats) == 0 {
			t.Fatalf("report %+v", rep)
		}
		for f, st := range rep.Formats {
			if st.Count != 3 || st.Bytes <= 0 || st.Bytes*4 > rep.WAVBytes && f != glossary.FormatWAV {
				t.Errorf("%s: %d files, %d bytes (WAV %d): not compact", f, st.Count, st.Bytes, rep.WAVBytes)
			}
		}
		// Acronyms said as letters are spelled, others read as words.
		if !strings.Contains(progress.String(), `"C S S"`) || !strings.Contains(progress.String(), `"préfecture"`) {
			t.Errorf("spoken texts: %s", progress.String())
		}
		// A second run skips what exists; --force redoes it.
		if rep, err := s.Generate(ctx, glossary.GenOptions{Terms: []string{"prefecture", "ame"}, Tools: tools}); err != nil || rep.Skipped != 2 || rep.Generated != 0 {
			t.Fatalf("second run: %+v %v", rep, err)
		}
		if rep, err := s.Generate(ctx, glossary.GenOptions{Terms: []string{"ame"}, Tools: tools, Force: true}); err != nil || rep.Generated != 1 {
			t.Fatalf("forced run: %+v %v", rep, err)
		}
		body := w.Browser().Get("/ar/guide/glossary/prefecture").Body
		srcs := sources(body)
		if len(srcs) != len(tools.Formats()) || !strings.Contains(body, "<audio controls preload=\"none\">") || strings.Contains(body, "autoplay") {
			t.Fatalf("player: %v", srcs)
		}
		if !strings.HasPrefix(srcs[0], "/audio/glossary/fr/prefecture.") {
			t.Fatalf("source %q", srcs[0])
		}
		st, ct, data := fetch(t, w, srcs[0])
		if st != 200 || !strings.HasPrefix(ct, "audio/") {
			t.Fatalf("GET %s: %d %s", srcs[0], st, ct)
		}
		if sn, err := glossary.ValidateAudio(data); err != nil || sn.Duration < 300*time.Millisecond {
			t.Fatalf("served audio: %v %v", sn, err)
		}
		var n int
		if err := w.DB.R.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = 'glossary.audio.generate'").Scan(ctx, &n); err != nil || n != 3 {
			t.Fatalf("audit entries of generation: %d %v", n, err)
		}
	})
}

// The CLI says clearly when espeak-ng is missing.
func TestCLIWithoutEspeak(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var out, errb bytes.Buffer
	code := app.Main(context.Background(), []string{"glossary", "audio", "--data", t.TempDir()}, app.IO{In: strings.NewReader(""), Out: &out, Err: &errb, Env: func(string) (string, bool) { return "", false }})
	if code != 1 || !strings.Contains(errb.String(), "espeak-ng is not installed") || !strings.Contains(errb.String(), "apt-get install espeak-ng") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// upload sends a recording through the staff form, as a browser does.
func upload(t *testing.T, w *testkit.World, b *testkit.Browser, slug, lang, name string, data []byte) *testkit.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("lang", lang)
	fw, _ := mw.CreateFormFile("audio", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, w.Server.URL+"/fr/admin/glossary/audio/"+slug, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", w.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &testkit.Response{Status: resp.StatusCode, Body: string(raw), Location: resp.Header.Get("Location"), Header: resp.Header}
}

func auditCount(t *testing.T, w *testkit.World, action string) int {
	t.Helper()
	var n int
	if err := w.DB.R.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = ?", action).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A translator uploads a human recording: validated, audited, and played
// instead of the generated one; removing it brings the generated one back.
func TestUploadTakesPrecedence(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, s := world(t, e)
		ctx := context.Background()
		tts := wav(900)
		if err := s.StoreClipForTest(ctx, "recepisse", "fr", glossary.SourceTTS, glossary.FormatWAV, tts, 900*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		o := w.Org("Centre")
		tr := w.User(o, "traductrice@example.org", auth.Membership{Role: auth.Translator})
		b := w.Browser().Login(tr)

		page := w.Browser().Get("/ti/guide/glossary/recepisse").Body
		if src := sources(page); len(src) != 1 || !strings.Contains(src[0], "/audio/glossary/fr/recepisse.wav") {
			t.Fatalf("generated audio not offered: %v", src)
		}
		if r := b.Get("/fr/admin/glossary/audio"); r.Status != 200 || !strings.Contains(r.Body, `href="/fr/admin/glossary/audio/recepisse"`) {
			t.Fatalf("audio list: %d", r.Status)
		}
		if r := b.Get("/fr/admin/glossary/audio/recepisse"); r.Status != 200 || !strings.Contains(r.Body, `enctype="multipart/form-data"`) {
			t.Fatalf("audio page: %d", r.Status)
		}

		// Refused uploads change nothing and say why.
		before := auditCount(t, w, "glossary.audio.upload")
		for _, c := range []struct {
			name string
			data []byte
			key  string
		}{
			{"virus.mp3", []byte("MZ\x90\x00 this is an executable, not a sound at all"), glossary.ErrKeyType},
			{"short.wav", wav(100), glossary.ErrKeyShort},
			{"big.wav", append(wav(1000), make([]byte, glossary.MaxUploadBytes)...), glossary.ErrKeyTooLarge},
		} {
			r := upload(t, w, b, "recepisse", "fr", c.name, c.data)
			fr := w.App.Catalog.Localizer("fr")
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, html.EscapeString(fr.T(c.key))) {
				t.Errorf("%s: %d, want 422 with %q", c.name, r.Status, fr.T(c.key))
			}
		}
		if auditCount(t, w, "glossary.audio.upload") != before {
			t.Fatal("a refused upload was audited as done")
		}
		if r := upload(t, w, b, "recepisse", "xx", "ok.wav", wav(1200)); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("unknown language: %d", r.Status)
		}
		if r := upload(t, w, b, "no-such-word", "fr", "ok.wav", wav(1200)); r.Status != http.StatusNotFound {
			t.Errorf("unknown word: %d", r.Status)
		}

		// A good one: stored, audited, played first.
		human := mp3(80, true)
		r := upload(t, w, b, "recepisse", "fr", "voice-memo.bin", human)
		if r.Status != http.StatusSeeOther || r.Location != "/fr/admin/glossary/audio/recepisse?lang=fr" {
			t.Fatalf("upload: %d %q", r.Status, r.Location)
		}
		if n := auditCount(t, w, "glossary.audio.upload"); n != before+1 {
			t.Fatalf("upload audited %d times", n-before)
		}
		var actor, details string
		if err := w.DB.R.NewRaw("SELECT actor_id, details FROM audit_log WHERE action = 'glossary.audio.upload'").Scan(ctx, &actor, &details); err != nil {
			t.Fatal(err)
		}
		if actor != tr.ID || !strings.Contains(details, `"format":"mp3"`) || !strings.Contains(details, `"term":"recepisse"`) {
			t.Errorf("audit entry: actor %s details %s", actor, details)
		}
		page = w.Browser().Get("/ti/guide/glossary/recepisse").Body
		src := sources(page)
		if len(src) != 1 || !strings.Contains(src[0], "/audio/glossary/fr/recepisse.mp3") {
			t.Fatalf("human recording not first: %v", src)
		}
		st, ct, data := fetch(t, w, src[0])
		if st != 200 || ct != "audio/mpeg" || !bytes.Equal(data, human) {
			t.Fatalf("served %d %s (%d bytes)", st, ct, len(data))
		}
		// The same word recorded in Tigrinya plays on the Tigrinya page too.
		if r := upload(t, w, b, "recepisse", "ti", "ti.opus", opus(1.2)); r.Status != http.StatusSeeOther {
			t.Fatalf("Tigrinya upload: %d", r.Status)
		}
		page = w.Browser().Get("/ti/guide/glossary/recepisse").Body
		if !strings.Contains(page, "/audio/glossary/ti/recepisse.opus") {
			t.Error("the Tigrinya recording is not offered on the Tigrinya page")
		}
		// Removing the human recording brings the generated one back.
		r = b.Post("/fr/admin/glossary/audio/recepisse/delete", map[string][]string{"lang": {"fr"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.Status)
		}
		if auditCount(t, w, "glossary.audio.delete") != 1 {
			t.Error("deletion not audited")
		}
		if src := sources(w.Browser().Get("/fr/guide/glossary/recepisse").Body); len(src) != 1 || !strings.Contains(src[0], ".wav") {
			t.Fatalf("after delete: %v", src)
		}
		if r := b.Post("/fr/admin/glossary/audio/recepisse/delete", map[string][]string{"lang": {"fr"}}); r.Status != http.StatusNotFound {
			t.Errorf("deleting twice: %d", r.Status)
		}
		// The audit chain still verifies.
		if _, err := (&audit.Log{DB: w.DB, Clock: w.Clock}).Verify(ctx); err != nil {
			t.Fatal(err)
		}
		// Roles without the permission are refused.
		sw := w.Browser().Login(w.User(o, "sw@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: w.Site(o, "PSA", "psa").ID}))
		if r := upload(t, w, sw, "recepisse", "fr", "x.wav", wav(1200)); r.Status != http.StatusForbidden {
			t.Errorf("social worker upload: %d", r.Status)
		}
	})
}

// Unknown audio and hostile names are 404; the version makes the file
// cacheable forever, a stale version only briefly.
func TestAudioRoute(t *testing.T) {
	w, s := world(t, db.SQLite)
	data := wav(800)
	if err := s.StoreClipForTest(context.Background(), "ame", "fr", glossary.SourceTTS, glossary.FormatWAV, data, 800*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/audio/glossary/fr/ame.mp3", "/audio/glossary/xx/ame.wav", "/audio/glossary/fr/nope.wav", "/audio/glossary/fr/ame",
		"/audio/glossary/fr/..%2f..%2fetc.wav", "/audio/glossary/fr/ame.exe"} {
		if st, _, _ := fetch(t, w, p); st != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, st)
		}
	}
	src := sources(w.Browser().Get("/fr/guide/glossary/ame").Body)
	resp, err := http.Get(w.Server.URL + src[0])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned audio: Cache-Control %q", cc)
	}
	resp, _ = http.Get(w.Server.URL + "/audio/glossary/fr/ame.wav?v=stale")
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
		t.Errorf("stale version cached forever: %q", cc)
	}
}
