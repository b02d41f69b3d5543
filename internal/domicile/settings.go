package domicile

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/org"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
)

// Settings are a domiciling site's settings: the header of the CERFA and
// the letters, and whether the site agrees to SMS (with its days and hour)
// and to the person's portal.
type Settings struct {
	bun.BaseModel `bun:"table:dom_sites"`

	SiteID        string    `bun:"site_id,pk"`
	OrgID         string    `bun:"org_id"`
	Organism      string    `bun:"organism"`
	Manager       string    `bun:"manager"`
	Prefecture    string    `bun:"prefecture"`
	Approval      string    `bun:"approval"`
	MailAddress   string    `bun:"mail_address"`
	Email         string    `bun:"email"`
	Phone         string    `bun:"phone"`
	Attachment    string    `bun:"attachment"`
	Hours         string    `bun:"hours"`
	Capacity      int       `bun:"capacity"`
	SMSEnabled    bool      `bun:"sms_enabled"`
	SMSDays       string    `bun:"sms_days"`
	SMSHour       int       `bun:"sms_hour"`
	PortalEnabled bool      `bun:"portal_enabled"`
	UpdatedBy     string    `bun:"updated_by"`
	UpdatedAt     time.Time `bun:"updated_at"`

	// City is the site's city, for "Fait à" (not stored here).
	City string `bun:"-"`
	// SiteName is the site's name (not stored here).
	SiteName string `bun:"-"`
}

// Days returns the ISO weekdays (1 Monday .. 7 Sunday) SMS go out on.
func (st *Settings) Days() []int {
	var out []int
	for _, f := range strings.Split(st.SMSDays, ",") {
		if d, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && d >= 1 && d <= 7 && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

// HasDay reports whether SMS go out on ISO weekday d.
func (st *Settings) HasDay(d int) bool { return slices.Contains(st.Days(), d) }

// NextSlot is the first sending time after now: one of the site's days at
// its hour, in Paris (DomiFa: Tuesday and Thursday at 19:00 by default).
func (st *Settings) NextSlot(now time.Time) time.Time {
	days := st.Days()
	if len(days) == 0 {
		days = []int{1, 2, 3, 4, 5}
	}
	p := now.In(clock.Paris)
	for i := 0; i <= 7; i++ {
		d := time.Date(p.Year(), p.Month(), p.Day()+i, st.SMSHour, 0, 0, 0, clock.Paris)
		wd := int(d.Weekday())
		if wd == 0 {
			wd = 7
		}
		if slices.Contains(days, wd) && d.After(now) {
			return d.UTC()
		}
	}
	return now
}

// Settings returns a site's settings; a site without any yet gets defaults
// from the site and the centre.
func (s *Service) Settings(ctx context.Context, q bun.IDB, orgID, siteID string) (*Settings, error) {
	site := new(org.Site)
	if err := q.NewSelect().Model(site).Where("org_id = ? AND id = ?", orgID, siteID).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	st := new(Settings)
	err := q.NewSelect().Model(st).Where("site_id = ?", siteID).Scan(ctx)
	if err != nil && !apperr.Is(db.Translate(err), apperr.NotFound) {
		return nil, err
	}
	if err != nil {
		var orgName string
		if err := q.NewSelect().Table("orgs").Column("name").Where("id = ?", orgID).Scan(ctx, &orgName); err != nil {
			return nil, err
		}
		addr := clean(site.Address)
		if pc := clean(site.PostalCode + " " + site.City); pc != "" {
			addr = strings.TrimSpace(addr + "\n" + pc)
		}
		st = &Settings{SiteID: siteID, OrgID: orgID, Organism: orgName, MailAddress: site.Name + "\n" + addr, Email: site.Email,
			Phone: site.Phone, SMSDays: "2,4", SMSHour: 19}
	}
	st.City, st.SiteName = site.City, site.Name
	return st, nil
}

// SaveSettings records a site's settings (site managers of the site,
// administrators).
func (s *Service) SaveSettings(ctx context.Context, p *auth.Principal, st Settings) error {
	if !p.CanAt(auth.PermDomicileManage, st.SiteID) || !db.ValidID(st.SiteID) {
		return apperr.ErrNotFound
	}
	cur, err := s.Settings(ctx, s.DB.R, p.OrgID, st.SiteID)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	for name, v := range map[string]*string{"organism": &st.Organism, "manager": &st.Manager, "prefecture": &st.Prefecture,
		"approval": &st.Approval, "email": &st.Email, "phone": &st.Phone, "attachment": &st.Attachment} {
		*v = clean(*v)
		if tooLong(*v, maxShort) {
			fields[name] = "common.form.too_long"
		}
	}
	st.MailAddress, st.Hours = strings.TrimSpace(st.MailAddress), strings.TrimSpace(st.Hours)
	if st.Organism == "" {
		fields["organism"] = "common.form.required"
	}
	if st.MailAddress == "" {
		fields["mail_address"] = "common.form.required"
	} else if tooLong(st.MailAddress, 300) {
		fields["mail_address"] = "common.form.too_long"
	}
	if tooLong(st.Hours, 300) {
		fields["hours"] = "common.form.too_long"
	}
	if st.Capacity < 0 || st.Capacity > 1_000_000 {
		fields["capacity"] = "common.form.invalid_choice"
	}
	if st.SMSHour < 8 || st.SMSHour > 20 {
		fields["sms_hour"] = "domicile.error.sms_hour"
	}
	if st.SMSEnabled && len(st.Days()) == 0 {
		fields["sms_days"] = "domicile.error.sms_days"
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	st.OrgID, st.UpdatedBy, st.UpdatedAt = p.OrgID, p.UserID, s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&st).On("CONFLICT (site_id) DO UPDATE").
			Set("organism = EXCLUDED.organism, manager = EXCLUDED.manager, prefecture = EXCLUDED.prefecture, approval = EXCLUDED.approval").
			Set("mail_address = EXCLUDED.mail_address, email = EXCLUDED.email, phone = EXCLUDED.phone, attachment = EXCLUDED.attachment").
			Set("hours = EXCLUDED.hours, capacity = EXCLUDED.capacity, sms_enabled = EXCLUDED.sms_enabled, sms_days = EXCLUDED.sms_days").
			Set("sms_hour = EXCLUDED.sms_hour, portal_enabled = EXCLUDED.portal_enabled, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").
			Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.settings", ObjectType: "site", ObjectID: st.SiteID, SiteID: st.SiteID,
			Details: map[string]any{"sms": st.SMSEnabled, "sms_was": cur.SMSEnabled, "sms_days": st.SMSDays, "sms_hour": st.SMSHour,
				"portal": st.PortalEnabled}})
	})
}

// DefaultRetentionMonths is how long the module keeps a closed file after
// the last contact with the person (DomiFa's privacy policy: 2 years).
const DefaultRetentionMonths = 24

// RetentionMonths returns the centre's retention period, in months.
func (s *Service) RetentionMonths(ctx context.Context, q bun.IDB, orgID string) (int, error) {
	var n []int
	if err := q.NewSelect().Table("dom_orgs").Column("retention_months").Where("org_id = ?", orgID).Scan(ctx, &n); err != nil {
		return 0, err
	}
	if len(n) == 0 || n[0] <= 0 {
		return DefaultRetentionMonths, nil
	}
	return n[0], nil
}

// SetRetention changes the centre's retention period, a setting of the
// whole centre (administrators, who manage the centre's sites), between 12
// and 120 months.
func (s *Service) SetRetention(ctx context.Context, p *auth.Principal, months int) error {
	if !p.Can(auth.PermSitesManage) {
		return apperr.ErrForbidden
	}
	if months < 12 || months > 120 {
		return apperr.Validation(map[string]string{"retention_months": "domicile.error.retention_months"})
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw(`INSERT INTO dom_orgs (org_id, retention_months) VALUES (?, ?)
			ON CONFLICT (org_id) DO UPDATE SET retention_months = EXCLUDED.retention_months`, p.OrgID, months).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.retention.set", ObjectType: "org", ObjectID: p.OrgID,
			Details: map[string]any{"months": months}})
	})
}

// Sites lists the active sites where the user holds perm.
func (s *Service) Sites(ctx context.Context, p *auth.Principal, perm auth.Perm) ([]org.Site, error) {
	sc, err := scope(p, perm)
	if err != nil {
		return nil, err
	}
	var out []org.Site
	q := s.DB.R.NewSelect().Model(&out).Where("org_id = ? AND archived_at IS NULL", p.OrgID)
	if !sc.All {
		q = q.Where("id IN (?)", bun.List(sc.Sites))
	}
	err = q.Order("name").Scan(ctx)
	return out, err
}
