package people

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
)

// Merge folds a duplicate file into the kept one: the duplicate's names
// stay searchable on the kept file, its consents, shares, team, household
// members, timeline and every module's rows move over (Hooks), household
// members linked to the duplicate are linked to the kept file, the fields
// the kept file lacks are filled from it (the household counters are
// raised to the merged list), and the duplicate stays as a closed row
// pointing to the kept file. Managers of both files' sites only.
func (s *Service) Merge(ctx context.Context, p *auth.Principal, keepID, dupID, reason string) error {
	keep, ka, err := s.Find(ctx, p, keepID)
	if err != nil {
		return err
	}
	dup, da, err := s.Find(ctx, p, dupID)
	if err != nil {
		return err
	}
	if !ka.Manage || !da.Manage {
		return apperr.ErrForbidden
	}
	if keep.ID == dup.ID {
		return apperr.Validation(map[string]string{"duplicate": "people.error.merge_self"})
	}
	if err := Writable(keep); err != nil {
		return err
	}
	if err := Writable(dup); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.Validation(map[string]string{"reason": "common.form.required"})
	}
	// Unmasked rows: the merge copies notes too.
	if keep, err = s.load(ctx, s.DB.R, p.OrgID, keep.ID); err != nil {
		return err
	}
	if dup, err = s.load(ctx, s.DB.R, p.OrgID, dup.ID); err != nil {
		return err
	}
	fillFrom(keep, dup)
	now := s.Clock.Now()
	keep.UpdatedAt = now
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(keep).WherePK().Where("org_id = ?", p.OrgID).Exec(ctx); err != nil {
			return err
		}
		// The duplicate's keys join the kept file's.
		if _, err := tx.NewRaw(`INSERT INTO person_name_keys (org_id, name_key, person_id, birth_year)
			SELECT org_id, name_key, ?, ? FROM person_name_keys WHERE person_id = ? ON CONFLICT DO NOTHING`, keep.ID, keep.BirthYear, dup.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*nameKey)(nil)).Set("birth_year = ?", keep.BirthYear).Where("person_id = ?", keep.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*nameKey)(nil)).Where("person_id = ?", dup.ID).Exec(ctx); err != nil {
			return err
		}
		for _, table := range []string{"person_consents", "person_shares", "person_events"} {
			if _, err := tx.NewUpdate().Table(table).Set("person_id = ?", keep.ID).Where("org_id = ? AND person_id = ?", p.OrgID, dup.ID).Exec(ctx); err != nil {
				return err
			}
		}
		if _, err := tx.NewRaw(`INSERT INTO person_team (org_id, person_id, user_id, added_by, added_at)
			SELECT org_id, ?, user_id, added_by, added_at FROM person_team WHERE person_id = ? ON CONFLICT DO NOTHING`, keep.ID, dup.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*teamRow)(nil)).Where("person_id = ?", dup.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Table("person_retention").Where("person_id IN (?)", bun.List([]string{keep.ID, dup.ID})).Exec(ctx); err != nil {
			return err
		}
		if err := mergeHousehold(ctx, tx, p.OrgID, dup.ID, keep.ID); err != nil {
			return err
		}
		if _, err := s.raiseCounts(ctx, tx, keep); err != nil {
			return err
		}
		for _, h := range s.Hooks {
			if err := h.MergePerson(ctx, tx, p.OrgID, dup.ID, keep.ID); err != nil {
				return err
			}
		}
		if _, err := tx.NewUpdate().Model((*Person)(nil)).Set("merged_into = ?", keep.ID).Set("updated_at = ?", now).
			Where("org_id = ? AND id = ?", p.OrgID, dup.ID).Exec(ctx); err != nil {
			return err
		}
		if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: keep.ID, Kind: "people.merged",
			Summary: Message{Key: "people.event.merged", Args: map[string]any{"Name": dup.DisplayName()}}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.merge", ObjectType: "person", ObjectID: keep.ID, SiteID: keep.SiteID,
			Details: map[string]any{"duplicate": dup.ID, "reason": reason}})
	})
}

// fillFrom completes the kept file with what only the duplicate knows.
func fillFrom(keep, dup *Person) {
	str := func(k *string, d string) {
		if *k == "" {
			*k = d
		}
	}
	str(&keep.GivenName, dup.GivenName)
	str(&keep.FamilyName, dup.FamilyName)
	str(&keep.GivenLatin, dup.GivenLatin)
	str(&keep.FamilyLatin, dup.FamilyLatin)
	str(&keep.Phone, dup.Phone)
	str(&keep.Languages, dup.Languages)
	str(&keep.FrenchLevel, dup.FrenchLevel)
	str(&keep.ReferentID, dup.ReferentID)
	if keep.Status == "" {
		keep.Status, keep.StatusDocument, keep.StatusFrom, keep.StatusUntil = dup.Status, dup.StatusDocument, dup.StatusFrom, dup.StatusUntil
	}
	if keep.BirthDate == nil && dup.BirthDate != nil {
		keep.BirthDate, keep.BirthYear, keep.BirthApprox = dup.BirthDate, dup.BirthYear, false
	}
	if keep.BirthYear == 0 {
		keep.BirthYear, keep.BirthApprox = dup.BirthYear, dup.BirthApprox
	}
	keep.HealthNote = joinNotes(keep.HealthNote, dup.HealthNote)
	keep.LegalNote = joinNotes(keep.LegalNote, dup.LegalNote)
	if dup.LastContactAt.After(keep.LastContactAt) {
		keep.LastContactAt = dup.LastContactAt
	}
	keep.SortName = FoldName(keep.FamilyLatin + " " + keep.GivenLatin)
}

func joinNotes(a, b string) string {
	switch {
	case b == "" || a == b:
		return a
	case a == "":
		return b
	}
	return a + "\n\n" + b
}

// Erase removes the personal data of a file at the person's request (right
// to erasure), or for retention: every module purges its part (Hooks), the
// identity, notes, consents, shares, team, household members (and other
// files' links to it) and timeline are deleted, and the row stays,
// anonymised, for statistics (site and dates only). Managers.
func (s *Service) Erase(ctx context.Context, p *auth.Principal, id, reason string) error {
	per, a, err := s.Find(ctx, p, id)
	if err != nil {
		return err
	}
	if !a.Manage {
		return apperr.ErrForbidden
	}
	if per.Anonymised() {
		return nil
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.Validation(map[string]string{"reason": "common.form.required"})
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.anonymise(ctx, tx, per.OrgID, per.ID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.erase", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
			Details: map[string]any{"reason": reason}})
	})
}

// anonymise deletes a file's personal data inside tx.
func (s *Service) anonymise(ctx context.Context, tx bun.Tx, orgID, id string) error {
	for _, h := range s.Hooks {
		if err := h.PurgePerson(ctx, tx, orgID, id); err != nil {
			return err
		}
	}
	if err := purgeHousehold(ctx, tx, orgID, id); err != nil {
		return err
	}
	for _, table := range []string{"person_name_keys", "person_consents", "person_shares", "person_team", "person_events", "person_retention"} {
		if _, err := tx.NewDelete().Table(table).Where("person_id = ?", id).Exec(ctx); err != nil {
			return err
		}
	}
	now := s.Clock.Now()
	_, err := tx.NewUpdate().Model((*Person)(nil)).
		Set("given_name = '', family_name = '', given_latin = '', family_latin = '', sort_name = ''").
		Set("birth_date = NULL, birth_approx = ?, phone = '', languages = '', french_level = ''", false).
		Set("status_document = '', health_note = '', legal_note = '', referent_id = ''").
		Set("anonymised_at = ?", now).Set("updated_at = ?", now).
		Where("org_id = ? AND id = ?", orgID, id).Exec(ctx)
	return err
}

// RetentionRow is a file on the retention report.
type RetentionRow struct {
	PersonID      string    `bun:"person_id"`
	SiteID        string    `bun:"site_id"`
	Name          string    `bun:"-"`
	GivenName     string    `bun:"given_name"`
	FamilyName    string    `bun:"family_name"`
	GivenLatin    string    `bun:"given_latin"`
	FamilyLatin   string    `bun:"family_latin"`
	NoticedAt     time.Time `bun:"noticed_at"`
	LastContactAt time.Time `bun:"last_contact_at"`
	// GoesOn is when the nightly job anonymises the file.
	GoesOn time.Time `bun:"-"`
}

// RetentionReport lists the files announced for anonymisation in the
// user's sites (the dry run the nightly job writes before it acts).
func (s *Service) RetentionReport(ctx context.Context, p *auth.Principal) ([]RetentionRow, error) {
	sc := p.ScopeOf(auth.PermPersonManage)
	if sc.Empty() {
		return nil, apperr.ErrForbidden
	}
	var out []RetentionRow
	q := s.DB.R.NewSelect().TableExpr("person_retention AS r").
		ColumnExpr("r.person_id, r.noticed_at, p.last_contact_at, p.site_id, p.given_name, p.family_name, p.given_latin, p.family_latin").
		Join("JOIN persons AS p ON p.id = r.person_id").Where("r.org_id = ?", p.OrgID)
	if !sc.All {
		q = q.Where("p.site_id IN (?)", bun.List(sc.Sites))
	}
	if err := q.Order("r.noticed_at", "p.sort_name").Limit(1000).Scan(ctx, &out); err != nil {
		return nil, err
	}
	for i := range out {
		r := &out[i]
		per := Person{GivenName: r.GivenName, FamilyName: r.FamilyName, GivenLatin: r.GivenLatin, FamilyLatin: r.FamilyLatin}
		r.Name = per.DisplayName()
		r.GoesOn = Today(r.NoticedAt.Add(RetentionGrace))
	}
	return out, nil
}

// KeepFile takes a file off the retention report: the person was in
// contact (recorded as a contact, with the reason).
func (s *Service) KeepFile(ctx context.Context, p *auth.Principal, id, reason string) error {
	per, a, err := s.Find(ctx, p, id)
	if err != nil {
		return err
	}
	if !a.Manage {
		return apperr.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.Validation(map[string]string{"reason": "common.form.required"})
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: per.ID, Kind: "people.kept", Contact: true,
			Summary: Message{Key: "people.event.kept"}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.retention.keep", ObjectType: "person", ObjectID: per.ID,
			SiteID: per.SiteID, Details: map[string]any{"reason": reason}})
	})
}

// RetentionResult counts what a retention run did.
type RetentionResult struct {
	Noticed    int // files put on the report (dry run)
	Anonymised int // files anonymised after their time on the report
}

// RunRetention is the nightly retention job: files without contact for the
// retention period are put on the report; those on it for RetentionGrace
// and still without contact are anonymised, each in its own transaction
// with its audit entry.
func (s *Service) RunRetention(ctx context.Context) (RetentionResult, error) {
	var res RetentionResult
	now := s.Clock.Now()
	limit := now.Add(-s.retention())
	n, err := s.DB.W.NewRaw(`INSERT INTO person_retention (person_id, org_id, noticed_at, last_contact_at)
		SELECT id, org_id, ?, last_contact_at FROM persons
		WHERE last_contact_at < ? AND anonymised_at IS NULL AND merged_into = ''
		  AND id NOT IN (SELECT person_id FROM person_retention)`, now, limit).Exec(ctx)
	if err != nil {
		return res, err
	}
	if c, err := n.RowsAffected(); err == nil {
		res.Noticed = int(c)
	}
	var due []struct {
		PersonID string `bun:"person_id"`
		OrgID    string `bun:"org_id"`
		SiteID   string `bun:"site_id"`
	}
	if err := s.DB.R.NewSelect().TableExpr("person_retention AS r").ColumnExpr("r.person_id, r.org_id, p.site_id").
		Join("JOIN persons AS p ON p.id = r.person_id").
		Where("r.noticed_at <= ? AND p.last_contact_at < ?", now.Add(-RetentionGrace), limit).Limit(1000).Scan(ctx, &due); err != nil {
		return res, err
	}
	for _, d := range due {
		err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			if err := s.anonymise(ctx, tx, d.OrgID, d.PersonID); err != nil {
				return err
			}
			return s.Audit.Record(ctx, tx, audit.Event{Action: "person.retention.anonymise", OrgID: d.OrgID, ActorLabel: "system",
				ObjectType: "person", ObjectID: d.PersonID, SiteID: d.SiteID, Details: map[string]any{"retention": s.retention().String()}})
		})
		if err != nil {
			return res, err
		}
		res.Anonymised++
	}
	return res, nil
}
