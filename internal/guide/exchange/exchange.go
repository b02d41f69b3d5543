package exchange

import (
	"embed"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/guide"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the exchange tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// Service exports, imports and serves the guide's data.
type Service struct {
	DB    *db.DB
	Audit *audit.Log
	Clock clock.Clock
	Guide *guide.Store
	// BaseURL is the site's public address (links in the API and exports).
	BaseURL string
}

func (s *Service) today() time.Time { return guide.DateOf(s.Clock.Now()) }

// importRow is an uploaded import, between preview and confirmation.
type importRow struct {
	bun.BaseModel `bun:"table:guide_exchange_imports"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	UserID    string     `bun:"user_id"`
	Files     []byte     `bun:"files"`
	RowCount  int        `bun:"row_count"`
	CreatedAt time.Time  `bun:"created_at"`
	DoneAt    *time.Time `bun:"done_at"`
}

// linkRow ties a record of another source to the guide row it became.
type linkRow struct {
	bun.BaseModel `bun:"table:guide_exchange_links"`

	ID         string    `bun:"id,pk"`
	OrgID      string    `bun:"org_id"`
	Kind       string    `bun:"kind"`
	Source     string    `bun:"source"`
	ExternalID string    `bun:"external_id"`
	LocalID    string    `bun:"local_id"`
	CreatedAt  time.Time `bun:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

// Kinds of link.
const (
	kindStructure = "structure"
	kindPlace     = "place"
	kindService   = "service"
)
