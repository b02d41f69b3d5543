package auth

import (
	"context"
	"embed"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/db"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the account tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// User is a staff, partner or volunteer account.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID            string     `bun:"id,pk"`
	OrgID         string     `bun:"org_id"`
	Email         string     `bun:"email"`
	Name          string     `bun:"name"`
	PasswordHash  string     `bun:"password_hash"`
	TOTPSecret    string     `bun:"totp_secret"`
	TOTPEnabledAt *time.Time `bun:"totp_enabled_at"`
	TOTPLastStep  int64      `bun:"totp_last_step"`
	Lang          string     `bun:"lang"`
	PartnerOrg    string     `bun:"partner_org"`
	Demo          bool       `bun:"demo"`
	DisabledAt    *time.Time `bun:"disabled_at"`
	LastLoginAt   *time.Time `bun:"last_login_at"`
	CreatedAt     time.Time  `bun:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at"`
}

// MembershipRow is a stored role in a site.
type MembershipRow struct {
	bun.BaseModel `bun:"table:memberships"`

	ID        string    `bun:"id,pk"`
	OrgID     string    `bun:"org_id"`
	UserID    string    `bun:"user_id"`
	Role      string    `bun:"role"`
	SiteID    *string   `bun:"site_id"`
	CreatedAt time.Time `bun:"created_at"`
}

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// UserByEmail finds an account by e-mail (any centre).
func UserByEmail(ctx context.Context, q bun.IDB, email string) (*User, error) {
	u := new(User)
	err := q.NewSelect().Model(u).Where("email = ?", NormalizeEmail(email)).Scan(ctx)
	return u, db.Translate(err)
}

// UserByID finds an account of a centre.
func UserByID(ctx context.Context, q bun.IDB, orgID, id string) (*User, error) {
	u := new(User)
	err := q.NewSelect().Model(u).Where("org_id = ? AND id = ?", orgID, id).Scan(ctx)
	return u, db.Translate(err)
}

// MembershipsOf lists a user's roles.
func MembershipsOf(ctx context.Context, q bun.IDB, orgID, userID string) ([]Membership, error) {
	var rows []MembershipRow
	if err := q.NewSelect().Model(&rows).Where("org_id = ? AND user_id = ?", orgID, userID).
		Order("role", "site_id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]Membership, len(rows))
	for i, r := range rows {
		out[i] = Membership{Role: Role(r.Role)}
		if r.SiteID != nil {
			out[i].SiteID = *r.SiteID
		}
	}
	return out, nil
}

// SetMemberships replaces a user's roles inside tx.
func SetMemberships(ctx context.Context, tx bun.Tx, orgID, userID string, ms []Membership, now time.Time) error {
	if _, err := tx.NewDelete().Model((*MembershipRow)(nil)).Where("org_id = ? AND user_id = ?", orgID, userID).Exec(ctx); err != nil {
		return err
	}
	if len(ms) == 0 {
		return nil
	}
	rows := make([]MembershipRow, len(ms))
	for i, m := range ms {
		rows[i] = MembershipRow{ID: db.NewID(), OrgID: orgID, UserID: userID, Role: string(m.Role), CreatedAt: now}
		if m.SiteID != "" {
			s := m.SiteID
			rows[i].SiteID = &s
		}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return db.Translate(err)
}
