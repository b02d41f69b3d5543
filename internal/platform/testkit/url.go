package testkit

import (
	"context"
	"fmt"
	"testing"

	"parcours/internal/platform/db"
)

// PostgresURL returns the URL of d, a PostgreSQL database from NewDB, for
// code that opens its own connections to it (the CLI, a second instance).
func PostgresURL(t testing.TB, d *db.DB) string {
	t.Helper()
	if d.Engine != db.Postgres {
		t.Fatalf("PostgresURL: %s is not PostgreSQL", d.Engine)
	}
	var name string
	if err := d.R.NewRaw("SELECT current_database()").Scan(context.Background(), &name); err != nil {
		t.Fatalf("current database: %v", err)
	}
	return withDB(postgresURL(), name)
}

// NewEmptyPostgres creates an empty PostgreSQL database (no migrations
// applied), dropped at the end of the test, and returns its URL.
func NewEmptyPostgres(t testing.TB) string {
	t.Helper()
	pgOnce.Do(setupPostgres)
	if pgErr != nil {
		t.Fatalf("postgres: %v", pgErr)
	}
	name := "parcours_e_" + randHex(8)
	ctx := context.Background()
	if _, err := pgAdmin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s", name)); err != nil {
		t.Fatalf("create empty test database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = pgAdmin.ExecContext(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	return withDB(postgresURL(), name)
}
