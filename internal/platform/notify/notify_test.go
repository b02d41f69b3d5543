package notify_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"

	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/notify"
	"parcours/internal/platform/testkit"
)

// arabicName is put in message arguments, so that a French template
// carries Arabic text whatever the catalogs hold.
const arabicName = "سارة بن علي"

// queue runs fn in a committed transaction and returns the queued item.
func queue(t *testing.T, w *testkit.World, fn func(ctx context.Context, tx bun.Tx, o *notify.Outbox) (*notify.Item, error)) *notify.Item {
	t.Helper()
	var it *notify.Item
	err := w.DB.Tx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
		var err error
		it, err = fn(ctx, tx, w.App.Outbox)
		return err
	})
	if err != nil {
		t.Fatalf("queue: %v", err)
	}
	return it
}

func load(t *testing.T, w *testkit.World, id string) *notify.Item {
	t.Helper()
	it := new(notify.Item)
	if err := w.DB.R.NewSelect().Model(it).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatalf("outbox item %s: %v", id, err)
	}
	return it
}

func countOutbox(t *testing.T, w *testkit.World) int64 {
	t.Helper()
	n, err := w.DB.R.NewSelect().Model((*notify.Item)(nil)).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sendJobs lists the River jobs that send outbox items.
func sendJobs(t *testing.T, w *testkit.World) []*rivertype.JobRow {
	t.Helper()
	res, err := w.App.Jobs.JobList(context.Background(), river.NewJobListParams().Kinds(notify.SendArgs{}.Kind()).First(100))
	if err != nil {
		t.Fatalf("list jobs: %v", err)
	}
	return res.Jobs
}

func jobOf(t *testing.T, w *testkit.World, itemID string) *rivertype.JobRow {
	t.Helper()
	for _, j := range sendJobs(t, w) {
		var a notify.SendArgs
		if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
			t.Fatal(err)
		}
		if a.ID == itemID {
			return j
		}
	}
	t.Fatalf("no send job for item %s", itemID)
	return nil
}

// eventually polls cond every 20 ms for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitStatus polls the item until it has status want.
func waitStatus(t *testing.T, w *testkit.World, id, want string) *notify.Item {
	t.Helper()
	var it *notify.Item
	eventually(t, "outbox item "+want, func() bool {
		it = load(t, w, id)
		return it.Status == want
	})
	return it
}

func resetMessage(to, lang string) notify.Message {
	return notify.Message{To: to, Lang: lang, Purpose: "auth.reset", SubjectKey: "auth.reset.mail_subject",
		BodyKey: "auth.reset.mail_body", Args: map[string]any{"Name": "Sara", "Link": "http://parcours.test/fr/reset/tok", "Hours": 1}}
}

func TestQueueFollowsTheTransaction(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		ctx := context.Background()
		boom := errors.New("the business change failed")
		err := w.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			m := resetMessage("sara@example.org", "fr")
			m.OrgID = o.ID
			if _, err := w.App.Outbox.QueueEmail(ctx, tx, m); err != nil {
				return err
			}
			if _, err := w.App.Outbox.QueueSMS(ctx, tx, notify.Message{OrgID: o.ID, To: "+33612345678", Lang: "fr", BodyKey: "auth.reset.mail_body"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx: %v", err)
		}
		if n := countOutbox(t, w); n != 0 {
			t.Fatalf("rolled back: %d outbox rows", n)
		}
		if jobs := sendJobs(t, w); len(jobs) != 0 {
			t.Fatalf("rolled back: %d send jobs", len(jobs))
		}

		it := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
			m := resetMessage("  sara@example.org ", "fr")
			m.OrgID = o.ID
			return ob.QueueEmail(ctx, tx, m)
		})
		if n := countOutbox(t, w); n != 1 {
			t.Fatalf("committed: %d outbox rows", n)
		}
		got := load(t, w, it.ID)
		fr := w.App.Catalog.Localizer("fr")
		if got.Status != notify.StatusQueued || got.Channel != notify.ChannelEmail || got.Recipient != "sara@example.org" ||
			got.OrgID != o.ID || got.Purpose != "auth.reset" || got.Lang != "fr" || got.Attempts != 0 || got.SentAt != nil ||
			got.Subject != fr.TArgs("auth.reset.mail_subject", nil) ||
			got.Body != fr.TArgs("auth.reset.mail_body", map[string]any{"Name": "Sara", "Link": "http://parcours.test/fr/reset/tok", "Hours": 1}) ||
			!got.CreatedAt.Equal(testkit.Start) {
			t.Fatalf("stored item: %+v", got)
		}
		if !strings.Contains(got.Body, "http://parcours.test/fr/reset/tok") {
			t.Fatalf("arguments not rendered: %q", got.Body)
		}
		jobs := sendJobs(t, w)
		if len(jobs) != 1 {
			t.Fatalf("committed: %d send jobs", len(jobs))
		}
		if j := jobOf(t, w, it.ID); j.State != rivertype.JobStateAvailable {
			t.Fatalf("job state %s", j.State)
		}

		// NotBefore schedules the job.
		later := time.Now().Add(time.Hour).UTC()
		sms := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
			return ob.QueueSMS(ctx, tx, notify.Message{OrgID: o.ID, To: "+33612345678", Lang: "fr", BodyKey: "auth.reset.mail_body", NotBefore: later})
		})
		j := jobOf(t, w, sms.ID)
		if j.State != rivertype.JobStateScheduled || j.ScheduledAt.Sub(later).Abs() > time.Second {
			t.Fatalf("delayed SMS job: %s at %s, want scheduled at %s", j.State, j.ScheduledAt, later)
		}
		if load(t, w, sms.ID).Subject != "" {
			t.Fatal("an SMS has no subject")
		}

		// No recipient: refused, nothing written.
		err = w.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			_, err := w.App.Outbox.QueueEmail(ctx, tx, resetMessage("  ", "fr"))
			return err
		})
		if err == nil {
			t.Fatal("a message without recipient was queued")
		}
		if n := countOutbox(t, w); n != 2 {
			t.Fatalf("%d outbox rows after a refused message", n)
		}
	})
}

// hasScript reports whether s has a letter of the script.
func hasScript(s string, script *unicode.RangeTable) bool {
	for _, r := range s {
		if unicode.Is(script, r) {
			return true
		}
	}
	return false
}

func TestMessagesInTheRecipientsLanguage(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		cat := w.App.Catalog
		args := map[string]any{"Name": "Sara", "Link": "http://parcours.test/ar/reset/tok", "Hours": 1}
		for _, c := range []struct{ lang, tag string }{
			{"ar", "ar"}, {"AR", "ar"}, {"fa-AF", "fa-AF"}, {"en", "en"}, {"", "fr"}, {"xx-unknown", "fr"},
		} {
			it := queue(t, w, func(ctx context.Context, tx bun.Tx, o *notify.Outbox) (*notify.Item, error) {
				m := resetMessage("sara@example.org", c.lang)
				m.Args = args
				return o.QueueEmail(ctx, tx, m)
			})
			got := load(t, w, it.ID)
			if got.Lang != c.tag {
				t.Fatalf("lang %q stored as %q, want %q", c.lang, got.Lang, c.tag)
			}
			l := cat.Localizer(c.tag)
			wantSubject, wantBody := l.TArgs("auth.reset.mail_subject", args), l.TArgs("auth.reset.mail_body", args)
			if got.Subject != wantSubject || got.Body != wantBody {
				t.Fatalf("lang %q: got %q / %q, want %q / %q", c.lang, got.Subject, got.Body, wantSubject, wantBody)
			}
			if got.Subject == "auth.reset.mail_subject" || got.Body == "auth.reset.mail_body" {
				t.Fatalf("lang %q: message ID shown instead of a text", c.lang)
			}
			// Which text that is: the language's own, or its fallback's.
			src, fellBack := cat.FallbackOf(c.tag, "auth.reset.mail_subject")
			if _, own := cat.Own(c.tag, "auth.reset.mail_subject"); own == fellBack {
				t.Fatalf("lang %s: catalog says own=%v and fallback=%v", c.tag, own, fellBack)
			}
			if !fellBack {
				src = c.tag
			}
			if want := cat.Localizer(src).TArgs("auth.reset.mail_subject", nil); got.Subject != want {
				t.Fatalf("lang %s: subject %q, want the %s text %q", c.tag, got.Subject, src, want)
			}
			if i18n.Chain(c.tag)[0] != c.tag || !containsStr(i18n.Chain(c.tag), src) {
				t.Fatalf("lang %s served from %s, outside its chain %v", c.tag, src, i18n.Chain(c.tag))
			}
		}
		// Once Arabic has the key, the Arabic message is in Arabic script.
		if _, own := cat.Own("ar", "auth.reset.mail_subject"); own {
			it := queue(t, w, func(ctx context.Context, tx bun.Tx, o *notify.Outbox) (*notify.Item, error) {
				return o.QueueEmail(ctx, tx, resetMessage("sara@example.org", "ar"))
			})
			if got := load(t, w, it.ID); !hasScript(got.Subject, unicode.Arabic) {
				t.Fatalf("Arabic subject without Arabic letters: %q", got.Subject)
			}
		} else {
			t.Log("no Arabic text for auth.reset.mail_subject yet: checked the French fallback")
		}
	})
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fakeSMTP is a small SMTP server on the loopback: it speaks the plain
// dialogue (EHLO/HELO, MAIL, RCPT, DATA, QUIT) and keeps what it received.
type fakeSMTP struct {
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	got  []smtpMail
	port int
}

type smtpMail struct {
	Helo, From string
	Rcpt       []string
	Data       []byte // as sent, dot-stuffing removed, CRLF kept
}

func newFakeSMTP(t *testing.T) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeSMTP{ln: ln, port: ln.Addr().(*net.TCPAddr).Port}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(t, c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *fakeSMTP) mails() []smtpMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMail(nil), s.got...)
}

func (s *fakeSMTP) serve(t *testing.T, c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 fake.test ESMTP ready")
	var m smtpMail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if !strings.HasSuffix(line, "\r\n") {
			t.Errorf("smtp: command line without CRLF: %q", line)
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			m.Helo = arg
			say("250-fake.test greets " + arg)
			say("250-8BITMIME")
			say("250 SIZE 10485760")
		case "HELO":
			m.Helo = arg
			say("250 fake.test")
		case "MAIL":
			if !strings.HasPrefix(strings.ToUpper(arg), "FROM:") {
				say("501 syntax")
				continue
			}
			m.From = angle(arg[5:])
			say("250 OK")
		case "RCPT":
			if !strings.HasPrefix(strings.ToUpper(arg), "TO:") {
				say("501 syntax")
				continue
			}
			m.Rcpt = append(m.Rcpt, angle(arg[3:]))
			say("250 OK")
		case "DATA":
			if m.From == "" || len(m.Rcpt) == 0 {
				say("503 bad sequence")
				continue
			}
			say("354 end with <CRLF>.<CRLF>")
			var data bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Data = data.Bytes()
			s.mu.Lock()
			s.got = append(s.got, m)
			s.mu.Unlock()
			m = smtpMail{Helo: m.Helo}
			say("250 OK queued as 1")
		case "RSET":
			m = smtpMail{Helo: m.Helo}
			say("250 OK")
		case "NOOP":
			say("250 OK")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// angle returns the address inside <...>, without ESMTP parameters.
func angle(s string) string {
	s = strings.TrimSpace(s)
	if i, j := strings.IndexByte(s, '<'), strings.IndexByte(s, '>'); i >= 0 && j > i {
		return s[i+1 : j]
	}
	return s
}

func TestEmailDeliveredBySMTP(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		srv := newFakeSMTP(t)
		w := testkit.NewWorld(t, e, testkit.Options{Work: true, Configure: func(c *config.Config) {
			c.SMTP = config.SMTP{Host: "127.0.0.1", Port: srv.port, From: "parcours <no-reply@parcours.test>", TLS: "none"}
		}})
		o := w.Org("Centre A")
		args := map[string]any{"Name": arabicName, "Email": "sara@example.org", "Link": "http://parcours.test/fr/reset/tok", "Hours": 72}
		it := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
			return ob.QueueEmail(ctx, tx, notify.Message{OrgID: o.ID, To: "sara@example.org", Lang: "fr", Purpose: "auth.invite",
				SubjectKey: "auth.invite.mail_subject", BodyKey: "auth.invite.mail_body", Args: args})
		})
		got := waitStatus(t, w, it.ID, notify.StatusSent)
		if got.Attempts != 1 || got.LastError != "" || got.SentAt == nil || !got.SentAt.Equal(testkit.Start) {
			t.Fatalf("sent item: %+v", got)
		}
		mails := srv.mails()
		if len(mails) != 1 {
			t.Fatalf("%d e-mails received, want 1", len(mails))
		}
		m := mails[0]
		if m.Helo == "" || m.From != "no-reply@parcours.test" || len(m.Rcpt) != 1 || m.Rcpt[0] != "sara@example.org" {
			t.Fatalf("envelope: %+v", m)
		}
		// Every line ends in CRLF, and the whole message is 7-bit.
		for i, b := range m.Data {
			if b == '\n' && (i == 0 || m.Data[i-1] != '\r') {
				t.Fatalf("bare LF at byte %d", i)
			}
			if b >= 0x80 {
				t.Fatalf("8-bit byte 0x%x at %d: the message should be fully encoded", b, i)
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatalf("parse message: %v\n%s", err, m.Data)
		}
		h := msg.Header
		if from, err := mail.ParseAddress(h.Get("From")); err != nil || from.Address != "no-reply@parcours.test" || from.Name != "parcours" {
			t.Fatalf("From %q: %v", h.Get("From"), err)
		}
		if to, err := mail.ParseAddress(h.Get("To")); err != nil || to.Address != "sara@example.org" {
			t.Fatalf("To %q: %v", h.Get("To"), err)
		}
		raw := h.Get("Subject")
		if !strings.HasPrefix(strings.ToLower(raw), "=?utf-8?q?") {
			t.Fatalf("subject with non-ASCII letters is not RFC 2047 encoded: %q", raw)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(raw)
		if err != nil || subject != got.Subject {
			t.Fatalf("subject decodes to %q (%v), want %q", subject, err, got.Subject)
		}
		if !strings.ContainsAny(subject, "éè") {
			t.Fatalf("test subject should have accents: %q", subject)
		}
		if _, err := mail.ParseDate(h.Get("Date")); err != nil {
			t.Fatalf("Date %q: %v", h.Get("Date"), err)
		}
		if !regexp.MustCompile(`^<[0-9a-f]{24}@parcours\.test>$`).MatchString(h.Get("Message-ID")) {
			t.Fatalf("Message-ID %q", h.Get("Message-ID"))
		}
		if h.Get("MIME-Version") != "1.0" {
			t.Fatalf("MIME-Version %q", h.Get("MIME-Version"))
		}
		mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil || mt != "text/plain" || strings.ToLower(params["charset"]) != "utf-8" {
			t.Fatalf("Content-Type %q", h.Get("Content-Type"))
		}
		if h.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Fatalf("Content-Transfer-Encoding %q", h.Get("Content-Transfer-Encoding"))
		}
		rawBody, _ := io.ReadAll(msg.Body)
		for _, line := range strings.Split(string(rawBody), "\r\n") {
			if len(line) > 76 {
				t.Fatalf("quoted-printable line longer than 76: %q", line)
			}
		}
		// س is U+0633, D8 B3 in UTF-8.
		if !bytes.Contains(rawBody, []byte("=D8=B3")) {
			t.Fatalf("Arabic not quoted-printable encoded:\n%s", rawBody)
		}
		decoded, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(rawBody)))
		if err != nil {
			t.Fatal(err)
		}
		want := strings.ReplaceAll(got.Body, "\n", "\r\n")
		if strings.TrimRight(string(decoded), "\r\n") != want {
			t.Fatalf("body decodes to\n%q\nwant\n%q", decoded, want)
		}
		if !strings.Contains(string(decoded), arabicName) || !strings.Contains(string(decoded), "http://parcours.test/fr/reset/tok") {
			t.Fatalf("body lacks the name or the link: %q", decoded)
		}

		// A message in Arabic: its subject is encoded and decodes back.
		ar := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
			return ob.QueueEmail(ctx, tx, resetMessage("sara@example.org", "ar"))
		})
		gotAr := waitStatus(t, w, ar.ID, notify.StatusSent)
		if want := w.App.Catalog.Localizer("ar").TArgs("auth.reset.mail_subject", nil); gotAr.Subject != want {
			t.Fatalf("Arabic subject %q, want %q", gotAr.Subject, want)
		}
		mails = srv.mails()
		if len(mails) != 2 {
			t.Fatalf("%d e-mails received, want 2", len(mails))
		}
		msg, err = mail.ReadMessage(bytes.NewReader(mails[1].Data))
		if err != nil {
			t.Fatal(err)
		}
		subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil || subject != gotAr.Subject {
			t.Fatalf("Arabic subject decodes to %q (%v), want %q", subject, err, gotAr.Subject)
		}
		if _, own := w.App.Catalog.Own("ar", "auth.reset.mail_subject"); own && !hasScript(subject, unicode.Arabic) {
			t.Fatalf("Arabic subject without Arabic letters: %q", subject)
		}
		rawBody, _ = io.ReadAll(msg.Body)
		decoded, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(rawBody)))
		if err != nil || strings.TrimRight(string(decoded), "\r\n") != strings.ReplaceAll(gotAr.Body, "\n", "\r\n") {
			t.Fatalf("Arabic body decodes to %q (%v), want %q", decoded, err, gotAr.Body)
		}
	})
}

// fakeBrevo is Brevo's transactional SMS endpoint.
type fakeBrevo struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
	fail   bool
}

const brevoPath = "/v3/transactionalSMS/send"

func newFakeBrevo(t *testing.T) *fakeBrevo {
	t.Helper()
	b := &fakeBrevo{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != brevoPath {
			t.Errorf("brevo: %s %s", r.Method, r.URL.Path)
		}
		if r.Header.Get("api-key") != "test-api-key" {
			t.Errorf("brevo: api-key header %q", r.Header.Get("api-key"))
			http.Error(w, `{"code":"unauthorized","message":"Key not found"}`, http.StatusUnauthorized)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("brevo: Content-Type %q", ct)
		}
		var body map[string]any
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		if err := dec.Decode(&body); err != nil {
			t.Errorf("brevo: body: %v", err)
		}
		b.mu.Lock()
		b.bodies = append(b.bodies, body)
		n, fail := len(b.bodies), b.fail
		b.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if fail {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"code":"internal_error","message":"try later"}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"reference":"ref%d","messageId":%d,"smsCount":1,"usedCredits":1,"remainingCredits":100}`, n, 1511882900176220+n)
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *fakeBrevo) requests() []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]map[string]any(nil), b.bodies...)
}

func brevoConfig(b *fakeBrevo) func(*config.Config) {
	return func(c *config.Config) {
		c.SMS = config.SMS{Provider: "brevo", APIKey: "test-api-key", Sender: "PARCOURS", Endpoint: b.srv.URL + brevoPath}
	}
}

func TestSMSDeliveredByBrevo(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		b := newFakeBrevo(t)
		w := testkit.NewWorld(t, e, testkit.Options{Work: true, Configure: brevoConfig(b)})
		o := w.Org("Centre A")
		send := func(name string) (*notify.Item, map[string]any) {
			t.Helper()
			before := len(b.requests())
			it := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
				return ob.QueueSMS(ctx, tx, notify.Message{OrgID: o.ID, To: "+33612345678", Lang: "fr", Purpose: "test.sms",
					BodyKey: "auth.reset.mail_body", Args: map[string]any{"Name": name, "Link": "http://parcours.test/r/x", "Hours": 1}})
			})
			got := waitStatus(t, w, it.ID, notify.StatusSent)
			reqs := b.requests()
			if len(reqs) != before+1 {
				t.Fatalf("%d requests to the provider, want %d", len(reqs), before+1)
			}
			req := reqs[len(reqs)-1]
			if got.ProviderID != fmt.Sprint(1511882900176220+len(reqs)) {
				t.Fatalf("provider id %q, want Brevo's messageId", got.ProviderID)
			}
			if got.Attempts != 1 || got.LastError != "" || got.SentAt == nil {
				t.Fatalf("sent SMS: %+v", got)
			}
			if req["sender"] != "PARCOURS" || req["recipient"] != "33612345678" || req["type"] != "transactional" || req["content"] != got.Body {
				t.Fatalf("request body: %v (item body %q)", req, got.Body)
			}
			return got, req
		}
		_, req := send(arabicName)
		if req["unicodeEnabled"] != true {
			t.Fatalf("Arabic text sent with unicodeEnabled=%v", req["unicodeEnabled"])
		}
		if !strings.Contains(req["content"].(string), arabicName) {
			t.Fatalf("content lost the Arabic text: %q", req["content"])
		}
		_, req = send("Sara")
		if req["unicodeEnabled"] != false {
			t.Fatalf("GSM text sent with unicodeEnabled=%v", req["unicodeEnabled"])
		}
	})
}

func TestHeldInDemoModeAndWithoutTransport(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		t.Run("demo", func(t *testing.T) {
			srv := newFakeSMTP(t)
			b := newFakeBrevo(t)
			w := testkit.NewWorld(t, e, testkit.Options{Work: true, Configure: func(c *config.Config) {
				c.Demo = true
				c.SMTP = config.SMTP{Host: "127.0.0.1", Port: srv.port, From: "parcours <no-reply@parcours.test>", TLS: "none"}
				brevoConfig(b)(c)
			}})
			if !w.App.Outbox.Hold || w.App.Outbox.Email == nil || w.App.Outbox.SMS == nil {
				t.Fatalf("demo world: hold=%v email=%v sms=%v", w.App.Outbox.Hold, w.App.Outbox.Email, w.App.Outbox.SMS)
			}
			checkHeld(t, w)
			if n := len(srv.mails()); n != 0 {
				t.Fatalf("demo mode sent %d e-mails", n)
			}
			if n := len(b.requests()); n != 0 {
				t.Fatalf("demo mode sent %d SMS", n)
			}
		})
		t.Run("no transport", func(t *testing.T) {
			w := testkit.NewWorld(t, e, testkit.Options{Work: true})
			if w.App.Outbox.Email != nil || w.App.Outbox.SMS != nil {
				t.Fatal("a transport is configured by default")
			}
			checkHeld(t, w)
		})
	})
}

func checkHeld(t *testing.T, w *testkit.World) {
	t.Helper()
	o := w.Org("Centre A")
	mail := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
		m := resetMessage("sara@example.org", "fr")
		m.OrgID = o.ID
		return ob.QueueEmail(ctx, tx, m)
	})
	sms := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
		return ob.QueueSMS(ctx, tx, notify.Message{OrgID: o.ID, To: "+33612345678", Lang: "fr", BodyKey: "auth.reset.mail_body"})
	})
	for _, id := range []string{mail.ID, sms.ID} {
		it := waitStatus(t, w, id, notify.StatusHeld)
		if it.SentAt != nil || it.ProviderID != "" || it.LastError != "" {
			t.Fatalf("held item: %+v", it)
		}
		// The job is done: nothing left to retry.
		eventually(t, "job completed", func() bool { return jobOf(t, w, id).State == rivertype.JobStateCompleted })
	}
	// Held messages stay readable by administrators.
	items, err := w.App.Outbox.List(context.Background(), notify.Filter{OrgID: o.ID, Status: notify.StatusHeld})
	if err != nil || len(items) != 2 {
		t.Fatalf("held items listed: %d, %v", len(items), err)
	}
}

func TestFailingProviderIsRetriedThenFails(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		b := newFakeBrevo(t)
		b.fail = true
		w := testkit.NewWorld(t, e, testkit.Options{Work: true, Configure: brevoConfig(b)})
		o := w.Org("Centre A")
		ctx := context.Background()
		it := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
			return ob.QueueSMS(ctx, tx, notify.Message{OrgID: o.ID, To: "+33612345678", Lang: "fr", BodyKey: "auth.reset.mail_body"})
		})
		// River retries the first failure by itself (after about a second).
		var got *notify.Item
		eventually(t, "second attempt", func() bool { got = load(t, w, it.ID); return got.Attempts >= 2 })
		if got.Status != notify.StatusQueued || !strings.Contains(got.LastError, "500") || got.SentAt != nil {
			t.Fatalf("after failed attempts before the last: %+v", got)
		}
		var j *rivertype.JobRow
		eventually(t, "job waiting for a retry", func() bool {
			j = jobOf(t, w, it.ID)
			return j.State == rivertype.JobStateRetryable
		})
		if j.Attempt != 2 || len(j.Errors) != 2 || !strings.Contains(j.Errors[1].Error, "500") {
			t.Fatalf("job after two attempts: attempt %d, errors %v", j.Attempt, j.Errors)
		}
		// Make the next attempt the last, and run it now.
		if _, err := w.DB.W.ExecContext(ctx, "UPDATE river_job SET max_attempts = 3 WHERE id = ?", j.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.App.Jobs.JobRetry(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
		got = waitStatus(t, w, it.ID, notify.StatusFailed)
		if got.Attempts != 3 || !strings.Contains(got.LastError, "try later") || got.SentAt != nil || got.ProviderID != "" {
			t.Fatalf("failed item: %+v", got)
		}
		eventually(t, "job discarded", func() bool { return jobOf(t, w, it.ID).State == rivertype.JobStateDiscarded })
		if n := len(b.requests()); n != 3 {
			t.Fatalf("%d requests to the provider, want 3", n)
		}
	})
}

// stubSMS is an SMS provider that fails on demand.
type stubSMS struct {
	err   error
	calls int
}

func (s *stubSMS) SendSMS(ctx context.Context, to, text string) (string, error) {
	s.calls++
	return "stub-1", s.err
}

func TestWorkerLastAttempt(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		ctx := context.Background()
		it := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
			return ob.QueueSMS(ctx, tx, notify.Message{To: "+33612345678", Lang: "fr", BodyKey: "auth.reset.mail_body"})
		})
		stub := &stubSMS{err: errors.New("provider down")}
		ob := *w.App.Outbox
		ob.SMS = stub
		wk := &notify.Worker{O: &ob}
		job := func(attempt int) *river.Job[notify.SendArgs] {
			return &river.Job[notify.SendArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: attempt, MaxAttempts: 5, Kind: "notify.send"},
				Args: notify.SendArgs{ID: it.ID}}
		}
		for attempt := 1; attempt < 5; attempt++ {
			if err := wk.Work(ctx, job(attempt)); err == nil || !strings.Contains(err.Error(), "provider down") {
				t.Fatalf("attempt %d: %v; want the provider's error (so River retries)", attempt, err)
			}
			if got := load(t, w, it.ID); got.Status != notify.StatusQueued || got.Attempts != attempt || got.LastError != "provider down" {
				t.Fatalf("after attempt %d: %+v", attempt, got)
			}
		}
		if err := wk.Work(ctx, job(5)); err == nil {
			t.Fatal("last attempt: no error")
		}
		got := load(t, w, it.ID)
		if got.Status != notify.StatusFailed || got.Attempts != 5 {
			t.Fatalf("after the last attempt: %+v", got)
		}
		// A failed (or sent, or held) item is never sent again.
		stub.err = nil
		if err := wk.Work(ctx, job(1)); err != nil || stub.calls != 5 {
			t.Fatalf("work on a failed item: %v, %d calls", err, stub.calls)
		}
		// An unknown item is an error (River retries, then gives up).
		if err := wk.Work(ctx, &river.Job[notify.SendArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 5},
			Args: notify.SendArgs{ID: db.NewID()}}); err == nil {
			t.Fatal("work on a missing item: no error")
		}
		// A long provider error is cut to 500 bytes.
		it2 := queue(t, w, func(ctx context.Context, tx bun.Tx, ob *notify.Outbox) (*notify.Item, error) {
			return ob.QueueSMS(ctx, tx, notify.Message{To: "+33612345678", Lang: "fr", BodyKey: "auth.reset.mail_body"})
		})
		stub.err = errors.New(strings.Repeat("x", 2000))
		_ = wk.Work(ctx, &river.Job[notify.SendArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 5}, Args: notify.SendArgs{ID: it2.ID}})
		if got := load(t, w, it2.ID); len(got.LastError) != 500 {
			t.Fatalf("last_error of %d bytes", len(got.LastError))
		}
	})
}

func TestBrevoRefusesNonE164(t *testing.T) {
	b := newFakeBrevo(t)
	c := &notify.Brevo{APIKey: "test-api-key", Sender: "PARCOURS", Endpoint: b.srv.URL + brevoPath}
	for _, to := range []string{"0612345678", "33612345678", "+33", ""} {
		if _, err := c.SendSMS(context.Background(), to, "bonjour"); err == nil {
			t.Errorf("%q accepted as an E.164 number", to)
		}
	}
	if n := len(b.requests()); n != 0 {
		t.Fatalf("%d requests sent for invalid numbers", n)
	}
	// A 2xx answer without a message id is an error, not a silent success.
	noID := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{}`)
	}))
	defer noID.Close()
	c.Endpoint = noID.URL
	if _, err := c.SendSMS(context.Background(), "+33612345678", "bonjour"); err == nil {
		t.Fatal("answer without message id accepted")
	}
}
