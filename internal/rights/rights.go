// Package rights serves the rights module to professionals: the status fact
// sheets ("aides-mémoire"), kept per centre and versioned, with a monthly
// review reminder; the eligibility simulator (a form, and a JSON API) over
// the rules of internal/rights/rules; and the legal triage grid over
// internal/rights/triage.
//
// The fact sheets are national law, but each centre reviews and dates its
// own copy: a centre starts from the sheets embedded in the binary
// (internal/rights/sheets), seeded when the centre is created and at every
// start for sheets added by a new release (never by a page view: GET
// requests change nothing), and its legal specialists edit
// them from there. Every edit is a new version; earlier ones stay readable.
package rights

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/org"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/notify"
	"parcours/internal/rights/rules"
	"parcours/internal/rights/sheets"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the fact sheet tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// ReviewAfter is how long a sheet may go without review before it is due.
const ReviewAfter = 6 // months

// Sheet is a centre's copy of a fact sheet, with its current version.
type Sheet struct {
	bun.BaseModel `bun:"table:rights_sheets"`

	ID          string    `bun:"id,pk"`
	OrgID       string    `bun:"org_id"`
	Slug        string    `bun:"slug"`
	Group       string    `bun:"grp"`
	Version     int       `bun:"version"`
	Title       string    `bun:"title"`
	AppliesFrom time.Time `bun:"applies_from,type:date"`
	Unconfirmed int       `bun:"unconfirmed"`
	ReviewedOn  time.Time `bun:"reviewed_on,type:date"`
	ReviewedBy  string    `bun:"reviewed_by"`
	ReviewerID  *string   `bun:"reviewer_id"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

// ReviewDue reports whether the sheet has gone ReviewAfter months or more
// without review at the calendar date today.
func (s Sheet) ReviewDue(today time.Time) bool {
	return !today.Before(s.ReviewedOn.AddDate(0, ReviewAfter, 0))
}

// Version is one version of a sheet: the whole Markdown document and what
// changed.
type Version struct {
	bun.BaseModel `bun:"table:rights_sheet_versions"`

	ID          string    `bun:"id,pk"`
	OrgID       string    `bun:"org_id"`
	SheetID     string    `bun:"sheet_id"`
	Version     int       `bun:"version"`
	Title       string    `bun:"title"`
	Source      string    `bun:"source"`
	Changes     string    `bun:"changes"`
	AppliesFrom time.Time `bun:"applies_from,type:date"`
	ReviewedOn  time.Time `bun:"reviewed_on,type:date"`
	ReviewedBy  string    `bun:"reviewed_by"`
	AuthorID    *string   `bun:"author_id"`
	CreatedAt   time.Time `bun:"created_at"`
}

// Parse reads the version's document.
func (v *Version) Parse() (sheets.Sheet, error) {
	return sheets.Parse(fmt.Sprintf("%s v%d", v.SheetID, v.Version), []byte(v.Source))
}

type reminder struct {
	bun.BaseModel `bun:"table:rights_sheet_reminders"`

	SheetID string    `bun:"sheet_id,pk"`
	Period  string    `bun:"period,pk"`
	OrgID   string    `bun:"org_id"`
	SentAt  time.Time `bun:"sent_at"`
}

// Service keeps the fact sheets of each centre and sends review reminders.
type Service struct {
	DB     *db.DB
	Audit  *audit.Log
	Outbox *notify.Outbox
	Clock  clock.Clock
	// BaseURL starts the links of the reminder e-mails.
	BaseURL string
}

// today is the calendar date in Paris, as midnight UTC (how dates are kept).
func (s *Service) today() time.Time { return dateOnly(s.Clock.Now()) }

func dateOnly(t time.Time) time.Time {
	y, m, d := t.In(clock.Paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Groups are the status groups, in the order of the list filter; a sheet's
// group is the group of the statuses that link to it.
var Groups = []rules.StatusGroup{rules.GroupAsylum, rules.GroupProtection, rules.GroupFamily, rules.GroupTitle,
	rules.GroupInterim, rules.GroupIrregular, rules.GroupMinor}

func sheetGroup(slug string) string {
	for _, st := range rules.Statuses() {
		if st.Sheet == slug {
			return string(st.Group)
		}
	}
	return ""
}

// StatusesOf lists the simulator's statuses a sheet covers.
func StatusesOf(slug string) []rules.StatusInfo {
	var out []rules.StatusInfo
	for _, st := range rules.Statuses() {
		if st.Sheet == slug {
			out = append(out, st)
		}
	}
	return out
}

// Seed adds to a centre the embedded sheets it does not have yet (all of
// them the first time), each as version 1 of the embedded text, and returns
// how many were added. It is idempotent; a concurrent seed of the same
// centre makes it add nothing.
func (s *Service) Seed(ctx context.Context, orgID string) (int, error) {
	embedded, err := sheets.Load()
	if err != nil {
		return 0, err
	}
	added := 0
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		added = 0
		var have []string
		if err := tx.NewSelect().Model((*Sheet)(nil)).Column("slug").Where("org_id = ?", orgID).Scan(ctx, &have); err != nil {
			return err
		}
		now := s.Clock.Now()
		var slugs []string
		for _, e := range embedded {
			if slices.Contains(have, e.Slug) {
				continue
			}
			fm := frontMatter{Slug: e.Slug, Title: e.Title, Version: e.Version, AppliesFrom: e.AppliesFrom,
				ReviewedOn: e.ReviewedOn, ReviewedBy: e.ReviewedBy, Changes: e.Changes}
			src, _ := compose(fm, e.Sections)
			sh := &Sheet{ID: db.NewID(), OrgID: orgID, Slug: e.Slug, Group: sheetGroup(e.Slug), Version: e.Version,
				Title: e.Title, AppliesFrom: e.AppliesFrom, Unconfirmed: e.Unconfirmed, ReviewedOn: e.ReviewedOn,
				ReviewedBy: e.ReviewedBy, CreatedAt: now, UpdatedAt: now}
			v := &Version{ID: db.NewID(), OrgID: orgID, SheetID: sh.ID, Version: e.Version, Title: e.Title, Source: src,
				Changes: e.Changes, AppliesFrom: e.AppliesFrom, ReviewedOn: e.ReviewedOn, ReviewedBy: e.ReviewedBy, CreatedAt: now}
			if _, err := tx.NewInsert().Model(sh).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
				return err
			}
			slugs = append(slugs, e.Slug)
		}
		if len(slugs) == 0 {
			return nil
		}
		added = len(slugs)
		return s.Audit.Record(ctx, tx, audit.Event{Action: "rights.sheets.seed", ObjectType: "rights_sheet", OrgID: orgID,
			Details: map[string]any{"slugs": slugs}})
	})
	if errors.Is(db.Translate(err), db.ErrUnique) {
		return 0, nil
	}
	return added, err
}

// SeedAll seeds every centre (at start-up, through the daily job).
func (s *Service) SeedAll(ctx context.Context) error {
	orgs, err := org.Orgs(ctx, s.DB.R)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if _, err := s.Seed(ctx, o.ID); err != nil {
			return fmt.Errorf("seed fact sheets of %s: %w", o.Name, err)
		}
	}
	return nil
}

// SheetFilter selects sheets in the list.
type SheetFilter struct {
	Group string
	Query string
	// Due keeps the sheets whose review is due.
	Due bool
}

// Sheets lists the centre's sheets, by title. The search looks, without
// case or accents, in the title and the text of the current version.
func (s *Service) Sheets(ctx context.Context, p *auth.Principal, f SheetFilter) ([]Sheet, error) {
	if !p.Can(auth.PermRightsRead) {
		return nil, apperr.ErrForbidden
	}
	var all []Sheet
	q := s.DB.R.NewSelect().Model(&all).Where("org_id = ?", p.OrgID)
	if f.Group != "" {
		q = q.Where("grp = ?", f.Group)
	}
	if err := q.Order("title").Scan(ctx); err != nil {
		return nil, err
	}
	today := s.today()
	if f.Due {
		all = slices.DeleteFunc(all, func(sh Sheet) bool { return !sh.ReviewDue(today) })
	}
	words := strings.Fields(fold(f.Query))
	if len(words) == 0 || len(all) == 0 {
		return all, nil
	}
	var rows []struct {
		SheetID string `bun:"sheet_id"`
		Source  string `bun:"source"`
	}
	if err := s.DB.R.NewSelect().TableExpr("rights_sheet_versions AS v").Column("v.sheet_id", "v.source").
		Join("JOIN rights_sheets AS s ON s.id = v.sheet_id AND s.version = v.version").
		Where("s.org_id = ?", p.OrgID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	text := make(map[string]string, len(rows))
	for _, r := range rows {
		text[r.SheetID] = fold(r.Source)
	}
	return slices.DeleteFunc(all, func(sh Sheet) bool {
		hay := fold(sh.Title) + " " + text[sh.ID]
		for _, w := range words {
			if !strings.Contains(hay, w) {
				return true
			}
		}
		return false
	}), nil
}

// Sheet returns a sheet of the centre by slug, with its versions (newest
// first). Another centre's sheets are never reached: slugs are per centre.
func (s *Service) Sheet(ctx context.Context, p *auth.Principal, slug string) (*Sheet, []Version, error) {
	if !p.Can(auth.PermRightsRead) {
		return nil, nil, apperr.ErrForbidden
	}
	if len(slug) > 80 {
		return nil, nil, apperr.ErrNotFound
	}
	sh := new(Sheet)
	if err := s.DB.R.NewSelect().Model(sh).Where("org_id = ? AND slug = ?", p.OrgID, slug).Scan(ctx); err != nil {
		return nil, nil, db.Translate(err)
	}
	var vs []Version
	err := s.DB.R.NewSelect().Model(&vs).Where("org_id = ? AND sheet_id = ?", p.OrgID, sh.ID).Order("version DESC").Scan(ctx)
	return sh, vs, err
}

// EditInput is a new version of a sheet, as the edit form sends it.
type EditInput struct {
	// Base is the version the form was opened on: saving over a newer one
	// is refused, so that nobody overwrites a colleague's edit unseen.
	Base        int
	Title       string
	Changes     string
	AppliesFrom time.Time // zero when missing
	// Sections are the bodies of the fixed sections, in order.
	Sections []string
}

// Limits of the edit form.
const (
	maxTitle   = 200
	maxChanges = 500
	maxSection = 20000
)

// SectionField names the form field of section i.
func SectionField(i int) string { return fmt.Sprintf("section.%d", i) }

// Update saves a new version of a sheet; its editor is recorded as the
// reviewer, on today's date. Validation errors name the form fields
// (title, changes, applies_from, section.N, or form for the whole form);
// the error's Args give, per field, the footnote id or heading concerned.
func (s *Service) Update(ctx context.Context, p *auth.Principal, slug string, in EditInput) (*Sheet, error) {
	if !p.Can(auth.PermSheetsEdit) {
		return nil, apperr.ErrForbidden
	}
	sh, vs, err := s.Sheet(ctx, p, slug)
	if err != nil {
		return nil, err
	}
	today := s.today()
	fm := frontMatter{Slug: sh.Slug, Title: singleLine(in.Title), Version: sh.Version + 1, AppliesFrom: in.AppliesFrom,
		ReviewedOn: today, ReviewedBy: singleLine(p.Name), Changes: singleLine(in.Changes)}
	if err := validateEdit(fm, in, sh, &vs[0]); err != nil {
		return nil, err
	}
	src, _ := compose(fm, sectionsOf(in.Sections))
	doc, err := sheets.Parse(slug, []byte(src))
	if err != nil {
		return nil, err // validateEdit parsed the same text
	}
	now := s.Clock.Now()
	author := p.UserID
	v := &Version{ID: db.NewID(), OrgID: p.OrgID, SheetID: sh.ID, Version: fm.Version, Title: fm.Title, Source: src,
		Changes: fm.Changes, AppliesFrom: fm.AppliesFrom, ReviewedOn: today, ReviewedBy: fm.ReviewedBy, AuthorID: &author, CreatedAt: now}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*Sheet)(nil)).Set("version = ?", v.Version).Set("title = ?", v.Title).
			Set("applies_from = ?", v.AppliesFrom).Set("unconfirmed = ?", doc.Unconfirmed).
			Set("reviewed_on = ?", today).Set("reviewed_by = ?", v.ReviewedBy).Set("reviewer_id = ?", author).
			Set("updated_at = ?", now).Where("org_id = ? AND id = ? AND version = ?", p.OrgID, sh.ID, sh.Version).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errConflict
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "rights.sheet.update", ObjectType: "rights_sheet", ObjectID: sh.ID,
			Details: map[string]any{"slug": sh.Slug, "version": v.Version, "changes": v.Changes}})
	})
	if errors.Is(err, errConflict) || errors.Is(db.Translate(err), db.ErrUnique) {
		return nil, apperr.Validation(map[string]string{"form": "rights.web.sheet.error.conflict"})
	}
	if err != nil {
		return nil, err
	}
	sh.Version, sh.Title, sh.AppliesFrom, sh.Unconfirmed = v.Version, v.Title, v.AppliesFrom, doc.Unconfirmed
	sh.ReviewedOn, sh.ReviewedBy, sh.ReviewerID = today, v.ReviewedBy, &author
	return sh, nil
}

var errConflict = errors.New("rights: sheet changed meanwhile")

// MarkReviewed records that the sheet was read again and is still right:
// today, by the signed-in user. It changes no text, so no version.
func (s *Service) MarkReviewed(ctx context.Context, p *auth.Principal, slug string) (*Sheet, error) {
	if !p.Can(auth.PermSheetsEdit) {
		return nil, apperr.ErrForbidden
	}
	sh, _, err := s.Sheet(ctx, p, slug)
	if err != nil {
		return nil, err
	}
	today, now, by, id := s.today(), s.Clock.Now(), singleLine(p.Name), p.UserID
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*Sheet)(nil)).Set("reviewed_on = ?", today).Set("reviewed_by = ?", by).
			Set("reviewer_id = ?", id).Set("updated_at = ?", now).Where("org_id = ? AND id = ?", p.OrgID, sh.ID).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "rights.sheet.review", ObjectType: "rights_sheet", ObjectID: sh.ID,
			Details: map[string]any{"slug": sh.Slug, "version": sh.Version}})
	})
	if err != nil {
		return nil, err
	}
	sh.ReviewedOn, sh.ReviewedBy, sh.ReviewerID = today, by, &id
	return sh, nil
}
