package domicile

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// Interview returns a file's interview.
func (s *Service) Interview(ctx context.Context, fileID string) (*Interview, error) {
	iv := new(Interview)
	err := s.DB.R.NewSelect().Model(iv).Where("file_id = ?", fileID).Scan(ctx)
	if err != nil && apperr.Is(db.Translate(err), apperr.NotFound) {
		return &Interview{FileID: fileID}, nil
	}
	return iv, err
}

// validate checks the interview's choices against the official categories
// and bounds the free texts.
func (iv *Interview) validate(today time.Time) map[string]string {
	fields := map[string]string{}
	for name, c := range map[string]struct {
		v    string
		list []string
	}{"link": {iv.Link, Links}, "household": {iv.Household, Households}, "residence": {iv.Residence, Residences},
		"cause": {iv.Cause, Causes}, "reason": {iv.Reason, Reasons}, "work": {iv.Work, Works}} {
		if c.v != "" && !oneOf(c.list, c.v) {
			fields[name] = "common.form.invalid_choice"
		}
	}
	for name, v := range map[string]*string{"referred_by": &iv.ReferredBy, "income_kind": &iv.IncomeKind, "link_detail": &iv.LinkDetail,
		"residence_detail": &iv.ResidenceDetail, "cause_detail": &iv.CauseDetail, "reason_detail": &iv.ReasonDetail,
		"support_by": &iv.SupportBy, "work_detail": &iv.WorkDetail} {
		*v = clean(*v)
		if tooLong(*v, maxShort) {
			fields[name] = "common.form.too_long"
		}
	}
	if tooLong(iv.Comments, maxText) {
		fields["comments"] = "common.form.too_long"
	}
	if iv.HeldOn != nil && iv.HeldOn.After(today) {
		fields["held_on"] = "domicile.error.future"
	}
	return fields
}

// SaveInterview records the interview of the current request (D264-2: every
// first request and renewal; the person is told their rights and
// obligations, and whether they hold an election elsewhere is checked).
func (s *Service) SaveInterview(ctx context.Context, p *auth.Principal, id string, iv Interview) error {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileInstruct)
	if err != nil {
		return err
	}
	today := s.today()
	if iv.HeldOn == nil {
		iv.HeldOn = &today
	}
	if fields := iv.validate(today); len(fields) > 0 {
		return apperr.Validation(fields)
	}
	iv.FileID, iv.OrgID, iv.HeldBy, iv.UpdatedBy, iv.UpdatedAt = f.ID, f.OrgID, p.UserID, p.UserID, s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&iv).On("CONFLICT (file_id) DO UPDATE").
			Set("held_on = EXCLUDED.held_on, held_by = EXCLUDED.held_by, elsewhere = EXCLUDED.elsewhere, referred = EXCLUDED.referred").
			Set("referred_by = EXCLUDED.referred_by, income = EXCLUDED.income, income_kind = EXCLUDED.income_kind").
			Set("link = EXCLUDED.link, link_detail = EXCLUDED.link_detail, household = EXCLUDED.household").
			Set("residence = EXCLUDED.residence, residence_detail = EXCLUDED.residence_detail, cause = EXCLUDED.cause").
			Set("cause_detail = EXCLUDED.cause_detail, reason = EXCLUDED.reason, reason_detail = EXCLUDED.reason_detail").
			Set("support = EXCLUDED.support, support_by = EXCLUDED.support_by, work = EXCLUDED.work, work_detail = EXCLUDED.work_detail").
			Set("comments = EXCLUDED.comments, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
			return err
		}
		// The interview is a contact with the person (D264-3).
		if err := s.contactTx(ctx, tx, f, "visit", "", iv.UpdatedAt); err != nil {
			return err
		}
		if err := refreshProfile(ctx, tx, f.ID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.interview", ObjectType: "domicile_file", ObjectID: f.ID,
			SiteID: f.SiteID, Details: map[string]any{"held_on": iv.HeldOn.Format(time.DateOnly), "elsewhere": iv.Elsewhere}})
	})
}
