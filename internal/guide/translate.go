package guide

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
)

// TrItem is one text of a service page in one language, beside its French.
type TrItem struct {
	Field   Field
	OwnerID string
	// Owner names the organisation, location or closure the text belongs to.
	Owner      string
	French     string
	Value      string
	Status     string
	ReviewedBy string
	ReviewedAt *time.Time
}

// Key identifies the item in the form.
func (it TrItem) Key() string { return it.OwnerID + "." + it.Field.Name }

// TranslationItems lists the texts of a service (and of its organisation,
// locations and current closures) with their translation in lang.
func (s *Store) TranslationItems(ctx context.Context, p *auth.Principal, id, lang string) (*Detail, []TrItem, error) {
	if !p.Can(auth.PermGuideEdit) && !p.Can(auth.PermTranslate) {
		return nil, nil, apperr.ErrForbidden
	}
	if lang == i18n.Source || !served(lang) {
		return nil, nil, apperr.ErrNotFound
	}
	d, err := s.StaffService(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	var rows []Translation
	if err := s.DB.R.NewSelect().Model(&rows).Where("org_id = ? AND lang = ? AND owner_id IN (?)", p.OrgID, lang, bun.List(d.ownerIDs())).
		Scan(ctx); err != nil {
		return nil, nil, err
	}
	byKey := map[string]Translation{}
	for _, r := range rows {
		byKey[r.OwnerID+"."+r.Field] = r
	}
	var items []TrItem
	add := func(owner, ownerID, label string, french func(string) string) {
		for _, f := range Fields {
			if f.Owner != owner || french(f.Name) == "" {
				continue
			}
			it := TrItem{Field: f, OwnerID: ownerID, Owner: label, French: french(f.Name), Status: TrMissing}
			if r, ok := byKey[it.Key()]; ok {
				it.Value, it.Status, it.ReviewedBy, it.ReviewedAt = r.Value, r.Status, r.ReviewedBy, r.ReviewedAt
			}
			items = append(items, it)
		}
	}
	add("service", d.Service.ID, "", d.Service.text)
	add("organization", d.Organization.ID, d.Organization.Name, func(string) string { return d.Organization.Description })
	for _, l := range d.Locations {
		add("location", l.ID, l.Name, func(string) string { return l.Directions })
	}
	for _, e := range d.Hours.Upcoming(s.today()) {
		add("exception", e.ID, e.StartsOn.Format(time.DateOnly), func(string) string { return e.Reason })
	}
	return d, items, nil
}

// TrInput is a submitted translation: the text, and whether the
// translator marks it reviewed.
type TrInput struct {
	Value    string
	Reviewed bool
}

// SaveTranslations writes the translations of a service page in lang. An
// empty text removes the translation (missing). A changed text is a draft
// unless a translator marks it reviewed; only translators (PermTranslate)
// mark texts reviewed. It returns the number of texts changed.
func (s *Store) SaveTranslations(ctx context.Context, p *auth.Principal, id, lang string, in map[string]TrInput) (int, error) {
	_, items, err := s.TranslationItems(ctx, p, id, lang)
	if err != nil {
		return 0, err
	}
	reviewer := p.Can(auth.PermTranslate)
	f := map[string]string{}
	for _, it := range items {
		if v, ok := in[it.Key()]; ok && utf8.RuneCountInString(v.Value) > it.Field.Max {
			f["tr."+it.Key()] = "common.form.too_long"
		}
	}
	if err := invalid(f); err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	changed := 0
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var touched []string
		for _, it := range items {
			v, ok := in[it.Key()]
			if !ok || (v.Value == it.Value && (!reviewer || v.Reviewed == (it.Status == TrReviewed))) {
				continue
			}
			if v.Value == "" {
				if _, err := tx.NewDelete().Model((*Translation)(nil)).Where("owner_id = ? AND field = ? AND lang = ? AND org_id = ?",
					it.OwnerID, it.Field.Name, lang, p.OrgID).Exec(ctx); err != nil {
					return err
				}
			} else {
				t := &Translation{ID: db.NewID(), OrgID: p.OrgID, OwnerType: it.Field.Owner, OwnerID: it.OwnerID, Field: it.Field.Name,
					Lang: lang, Value: v.Value, Status: TrDraft, TranslatedBy: p.Name, UpdatedAt: now}
				if reviewer && v.Reviewed {
					t.Status, t.ReviewedBy, t.ReviewerID, t.ReviewedAt = TrReviewed, p.Name, &p.UserID, &now
				}
				if _, err := tx.NewInsert().Model(t).
					On("CONFLICT (owner_id, field, lang) DO UPDATE").
					Set("value = EXCLUDED.value, status = EXCLUDED.status, translated_by = EXCLUDED.translated_by").
					Set("reviewed_by = EXCLUDED.reviewed_by, reviewer_id = EXCLUDED.reviewer_id, reviewed_at = EXCLUDED.reviewed_at").
					Set("updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
					return err
				}
			}
			changed++
			touched = append(touched, it.Key())
			if err := s.ownerChanged(ctx, tx, id, it.Field.Owner, it.OwnerID); err != nil {
				return err
			}
		}
		if changed == 0 {
			return nil
		}
		if err := s.reindexOwners(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, "translation.save", "service", id, map[string]any{"lang": lang, "texts": touched})
	})
	return changed, err
}

// ownerChanged dates the change of a translation on the row that owns it
// (a removed translation leaves no row of its own to carry the date): the
// organisation, the place, or the service for its own texts and its
// closures'.
func (s *Store) ownerChanged(ctx context.Context, tx bun.Tx, serviceID, ownerType, ownerID string) error {
	var model any
	switch ownerType {
	case "organization":
		model = (*Organization)(nil)
	case "location":
		model = (*Location)(nil)
	default:
		return s.touch(ctx, tx, serviceID)
	}
	_, err := tx.NewUpdate().Model(model).Set("updated_at = ?", s.Clock.Now()).Where("id = ?", ownerID).Exec(ctx)
	return err
}

// reindexOwners refreshes the search text of the services that share the
// texts of service id (its organisation's and locations' services).
func (s *Store) reindexOwners(ctx context.Context, tx bun.Tx, id string) error {
	var ids []string
	err := tx.NewSelect().Model((*Service)(nil)).Column("id").
		Where("organization_id = (SELECT organization_id FROM guide_services WHERE id = ?)", id).
		WhereOr("id IN (SELECT sl2.service_id FROM guide_service_at_locations AS sl1 JOIN guide_service_at_locations AS sl2 ON sl2.location_id = sl1.location_id WHERE sl1.service_id = ?)", id).
		Scan(ctx, &ids)
	if err != nil {
		return err
	}
	return s.reindex(ctx, tx, ids...)
}

// QueueRow is a service with texts to translate or review in a language.
type QueueRow struct {
	ServiceID, Name string
	Missing, Draft  int
}

// Queue lists, for lang, the centre's services with texts missing or in
// draft, most work first.
func (s *Store) Queue(ctx context.Context, p *auth.Principal, lang string) ([]QueueRow, error) {
	if lang == i18n.Source || !served(lang) {
		return nil, apperr.ErrNotFound
	}
	var svcs []Service
	if err := s.DB.R.NewSelect().Model(&svcs).Where("org_id = ?", p.OrgID).Order("name").Scan(ctx); err != nil {
		return nil, err
	}
	var orgs []Organization
	if err := s.DB.R.NewSelect().Model(&orgs).Where("org_id = ?", p.OrgID).Scan(ctx); err != nil {
		return nil, err
	}
	var locs []struct {
		Location
		ServiceID string `bun:"service_id"`
	}
	if err := s.DB.R.NewSelect().TableExpr("guide_locations AS loc").ColumnExpr("loc.*, sl.service_id").
		Join("JOIN guide_service_at_locations AS sl ON sl.location_id = loc.id").Where("loc.org_id = ?", p.OrgID).Scan(ctx, &locs); err != nil {
		return nil, err
	}
	var excs []ExceptionRow
	if err := s.DB.R.NewSelect().Model(&excs).Where("org_id = ? AND ends_on >= ? AND reason <> ''", p.OrgID, s.today()).Scan(ctx); err != nil {
		return nil, err
	}
	var trs []Translation
	if err := s.DB.R.NewSelect().Model(&trs).Column("owner_id", "field", "status").Where("org_id = ? AND lang = ?", p.OrgID, lang).Scan(ctx); err != nil {
		return nil, err
	}
	status := map[string]string{}
	for _, t := range trs {
		status[t.OwnerID+"."+t.Field] = t.Status
	}
	orgDesc := map[string]string{}
	for _, o := range orgs {
		orgDesc[o.ID] = o.Description
	}
	var out []QueueRow
	for _, sv := range svcs {
		row := QueueRow{ServiceID: sv.ID, Name: sv.Name}
		count := func(ownerID, field, french string) {
			if french == "" {
				return
			}
			switch status[ownerID+"."+field] {
			case "":
				row.Missing++
			case TrDraft:
				row.Draft++
			}
		}
		for _, f := range Fields {
			if f.Owner == "service" {
				count(sv.ID, f.Name, sv.text(f.Name))
			}
		}
		count(sv.OrganizationID, "description", orgDesc[sv.OrganizationID])
		for _, l := range locs {
			if l.ServiceID == sv.ID {
				count(l.ID, "directions", l.Directions)
			}
		}
		for _, e := range excs {
			if e.ServiceID == sv.ID {
				count(e.ID, "reason", e.Reason)
			}
		}
		if row.Missing+row.Draft > 0 {
			out = append(out, row)
		}
	}
	return out, nil
}
