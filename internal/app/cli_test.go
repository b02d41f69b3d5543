package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/app"
	"parcours/internal/org"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// cliSecret is the server key given to the CLI on PostgreSQL.
const cliSecret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

// cliPassword is typed on stdin for the accounts the tests create.
const cliPassword = "un mot de passe assez long"

// lockedBuffer is written by a running server and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// cliEnv is one installation seen from the command line: its environment.
type cliEnv struct {
	t   *testing.T
	e   db.Engine
	dir string
	env map[string]string
}

// newCLI prepares an installation on engine e with an empty database.
func newCLI(t *testing.T, e db.Engine) *cliEnv {
	c := &cliEnv{t: t, e: e, dir: t.TempDir()}
	c.env = map[string]string{"PARCOURS_DATA_DIR": c.dir, "PARCOURS_LOG_LEVEL": "error"}
	if e == db.Postgres {
		c.env["PARCOURS_DATABASE_URL"] = testkit.NewEmptyPostgres(t)
		c.env["PARCOURS_SECRET_KEY"] = cliSecret
	}
	return c
}

func (c *cliEnv) lookup(k string) (string, bool) { v, ok := c.env[k]; return v, ok }

type cliResult struct {
	code     int
	out, err string
}

// run runs one command line to its end.
func (c *cliEnv) run(stdin string, args ...string) cliResult {
	c.t.Helper()
	var out, errb lockedBuffer
	code := app.Main(context.Background(), args, app.IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, Env: c.lookup})
	return cliResult{code, out.String(), errb.String()}
}

// ok runs a command that must succeed.
func (c *cliEnv) ok(stdin string, args ...string) string {
	c.t.Helper()
	r := c.run(stdin, args...)
	if r.code != 0 {
		c.t.Fatalf("parcours %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// fails runs a command that must exit 1 and say each of want on stderr.
func (c *cliEnv) fails(stdin string, args []string, want ...string) string {
	c.t.Helper()
	r := c.run(stdin, args...)
	if r.code != 1 {
		c.t.Fatalf("parcours %s: exit %d, want 1\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	for _, w := range want {
		if !strings.Contains(r.err, w) {
			c.t.Fatalf("parcours %s: stderr %q does not say %q", strings.Join(args, " "), r.err, w)
		}
	}
	return r.err
}

// open opens the installation's database (after migrate).
func (c *cliEnv) open() *db.DB {
	c.t.Helper()
	o := db.Options{Path: filepath.Join(c.dir, "parcours.db")}
	if c.e == db.Postgres {
		o = db.Options{URL: c.env["PARCOURS_DATABASE_URL"]}
	}
	d, err := db.Open(context.Background(), o)
	if err != nil {
		c.t.Fatal(err)
	}
	return d
}

func (c *cliEnv) count(q string, args ...any) int {
	c.t.Helper()
	d := c.open()
	defer d.Close()
	var n int
	if err := d.R.NewRaw(q, args...).Scan(context.Background(), &n); err != nil {
		c.t.Fatalf("%s: %v", q, err)
	}
	return n
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// server is a `parcours serve` running in the test process.
type server struct {
	base   string
	cancel context.CancelFunc
	done   chan struct{} // closed when Main returned
	code   int           // Main's exit code, once done
	out    *lockedBuffer
	err    *lockedBuffer
}

func (c *cliEnv) serve(args ...string) *server {
	c.t.Helper()
	port := freePort(c.t)
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{base: fmt.Sprintf("http://127.0.0.1:%d", port), cancel: cancel, done: make(chan struct{}), out: &lockedBuffer{}, err: &lockedBuffer{}}
	args = append([]string{"serve", "--addr", "127.0.0.1:" + strconv.Itoa(port)}, args...)
	go func() {
		defer close(s.done)
		s.code = app.Main(ctx, args, app.IO{In: strings.NewReader(""), Out: s.out, Err: s.err, Env: c.lookup})
	}()
	c.t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
		}
	})
	// Wait until it answers.
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-s.done:
			c.t.Fatalf("serve exited with %d before answering\nstdout: %s\nstderr: %s", s.code, s.out, s.err)
		default:
		}
		if r, err := http.Get(s.base + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("serve did not answer /healthz in time\nstderr: %s", s.err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	r, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// signIn signs in through the served pages and opens the staff home.
func signIn(t *testing.T, base, email, password string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {email}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, base+"/fr/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	r, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || strings.Contains(loc, "/login") {
		t.Fatalf("sign-in of %s: %d to %q", email, r.StatusCode, loc)
	}
	r, err = cl.Get(base + "/fr/staff")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("staff home after sign-in: %d", r.StatusCode)
	}
}

func TestCLIUsage(t *testing.T) {
	c := newCLI(t, db.SQLite)
	if r := c.run(""); r.code != 2 || !strings.Contains(r.err, "Usage:") {
		t.Fatalf("no command: %+v", r)
	}
	if r := c.run("", "frobnicate"); r.code != 2 || !strings.Contains(r.err, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %+v", r)
	}
	if r := c.run("", "help"); r.code != 0 || !strings.Contains(r.out, "parcours serve") {
		t.Fatalf("help: %+v", r)
	}
	if r := c.run("", "migrate", "--help"); r.code != 0 {
		t.Fatalf("migrate --help: %+v", r)
	}
	c.fails("", []string{"migrate", "extra"}, `unexpected argument "extra"`)
	c.fails("", []string{"org", "delete"}, "usage: parcours org create")
	c.fails("", []string{"audit"}, "usage: parcours audit verify")
}

// TestCLILifecycle installs parcours from the command line, serves it,
// signs in with the account created on stdin, and checks the audit trail.
func TestCLILifecycle(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		c := newCLI(t, e)
		all := len(app.Migrations())

		// Migrate: everything once, then nothing.
		out := c.ok("", "migrate")
		if want := fmt.Sprintf("%d migration(s) applied; the %s database is up to date.", all, e); !strings.Contains(out, want) {
			t.Fatalf("first migrate: %q, want %q", out, want)
		}
		out = c.ok("", "migrate")
		if !strings.Contains(out, "0 migration(s) applied") {
			t.Fatalf("second migrate: %q", out)
		}

		// Users need a centre.
		c.fails(cliPassword+"\n", []string{"user", "create", "--email", "a@casvp.test", "--role", "admin"}, "no centre yet", "parcours org create")

		// Centres.
		out = c.ok("", "org", "create", "--name", "CASVP Paris", "--kind", "ccas")
		if !strings.Contains(out, `Centre "CASVP Paris" created`) {
			t.Fatalf("org create: %q", out)
		}
		c.fails("", []string{"org", "create", "--name", "Banque", "--kind", "bank"}, "kind")
		c.fails("", []string{"org", "create", "--kind", "ccas"}, "name")
		if n := c.count("SELECT COUNT(*) FROM orgs"); n != 1 {
			t.Fatalf("%d centres", n)
		}

		// A site to attach accounts to.
		d := c.open()
		var o org.Org
		if err := d.R.NewSelect().Model(&o).Where("name = ?", "CASVP Paris").Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		site := &org.Site{ID: db.NewID(), OrgID: o.ID, Name: "PSA Bastille", Kind: "psa", City: "Paris", CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := d.Tx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewInsert().Model(site).Exec(ctx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		d.Close()

		// Users, the password read on stdin.
		out = c.ok(cliPassword+"\n", "user", "create", "--email", "Benevole@CASVP.test", "--role", "translator", "--name", "Farid")
		if !strings.Contains(out, `User benevole@casvp.test created in "CASVP Paris" with role translator.`) {
			t.Fatalf("user create: %q", out)
		}
		out = c.ok(cliPassword+"\r\n", "user", "create", "--email", "social@casvp.test", "--role", "social_worker", "--site", "psa bastille")
		if !strings.Contains(out, "a second factor will be set up at first sign-in") {
			t.Fatalf("user create (social worker): %q", out)
		}
		if n := c.count("SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'social@casvp.test' AND m.site_id = ?", site.ID); n != 1 {
			t.Fatalf("social worker's site membership: %d", n)
		}
		// The password is read without its line end, and without one at all.
		c.ok(cliPassword, "user", "create", "--email", "admin@casvp.test", "--role", "admin", "--org", "CASVP Paris")

		// Errors: a clear message, exit 1, nothing created.
		users := c.count("SELECT COUNT(*) FROM users")
		c.fails(cliPassword+"\n", []string{"user", "create", "--email", "x@casvp.test", "--role", "chef"}, `--role "chef"`, "want one of", "social_worker", "volunteer")
		short := c.fails("court\n", []string{"user", "create", "--email", "x@casvp.test", "--role", "volunteer"}, "password")
		if strings.Contains(short, "auth.password.too_short") || !strings.Contains(short, "12") {
			t.Fatalf("short password: %q should say, in words, that 12 characters are needed", short)
		}
		c.fails(cliPassword+"\n", []string{"user", "create", "--email", "x@casvp.test", "--role", "volunteer", "--site", "PSA Nulle Part"}, `--site "PSA Nulle Part"`, "no such site", "CASVP Paris")
		c.fails(cliPassword+"\n", []string{"user", "create", "--email", "x@casvp.test", "--role", "volunteer", "--org", "Autre"}, `--org "Autre": no such centre`)
		c.fails(cliPassword+"\n", []string{"user", "create", "--email", "pas-une-adresse", "--role", "volunteer"}, "is not an e-mail address")
		c.fails("", []string{"user", "create", "--email", "x@casvp.test", "--role", "volunteer"}, "password is read on stdin")
		dup := c.fails(cliPassword+"\n", []string{"user", "create", "--email", "benevole@casvp.test", "--role", "volunteer"}, "email")
		if strings.Contains(dup, "org.user.email_taken") {
			t.Fatalf("duplicate e-mail: %q shows a message ID", dup)
		}
		if n := c.count("SELECT COUNT(*) FROM users"); n != users {
			t.Fatalf("failed commands created users: %d then %d", users, n)
		}

		// Serve, sign in with the password typed on stdin, stop.
		s := c.serve()
		if st, body := get(t, s.base+"/healthz"); st != 200 || body != "ok\n" {
			t.Fatalf("/healthz: %d %q", st, body)
		}
		if st, body := get(t, s.base+"/readyz"); st != 200 || body != "ready\n" {
			t.Fatalf("/readyz: %d %q", st, body)
		}
		signIn(t, s.base, "benevole@casvp.test", cliPassword)
		if st, body := get(t, s.base+"/metrics"); st != 200 || !strings.Contains(body, "parcours_http_requests_total{") {
			t.Fatalf("/metrics: %d, no parcours_http_requests_total", st)
		}
		if !strings.Contains(s.out.String(), "parcours is running at "+s.base+"/") {
			t.Fatalf("serve banner: %q", s.out.String())
		}
		if e == db.SQLite {
			// One instance per data folder.
			c.fails("", []string{"serve", "--addr", "127.0.0.1:" + strconv.Itoa(freePort(t))}, "another parcours already serves")
		}
		s.cancel()
		select {
		case <-s.done:
			if s.code != 0 {
				t.Fatalf("serve after cancel: exit %d\nstderr: %s", s.code, s.err)
			}
		case <-time.After(25 * time.Second):
			t.Fatal("serve did not stop after cancel")
		}
		if _, err := http.Get(s.base + "/healthz"); err == nil {
			t.Fatal("still listening after shutdown")
		}

		// The audit trail: intact, then tampered with.
		entries := c.count("SELECT COUNT(*) FROM audit_log")
		if entries < 5 { // org.create, 3 x user.create, auth.login
			t.Fatalf("%d audit entries", entries)
		}
		out = c.ok("", "audit", "verify")
		if want := fmt.Sprintf("Audit trail intact: %d entries verified.", entries); !strings.Contains(out, want) {
			t.Fatalf("audit verify: %q, want %q", out, want)
		}
		d = c.open()
		if _, err := d.W.ExecContext(context.Background(), "UPDATE audit_log SET actor_label = 'quelqu''un' WHERE seq = 2"); err != nil {
			t.Fatal(err)
		}
		d.Close()
		c.fails("", []string{"audit", "verify"}, "audit chain broken at entry 2", "edited", "1 entries verified before it")
	})
}

func TestCLIServeDemoRefusesRemote(t *testing.T) {
	c := newCLI(t, db.SQLite)
	port := strconv.Itoa(freePort(t))
	c.fails("", []string{"serve", "--demo", "--addr", "0.0.0.0:" + port}, "--demo refuses", "--demo-allow-remote")
	c.env["PARCOURS_DEMO"] = "1"
	c.fails("", []string{"serve", "--addr", "0.0.0.0:" + port}, "--demo refuses")
	c.fails("", []string{"serve", "--addr", "[::]:" + port}, "--demo refuses")
	// Refused before anything is opened or created.
	if n, _ := filepath.Glob(filepath.Join(c.dir, "*")); len(n) != 0 {
		t.Fatalf("a refused serve left files: %v", n)
	}
}

func TestCLIDemoServe(t *testing.T) {
	c := newCLI(t, db.SQLite)
	s := c.serve("--demo")
	// The banner is written once the server listens: wait for its end.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.out.String(), "Ctrl+C") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(s.out.String(), app.DemoPassword) || !strings.Contains(s.out.String(), "admin@demo.invalid") {
		t.Fatalf("demo banner: %q", s.out.String())
	}
	signIn(t, s.base, "traduction@demo.invalid", app.DemoPassword)
}

func TestCLIBackupWhileWriting(t *testing.T) {
	w := testkit.NewWorld(t, db.SQLite)
	o := w.Org("Centre A")
	c := newCLI(t, db.SQLite)
	c.env["PARCOURS_DATA_DIR"] = filepath.Dir(w.DB.Path)

	// A writer adds a site and its audit entry, in one transaction, again and again.
	var (
		written atomic.Int64
		stop    = make(chan struct{})
		done    = make(chan error, 1)
	)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			err := w.DB.Tx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
				now := w.Clock.Now()
				s := &org.Site{ID: db.NewID(), OrgID: o.ID, Name: fmt.Sprintf("Site %d", i), Kind: "psa", CreatedAt: now, UpdatedAt: now}
				if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
					return err
				}
				return w.App.Audit.Record(ctx, tx, audit.Event{Action: "site.create", OrgID: o.ID, ObjectType: "site", ObjectID: s.ID})
			})
			if err != nil {
				done <- err
				return
			}
			written.Add(1)
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for written.Load() < 20 {
		if time.Now().After(deadline) {
			t.Fatal("the writer is stuck")
		}
		time.Sleep(5 * time.Millisecond)
	}
	to := filepath.Join(t.TempDir(), "copy.db")
	before := written.Load()
	out := c.ok("", "backup", "--to", to)
	after := written.Load()
	if !strings.Contains(out, "Backup written to "+to) {
		t.Fatalf("backup: %q", out)
	}
	// Let the writer go on after the copy, then stop it.
	for written.Load() < after+10 {
		if time.Now().After(deadline) {
			t.Fatal("the writer stopped during the backup")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("writer: %v", err)
	}

	b, err := db.Open(context.Background(), db.Options{Path: to})
	if err != nil {
		t.Fatalf("open the copy: %v", err)
	}
	defer b.Close()
	var sites, creates int
	ctx := context.Background()
	if err := b.R.NewRaw("SELECT COUNT(*) FROM sites").Scan(ctx, &sites); err != nil {
		t.Fatal(err)
	}
	if int64(sites) < before || int64(sites) > after+1 {
		t.Fatalf("copy has %d sites; %d were written before the backup, %d after it", sites, before, after)
	}
	if err := b.R.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = 'site.create'").Scan(ctx, &creates); err != nil {
		t.Fatal(err)
	}
	if creates != sites {
		t.Fatalf("copy has %d sites but %d site.create entries: not one snapshot", sites, creates)
	}
	var name string
	if err := b.R.NewRaw("SELECT name FROM orgs WHERE id = ?", o.ID).Scan(ctx, &name); err != nil || name != "Centre A" {
		t.Fatalf("centre in the copy: %q, %v", name, err)
	}
	// The copy is one consistent snapshot: its audit chain verifies.
	n, err := (&audit.Log{DB: b, Clock: clock.System{}}).Verify(ctx)
	if err != nil || n < int64(sites) {
		t.Fatalf("audit trail of the copy: %d entries, %v", n, err)
	}
	var check string
	if err := b.R.NewRaw("PRAGMA integrity_check").Scan(ctx, &check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}

	c.fails("", []string{"backup", "--to", to}, "already exists")
	c.fails("", []string{"backup"}, "--to FILE is required")
}

// TestCLIOnPostgresTestDatabase points the CLI at a database of the test
// kit (already migrated): nothing to migrate, an empty intact trail, and
// backup says to use pg_dump.
func TestCLIOnPostgresTestDatabase(t *testing.T) {
	if !slices.Contains(testkit.Engines(t), db.Postgres) {
		t.Skip("PostgreSQL unreachable")
	}
	d := testkit.NewDB(t, db.Postgres)
	c := &cliEnv{t: t, e: db.Postgres, dir: t.TempDir()}
	c.env = map[string]string{"PARCOURS_DATA_DIR": c.dir, "PARCOURS_LOG_LEVEL": "error",
		"PARCOURS_DATABASE_URL": testkit.PostgresURL(t, d), "PARCOURS_SECRET_KEY": cliSecret}
	if out := c.ok("", "migrate"); !strings.Contains(out, "0 migration(s) applied; the postgres database is up to date.") {
		t.Fatalf("migrate: %q", out)
	}
	if out := c.ok("", "audit", "verify"); !strings.Contains(out, "0 entries verified") {
		t.Fatalf("audit verify: %q", out)
	}
	c.fails("", []string{"backup", "--to", filepath.Join(t.TempDir(), "x.dump")}, "pg_dump")
	// Without the server key, PostgreSQL instances cannot share sessions and second factors.
	delete(c.env, "PARCOURS_SECRET_KEY")
	c.fails("", []string{"org", "create", "--name", "X"}, "PARCOURS_SECRET_KEY")
}

// The account created on the command line uses production argon2
// parameters; check the stored hash is one.
func TestCLIPasswordHash(t *testing.T) {
	c := newCLI(t, db.SQLite)
	c.ok("", "migrate")
	c.ok("", "org", "create", "--name", "C", "--kind", "association")
	c.ok(cliPassword+"\n", "user", "create", "--email", "v@c.test", "--role", "translator")
	d := c.open()
	defer d.Close()
	var hash string
	if err := d.R.NewRaw("SELECT password_hash FROM users WHERE email = 'v@c.test'").Scan(context.Background(), &hash); err != nil {
		t.Fatal(err)
	}
	a := auth.DefaultArgon2
	if ok, stale, err := a.CheckPassword(hash, cliPassword); !ok || stale || err != nil {
		t.Fatalf("stored hash %q: ok=%v stale=%v err=%v", hash, ok, stale, err)
	}
}
