package audit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/audit"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// newLog returns an audit log on a fresh migrated database with a fake clock.
func newLog(t *testing.T, e db.Engine) (*audit.Log, *clock.Fake) {
	t.Helper()
	fake := clock.NewFake(testkit.Start)
	return &audit.Log{DB: testkit.NewDB(t, e), Clock: fake}, fake
}

// record appends n entries, one second apart, and returns nothing but
// fails the test on error.
func record(t *testing.T, l *audit.Log, fake *clock.Fake, n int, ev audit.Event) {
	t.Helper()
	ctx := audit.WithActor(context.Background(), audit.Actor{UserID: "u-1", OrgID: "org-a", Label: "alice@example.org", IP: "192.0.2.1", RequestID: "req-1"})
	for i := range n {
		e := ev
		if e.Action == "" {
			e.Action = fmt.Sprintf("test.event%d", i)
		}
		if err := l.RecordNow(ctx, e); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		fake.Advance(time.Second)
	}
}

// all returns every entry in sequence order, straight from the table.
func all(t *testing.T, l *audit.Log) []audit.Entry {
	t.Helper()
	var es []audit.Entry
	if err := l.DB.R.NewSelect().Model(&es).Order("seq").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return es
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.W.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// wantBreak asserts Verify fails at seq.
func wantBreak(t *testing.T, l *audit.Log, seq int64, reason string) {
	t.Helper()
	n, err := l.Verify(context.Background())
	var b *audit.Break
	if !errors.As(err, &b) {
		t.Fatalf("Verify = %d, %v; want a break at %d", n, err, seq)
	}
	if b.Seq != seq {
		t.Fatalf("break at %d (%s); want %d", b.Seq, b.Reason, seq)
	}
	if !strings.Contains(b.Reason, reason) {
		t.Fatalf("break reason %q; want it to mention %q", b.Reason, reason)
	}
	var first int64
	if err := l.DB.R.NewRaw("SELECT first_seq FROM audit_head WHERE id = 1").Scan(context.Background(), &first); err != nil {
		t.Fatal(err)
	}
	if n != seq-first {
		t.Fatalf("Verify checked %d entries before the break at %d (trail starts at %d)", n, seq, first)
	}
}

func wantIntact(t *testing.T, l *audit.Log, n int64) {
	t.Helper()
	got, err := l.Verify(context.Background())
	if err != nil {
		t.Fatalf("Verify on an intact trail: %v", err)
	}
	if got != n {
		t.Fatalf("Verify checked %d entries, want %d", got, n)
	}
}

func TestChainAndVerify(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		ctx := context.Background()
		wantIntact(t, l, 0)
		record(t, l, fake, 5, audit.Event{ObjectType: "site", ObjectID: "s-1", Details: map[string]any{"name": "PSA Bastille", "n": 3}})
		es := all(t, l)
		if len(es) != 5 {
			t.Fatalf("%d entries, want 5", len(es))
		}
		prev := "genesis"
		for i, en := range es {
			if en.Seq != int64(i+1) {
				t.Fatalf("entry %d has seq %d", i, en.Seq)
			}
			if en.PrevHash != prev {
				t.Fatalf("entry %d: prev_hash %q, want the previous hash %q", en.Seq, en.PrevHash, prev)
			}
			if en.Hash != audit.Hash(&en) || len(en.Hash) != 64 {
				t.Fatalf("entry %d: stored hash does not match its content", en.Seq)
			}
			if en.OrgID != "org-a" || en.ActorID != "u-1" || en.ActorLabel != "alice@example.org" || en.IP != "192.0.2.1" || en.RequestID != "req-1" {
				t.Fatalf("entry %d: actor not taken from the context: %+v", en.Seq, en)
			}
			if en.Details != `{"n":3,"name":"PSA Bastille"}` {
				t.Fatalf("entry %d: details %q", en.Seq, en.Details)
			}
			if want := testkit.Start.Add(time.Duration(i) * time.Second); !en.At.Equal(want) {
				t.Fatalf("entry %d: at %s, want %s (fake clock)", en.Seq, en.At, want)
			}
			prev = en.Hash
		}
		wantIntact(t, l, 5)

		// The event's own fields win over the actor's.
		actx := audit.WithActor(ctx, audit.Actor{UserID: "u-2", OrgID: "org-a", Label: "bob", IP: "192.0.2.2"})
		if err := l.RecordNow(actx, audit.Event{Action: "auth.login_failed", OrgID: "org-b", ActorLabel: "typed@example.org", IP: "198.51.100.7"}); err != nil {
			t.Fatal(err)
		}
		last := all(t, l)[5]
		if last.OrgID != "org-b" || last.ActorLabel != "typed@example.org" || last.IP != "198.51.100.7" || last.ActorID != "u-2" || last.Details != "{}" {
			t.Fatalf("event fields should override the actor: %+v", last)
		}
		wantIntact(t, l, 6)

		// An entry recorded in a transaction that rolls back leaves no trace
		// and no hole in the chain.
		boom := errors.New("boom")
		err := l.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			if err := l.Record(ctx, tx, audit.Event{Action: "site.create"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx: %v", err)
		}
		record(t, l, fake, 1, audit.Event{Action: "site.update"})
		es = all(t, l)
		if len(es) != 7 || es[6].Seq != 7 || es[6].Action != "site.update" {
			t.Fatalf("after a rolled-back entry: %d entries, last %+v", len(es), es[len(es)-1])
		}
		wantIntact(t, l, 7)
	})
}

func TestVerifyDetectsEditedEntry(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		record(t, l, fake, 6, audit.Event{})
		wantIntact(t, l, 6)
		for _, c := range []struct{ col, val string }{
			{"action", "test.innocent"},
			{"actor_label", "someone else"},
			{"details", `{"x":1}`},
			{"ip", "203.0.113.9"},
		} {
			t.Run(c.col, func(t *testing.T) {
				var old string
				if err := l.DB.R.NewRaw("SELECT "+c.col+" FROM audit_log WHERE seq = 3").Scan(context.Background(), &old); err != nil {
					t.Fatal(err)
				}
				exec(t, l.DB, "UPDATE audit_log SET "+c.col+" = ? WHERE seq = 3", c.val)
				wantBreak(t, l, 3, "edited")
				exec(t, l.DB, "UPDATE audit_log SET "+c.col+" = ? WHERE seq = 3", old)
				wantIntact(t, l, 6)
			})
		}
		// Moving an entry in time is an edit too.
		exec(t, l.DB, "UPDATE audit_log SET at = ? WHERE seq = 4", testkit.Start.Add(-time.Hour))
		wantBreak(t, l, 4, "edited")
	})
}

func TestVerifyDetectsRehashedEdit(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		record(t, l, fake, 5, audit.Event{})
		// A forger who edits entry 2 and recomputes its hash breaks the
		// link from entry 3.
		en := all(t, l)[1]
		en.Action = "test.forged"
		exec(t, l.DB, "UPDATE audit_log SET action = ?, hash = ? WHERE seq = 2", en.Action, audit.Hash(&en))
		wantBreak(t, l, 3, "previous hash")
	})
}

func TestVerifyDetectsDeletedMiddleEntry(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		record(t, l, fake, 6, audit.Event{})
		exec(t, l.DB, "DELETE FROM audit_log WHERE seq = 4")
		wantBreak(t, l, 4, "missing")

		// Renumbering the rest to close the gap is caught by the links.
		exec(t, l.DB, "UPDATE audit_log SET seq = seq - 1 WHERE seq > 4")
		_, err := l.Verify(context.Background())
		var b *audit.Break
		if !errors.As(err, &b) || b.Seq != 4 {
			t.Fatalf("renumbered trail: %v", err)
		}
	})
}

func TestVerifyDetectsDeletedFirstEntry(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		record(t, l, fake, 3, audit.Event{})
		exec(t, l.DB, "DELETE FROM audit_log WHERE seq = 1")
		wantBreak(t, l, 1, "missing")
	})
}

func TestVerifyDetectsDeletedHead(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		record(t, l, fake, 6, audit.Event{})
		// The newest two entries go: the chain itself is fine, the head is not.
		exec(t, l.DB, "DELETE FROM audit_log WHERE seq >= 5")
		wantBreak(t, l, 5, "newest entries removed")

		// Every entry gone.
		exec(t, l.DB, "DELETE FROM audit_log")
		wantBreak(t, l, 1, "newest entries removed")
	})
}

func TestVerifyDetectsHeadMismatch(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		record(t, l, fake, 3, audit.Event{})
		// Every entry is intact, but the head no longer names the last one.
		exec(t, l.DB, "UPDATE audit_head SET hash = 'x' WHERE id = 1")
		wantBreak(t, l, 4, "newest entries removed")
	})
}

func TestPurge(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		ctx := context.Background()
		record(t, l, fake, 4, audit.Event{Action: "old.event"})
		fake.Advance(400 * 24 * time.Hour)
		record(t, l, fake, 3, audit.Event{Action: "new.event"})

		// Nothing is old enough for a long retention.
		n, err := l.Purge(ctx, 1000*24*time.Hour)
		if err != nil || n != 0 {
			t.Fatalf("purge with long retention = %d, %v", n, err)
		}
		if got := len(all(t, l)); got != 7 {
			t.Fatalf("%d entries after a no-op purge", got)
		}

		n, err = l.Purge(ctx, 365*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Fatalf("purged %d, want 4", n)
		}
		es := all(t, l)
		if len(es) != 4 || es[0].Seq != 5 || es[0].Action != "new.event" {
			t.Fatalf("after purge: %+v", es)
		}
		// The purge leaves its own trace.
		p := es[3]
		if p.Action != "audit.purge" || p.Seq != 8 || !strings.Contains(p.Details, `"deleted":4`) || !strings.Contains(p.Details, `"through_seq":4`) {
			t.Fatalf("purge entry: %+v", p)
		}
		wantIntact(t, l, 4)

		// The trail goes on and still verifies; tampering is still caught.
		record(t, l, fake, 2, audit.Event{})
		wantIntact(t, l, 6)
		exec(t, l.DB, "DELETE FROM audit_log WHERE seq = 5")
		wantBreak(t, l, 5, "missing")
	})
}

func TestPurgeEverything(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		record(t, l, fake, 3, audit.Event{})
		fake.Advance(2 * 365 * 24 * time.Hour)
		n, err := l.Purge(context.Background(), 365*24*time.Hour)
		if err != nil || n != 3 {
			t.Fatalf("purge = %d, %v", n, err)
		}
		es := all(t, l)
		if len(es) != 1 || es[0].Seq != 4 || es[0].Action != "audit.purge" {
			t.Fatalf("after purging everything: %+v", es)
		}
		wantIntact(t, l, 1)
	})
}

func TestConcurrentRecordNow(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		const workers, each = 20, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for g := range workers {
			wg.Go(func() {
				ctx := audit.WithActor(context.Background(), audit.Actor{UserID: fmt.Sprintf("u-%d", g), OrgID: "org-a"})
				for i := range each {
					fake.Advance(time.Millisecond)
					if err := l.RecordNow(ctx, audit.Event{Action: "person.read", ObjectID: fmt.Sprintf("%d-%d", g, i)}); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("concurrent RecordNow: %v", err)
		}
		es := all(t, l)
		if len(es) != workers*each {
			t.Fatalf("%d entries, want %d", len(es), workers*each)
		}
		seen := map[string]bool{}
		for i, en := range es {
			if en.Seq != int64(i+1) {
				t.Fatalf("gap: position %d has seq %d", i, en.Seq)
			}
			if seen[en.ObjectID] {
				t.Fatalf("entry %s recorded twice", en.ObjectID)
			}
			seen[en.ObjectID] = true
		}
		wantIntact(t, l, workers*each)
	})
}

func TestList(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		l, fake := newLog(t, e)
		ctx := context.Background()
		alice := audit.WithActor(ctx, audit.Actor{UserID: "alice", OrgID: "org-a", Label: "alice@a.org"})
		bob := audit.WithActor(ctx, audit.Actor{UserID: "bob", OrgID: "org-a", Label: "bob@a.org"})
		mallory := audit.WithActor(ctx, audit.Actor{UserID: "mallory", OrgID: "org-b", Label: "m@b.org"})
		type rec struct {
			ctx context.Context
			ev  audit.Event
		}
		recs := []rec{
			{alice, audit.Event{Action: "auth.login"}},                                         // 1
			{bob, audit.Event{Action: "auth.login"}},                                           // 2
			{alice, audit.Event{Action: "site.create", ObjectType: "site", ObjectID: "s-1"}},   // 3
			{mallory, audit.Event{Action: "auth.login"}},                                       // 4 (other centre)
			{mallory, audit.Event{Action: "site.update", ObjectType: "site", ObjectID: "s-1"}}, // 5 (other centre, same object id)
			{alice, audit.Event{Action: "authz.denied"}},                                       // 6 (not under "auth.")
			{bob, audit.Event{Action: "site.update", ObjectType: "site", ObjectID: "s-1"}},     // 7
			{alice, audit.Event{Action: "auth.logout"}},                                        // 8
			{alice, audit.Event{Action: "a_b.one"}},                                            // 9
			{alice, audit.Event{Action: "axb.two"}},                                            // 10 ("_" is not a wildcard)
			{bob, audit.Event{Action: "site.update", ObjectType: "user", ObjectID: "s-1"}},     // 11 (other type)
			{alice, audit.Event{Action: "auth.login", OrgID: "org-b"}},                         // 12 (recorded for the other centre)
		}
		for i, r := range recs {
			if err := l.RecordNow(r.ctx, r.ev); err != nil {
				t.Fatalf("record %d: %v", i+1, err)
			}
			fake.Advance(time.Hour)
		}
		at := func(seq int64) time.Time { return testkit.Start.Add(time.Duration(seq-1) * time.Hour) }
		cases := []struct {
			name string
			f    audit.Filter
			want []int64
		}{
			{"centre A", audit.Filter{OrgID: "org-a"}, []int64{11, 10, 9, 8, 7, 6, 3, 2, 1}},
			{"centre B", audit.Filter{OrgID: "org-b"}, []int64{12, 5, 4}},
			{"no centre", audit.Filter{}, nil},
			{"unknown centre", audit.Filter{OrgID: "org-c"}, nil},
			{"actor", audit.Filter{OrgID: "org-a", ActorID: "alice"}, []int64{10, 9, 8, 6, 3, 1}},
			{"actor of another centre", audit.Filter{OrgID: "org-a", ActorID: "mallory"}, nil},
			{"action prefix", audit.Filter{OrgID: "org-a", Action: "auth."}, []int64{8, 2, 1}},
			{"exact action", audit.Filter{OrgID: "org-a", Action: "auth.login"}, []int64{2, 1}},
			{"exact action is not a prefix", audit.Filter{OrgID: "org-a", Action: "auth"}, nil},
			{"underscore is literal", audit.Filter{OrgID: "org-a", Action: "a_b."}, []int64{9}},
			{"percent is literal", audit.Filter{OrgID: "org-a", Action: "%."}, nil},
			{"object", audit.Filter{OrgID: "org-a", ObjectType: "site", ObjectID: "s-1"}, []int64{7, 3}},
			{"object id only", audit.Filter{OrgID: "org-a", ObjectID: "s-1"}, []int64{11, 7, 3}},
			{"object in the other centre", audit.Filter{OrgID: "org-b", ObjectType: "site", ObjectID: "s-1"}, []int64{5}},
			{"from (inclusive)", audit.Filter{OrgID: "org-a", From: at(8)}, []int64{11, 10, 9, 8}},
			{"to (exclusive)", audit.Filter{OrgID: "org-a", To: at(3)}, []int64{2, 1}},
			{"between", audit.Filter{OrgID: "org-a", From: at(2), To: at(7)}, []int64{6, 3, 2}},
			{"between, sub-second bound", audit.Filter{OrgID: "org-a", From: at(2).Add(time.Millisecond), To: at(7).Add(time.Millisecond)}, []int64{7, 6, 3}},
			{"paris time bound", audit.Filter{OrgID: "org-a", From: at(8).In(clock.Paris)}, []int64{11, 10, 9, 8}},
			{"combined", audit.Filter{OrgID: "org-a", ActorID: "alice", Action: "auth.", From: at(2)}, []int64{8}},
			{"limit", audit.Filter{OrgID: "org-a", Limit: 4}, []int64{11, 10, 9, 8}},
			{"page 2", audit.Filter{OrgID: "org-a", Limit: 4, BeforeSeq: 8}, []int64{7, 6, 3, 2}},
			{"page 3", audit.Filter{OrgID: "org-a", Limit: 4, BeforeSeq: 2}, []int64{1}},
			{"page past the end", audit.Filter{OrgID: "org-a", Limit: 4, BeforeSeq: 1}, nil},
			{"paged filter", audit.Filter{OrgID: "org-a", ActorID: "alice", Limit: 2, BeforeSeq: 9}, []int64{8, 6}},
		}
		for _, c := range cases {
			es, err := l.List(ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []int64
			for _, en := range es {
				if en.OrgID != c.f.OrgID {
					t.Fatalf("%s: entry %d of centre %q returned for %q", c.name, en.Seq, en.OrgID, c.f.OrgID)
				}
				got = append(got, en.Seq)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}

		// The default and maximum page sizes.
		for range 110 {
			if err := l.RecordNow(alice, audit.Event{Action: "person.read"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, lim := range []int{0, -1, 501} {
			es, err := l.List(ctx, audit.Filter{OrgID: "org-a", Limit: lim})
			if err != nil || len(es) != 100 {
				t.Fatalf("limit %d: %d entries, %v; want the default 100", lim, len(es), err)
			}
		}
		if es, err := l.List(ctx, audit.Filter{OrgID: "org-a", Limit: 500}); err != nil || len(es) != 119 {
			t.Fatalf("limit 500: %d entries, %v", len(es), err)
		}
	})
}
