package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/org"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/locales"
)

const usage = `parcours — the platform of a social-action centre's welcome and integration plan.

Usage:
  parcours serve [--addr HOST:PORT] [--data DIR] [--demo]   run the server
  parcours migrate                                          apply database migrations
  parcours org create --name NAME --kind ccas|cias|association
  parcours user create --email E --role ROLE [--site SITE] [--org ORG] [--name NAME]
                                                            (password read on stdin)
  parcours audit verify                                     check the audit chain (exit 1 if broken)
  parcours backup --to FILE                                 consistent SQLite copy (PostgreSQL: see docs)
  parcours glossary audio [--lang fr] [--force]             speak the glossary words with espeak-ng, store them

Configuration: flags and PARCOURS_* variables (see README.md). PARCOURS_DATABASE_URL=postgres://...
selects PostgreSQL; otherwise SQLite in the data folder.
`

// IO is where a command reads and writes.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	Env      config.Env
}

// Main runs a command line and returns the exit code.
func Main(ctx context.Context, args []string, io IO) int {
	started := time.Now()
	if len(args) == 0 {
		fmt.Fprint(io.Err, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], io, started)
	case "migrate":
		err = cmdMigrate(ctx, args[1:], io)
	case "org":
		err = cmdOrg(ctx, args[1:], io)
	case "user":
		err = cmdUser(ctx, args[1:], io)
	case "audit":
		err = cmdAudit(ctx, args[1:], io)
	case "glossary":
		err = cmdGlossary(ctx, args[1:], io)
	case "backup":
		err = cmdBackup(ctx, args[1:], io)
	case "help", "-h", "--help":
		fmt.Fprint(io.Out, usage)
		return 0
	default:
		fmt.Fprintf(io.Err, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(io.Err, "parcours %s: %s\n", args[0], describeErr(err))
		return 1
	}
	return 0
}

// describeErr turns validation errors into readable text for the CLI: each
// field's message in English (French where not translated), not its ID.
func describeErr(err error) string {
	if ae, ok := apperr.As(err); ok && len(ae.Fields) > 0 {
		text := func(k string) string { return k }
		if cat, err := i18n.Load(locales.FS, slog.New(slog.DiscardHandler)); err == nil {
			text = func(k string) string { return cat.Localizer("en").T(k) }
		}
		var parts []string
		for f, k := range ae.Fields {
			parts = append(parts, f+": "+text(k))
		}
		slices.Sort(parts)
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// parse binds the common flags plus extra ones and validates.
func parse(name string, args []string, io IO, extra func(*flag.FlagSet)) (config.Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Err)
	cfg, finish := config.Bind(fs, io.Env)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return config.Config{}, err
	}
	if fs.NArg() > 0 {
		return config.Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := finish(); err != nil {
		return config.Config{}, err
	}
	return *cfg, nil
}

func cmdServe(ctx context.Context, args []string, io IO, started time.Time) error {
	cfg, err := parse("serve", args, io, nil)
	if err != nil {
		return err
	}
	return Serve(ctx, cfg, newLogger(cfg, io.Err), io.Out, started)
}

// withApp opens the database and assembles the app for a one-shot command.
func withApp(ctx context.Context, cfg config.Config, io IO, fn func(*App) error) error {
	a, err := New(ctx, cfg, Options{Log: newLogger(cfg, io.Err)})
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

func cmdMigrate(ctx context.Context, args []string, io IO) error {
	cfg, err := parse("migrate", args, io, nil)
	if err != nil {
		return err
	}
	d, err := OpenDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := Migrate(ctx, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%d migration(s) applied; the %s database is up to date.\n", len(applied), d.Engine)
	return nil
}

func cmdOrg(ctx context.Context, args []string, io IO) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: parcours org create --name NAME --kind ccas|cias|association")
	}
	var name, kind string
	cfg, err := parse("org create", args[1:], io, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "name of the centre")
		fs.StringVar(&kind, "kind", "ccas", "ccas, cias or association")
	})
	if err != nil {
		return err
	}
	return withApp(ctx, cfg, io, func(a *App) error {
		var o *org.Org
		err := a.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			var err error
			if o, err = org.CreateOrg(ctx, tx, name, kind, false, a.Clock.Now()); err != nil {
				return err
			}
			return a.Audit.Record(ctx, tx, audit.Event{Action: "org.create", OrgID: o.ID, ObjectType: "org", ObjectID: o.ID, ActorLabel: "cli"})
		})
		if err != nil {
			return err
		}
		if err := a.SetUpOrg(ctx, o.ID); err != nil {
			return err
		}
		fmt.Fprintf(io.Out, "Centre %q created (id %s).\n", o.Name, o.ID)
		return nil
	})
}

func cmdUser(ctx context.Context, args []string, io IO) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: parcours user create --email E --role ROLE [--site SITE] [--org ORG]")
	}
	var email, role, site, orgName, name, lang string
	cfg, err := parse("user create", args[1:], io, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "e-mail address (sign-in name)")
		fs.StringVar(&role, "role", "", "role: "+roleList())
		fs.StringVar(&site, "site", "", "site name or id (empty: every site of the centre)")
		fs.StringVar(&orgName, "org", "", "centre name (needed when there are several)")
		fs.StringVar(&name, "name", "", "display name (default: the e-mail)")
		fs.StringVar(&lang, "lang", "fr", "language of the messages sent to the user")
	})
	if err != nil {
		return err
	}
	if !auth.ValidRole(role) {
		return fmt.Errorf("--role %q: want one of %s", role, roleList())
	}
	if !strings.Contains(email, "@") {
		return fmt.Errorf("--email %q is not an e-mail address", email)
	}
	pw, err := bufio.NewReader(io.In).ReadString('\n')
	if err != nil && pw == "" {
		return errors.New("the password is read on stdin (one line)")
	}
	pw = strings.TrimRight(pw, "\r\n")
	return withApp(ctx, cfg, io, func(a *App) error {
		o, err := pickOrg(ctx, a, orgName)
		if err != nil {
			return err
		}
		siteID := ""
		if site != "" {
			sites, err := a.Org.AllSites(ctx, o.ID)
			if err != nil {
				return err
			}
			for _, s := range sites {
				if s.ID == site || strings.EqualFold(s.Name, site) {
					siteID = s.ID
				}
			}
			if siteID == "" {
				return fmt.Errorf("--site %q: no such site in %s", site, o.Name)
			}
		}
		return a.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			u, err := a.Auth.Provision(ctx, tx, auth.NewUser{OrgID: o.ID, Email: email, Name: name, Lang: lang, Password: pw,
				Memberships: []auth.Membership{{Role: auth.Role(role), SiteID: siteID}}})
			if err != nil {
				return err
			}
			fmt.Fprintf(io.Out, "User %s created in %q with role %s", u.Email, o.Name, role)
			if auth.Role(role).RequiresMFA() {
				fmt.Fprint(io.Out, "; a second factor will be set up at first sign-in")
			}
			fmt.Fprintln(io.Out, ".")
			return nil
		})
	})
}

func roleList() string {
	var s []string
	for _, r := range auth.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func pickOrg(ctx context.Context, a *App, name string) (*org.Org, error) {
	if name != "" {
		o, err := org.OrgByName(ctx, a.DB.R, name)
		if err != nil {
			return nil, fmt.Errorf("--org %q: no such centre", name)
		}
		return o, nil
	}
	os, err := org.Orgs(ctx, a.DB.R)
	if err != nil {
		return nil, err
	}
	switch len(os) {
	case 0:
		return nil, errors.New("no centre yet: create one with `parcours org create --name NAME --kind ccas`")
	case 1:
		return &os[0], nil
	}
	return nil, errors.New("several centres exist: say which with --org NAME")
}

func cmdAudit(ctx context.Context, args []string, io IO) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: parcours audit verify")
	}
	cfg, err := parse("audit verify", args[1:], io, nil)
	if err != nil {
		return err
	}
	d, err := OpenDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	l := &audit.Log{DB: d, Clock: clock.System{}}
	n, err := l.Verify(ctx)
	if err != nil {
		return fmt.Errorf("%w (%d entries verified before it)", err, n)
	}
	fmt.Fprintf(io.Out, "Audit trail intact: %d entries verified.\n", n)
	return nil
}

func cmdBackup(ctx context.Context, args []string, io IO) error {
	var to string
	cfg, err := parse("backup", args, io, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "file to write the copy to (must not exist)")
	})
	if err != nil {
		return err
	}
	if cfg.Postgres() {
		return errors.New("with PostgreSQL use pg_dump (see docs/operations.md): pg_dump --format=custom --file=FILE \"$PARCOURS_DATABASE_URL\"")
	}
	if to == "" {
		return errors.New("--to FILE is required")
	}
	d, err := db.Open(ctx, db.Options{Path: cfg.SQLitePath()})
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Backup(ctx, to); err != nil {
		return err
	}
	st, err := os.Stat(to)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "Backup written to %s (%d bytes).\n", to, st.Size())
	return nil
}
