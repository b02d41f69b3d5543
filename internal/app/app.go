// Package app wires the server: configuration, database, services, HTTP
// routes and jobs. It holds no rules of its own.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/riverqueue/river"

	"parcours/internal/admin"
	"parcours/internal/domicile"
	"parcours/internal/guide"
	"parcours/internal/guide/exchange"
	"parcours/internal/guide/glossary"
	"parcours/internal/org"
	"parcours/internal/pathway"
	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/jobs"
	"parcours/internal/platform/notify"
	"parcours/internal/platform/web"
	"parcours/internal/public"
	"parcours/internal/rights"
	"parcours/locales"
	staticfiles "parcours/web"
)

// pageCacheTTL bounds how long a public page is served from memory: a
// waiting room full of phones asking for the same page renders it once.
const pageCacheTTL = 15 * time.Second

// App is the assembled server.
type App struct {
	Cfg      config.Config
	Log      *slog.Logger
	Clock    clock.Clock
	DB       *db.DB
	Catalog  *i18n.Catalog
	Kit      *web.Kit
	Router   *web.Router
	Handler  http.Handler
	Audit    *audit.Log
	Outbox   *notify.Outbox
	Auth     *auth.Service
	AuthWeb  *auth.HTTP
	Org      *org.Service
	People   *people.Service
	Pathway  *pathway.Service
	Domicile *domicile.Service
	Guide    *guide.Store
	Rights   *rights.Service
	Jobs     *jobs.Client
	Metrics  *prometheus.Registry

	ready atomic.Bool
}

// Options are what tests and the CLI change from the defaults.
type Options struct {
	Clock  clock.Clock
	Log    *slog.Logger
	Argon2 *auth.Argon2
	// Secret overrides the server key (tests).
	Secret []byte
	// Work starts the job workers (serve); otherwise jobs are only enqueued.
	Work    bool
	JobPoll time.Duration
	// DB reuses an open database (tests); otherwise the configured one is opened.
	DB *db.DB
	// SkipMigrate assumes the schema is current (tests on a migrated copy).
	SkipMigrate bool
}

// Migrations lists every module's migrations; db.Migrate sorts them by id.
func Migrations() []db.Migration {
	var ms []db.Migration
	for _, m := range [][]db.Migration{org.Migrations(), guide.Migrations(), exchange.Migrations(), glossary.Migrations(), auth.Migrations(), audit.Migrations(), notify.Migrations(), rights.Migrations(), people.Migrations(), pathway.Migrations(), domicile.Migrations()} {
		ms = append(ms, m...)
	}
	return ms
}

// OpenDB opens the configured database.
func OpenDB(ctx context.Context, cfg config.Config) (*db.DB, error) {
	if cfg.Postgres() {
		return db.Open(ctx, db.Options{URL: cfg.DatabaseURL})
	}
	return db.Open(ctx, db.Options{Path: cfg.SQLitePath()})
}

// Migrate applies the application's and River's migrations under the lock.
func Migrate(ctx context.Context, d *db.DB) ([]string, error) {
	var applied []string
	err := d.WithMigrationLock(ctx, func(ctx context.Context) error {
		var err error
		if applied, err = d.Migrate(ctx, Migrations()); err != nil {
			return err
		}
		return jobs.Migrate(ctx, d)
	})
	return applied, err
}

// New assembles the server without listening or starting workers.
func New(ctx context.Context, cfg config.Config, o Options) (*App, error) {
	a := &App{Cfg: cfg, Log: o.Log, Clock: o.Clock}
	if a.Log == nil {
		a.Log = slog.Default()
	}
	if a.Clock == nil {
		a.Clock = clock.System{}
	}
	secret := o.Secret
	if secret == nil {
		var err error
		if secret, err = loadSecret(cfg); err != nil {
			return nil, err
		}
	}
	a.DB = o.DB
	if a.DB == nil {
		var err error
		if a.DB, err = OpenDB(ctx, cfg); err != nil {
			return nil, err
		}
	}
	if !o.SkipMigrate {
		applied, err := Migrate(ctx, a.DB)
		if err != nil {
			return nil, err
		}
		if len(applied) > 0 {
			a.Log.Info("migrations applied", "count", len(applied), "last", applied[len(applied)-1])
		}
	}
	cat, err := i18n.Load(locales.FS, a.Log)
	if err != nil {
		return nil, err
	}
	a.Catalog = cat
	rd, err := web.NewRenderer(staticfiles.Static)
	if err != nil {
		return nil, err
	}
	secure := strings.HasPrefix(cfg.BaseURL, "https://")
	a.Kit = &web.Kit{R: rd, Catalog: cat, Log: a.Log, Clock: a.Clock, Secret: derive(secret, "flash"), Secure: secure}
	a.Audit = &audit.Log{DB: a.DB, Clock: a.Clock}
	a.Outbox = &notify.Outbox{DB: a.DB, Clock: a.Clock, Catalog: cat, Hold: cfg.Demo}
	if cfg.SMTP.Host != "" {
		a.Outbox.Email = &notify.SMTP{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
			Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS}
	}
	if cfg.SMS.Provider == "brevo" {
		a.Outbox.SMS = &notify.Brevo{APIKey: cfg.SMS.APIKey, Sender: cfg.SMS.Sender, Endpoint: cfg.SMS.Endpoint}
	}
	argon := auth.DefaultArgon2
	if o.Argon2 != nil {
		argon = *o.Argon2
	}
	a.Auth = &auth.Service{DB: a.DB, Audit: a.Audit, Clock: a.Clock, Outbox: a.Outbox, Argon2: argon,
		SessionIdle: cfg.SessionIdle, SessionMax: cfg.SessionMax, BaseURL: cfg.BaseURL}
	if err := a.Auth.Init(derive(secret, "totp")); err != nil {
		return nil, err
	}
	a.Org = &org.Service{DB: a.DB, Audit: a.Audit, Auth: a.Auth, Clock: a.Clock}
	a.Guide = &guide.Store{DB: a.DB, Audit: a.Audit, Clock: a.Clock, Outbox: a.Outbox, BaseURL: cfg.BaseURL, Labels: guide.CatalogLabels(cat)}
	a.Rights = &rights.Service{DB: a.DB, Audit: a.Audit, Outbox: a.Outbox, Clock: a.Clock, BaseURL: cfg.BaseURL}
	a.People = &people.Service{DB: a.DB, Audit: a.Audit, Clock: a.Clock, Retention: cfg.PeopleRetention}
	a.Pathway = &pathway.Service{DB: a.DB, Audit: a.Audit, Clock: a.Clock, People: a.People, Outbox: a.Outbox, Catalog: cat,
		Directory: pathway.GuideDirectory{Guide: a.Guide}, BaseURL: cfg.BaseURL}
	a.People.Hooks = append(a.People.Hooks, a.Pathway)
	a.Domicile = &domicile.Service{DB: a.DB, Audit: a.Audit, Clock: a.Clock, People: a.People, Outbox: a.Outbox, Catalog: cat,
		BaseURL: cfg.BaseURL}
	a.People.Hooks = append(a.People.Hooks, a.Domicile)

	workers := river.NewWorkers()
	river.AddWorker(workers, &notify.Worker{O: a.Outbox})
	river.AddWorker(workers, &sweepWorker{a: a})
	river.AddWorker(workers, &guide.FreshnessWorker{S: a.Guide})
	river.AddWorker(workers, &rights.ReminderWorker{S: a.Rights})
	river.AddWorker(workers, &people.NightlyWorker{S: a.People, Log: a.Log})
	river.AddWorker(workers, &pathway.RenewalWorker{S: a.Pathway})
	river.AddWorker(workers, &pathway.DailyWorker{S: a.Pathway, Log: a.Log})
	river.AddWorker(workers, &domicile.MailSMSWorker{S: a.Domicile})
	river.AddWorker(workers, &domicile.RemindersWorker{S: a.Domicile, Log: a.Log})
	river.AddWorker(workers, &domicile.NightlyWorker{S: a.Domicile, Log: a.Log})
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return sweepArgs{}, nil }, &river.PeriodicJobOpts{ID: "sweep", RunOnStart: true})}
	periodic = append(periodic, rights.ReminderJob())
	periodic = append(periodic, people.NightlyJob(), pathway.DailyJob())
	periodic = append(periodic, guide.FreshnessJob())
	periodic = append(periodic, domicile.RemindersJob(), domicile.NightlyJob())
	a.Jobs, err = jobs.New(a.DB, workers, jobs.Options{Work: o.Work, Poll: o.JobPoll, Periodic: periodic, Log: a.Log})
	if err != nil {
		return nil, err
	}
	a.Outbox.Jobs = a.Jobs
	a.Pathway.Jobs = a.Jobs
	a.Domicile.Jobs = a.Jobs

	if err := a.routes(secret); err != nil {
		return nil, err
	}
	return a, nil
}

// derive makes a purpose-specific key from the server secret.
func derive(secret []byte, purpose string) []byte {
	return append([]byte("parcours:"+purpose+":"), secret...)
}

func (a *App) routes(secret []byte) error {
	k := a.Kit
	a.Router = web.NewRouter(k)
	a.Router.Cache = web.NewPageCache(pageCacheTTL)
	rt := a.Router
	a.AuthWeb = &auth.HTTP{S: a.Auth, K: k, Demo: a.Cfg.Demo, Nav: []auth.NavEntry{
		{Key: "common.nav.home", Path: "/staff", Shortcut: "h", Perm: auth.PermStaff},
		{Key: "people.nav.people", Path: "/people", Shortcut: "p", Perm: auth.PermPersonRead},
		{Key: "pathway.nav.worklists", Path: "/worklists", Shortcut: "w", Perm: auth.PermPersonRead},
		{Key: "domicile.nav.desk", Path: "/domiciliation/mail", Shortcut: "m", Perm: auth.PermDomicileMail},
		{Key: "domicile.nav.home", Path: "/domiciliation", Shortcut: "n", Perm: auth.PermDomicileMail},
		{Key: "pathway.nav.inbox", Path: "/partner/referrals", Shortcut: "i", Perm: auth.PermReferralInbox},
		{Key: "pathway.nav.missions", Path: "/missions", Shortcut: "k", Perm: auth.PermMissions},
		{Key: "pathway.nav.stats", Path: "/pathway/stats", Shortcut: "b", Perm: auth.PermPathwayStats, Group: "common.nav.group.admin"},
		{Key: "common.nav.sites", Path: "/admin/sites", Shortcut: "s", Perm: auth.PermSitesView, Group: "common.nav.group.admin"},
		{Key: "common.nav.users", Path: "/admin/users", Shortcut: "u", Perm: auth.PermUsersManage, Group: "common.nav.group.admin"},
		{Key: "common.nav.audit", Path: "/admin/audit", Shortcut: "a", Perm: auth.PermAuditRead, Group: "common.nav.group.admin"},
		{Key: "common.nav.outbox", Path: "/admin/outbox", Shortcut: "o", Perm: auth.PermOutboxRead, Group: "common.nav.group.admin"},
		{Key: "guide.nav.guide", Path: "/admin/guide", Shortcut: "d", Perm: auth.PermGuideEdit, Group: "common.nav.group.admin"},
		{Key: "guide.nav.translations", Path: "/admin/guide/translations", Shortcut: "l", Perm: auth.PermTranslate, Group: "common.nav.group.admin"},
		{Key: "exchange.nav", Path: "/admin/guide/exchange", Shortcut: "x", Perm: auth.PermGuideEdit, Group: "common.nav.group.admin"},
		{Key: "glossary.nav.audio", Path: "/admin/glossary/audio", Shortcut: "v", Perm: auth.PermGlossaryAudio, Group: "common.nav.group.admin"},
		{Key: "rights.web.nav.sheets", Path: "/rights/sheets", Shortcut: "f", Perm: auth.PermRightsRead, Group: "common.nav.group.rights"},
		{Key: "rights.web.nav.simulator", Path: "/rights/simulator", Shortcut: "r", Perm: auth.PermRightsRead, Group: "common.nav.group.rights"},
		{Key: "rights.web.nav.triage", Path: "/rights/triage", Shortcut: "t", Perm: auth.PermRightsRead, Group: "common.nav.group.rights"},
	}}
	if a.Cfg.OIDC.Enabled() {
		a.AuthWeb.OIDC = &auth.OIDC{Issuer: a.Cfg.OIDC.Issuer, ClientID: a.Cfg.OIDC.ClientID, ClientSecret: a.Cfg.OIDC.ClientSecret,
			RedirectURL: a.Cfg.BaseURL + "/auth/oidc/callback", Label: a.Cfg.OIDC.Label, Secret: derive(secret, "oidc")}
	}
	gloss, err := glossary.New(a.DB, a.Audit, a.Clock)
	if err != nil {
		return err
	}
	peopleWeb := &people.HTTP{S: a.People, K: k, Auth: a.AuthWeb}
	pathwayWeb := &pathway.HTTP{S: a.Pathway, K: k, Auth: a.AuthWeb, People: peopleWeb}
	peopleWeb.Panels = append(peopleWeb.Panels, pathwayWeb)
	domicileWeb := &domicile.HTTP{S: a.Domicile, K: k, Auth: a.AuthWeb}
	peopleWeb.Panels = append(peopleWeb.Panels, domicileWeb)
	// The guide serves the glossary's printed sheets and screen their services.
	guideWeb := &guide.HTTP{S: a.Guide, K: k, Auth: a.AuthWeb, BaseURL: a.Cfg.BaseURL}
	modules := []interface{ Register(*web.Router) error }{
		&public.HTTP{K: k},
		guideWeb,
		&exchange.HTTP{S: &exchange.Service{DB: a.DB, Audit: a.Audit, Clock: a.Clock, Guide: a.Guide,
			BaseURL: a.Cfg.BaseURL}, K: k, Auth: a.AuthWeb},
		a.AuthWeb,
		&org.HTTP{S: a.Org, K: k, Auth: a.AuthWeb},
		&admin.HTTP{K: k, Auth: a.AuthWeb, Audit: a.Audit, Outbox: a.Outbox},
		&glossary.HTTP{S: gloss, K: k, Auth: a.AuthWeb, BaseURL: a.Cfg.BaseURL, Static: staticfiles.Static, Services: guideWeb},
		&rights.HTTP{S: a.Rights, K: k, Auth: a.AuthWeb},
		peopleWeb, pathwayWeb,
		domicileWeb,
	}
	for _, m := range modules {
		if err := m.Register(rt); err != nil {
			return err
		}
	}
	static, err := web.StaticHandler(staticfiles.Static)
	if err != nil {
		return err
	}
	rt.Root("GET /static/", static)
	rt.Root("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.ready.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	}))
	rt.Root("GET /readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if !a.ready.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		if err := a.DB.Ping(ctx); err != nil {
			web.Log(r.Context()).Error("readyz: database", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	}))
	a.Metrics = prometheus.NewRegistry()
	a.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	rt.Root("GET /metrics", web.BearerToken(a.Cfg.MetricsToken, promhttp.HandlerFor(a.Metrics, promhttp.HandlerOpts{})))
	m := web.NewMetrics(a.Metrics)
	var h http.Handler = rt
	h = k.CrossOrigin(h)
	h = web.Compress(h)
	h = web.Secure(a.Cfg.TrustProxy, h)
	h = k.Recover(h)
	h = web.Observe(a.Log, m, a.Cfg.TrustProxy, h)
	a.Handler = h
	return nil
}

// SetUpOrg prepares a new centre: what every centre starts with (today,
// the status fact sheets). Call it after the centre is committed.
func (a *App) SetUpOrg(ctx context.Context, orgID string) error {
	_, err := a.Rights.Seed(ctx, orgID)
	return err
}

// SetReady marks the server ready (for /healthz).
func (a *App) SetReady(v bool) { a.ready.Store(v) }

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// loadSecret reads the server key from the environment, or from the data
// folder (created on first start). With PostgreSQL the key must come from
// the environment, so that every instance shares it.
func loadSecret(cfg config.Config) ([]byte, error) {
	if cfg.SecretKeyHex != "" {
		b, err := hex.DecodeString(cfg.SecretKeyHex)
		if err != nil || len(b) < 32 {
			return nil, errors.New("PARCOURS_SECRET_KEY must be at least 64 hex characters")
		}
		return b, nil
	}
	if cfg.Postgres() {
		return nil, errors.New("with PostgreSQL, set PARCOURS_SECRET_KEY (64 hex characters, the same on every instance): `openssl rand -hex 32`")
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		k, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) < 32 {
			return nil, fmt.Errorf("%s is damaged: restore it from a backup (it encrypts second factors)", path)
		}
		return k, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(k)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return k, nil
}
