package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Break describes where the chain is broken.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.Seq, b.Reason)
}

// Verify walks the whole trail and returns the number of entries checked,
// or a *Break at the first inconsistency: an edited entry (its hash no
// longer matches), a deleted one (a gap, or a previous-hash mismatch), or
// removed newest entries (the head does not match the last entry).
func (l *Log) Verify(ctx context.Context) (int64, error) {
	var h head
	if err := l.DB.R.NewSelect().Model(&h).Where("id = 1").Scan(ctx); err != nil {
		return 0, fmt.Errorf("audit head: %w", err)
	}
	prev, next := h.AnchorHash, h.FirstSeq
	var n int64
	const batch = 5000
	for {
		var es []Entry
		if err := l.DB.R.NewSelect().Model(&es).Where("seq >= ?", next).Order("seq").Limit(batch).Scan(ctx); err != nil {
			return n, err
		}
		for i := range es {
			e := &es[i]
			if e.Seq != next {
				return n, &Break{Seq: next, Reason: fmt.Sprintf("entry missing (next present is %d)", e.Seq)}
			}
			if e.PrevHash != prev {
				return n, &Break{Seq: e.Seq, Reason: "previous hash does not match the previous entry"}
			}
			if Hash(e) != e.Hash {
				return n, &Break{Seq: e.Seq, Reason: "content does not match its hash (entry edited)"}
			}
			prev, next = e.Hash, e.Seq+1
			n++
		}
		if len(es) < batch {
			break
		}
	}
	if next-1 != h.Seq || prev != h.Hash {
		return n, &Break{Seq: next, Reason: fmt.Sprintf("the trail ends at %d but the head says %d (newest entries removed)", next-1, h.Seq)}
	}
	return n, nil
}

// Purge deletes entries older than the retention period and moves the
// anchor, so the remaining chain still verifies. It returns the count.
func (l *Log) Purge(ctx context.Context, retention time.Duration) (int64, error) {
	cutoff := l.Clock.Now().Add(-retention)
	var n int64
	err := l.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var last Entry
		err := tx.NewSelect().Model(&last).Where("at < ?", cutoff).Order("seq DESC").Limit(1).Scan(ctx)
		if err != nil {
			if isNoRows(err) {
				return nil
			}
			return err
		}
		res, err := tx.NewDelete().Model((*Entry)(nil)).Where("seq <= ?", last.Seq).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.NewUpdate().Model((*head)(nil)).Set("first_seq = ?", last.Seq+1).Set("anchor_hash = ?", last.Hash).
			Where("id = 1").Exec(ctx)
		if err != nil {
			return err
		}
		return l.Record(ctx, tx, Event{Action: "audit.purge", Details: map[string]any{"deleted": n, "through_seq": last.Seq}})
	})
	return n, err
}
