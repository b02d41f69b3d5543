// Package db opens the database (embedded SQLite by default, PostgreSQL when
// configured) behind one bun code path, runs the embedded migrations under a
// lock, and translates driver errors into a few shared ones.
//
// On SQLite there are two pools: a single-connection writer (shared by the
// application's transactions and River) and a read-only pool for pages, so
// reads never queue behind writes. On PostgreSQL both are the same pool.
// Inside a transaction, always use the transaction: on SQLite the writer has
// one connection, and asking the pool for a second one would wait forever.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"parcours/internal/platform/apperr"
)

// Engine names the database engine.
type Engine string

// Engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB holds the pools.
type DB struct {
	R      *bun.DB // reads (read-only on SQLite)
	W      *bun.DB // writes and transactions
	Engine Engine
	// Path is the SQLite file (empty on PostgreSQL).
	Path string
}

// Options selects the database.
type Options struct {
	// URL is a postgres:// URL; when empty, Path is a SQLite file.
	URL  string
	Path string
	// MaxReaders bounds the SQLite read pool (default: 2 x CPUs, at least 4).
	MaxReaders int
}

// Open connects and checks the connection. It does not migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.URL != "" {
		return openPostgres(ctx, o.URL)
	}
	return openSQLite(ctx, o)
}

func openPostgres(ctx context.Context, u string) (*DB, error) {
	sqldb, err := sql.Open("pgx", u)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	n := 4 * runtime.GOMAXPROCS(0)
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("connect to postgres %s: %w", redact(u), err)
	}
	b := bun.NewDB(sqldb, pgdialect.New())
	return &DB{R: b, W: b, Engine: Postgres}, nil
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", "cache_size(-16000)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, o Options) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	w, err := sql.Open("sqlite", sqliteDSN(o.Path, false))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", o.Path, err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(o.Path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	n := o.MaxReaders
	if n <= 0 {
		n = max(4, 2*runtime.GOMAXPROCS(0))
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	return &DB{
		R:      bun.NewDB(r, sqlitedialect.New()),
		W:      bun.NewDB(w, sqlitedialect.New()),
		Engine: SQLite,
		Path:   o.Path,
	}, nil
}

// ReleaseMemory gives back the memory of SQLite's page caches when the
// server is idle: every idle connection (the read pool's and the writer)
// empties its cache (PRAGMA shrink_memory) and keeps its parsed schema, so
// the next query reads its pages from the system's file cache. Nothing on
// PostgreSQL.
func (d *DB) ReleaseMemory(ctx context.Context) error {
	if d.Engine != SQLite {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	// Take the idle readers out of the pool (a request that comes in the
	// meantime gets another one), then give them back.
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	var errs []error
	for range d.R.DB.Stats().Idle {
		c, err := d.R.DB.Conn(ctx)
		if err != nil {
			errs = append(errs, err)
			break
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		if _, err := c.ExecContext(ctx, "PRAGMA shrink_memory"); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := d.W.DB.ExecContext(ctx, "PRAGMA shrink_memory"); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Close closes the pools.
func (d *DB) Close() error {
	if d.R == d.W {
		return d.W.Close()
	}
	return errors.Join(d.R.Close(), d.W.Close())
}

// Ping checks that the database answers (for /readyz).
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.R.NewRaw("SELECT 1").Scan(ctx, &one)
}

// Tx runs fn in a write transaction, committing when fn returns nil.
// Driver errors are translated (see Translate).
func (d *DB) Tx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	err := d.W.RunInTx(ctx, nil, fn)
	return Translate(err)
}

// NewID returns a new time-ordered UUIDv7 string.
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when the system random source fails.
		panic(fmt.Sprintf("uuid: %v", err))
	}
	return id.String()
}

// ValidID reports whether s is a canonical UUID string.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

// Sentinel errors from the driver, after translation.
var (
	ErrUnique     = errors.New("db: unique constraint violated")
	ErrForeignKey = errors.New("db: foreign key constraint violated")
)

// Translate maps driver errors to ErrUnique, ErrForeignKey and
// apperr.ErrNotFound (for sql.ErrNoRows); other errors pass through.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(apperr.NotFound, "common.error.not_found", err)
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", ErrUnique, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: %v", ErrForeignKey, err)
		}
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pe.Code {
		case "23505":
			return fmt.Errorf("%w: %v", ErrUnique, err)
		case "23503":
			return fmt.Errorf("%w: %v", ErrForeignKey, err)
		}
	}
	return err
}

// LikeEscape escapes % and _ for a LIKE pattern used with ESCAPE '\'.
func LikeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Backup writes a consistent copy of the SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot).
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.Engine != SQLite {
		return errors.New("db: backup is for SQLite; use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	_, err := d.W.DB.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}
