package config_test

import (
	"flag"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"parcours/internal/platform/config"
)

// env is a fake environment.
func env(kv ...string) config.Env {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// load binds the flags with the environment, parses args and validates.
func load(t *testing.T, e config.Env, args ...string) (*config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c, finish := config.Bind(fs, e)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return c, finish()
}

func mustLoad(t *testing.T, e config.Env, args ...string) *config.Config {
	t.Helper()
	c, err := load(t, e, args...)
	if err != nil {
		t.Fatalf("load %v: %v", args, err)
	}
	return c
}

func TestDefaults(t *testing.T) {
	c := mustLoad(t, env())
	d := config.Default()
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "data" || c.DatabaseURL != "" || c.Demo || c.DemoRemote || c.TrustProxy {
		t.Fatalf("defaults: %+v", c)
	}
	if c.SessionIdle != 30*time.Minute || c.SessionMax != 12*time.Hour || c.AuditRetention != 365*24*time.Hour {
		t.Fatalf("default durations: %s %s %s", c.SessionIdle, c.SessionMax, c.AuditRetention)
	}
	if c.SMTP != d.SMTP || c.SMTP.TLS != "starttls" || c.SMTP.Port != 587 || c.SMS.Provider != "" || c.OIDC.Enabled() {
		t.Fatalf("default transports: %+v %+v %+v", c.SMTP, c.SMS, c.OIDC)
	}
	if c.BaseURL != "http://127.0.0.1:8080" {
		t.Fatalf("default base URL %q", c.BaseURL)
	}
	if c.Postgres() || c.SQLitePath() != filepath.Join("data", "parcours.db") {
		t.Fatalf("default database: postgres=%v path=%q", c.Postgres(), c.SQLitePath())
	}
}

func TestEnvironment(t *testing.T) {
	c := mustLoad(t, env(
		"PARCOURS_ADDR", "127.0.0.1:9000",
		"PARCOURS_DATA_DIR", "/var/lib/parcours",
		"PARCOURS_DATABASE_URL", "postgresql://p@db/parcours",
		"PARCOURS_BASE_URL", "https://parcours.example.org/",
		"PARCOURS_TRUST_PROXY", "true",
		"PARCOURS_SESSION_IDLE", "45m",
		"PARCOURS_SESSION_MAX", "1d",
		"PARCOURS_AUDIT_RETENTION", "730d",
		"PARCOURS_PEOPLE_RETENTION", "1095d",
		"PARCOURS_SECRET_KEY", "ab",
		"PARCOURS_LOG_LEVEL", "debug",
		"PARCOURS_LOG_FORMAT", "json",
		"PARCOURS_SMTP_HOST", "smtp.example.org",
		"PARCOURS_SMTP_PORT", "465",
		"PARCOURS_SMTP_USERNAME", "u",
		"PARCOURS_SMTP_PASSWORD", "p",
		"PARCOURS_SMTP_FROM", "CASVP <no-reply@example.org>",
		"PARCOURS_SMTP_TLS", "tls",
		"PARCOURS_SMS_PROVIDER", "brevo",
		"PARCOURS_SMS_API_KEY", "k",
		"PARCOURS_SMS_SENDER", "CASVP",
		"PARCOURS_SMS_ENDPOINT", "http://127.0.0.1:1/sms",
		"PARCOURS_OIDC_ISSUER", "https://id.example.org",
		"PARCOURS_OIDC_CLIENT_ID", "parcours",
		"PARCOURS_OIDC_CLIENT_SECRET", "s",
		"PARCOURS_OIDC_LABEL", "Connexion Paris",
	))
	want := config.Config{
		Addr: "127.0.0.1:9000", DataDir: "/var/lib/parcours", DatabaseURL: "postgresql://p@db/parcours",
		BaseURL: "https://parcours.example.org", TrustProxy: true,
		SessionIdle: 45 * time.Minute, SessionMax: 24 * time.Hour, AuditRetention: 730 * 24 * time.Hour, PeopleRetention: 1095 * 24 * time.Hour,
		SecretKeyHex: "ab", LogLevel: "debug", LogFormat: "json",
		SMTP: config.SMTP{Host: "smtp.example.org", Port: 465, Username: "u", Password: "p", From: "CASVP <no-reply@example.org>", TLS: "tls"},
		SMS:  config.SMS{Provider: "brevo", APIKey: "k", Sender: "CASVP", Endpoint: "http://127.0.0.1:1/sms"},
		OIDC: config.OIDC{Issuer: "https://id.example.org", ClientID: "parcours", ClientSecret: "s", Label: "Connexion Paris"},
	}
	if *c != want {
		t.Fatalf("from the environment:\n got %+v\nwant %+v", *c, want)
	}
	if !c.Postgres() || !c.OIDC.Enabled() {
		t.Fatalf("postgres=%v oidc=%v", c.Postgres(), c.OIDC.Enabled())
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	e := env("PARCOURS_ADDR", "127.0.0.1:9000", "PARCOURS_DATA_DIR", "/env/data", "PARCOURS_DEMO", "1", "PARCOURS_DEMO_ALLOW_REMOTE", "true")

	c := mustLoad(t, e)
	if c.Addr != "127.0.0.1:9000" || c.DataDir != "/env/data" || !c.Demo || !c.DemoRemote {
		t.Fatalf("environment alone: %+v", c)
	}
	c = mustLoad(t, e, "--addr", "127.0.0.1:9100", "--data", "/flag/data", "--demo=false", "--demo-allow-remote=false")
	if c.Addr != "127.0.0.1:9100" || c.DataDir != "/flag/data" || c.Demo || c.DemoRemote {
		t.Fatalf("flags should win: %+v", c)
	}
	if c.BaseURL != "http://127.0.0.1:9100" {
		t.Fatalf("base URL follows the flag address: %q", c.BaseURL)
	}
	// A flag wins even when the environment variable is empty.
	c = mustLoad(t, env("PARCOURS_ADDR", ""), "-addr=127.0.0.1:9200")
	if c.Addr != "127.0.0.1:9200" {
		t.Fatalf("addr %q", c.Addr)
	}
	// Flags not given keep the environment's values.
	c = mustLoad(t, e, "--addr", "127.0.0.1:9300")
	if c.DataDir != "/env/data" || !c.Demo {
		t.Fatalf("environment lost: %+v", c)
	}
	// An unknown flag is an error, not ignored.
	if _, err := load(t, env(), "--no-such-flag"); err == nil {
		t.Fatal("unknown flag accepted")
	}
}

func TestEnvironmentErrors(t *testing.T) {
	for _, c := range []struct {
		env  config.Env
		want []string
	}{
		{env("PARCOURS_DEMO", "maybe"), []string{"PARCOURS_DEMO", `"maybe" is not a boolean`}},
		{env("PARCOURS_TRUST_PROXY", "oui"), []string{"PARCOURS_TRUST_PROXY"}},
		{env("PARCOURS_SMTP_PORT", "smtp"), []string{"PARCOURS_SMTP_PORT", `"smtp" is not a number`}},
		{env("PARCOURS_SESSION_IDLE", "soon"), []string{"PARCOURS_SESSION_IDLE", "not a duration"}},
		{env("PARCOURS_SESSION_MAX", "-1h"), []string{"PARCOURS_SESSION_MAX"}},
		{env("PARCOURS_AUDIT_RETENTION", "1.5d"), []string{"PARCOURS_AUDIT_RETENTION", "not a number of days"}},
		{env("PARCOURS_AUDIT_RETENTION", "999999999d"), []string{"PARCOURS_AUDIT_RETENTION"}},
		// Every bad variable is reported at once.
		{env("PARCOURS_DEMO", "x", "PARCOURS_SMTP_PORT", "y"), []string{"PARCOURS_DEMO", "PARCOURS_SMTP_PORT"}},
	} {
		_, err := load(t, c.env)
		if err == nil {
			t.Errorf("%v: accepted", c.want)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not mention %q", err, w)
			}
		}
	}
}

func TestValidation(t *testing.T) {
	for _, c := range []struct {
		name string
		env  config.Env
		args []string
		want string // "" means valid
	}{
		{"addr without port", env(), []string{"--addr", "localhost"}, `--addr "localhost": want HOST:PORT`},
		{"addr with a name as port", env(), []string{"--addr", "127.0.0.1:http"}, "bad port"},
		{"addr with port out of range", env(), []string{"--addr", "127.0.0.1:99999"}, "bad port"},
		{"addr with negative port", env(), []string{"--addr", "127.0.0.1:-1"}, "bad port"},
		{"addr from the environment", env("PARCOURS_ADDR", "nowhere"), nil, "want HOST:PORT"},
		{"port only", env(), []string{"--addr", ":8080"}, ""},
		{"ipv6 loopback", env(), []string{"--addr", "[::1]:8080"}, ""},
		{"mysql URL", env("PARCOURS_DATABASE_URL", "mysql://u@h/db"), nil, "PARCOURS_DATABASE_URL must be a postgres:// URL"},
		{"sqlite path as URL", env("PARCOURS_DATABASE_URL", "data/parcours.db"), nil, "must be a postgres:// URL"},
		{"postgres URL", env("PARCOURS_DATABASE_URL", "postgres://u@h/db"), nil, ""},
		{"postgresql URL", env("PARCOURS_DATABASE_URL", "postgresql://u@h/db"), nil, ""},
		{"demo on all interfaces", env(), []string{"--demo", "--addr", "0.0.0.0:8080"}, "--demo refuses to listen"},
		{"demo on all interfaces (ipv6)", env(), []string{"--demo", "--addr", "[::]:8080"}, "--demo refuses to listen"},
		{"demo on port only", env(), []string{"--demo", "--addr", ":8080"}, "--demo refuses to listen"},
		{"demo on a LAN address", env(), []string{"--demo", "--addr", "192.168.1.10:8080"}, "--demo-allow-remote"},
		{"demo from the environment", env("PARCOURS_DEMO", "1", "PARCOURS_ADDR", "0.0.0.0:8080"), nil, "--demo refuses"},
		{"demo allowed remote", env(), []string{"--demo", "--demo-allow-remote", "--addr", "0.0.0.0:8080"}, ""},
		{"demo allowed remote by env", env("PARCOURS_DEMO_ALLOW_REMOTE", "1"), []string{"--demo", "--addr", "0.0.0.0:8080"}, ""},
		{"demo on loopback", env(), []string{"--demo", "--addr", "127.0.0.1:8080"}, ""},
		{"demo on localhost", env(), []string{"--demo", "--addr", "localhost:8080"}, ""},
		{"demo on 127.0.0.2", env(), []string{"--demo", "--addr", "127.0.0.2:8080"}, ""},
		{"demo on ipv6 loopback", env(), []string{"--demo", "--addr", "[::1]:8080"}, ""},
		{"bad SMTP TLS", env("PARCOURS_SMTP_TLS", "ssl"), nil, `PARCOURS_SMTP_TLS "ssl": want starttls, tls or none`},
		{"empty SMTP TLS", env("PARCOURS_SMTP_TLS", ""), nil, "PARCOURS_SMTP_TLS"},
		{"SMTP TLS none", env("PARCOURS_SMTP_TLS", "none"), nil, ""},
		{"unknown SMS provider", env("PARCOURS_SMS_PROVIDER", "twilio"), nil, `PARCOURS_SMS_PROVIDER "twilio"`},
		{"idle longer than max", env("PARCOURS_SESSION_IDLE", "13h"), nil, "session durations"},
		{"zero idle", env("PARCOURS_SESSION_IDLE", "0s"), nil, "session durations"},
		{"base URL without scheme", env("PARCOURS_BASE_URL", "parcours.example.org"), nil, "PARCOURS_BASE_URL"},
		{"ftp base URL", env("PARCOURS_BASE_URL", "ftp://parcours.example.org"), nil, "want an http(s) URL"},
		{"base URL without host", env("PARCOURS_BASE_URL", "https://"), nil, "PARCOURS_BASE_URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := load(t, c.env, c.args...)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && err == nil:
				t.Fatalf("accepted; want an error about %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Fatalf("error %q; want it to say %q", err, c.want)
			}
		})
	}
}

func TestBaseURLDefault(t *testing.T) {
	for _, c := range []struct {
		addr, base, want string
	}{
		{"127.0.0.1:8080", "", "http://127.0.0.1:8080"},
		{"0.0.0.0:8080", "", "http://localhost:8080"},
		{"[::]:8080", "", "http://localhost:8080"},
		{":9000", "", "http://localhost:9000"},
		{"[::1]:8080", "", "http://[::1]:8080"},
		{"parcours.lan:80", "", "http://parcours.lan:80"},
		{"0.0.0.0:8080", "https://parcours.example.org/", "https://parcours.example.org"},
		{"0.0.0.0:8080", "https://parcours.example.org/paris//", "https://parcours.example.org/paris"},
		{"0.0.0.0:8080", "http://10.0.0.5:8080", "http://10.0.0.5:8080"},
	} {
		e := env()
		if c.base != "" {
			e = env("PARCOURS_BASE_URL", c.base)
		}
		got := mustLoad(t, e, "--addr", c.addr)
		if got.BaseURL != c.want {
			t.Errorf("addr %q, base %q: BaseURL %q, want %q", c.addr, c.base, got.BaseURL, c.want)
		}
	}
	// Validate on a struct fills it in too.
	c := config.Default()
	c.Addr = "0.0.0.0:8081"
	if err := c.Validate(); err != nil || c.BaseURL != "http://localhost:8081" {
		t.Fatalf("Validate: %v, %q", err, c.BaseURL)
	}
}

func TestParseDuration(t *testing.T) {
	maxDays := int64(math.MaxInt64 / int64(24*time.Hour))
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"365d", 365 * 24 * time.Hour, true},
		{"0d", 0, true},
		{"1d", 24 * time.Hour, true},
		{"12h", 12 * time.Hour, true},
		{"30m", 30 * time.Minute, true},
		{"1h30m", 90 * time.Minute, true},
		{"0", 0, true},
		{"", 0, false},
		{"d", 0, false},
		{"-1d", 0, false},
		{"-1h", 0, false},
		{"1.5d", 0, false},
		{"1 d", 0, false},
		{"12", 0, false},
		{"1w", 0, false},
		{"+3d", 3 * 24 * time.Hour, true},
		{strings.Repeat("9", 30) + "d", 0, false},
		// Days beyond what a time.Duration holds (about 292 years) must be
		// refused, not wrap around to a negative or small retention.
		{"106752d", 0, false},
		{"999999999d", 0, false},
		{"9223372036854775807d", 0, false},
	} {
		got, err := config.ParseDuration(c.in)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("ParseDuration(%q) = %s, %v; want %s, ok=%v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), c.in) {
			t.Errorf("error %q does not quote the input", err)
		}
	}
	d, err := config.ParseDuration(strconv.FormatInt(maxDays, 10) + "d")
	if err != nil || d != time.Duration(maxDays)*24*time.Hour {
		t.Fatalf("largest number of days: %s, %v", d, err)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true,
		"": false, "0.0.0.0": false, "::": false, "192.168.1.1": false, "example.org": false, "localhost.example.org": false,
	} {
		if config.IsLoopback(host) != want {
			t.Errorf("IsLoopback(%q) = %v", host, !want)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"365d", "0d", "30m", "1h30m", "-1d", "1.5d", "", "d", "106752d", "9223372036854775807d", "+3d", "1e3d", "0x10d", "٣d", "1µs", "2562047h47m16.854775807s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := config.ParseDuration(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("ParseDuration(%q) = %s with error %v", s, d, err)
			}
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %s: negative", s, d)
		}
		if strings.HasSuffix(s, "d") {
			if d%(24*time.Hour) != 0 {
				t.Fatalf("ParseDuration(%q) = %s: not whole days", s, d)
			}
			// The same number of days, spelled again, parses the same.
			again, err := config.ParseDuration(strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d")
			if err != nil || again != d {
				t.Fatalf("ParseDuration(%q) = %s, but %dd gives %s, %v", s, d, d/(24*time.Hour), again, err)
			}
			return
		}
		if want, err := time.ParseDuration(s); err != nil || want != d {
			t.Fatalf("ParseDuration(%q) = %s, time.ParseDuration says %s, %v", s, d, want, err)
		}
	})
}

func TestAuditRetentionHasAFloor(t *testing.T) {
	c := config.Default()
	c.AuditRetention = 0
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "PARCOURS_AUDIT_RETENTION") {
		t.Fatalf("zero audit retention accepted: %v", err)
	}
	c.AuditRetention = config.MinAuditRetention
	if err := c.Validate(); err != nil {
		t.Fatalf("minimum retention refused: %v", err)
	}
}
