// Package testkit is the test world every package uses: a migrated
// database on SQLite (always) and PostgreSQL (when reachable), a fake clock,
// the assembled app behind an httptest server, and builders for centres,
// sites and signed-in users. No mocks of the database.
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"parcours/internal/app"
	"parcours/internal/platform/db"
)

// Environment variables of the test suite.
const (
	// EnvPostgres is the PostgreSQL server URL (a database the tests may
	// create databases from); default postgres://postgres@127.0.0.1:5432/postgres.
	EnvPostgres = "PARCOURS_TEST_POSTGRES"
	// EnvStrict makes a missing PostgreSQL or Chromium a failure (CI).
	EnvStrict = "PARCOURS_TEST_STRICT"
)

// Strict reports whether missing services fail the tests.
func Strict() bool { return os.Getenv(EnvStrict) == "1" }

func postgresURL() string {
	if u := os.Getenv(EnvPostgres); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

var (
	pgOnce  sync.Once
	pgErr   error
	pgAdmin *sql.DB
	pgTmpl  string

	sqliteOnce sync.Once
	sqliteErr  error
	sqliteTmpl string
)

// Engines lists the engines to test on: SQLite, and PostgreSQL when it
// answers. When it does not, the test says so in one line and goes on with
// SQLite only, unless PARCOURS_TEST_STRICT=1, where it fails.
func Engines(t testing.TB) []db.Engine {
	out := []db.Engine{db.SQLite}
	pgOnce.Do(setupPostgres)
	if pgErr != nil {
		if Strict() {
			t.Fatalf("PostgreSQL is required (PARCOURS_TEST_STRICT=1) but unreachable: %v", pgErr)
		}
		skipOnce.Do(func() {
			fmt.Fprintf(os.Stderr, "testkit: PostgreSQL unreachable (%v): PostgreSQL tests skipped, SQLite only\n", pgErr)
		})
		return out
	}
	return append(out, db.Postgres)
}

var skipOnce sync.Once

// ForEachDB runs fn as a subtest on every available engine.
func ForEachDB(t *testing.T, fn func(t *testing.T, e db.Engine)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// NewDB returns a fresh, migrated database on engine e, removed at the end
// of the test.
func NewDB(t testing.TB, e db.Engine) *db.DB {
	t.Helper()
	ctx := context.Background()
	switch e {
	case db.Postgres:
		pgOnce.Do(setupPostgres)
		if pgErr != nil {
			t.Fatalf("postgres: %v", pgErr)
		}
		name := "parcours_t_" + randHex(8)
		if _, err := pgAdmin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, pgTmpl)); err != nil {
			t.Fatalf("create test database: %v", err)
		}
		d, err := db.Open(ctx, db.Options{URL: withDB(postgresURL(), name)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			d.Close()
			_, _ = pgAdmin.ExecContext(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
		})
		return d
	default:
		sqliteOnce.Do(setupSQLite)
		if sqliteErr != nil {
			t.Fatalf("sqlite template: %v", sqliteErr)
		}
		path := filepath.Join(t.TempDir(), "parcours.db")
		if err := copyFile(sqliteTmpl, path); err != nil {
			t.Fatal(err)
		}
		d, err := db.Open(ctx, db.Options{Path: path, MaxReaders: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
}

func setupSQLite() {
	dir, err := os.MkdirTemp("", "parcours-tmpl-")
	if err != nil {
		sqliteErr = err
		return
	}
	sqliteTmpl = filepath.Join(dir, "template.db")
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{Path: sqliteTmpl})
	if err != nil {
		sqliteErr = err
		return
	}
	if _, err := app.Migrate(ctx, d); err != nil {
		sqliteErr = err
		d.Close()
		return
	}
	// Fold the WAL into the main file so a plain copy is complete.
	if _, err := d.W.DB.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		sqliteErr = err
	}
	d.Close()
}

// setupPostgres creates (once per migration set) a migrated template
// database that each test copies.
func setupPostgres() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", postgresURL())
	if err != nil {
		pgErr = err
		return
	}
	pctx, pcancel := context.WithTimeout(ctx, 3*time.Second)
	defer pcancel()
	if err := admin.PingContext(pctx); err != nil {
		admin.Close()
		pgErr = err
		return
	}
	var ids []string
	for _, m := range app.Migrations() {
		ids = append(ids, m.ID+fmt.Sprint(len(m.SQL), len(m.PostgresSQL)))
	}
	pgTmpl = "parcours_tmpl_" + shortHash(strings.Join(ids, ","))
	conn, err := admin.Conn(ctx)
	if err != nil {
		pgErr = err
		return
	}
	defer conn.Close()
	// Several test binaries run at once: one creates the template.
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(727372002)"); err != nil {
		pgErr = err
		return
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(727372002)")
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", pgTmpl).Scan(&exists); err != nil {
		pgErr = err
		return
	}
	if !exists {
		building := pgTmpl + "_build"
		_, _ = conn.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building))
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s", building)); err != nil {
			pgErr = err
			return
		}
		d, err := db.Open(ctx, db.Options{URL: withDB(postgresURL(), building)})
		if err != nil {
			pgErr = err
			return
		}
		_, err = app.Migrate(ctx, d)
		d.Close()
		if err != nil {
			pgErr = fmt.Errorf("migrate template: %w", err)
			return
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, pgTmpl)); err != nil {
			pgErr = err
			return
		}
	}
	pgAdmin = admin
}

func withDB(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Path = "/" + name
	return p.String()
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func shortHash(s string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("%016x", h)[:12]
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
