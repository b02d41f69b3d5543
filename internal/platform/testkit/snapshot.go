package testkit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"parcours/internal/platform/db"
)

// State fingerprints every table of a database: a test takes one before
// and one after a request, to show that the request changed nothing.
type State map[string]string

// Snapshot fingerprints every table (a session's last_seen_at is left out:
// reading pages may refresh it).
func Snapshot(t testing.TB, d *db.DB) State {
	t.Helper()
	ctx := context.Background()
	var tables []string
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if d.Engine == db.Postgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	if err := d.R.NewRaw(q).Scan(ctx, &tables); err != nil {
		t.Fatal(err)
	}
	out := State{}
	for _, tb := range tables {
		rows, err := d.R.QueryContext(ctx, "SELECT * FROM "+tb)
		if err != nil {
			t.Fatal(err)
		}
		out[tb] = fingerprint(t, rows, tb)
	}
	return out
}

func fingerprint(t testing.TB, rows *sql.Rows, table string) string {
	t.Helper()
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for i, c := range cols {
			if table == "sessions" && c == "last_seen_at" {
				continue
			}
			v := vals[i]
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			if tm, ok := v.(time.Time); ok {
				v = tm.UTC().Format(time.RFC3339Nano)
			}
			fmt.Fprintf(&sb, "%s=%v;", c, v)
		}
		lines = append(lines, sb.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return fmt.Sprintf("%d rows %s", len(lines), hex.EncodeToString(h[:8]))
}

// SameState fails the test for every table that differs between two snapshots.
func SameState(t testing.TB, before, after State, what string) {
	t.Helper()
	for tb, v := range after {
		if before[tb] != v {
			t.Errorf("%s changed table %s: %s -> %s", what, tb, before[tb], v)
		}
	}
}
