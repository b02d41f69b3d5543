// Package config reads flags and PARCOURS_* environment variables into one
// struct that is passed down explicitly; there is no global configuration.
package config

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the whole server configuration.
type Config struct {
	Addr        string // host:port to listen on
	DataDir     string // SQLite file, uploads, secret key
	DatabaseURL string // postgres://... selects PostgreSQL; empty means SQLite in DataDir
	BaseURL     string // public URL used in e-mails, SMS and QR codes
	Demo        bool   // load demo data, keep messages in the outbox
	DemoRemote  bool   // allow --demo on a non-loopback address
	TrustProxy  bool   // trust X-Forwarded-For / X-Forwarded-Proto

	SessionIdle    time.Duration
	SessionMax     time.Duration
	AuditRetention time.Duration
	// PeopleRetention: a person's file is anonymised after this long
	// without contact coming from the person (CNIL: 2 years).
	PeopleRetention time.Duration

	SecretKeyHex string // 64 hex chars; else read or created in DataDir/secret.key

	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string

	LogLevel  string
	LogFormat string // json or text

	SMTP SMTP
	SMS  SMS
	OIDC OIDC
}

// SMTP configures outgoing e-mail.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string // starttls, tls or none
}

// SMS configures the SMS provider.
type SMS struct {
	Provider string // brevo or empty (messages stay in the outbox)
	APIKey   string
	Sender   string
	Endpoint string // provider API URL, overridable for tests
}

// OIDC configures optional single sign-on.
type OIDC struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	Label        string // text of the sign-in button
}

// Enabled reports whether single sign-on is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" && o.ClientID != "" }

// Postgres reports whether the database is PostgreSQL.
func (c Config) Postgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is the SQLite database file.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "parcours.db") }

// Default returns the configuration with every default set.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "data",
		SessionIdle:     30 * time.Minute,
		SessionMax:      12 * time.Hour,
		AuditRetention:  365 * 24 * time.Hour,
		PeopleRetention: 730 * 24 * time.Hour,
		LogLevel:        "info",
		LogFormat:       "text",
		SMTP:            SMTP{Port: 587, TLS: "starttls", From: "parcours <no-reply@localhost>"},
		SMS:             SMS{Sender: "PARCOURS"},
		OIDC:            OIDC{Label: "Connexion unique"},
	}
}

// Env looks up an environment variable (os.LookupEnv in production).
type Env func(string) (string, bool)

// Bind registers the serve flags on fs, with defaults taken from the
// environment, so that a flag given on the command line wins.
func Bind(fs *flag.FlagSet, env Env) (*Config, func() error) {
	c := Default()
	var errs []error
	str := func(p *string, name string) {
		if v, ok := env(name); ok {
			*p = v
		}
	}
	boolean := func(p *bool, name string) {
		if v, ok := env(name); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a boolean", name, v))
				return
			}
			*p = b
		}
	}
	integer := func(p *int, name string) {
		if v, ok := env(name); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a number", name, v))
				return
			}
			*p = n
		}
	}
	duration := func(p *time.Duration, name string) {
		if v, ok := env(name); ok {
			d, err := ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				return
			}
			*p = d
		}
	}
	str(&c.Addr, "PARCOURS_ADDR")
	str(&c.DataDir, "PARCOURS_DATA_DIR")
	str(&c.DatabaseURL, "PARCOURS_DATABASE_URL")
	str(&c.BaseURL, "PARCOURS_BASE_URL")
	boolean(&c.Demo, "PARCOURS_DEMO")
	boolean(&c.DemoRemote, "PARCOURS_DEMO_ALLOW_REMOTE")
	boolean(&c.TrustProxy, "PARCOURS_TRUST_PROXY")
	duration(&c.SessionIdle, "PARCOURS_SESSION_IDLE")
	duration(&c.SessionMax, "PARCOURS_SESSION_MAX")
	duration(&c.AuditRetention, "PARCOURS_AUDIT_RETENTION")
	duration(&c.PeopleRetention, "PARCOURS_PEOPLE_RETENTION")
	str(&c.SecretKeyHex, "PARCOURS_SECRET_KEY")
	str(&c.MetricsToken, "PARCOURS_METRICS_TOKEN")
	str(&c.LogLevel, "PARCOURS_LOG_LEVEL")
	str(&c.LogFormat, "PARCOURS_LOG_FORMAT")
	str(&c.SMTP.Host, "PARCOURS_SMTP_HOST")
	integer(&c.SMTP.Port, "PARCOURS_SMTP_PORT")
	str(&c.SMTP.Username, "PARCOURS_SMTP_USERNAME")
	str(&c.SMTP.Password, "PARCOURS_SMTP_PASSWORD")
	str(&c.SMTP.From, "PARCOURS_SMTP_FROM")
	str(&c.SMTP.TLS, "PARCOURS_SMTP_TLS")
	str(&c.SMS.Provider, "PARCOURS_SMS_PROVIDER")
	str(&c.SMS.APIKey, "PARCOURS_SMS_API_KEY")
	str(&c.SMS.Sender, "PARCOURS_SMS_SENDER")
	str(&c.SMS.Endpoint, "PARCOURS_SMS_ENDPOINT")
	str(&c.OIDC.Issuer, "PARCOURS_OIDC_ISSUER")
	str(&c.OIDC.ClientID, "PARCOURS_OIDC_CLIENT_ID")
	str(&c.OIDC.ClientSecret, "PARCOURS_OIDC_CLIENT_SECRET")
	str(&c.OIDC.Label, "PARCOURS_OIDC_LABEL")

	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on, HOST:PORT (env PARCOURS_ADDR)")
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data folder: SQLite file, uploads, secret key (env PARCOURS_DATA_DIR)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load demo data and keep messages in the outbox (env PARCOURS_DEMO=1)")
	fs.BoolVar(&c.DemoRemote, "demo-allow-remote", c.DemoRemote, "allow --demo on a non-loopback address (env PARCOURS_DEMO_ALLOW_REMOTE=1)")

	finish := func() error {
		if err := errors.Join(errs...); err != nil {
			return err
		}
		return c.Validate()
	}
	return &c, finish
}

// Validate checks the configuration as a whole.
func (c *Config) Validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("--addr %q: want HOST:PORT", c.Addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("--addr %q: bad port", c.Addr)
	}
	if c.DatabaseURL != "" && !c.Postgres() {
		return fmt.Errorf("PARCOURS_DATABASE_URL must be a postgres:// URL (leave it empty for SQLite)")
	}
	if c.BaseURL == "" {
		h := host
		if h == "" || h == "0.0.0.0" || h == "::" {
			h = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(h, port)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("PARCOURS_BASE_URL %q: want an http(s) URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Demo && !c.DemoRemote && !IsLoopback(host) {
		return fmt.Errorf("--demo refuses to listen on %q: demo accounts have public passwords; use a loopback address or --demo-allow-remote", c.Addr)
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		return fmt.Errorf("PARCOURS_SMTP_TLS %q: want starttls, tls or none", c.SMTP.TLS)
	}
	switch c.SMS.Provider {
	case "", "brevo":
	default:
		return fmt.Errorf("PARCOURS_SMS_PROVIDER %q: want brevo or nothing", c.SMS.Provider)
	}
	if c.AuditRetention < MinAuditRetention {
		return fmt.Errorf("PARCOURS_AUDIT_RETENTION %s: keep the audit trail at least %s", c.AuditRetention, MinAuditRetention)
	}
	if c.PeopleRetention < 30*24*time.Hour {
		return fmt.Errorf("PARCOURS_PEOPLE_RETENTION %s: at least 30d", c.PeopleRetention)
	}
	if c.SessionIdle <= 0 || c.SessionMax < c.SessionIdle {
		return fmt.Errorf("session durations: idle %s must be positive and at most max %s", c.SessionIdle, c.SessionMax)
	}
	return nil
}

// MinAuditRetention is the shortest audit retention accepted: traces must
// outlive the questions a person or a controller may ask about them.
const MinAuditRetention = 30 * 24 * time.Hour

// IsLoopback reports whether host is a loopback name or address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// maxDays is the largest number of days a time.Duration holds (about 292 years).
const maxDays = math.MaxInt64 / int(24*time.Hour)

// ParseDuration accepts Go durations and a day suffix ("365d").
func ParseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		// Beyond maxDays a time.Duration overflows (to a negative retention).
		if err != nil || days < 0 || days > maxDays {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration (e.g. 30m, 12h, 365d)", s)
	}
	return d, nil
}
