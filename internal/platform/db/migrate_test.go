package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/app"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// emptyDB opens a database on engine e with no table at all.
func emptyDB(t *testing.T, e db.Engine) *db.DB {
	t.Helper()
	o := db.Options{Path: filepath.Join(t.TempDir(), "parcours.db")}
	if e == db.Postgres {
		o = db.Options{URL: testkit.NewEmptyPostgres(t)}
	}
	d, err := db.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func allIDs() []string {
	var ids []string
	for _, m := range app.Migrations() {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.NewRaw(q, args...).Scan(context.Background(), &n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestMigrateEmptyThenNoOp(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		d := emptyDB(t, e)
		ctx := context.Background()
		if ids, err := d.Applied(ctx); err == nil && len(ids) > 0 {
			t.Fatalf("empty database has migrations: %v", ids)
		}
		applied, err := app.Migrate(ctx, d)
		if err != nil {
			t.Fatalf("first migrate: %v", err)
		}
		want := allIDs()
		if len(want) == 0 || !slices.Equal(applied, want) {
			t.Fatalf("applied %v, want every migration in id order %v", applied, want)
		}
		got, err := d.Applied(ctx)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("recorded %v (%v), want %v", got, err, want)
		}
		// The schema is there: every module's tables and River's.
		for _, table := range []string{"orgs", "sites", "users", "audit_log", "audit_head", "outbox", "river_job", "river_migration"} {
			if n := count(t, d, "SELECT COUNT(*) FROM "+table); n < 0 {
				t.Fatalf("%s: %d", table, n)
			}
		}
		if n := count(t, d, "SELECT COUNT(*) FROM audit_head WHERE seq = 0 AND hash = 'genesis'"); n != 1 {
			t.Fatalf("audit head not initialised: %d", n)
		}
		rivers := count(t, d, "SELECT COUNT(*) FROM river_migration")
		if rivers == 0 {
			t.Fatal("River's migrations not applied")
		}

		again, err := app.Migrate(ctx, d)
		if err != nil || len(again) != 0 {
			t.Fatalf("second migrate: applied %v, %v; want nothing", again, err)
		}
		if got, _ := d.Applied(ctx); !slices.Equal(got, want) {
			t.Fatalf("after a no-op: %v", got)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM river_migration"); n != rivers {
			t.Fatalf("River migrations %d then %d", rivers, n)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM audit_head"); n != 1 {
			t.Fatalf("audit head rows: %d", n)
		}
	})
}

func TestConcurrentMigratePostgres(t *testing.T) {
	if !slices.Contains(testkit.Engines(t), db.Postgres) {
		t.Skip("PostgreSQL unreachable")
	}
	want := allIDs()
	for round := range 3 {
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			url := testkit.NewEmptyPostgres(t)
			ctx := context.Background()
			var handles [2]*db.DB
			for i := range handles {
				d, err := db.Open(ctx, db.Options{URL: url})
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				handles[i] = d
			}
			var (
				wg      sync.WaitGroup
				start   = make(chan struct{})
				applied [2][]string
				errs    [2]error
			)
			for i, d := range handles {
				wg.Go(func() {
					<-start
					applied[i], errs[i] = app.Migrate(ctx, d)
				})
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("instance %d: %v", i, err)
				}
			}
			// Each migration was applied by exactly one instance.
			both := append(slices.Clone(applied[0]), applied[1]...)
			slices.Sort(both)
			if !slices.Equal(both, want) {
				t.Fatalf("instance 0 applied %v, instance 1 applied %v; want %v once in all", applied[0], applied[1], want)
			}
			d := handles[0]
			for _, id := range want {
				if n := count(t, d, "SELECT COUNT(*) FROM schema_migrations WHERE id = ?", id); n != 1 {
					t.Fatalf("migration %s recorded %d times", id, n)
				}
			}
			if n := count(t, d, "SELECT COUNT(*) FROM (SELECT version FROM river_migration GROUP BY line, version HAVING COUNT(*) > 1) d"); n != 0 {
				t.Fatalf("%d River migrations recorded twice", n)
			}
			if n := count(t, d, "SELECT COUNT(*) FROM audit_head"); n != 1 {
				t.Fatalf("audit head rows: %d", n)
			}
			// The lock is released: a third run is a no-op, not a wait.
			tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if again, err := app.Migrate(tctx, handles[1]); err != nil || len(again) != 0 {
				t.Fatalf("third migrate: %v, %v", again, err)
			}
		})
	}
}

func TestMigrationsFS(t *testing.T) {
	fsys := fstest.MapFS{
		"m/202601010002_b.sql":          {Data: []byte("CREATE TABLE b (id TEXT);")},
		"m/202601010001_a.sql":          {Data: []byte("CREATE TABLE a (id TEXT);")},
		"m/202601010001_a.sqlite.sql":   {Data: []byte("-- sqlite")},
		"m/202601010001_a.postgres.sql": {Data: []byte("-- postgres")},
		"m/202601010003_c.postgres.sql": {Data: []byte("-- postgres only")},
		"m/README.md":                   {Data: []byte("not a migration")},
		"m/sub/202601010009_z.sql":      {Data: []byte("ignored: in a sub-folder")},
	}
	ms, err := db.MigrationsFS(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	want := []db.Migration{
		{ID: "202601010001_a", SQL: "CREATE TABLE a (id TEXT);", SQLiteSQL: "-- sqlite", PostgresSQL: "-- postgres"},
		{ID: "202601010002_b", SQL: "CREATE TABLE b (id TEXT);"},
		{ID: "202601010003_c", PostgresSQL: "-- postgres only"},
	}
	if !slices.Equal(ms, want) {
		t.Fatalf("got %+v\nwant %+v", ms, want)
	}

	fsys["m/202601010004_d.mysql.sql"] = &fstest.MapFile{Data: []byte("-- ?")}
	if _, err := db.MigrationsFS(fsys, "m"); err == nil || !strings.Contains(err.Error(), `unknown variant "mysql"`) {
		t.Fatalf("unknown variant: %v", err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("MustMigrations did not panic on an unknown variant")
			}
		}()
		db.MustMigrations(fsys, "m")
	}()
	if _, err := db.MigrationsFS(fsys, "missing"); err == nil {
		t.Fatal("missing folder accepted")
	}
}

func TestMigrateMacrosVariantsAndFailures(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		d := emptyDB(t, e)
		ctx := context.Background()
		ms := []db.Migration{
			{ID: "202601010002_variants", SQL: "CREATE TABLE common (id TEXT PRIMARY KEY);",
				SQLiteSQL: "CREATE TABLE only_sqlite (id TEXT);", PostgresSQL: "CREATE TABLE only_postgres (id TEXT);"},
			{ID: "202601010001_macros", SQL: `CREATE TABLE typed (
				n @serial, at @ts NOT NULL, doc @json NOT NULL, raw @bytes);`},
		}
		applied, err := d.Migrate(ctx, ms)
		if err != nil || !slices.Equal(applied, []string{"202601010001_macros", "202601010002_variants"}) {
			t.Fatalf("applied %v, %v (want id order)", applied, err)
		}
		exists := func(table string) bool {
			var q string
			if e == db.Postgres {
				q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?"
			} else {
				q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
			}
			return count(t, d, q, table) == 1
		}
		if !exists("common") || exists("only_sqlite") != (e == db.SQLite) || exists("only_postgres") != (e == db.Postgres) {
			t.Fatalf("variants: common=%v only_sqlite=%v only_postgres=%v", exists("common"), exists("only_sqlite"), exists("only_postgres"))
		}
		// The macros became the engine's types.
		types := map[string]string{}
		if e == db.Postgres {
			var rows []struct {
				Name string `bun:"column_name"`
				Type string `bun:"data_type"`
			}
			if err := d.R.NewRaw("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'typed'").Scan(ctx, &rows); err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				types[r.Name] = r.Type
			}
			want := map[string]string{"n": "bigint", "at": "timestamp with time zone", "doc": "jsonb", "raw": "bytea"}
			if fmt.Sprint(types) != fmt.Sprint(want) {
				t.Fatalf("postgres types %v, want %v", types, want)
			}
		} else {
			var rows []struct {
				Name string `bun:"name"`
				Type string `bun:"type"`
			}
			if err := d.R.NewRaw("SELECT name, type FROM pragma_table_info('typed')").Scan(ctx, &rows); err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				types[r.Name] = r.Type
			}
			want := map[string]string{"n": "INTEGER", "at": "TIMESTAMP", "doc": "TEXT", "raw": "BLOB"}
			if fmt.Sprint(types) != fmt.Sprint(want) {
				t.Fatalf("sqlite types %v, want %v", types, want)
			}
		}
		// @serial numbers rows by itself.
		if _, err := d.W.ExecContext(ctx, "INSERT INTO typed (at, doc) VALUES (?, '{}'), (?, '{}')", time.Now(), time.Now()); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, "SELECT MAX(n) FROM typed"); n != 2 {
			t.Fatalf("serial: max %d", n)
		}

		// A failing migration is rolled back whole and not recorded; the
		// ones before it stay.
		bad := append(ms,
			db.Migration{ID: "202601010003_good", SQL: "CREATE TABLE good (id TEXT);"},
			db.Migration{ID: "202601010004_bad", SQL: "CREATE TABLE half (id TEXT); CREATE TABLE broken (;"},
			db.Migration{ID: "202601010005_after", SQL: "CREATE TABLE after_bad (id TEXT);"},
		)
		applied, err = d.Migrate(ctx, bad)
		if err == nil || !strings.Contains(err.Error(), "202601010004_bad") {
			t.Fatalf("bad migration: %v", err)
		}
		if !slices.Equal(applied, []string{"202601010003_good"}) {
			t.Fatalf("applied before the failure: %v", applied)
		}
		if exists("half") || exists("after_bad") || !exists("good") {
			t.Fatalf("after a failure: half=%v after_bad=%v good=%v", exists("half"), exists("after_bad"), exists("good"))
		}
		ids, _ := d.Applied(ctx)
		if slices.Contains(ids, "202601010004_bad") || !slices.Contains(ids, "202601010003_good") {
			t.Fatalf("recorded: %v", ids)
		}

		// Two migrations with one id are refused before anything runs.
		dup := []db.Migration{{ID: "202601010009_x", SQL: "CREATE TABLE x1 (id TEXT);"}, {ID: "202601010009_x", SQL: "CREATE TABLE x2 (id TEXT);"}}
		if _, err := d.Migrate(ctx, dup); err == nil || !strings.Contains(err.Error(), "two migrations have the id") {
			t.Fatalf("duplicate ids: %v", err)
		}
		if exists("x1") || exists("x2") {
			t.Fatal("a duplicate-id set was partly applied")
		}
	})
}

func TestTranslate(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		d := testkit.NewDB(t, e)
		ctx := context.Background()
		now := time.Now().UTC()
		ins := func(q string, args ...any) error {
			_, err := d.W.ExecContext(ctx, q, args...)
			return err
		}
		org := db.NewID()
		if err := ins("INSERT INTO orgs (id, name, kind, created_at, updated_at) VALUES (?, 'A', 'ccas', ?, ?)", org, now, now); err != nil {
			t.Fatal(err)
		}
		site := "INSERT INTO sites (id, org_id, name, kind, created_at, updated_at) VALUES (?, ?, ?, 'psa', ?, ?)"
		if err := ins(site, db.NewID(), org, "Bastille", now, now); err != nil {
			t.Fatal(err)
		}

		// Primary key.
		err := db.Translate(ins("INSERT INTO orgs (id, name, kind, created_at, updated_at) VALUES (?, 'B', 'ccas', ?, ?)", org, now, now))
		if !errors.Is(err, db.ErrUnique) {
			t.Fatalf("duplicate primary key: %v", err)
		}
		// Unique index.
		err = db.Translate(ins(site, db.NewID(), org, "Bastille", now, now))
		if !errors.Is(err, db.ErrUnique) || errors.Is(err, db.ErrForeignKey) {
			t.Fatalf("duplicate site name: %v", err)
		}
		// Foreign key.
		err = db.Translate(ins(site, db.NewID(), db.NewID(), "Ailleurs", now, now))
		if !errors.Is(err, db.ErrForeignKey) || errors.Is(err, db.ErrUnique) {
			t.Fatalf("unknown centre: %v", err)
		}
		// Through a transaction, errors come translated.
		err = d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, site, db.NewID(), org, "Bastille", now, now)
			return err
		})
		if !errors.Is(err, db.ErrUnique) {
			t.Fatalf("in a transaction: %v", err)
		}
		// No rows is NotFound.
		var name string
		err = db.Translate(d.R.NewRaw("SELECT name FROM orgs WHERE id = ?", db.NewID()).Scan(ctx, &name))
		if !apperr.Is(err, apperr.NotFound) || !errors.Is(err, sql.ErrNoRows) {
			t.Fatalf("no rows: %v", err)
		}
		// Other constraint errors and nil pass through.
		raw := ins("INSERT INTO orgs (id, name, kind, created_at, updated_at) VALUES (?, 'C', 'bank', ?, ?)", db.NewID(), now, now)
		if raw == nil {
			t.Fatal("check constraint not enforced")
		}
		if err := db.Translate(raw); err != raw || errors.Is(err, db.ErrUnique) || errors.Is(err, db.ErrForeignKey) {
			t.Fatalf("check violation translated to %v", err)
		}
		if db.Translate(nil) != nil {
			t.Fatal("Translate(nil) != nil")
		}
	})
}

func TestSQLiteHasFTS5(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	ctx := context.Background()
	if n := count(t, d, "SELECT sqlite_compileoption_used('ENABLE_FTS5')"); n != 1 {
		t.Fatalf("sqlite_compileoption_used('ENABLE_FTS5') = %d", n)
	}
	// And it works: a full-text table with the unicode tokenizer that
	// folds accents (used by search).
	if _, err := d.W.ExecContext(ctx, "CREATE VIRTUAL TABLE fts_probe USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.ExecContext(ctx, "INSERT INTO fts_probe (body) VALUES ('Aide médicale de l''État'), ('Domiciliation')"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, d, "SELECT COUNT(*) FROM fts_probe WHERE fts_probe MATCH 'medicale etat'"); n != 1 {
		t.Fatalf("fts5 match: %d rows", n)
	}
}

func TestSQLitePools(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	ctx := context.Background()
	var mode string
	if err := d.W.NewRaw("PRAGMA journal_mode").Scan(ctx, &mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q, %v", mode, err)
	}
	for _, p := range []struct {
		name string
		want int
	}{{"foreign_keys", 1}, {"busy_timeout", 10000}} {
		if n := count(t, d, "PRAGMA "+p.name); n != p.want {
			t.Fatalf("reader %s = %d, want %d", p.name, n, p.want)
		}
		var n int
		if err := d.W.NewRaw("PRAGMA "+p.name).Scan(ctx, &n); err != nil || n != p.want {
			t.Fatalf("writer %s = %d, %v", p.name, n, err)
		}
	}
	// The read pool refuses writes.
	if _, err := d.R.ExecContext(ctx, "INSERT INTO orgs (id, name, kind, created_at, updated_at) VALUES ('x', 'x', 'ccas', '2026-01-01', '2026-01-01')"); err == nil {
		t.Fatal("the read-only pool accepted a write")
	}
	if err := d.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestBackupRefusals(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		d := testkit.NewDB(t, e)
		ctx := context.Background()
		to := filepath.Join(t.TempDir(), "copy.db")
		if e == db.Postgres {
			if err := d.Backup(ctx, to); err == nil || !strings.Contains(err.Error(), "pg_dump") {
				t.Fatalf("backup on PostgreSQL: %v", err)
			}
			return
		}
		if err := d.Backup(ctx, to); err != nil {
			t.Fatal(err)
		}
		if err := d.Backup(ctx, to); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("backup over an existing file: %v", err)
		}
	})
}

func TestIDs(t *testing.T) {
	prev := ""
	for range 1000 {
		id := db.NewID()
		if !db.ValidID(id) || id[14] != '7' {
			t.Fatalf("%q is not a UUIDv7", id)
		}
		if id <= prev {
			t.Fatalf("ids not time-ordered: %q then %q", prev, id)
		}
		prev = id
	}
	for _, bad := range []string{"", "x", strings.Repeat("a", 36), "0190d8a2-7c3b-7abc-8def-0123456789a", "{0190d8a2-7c3b-7abc-8def-0123456789ab}"} {
		if db.ValidID(bad) {
			t.Errorf("ValidID(%q)", bad)
		}
	}
	if got := db.LikeEscape(`50%_a\b`); got != `50\%\_a\\b` {
		t.Fatalf("LikeEscape: %q", got)
	}
}
