package db_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"parcours/internal/platform/db"
)

// ReleaseMemory empties the caches of every idle SQLite connection, readers
// included (they are read-only), and the pools go on working.
func TestReleaseMemory(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{Path: filepath.Join(t.TempDir(), "parcours.db"), MaxReaders: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE t (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if _, err := d.W.ExecContext(ctx, "INSERT INTO t VALUES (?)", i); err != nil {
			t.Fatal(err)
		}
	}
	// Three readers busy at once, then idle in the pool.
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			var n int
			if err := d.R.NewRaw("SELECT count(*) FROM t").Scan(ctx, &n); err != nil || n != 100 {
				t.Errorf("count: %d, %v", n, err)
			}
		})
	}
	wg.Wait()
	if err := d.ReleaseMemory(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := d.R.NewRaw("SELECT count(*) FROM t").Scan(ctx, &n); err != nil || n != 100 {
		t.Fatalf("after ReleaseMemory: %d, %v", n, err)
	}
	if s := d.R.DB.Stats(); s.OpenConnections == 0 || s.OpenConnections > 3 {
		t.Fatalf("read pool: %d connections", s.OpenConnections)
	}
}
