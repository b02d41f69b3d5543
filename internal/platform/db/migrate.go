package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// Migration is one schema change. SQL runs on both engines after the
// portable type macros are expanded; SQLiteSQL and PostgresSQL run after it
// on their engine only (full-text indexes, triggers...).
type Migration struct {
	ID          string // sortable: YYYYMMDDHHMM_module_what
	SQL         string
	SQLiteSQL   string
	PostgresSQL string
}

// Portable type macros used in migration SQL.
var macros = map[Engine]*strings.Replacer{
	SQLite: strings.NewReplacer(
		"@ts", "TIMESTAMP",
		"@bytes", "BLOB",
		"@json", "TEXT",
		"@serial", "INTEGER PRIMARY KEY AUTOINCREMENT",
	),
	Postgres: strings.NewReplacer(
		"@ts", "TIMESTAMPTZ",
		"@bytes", "BYTEA",
		"@json", "JSONB",
		"@serial", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
	),
}

// MigrationsFS reads migrations from a folder of files named
// ID.sql, ID.sqlite.sql and ID.postgres.sql.
func MigrationsFS(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Migration{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(name, ".sql")
		id, variant, _ := strings.Cut(base, ".")
		m := byID[id]
		if m == nil {
			m = &Migration{ID: id}
			byID[id] = m
		}
		switch variant {
		case "":
			m.SQL = string(b)
		case "sqlite":
			m.SQLiteSQL = string(b)
		case "postgres":
			m.PostgresSQL = string(b)
		default:
			return nil, fmt.Errorf("migration %s: unknown variant %q", name, variant)
		}
	}
	out := make([]Migration, 0, len(byID))
	for _, m := range byID {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b Migration) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// MustMigrations is MigrationsFS for embedded folders, where an error is a
// programming mistake caught by every test.
func MustMigrations(fsys fs.FS, dir string) []Migration {
	ms, err := MigrationsFS(fsys, dir)
	if err != nil {
		panic(err)
	}
	return ms
}

// migrateLockKey is the PostgreSQL advisory lock that serialises migrations
// across instances.
const migrateLockKey = 727_372_001

// WithMigrationLock runs fn while holding the migration lock: a PostgreSQL
// session advisory lock (other instances wait), or nothing on SQLite, where
// the writer pool and BEGIN IMMEDIATE already serialise writers.
func (d *DB) WithMigrationLock(ctx context.Context, fn func(ctx context.Context) error) error {
	if d.Engine != Postgres {
		return fn(ctx)
	}
	conn, err := d.W.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey)
	return fn(ctx)
}

// Migrate applies the migrations not applied yet, each in its own
// transaction, in ID order. Call it under WithMigrationLock.
func (d *DB) Migrate(ctx context.Context, ms []Migration) (applied []string, err error) {
	sorted := slices.Clone(ms)
	slices.SortFunc(sorted, func(a, b Migration) int { return strings.Compare(a.ID, b.ID) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].ID == sorted[i-1].ID {
			return nil, fmt.Errorf("two migrations have the id %s", sorted[i].ID)
		}
	}
	create := macros[d.Engine].Replace(`CREATE TABLE IF NOT EXISTS schema_migrations (
		id TEXT PRIMARY KEY, applied_at @ts NOT NULL)`)
	if _, err := d.W.DB.ExecContext(ctx, create); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	done := map[string]bool{}
	rows, err := d.W.DB.QueryContext(ctx, "SELECT id FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		done[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, m := range sorted {
		if done[m.ID] {
			continue
		}
		if err := d.apply(ctx, m); err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.ID, err)
		}
		applied = append(applied, m.ID)
	}
	return applied, nil
}

func (d *DB) apply(ctx context.Context, m Migration) error {
	tx, err := d.W.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another process may have applied it since we listed them: on SQLite
	// the transaction holds the write lock from its start (BEGIN
	// IMMEDIATE), so this check and the migration are atomic. (PostgreSQL
	// instances are already serialised by the advisory lock.)
	var n int
	if err := tx.QueryRowContext(ctx, d.rebind("SELECT count(*) FROM schema_migrations WHERE id = ?"), m.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	stmts := []string{m.SQL}
	switch d.Engine {
	case SQLite:
		stmts = append(stmts, m.SQLiteSQL)
	case Postgres:
		stmts = append(stmts, m.PostgresSQL)
	}
	for _, s := range stmts {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, macros[d.Engine].Replace(s)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, d.rebind("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)"),
		m.ID, time.Now().UTC()); err != nil {
		return err
	}
	return tx.Commit()
}

// rebind turns ? placeholders into $n on PostgreSQL, for the few raw
// database/sql statements of this package.
func (d *DB) rebind(q string) string {
	if d.Engine != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Applied lists the applied migration IDs, for `parcours migrate --status`.
func (d *DB) Applied(ctx context.Context) ([]string, error) {
	var ids []string
	err := d.R.NewRaw("SELECT id FROM schema_migrations ORDER BY id").Scan(ctx, &ids)
	if err == sql.ErrNoRows {
		err = nil
	}
	return ids, err
}
