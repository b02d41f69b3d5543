package guide

import (
	"context"

	"github.com/uptrace/bun"
)

// Hooks for internal/guide/exchange, which writes the rows of an import
// into the guide's tables inside one transaction of its own (all or
// nothing) and must keep the guide's rules while doing so.

// Reindex rebuilds the search text of services inside tx.
func (s *Store) Reindex(ctx context.Context, tx bun.Tx, ids ...string) error {
	return s.reindex(ctx, tx, ids...)
}

// SourceChanged sends the translations of an owner's field back to draft
// when its French text changed, inside tx.
func (s *Store) SourceChanged(ctx context.Context, tx bun.Tx, ownerID, field, old, cur string) error {
	return s.sourceChanged(ctx, tx, ownerID, field, old, cur)
}

// Touch marks services changed now, inside tx (see touch): an import that
// changes a service's hours, phones, places or categories dates it.
func (s *Store) Touch(ctx context.Context, tx bun.Tx, ids ...string) error {
	return s.touch(ctx, tx, ids...)
}
