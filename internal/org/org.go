// Package org manages centres (the tenants), their sites and the staff
// accounts of a centre, and serves the staff home page.
package org

import (
	"context"
	"embed"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/db"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the centres and sites tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// Org is a centre: a CCAS such as the CASVP, a CIAS or an approved association.
type Org struct {
	bun.BaseModel `bun:"table:orgs"`

	ID        string    `bun:"id,pk"`
	Name      string    `bun:"name"`
	Kind      string    `bun:"kind"`
	Demo      bool      `bun:"demo"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// OrgKinds are the kinds of centre.
var OrgKinds = []string{"ccas", "cias", "association"}

// Site is a place of a centre where people are received.
type Site struct {
	bun.BaseModel `bun:"table:sites"`

	ID         string     `bun:"id,pk"`
	OrgID      string     `bun:"org_id"`
	Name       string     `bun:"name"`
	Kind       string     `bun:"kind"`
	Address    string     `bun:"address"`
	PostalCode string     `bun:"postal_code"`
	City       string     `bun:"city"`
	Phone      string     `bun:"phone"`
	Email      string     `bun:"email"`
	OpensOn    *time.Time `bun:"opens_on,type:date"`
	ClosesOn   *time.Time `bun:"closes_on,type:date"`
	ArchivedAt *time.Time `bun:"archived_at"`
	CreatedAt  time.Time  `bun:"created_at"`
	UpdatedAt  time.Time  `bun:"updated_at"`
}

// SiteKinds are the kinds of site, in the centre's own vocabulary.
var SiteKinds = []string{
	"psa",       // permanence sociale d'accueil
	"esi",       // espace solidarité insertion
	"chu",       // centre d'hébergement d'urgence
	"chrs",      // centre d'hébergement et de réinsertion sociale
	"ssp",       // service social de proximité
	"casvp_arr", // centre d'action sociale d'arrondissement
	"residence", // résidence (services, autonomie, sociale)
	"gymnase",   // winter-plan gymnasium (temporary)
	"restaurant",
	"other",
}

// Temporary reports whether the site only opens for a season.
func (s Site) Temporary() bool { return s.OpensOn != nil || s.ClosesOn != nil }

// OpenOn reports whether the site is open on day d (archived sites never are).
func (s Site) OpenOn(d time.Time) bool {
	if s.ArchivedAt != nil {
		return false
	}
	day := d.Truncate(24 * time.Hour)
	if s.OpensOn != nil && day.Before(*s.OpensOn) {
		return false
	}
	if s.ClosesOn != nil && day.After(*s.ClosesOn) {
		return false
	}
	return true
}

// CreateOrg creates a centre (CLI and demo data).
func CreateOrg(ctx context.Context, tx bun.Tx, name, kind string, demo bool, now time.Time) (*Org, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return nil, apperr.Validation(map[string]string{"name": "common.form.required"})
	}
	if !contains(OrgKinds, kind) {
		return nil, apperr.Validation(map[string]string{"kind": "common.form.invalid_choice"})
	}
	o := &Org{ID: db.NewID(), Name: name, Kind: kind, Demo: demo, CreatedAt: now, UpdatedAt: now}
	_, err := tx.NewInsert().Model(o).Exec(ctx)
	return o, db.Translate(err)
}

// OrgByName finds a centre by exact name (CLI).
func OrgByName(ctx context.Context, q bun.IDB, name string) (*Org, error) {
	o := new(Org)
	err := q.NewSelect().Model(o).Where("name = ?", name).Scan(ctx)
	return o, db.Translate(err)
}

// Orgs lists every centre (CLI).
func Orgs(ctx context.Context, q bun.IDB) ([]Org, error) {
	var os []Org
	err := q.NewSelect().Model(&os).Order("name").Scan(ctx)
	return os, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
