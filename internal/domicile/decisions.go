package domicile

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// transitions is the decision state machine: request -> under review ->
// awaiting decision -> valid | refused; valid -> ended. A request under
// review may be decided directly; ended is also allowed while a renewal is
// under review, as long as the previous election is in force.
var transitions = map[string][]string{
	StatusInstruction: {StatusAwaiting, StatusValid, StatusRefused},
	StatusAwaiting:    {StatusInstruction, StatusValid, StatusRefused},
	StatusValid:       {StatusEnded},
}

// PermTo is the permission a decision needs: granting and refusing belong
// to the roles DomiFa calls gestionnaire and administrateur; instructing
// and radiating to the instructeur too (can-add-decision.ts).
func PermTo(status string) auth.Perm {
	if status == StatusValid || status == StatusRefused {
		return auth.PermDomicileDecide
	}
	return auth.PermDomicileInstruct
}

// Allowed lists the statuses a file may move to on day.
func Allowed(f *File, day time.Time) []string {
	out := append([]string(nil), transitions[f.Status]...)
	if f.Open() && f.CoveredOn(day) {
		out = append(out, StatusEnded)
	}
	return out
}

// DecisionInput is the decision form.
type DecisionInput struct {
	To string
	// On is the date of the decision (today by default).
	On *time.Time
	// Start and End of a valid election (default: the decision date, or the
	// day after the previous end for a renewal, and one year).
	Start, End *time.Time
	// Reason of a refusal or a radiation; Detail when it is "other".
	Reason, Detail string
	// Referral after a refusal (L264-4) and its detail (the body named).
	Referral, ReferralDetail string
}

// minDetail is the shortest "other" reason accepted (DomiFa: 10 characters).
const minDetail = 10

// DefaultStart is the start of a valid election decided on day: for a
// renewal while the previous election runs, the day after its end (no gap,
// no overlap); otherwise the day of the decision.
func DefaultStart(f *File, day time.Time) time.Time {
	if f.Kind == KindRenewal && f.EndOn != nil && !f.EndOn.Before(day) {
		return f.EndOn.AddDate(0, 0, 1)
	}
	return day
}

// Decide moves a file to a new status, with what the law requires for it,
// in one transaction with its audit entry and a timeline event.
func (s *Service) Decide(ctx context.Context, p *auth.Principal, id string, in DecisionInput) (*Decision, error) {
	if !oneOf(Statuses, in.To) {
		return nil, apperr.Validation(map[string]string{"to": "common.form.invalid_choice"})
	}
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileInstruct)
	if err != nil {
		return nil, err
	}
	if !p.CanAt(PermTo(in.To), f.SiteID) {
		return nil, apperr.ErrForbidden
	}
	today := s.today()
	on := today
	if in.On != nil {
		on = *in.On
	}
	if !oneOf(Allowed(f, on), in.To) {
		return nil, apperr.New(apperr.Conflict, "domicile.error.transition")
	}
	fields := map[string]string{}
	switch {
	case on.After(today):
		fields["on"] = "domicile.error.future"
	case on.Before(f.RequestedOn) && in.To != StatusEnded:
		fields["on"] = "domicile.error.before_request"
	}
	d := &Decision{ID: db.NewID(), OrgID: f.OrgID, SiteID: f.SiteID, FileID: f.ID, Status: in.To, Kind: f.Kind, DecidedOn: on,
		Prev: snap(f), DecidedBy: p.UserID, DecidedAt: s.Clock.Now()}
	var iv *Interview
	switch in.To {
	case StatusValid:
		if iv, err = s.Interview(ctx, f.ID); err != nil {
			return nil, err
		}
		s.checkValid(f, iv, on, &in, fields)
		d.StartOn, d.EndOn = in.Start, in.End
	case StatusRefused:
		kind, err := s.orgKind(ctx, f.OrgID)
		if err != nil {
			return nil, err
		}
		checkRefusal(kind, &in, fields)
		d.Reason, d.ReasonDetail, d.Referral, d.ReferralDetail = in.Reason, in.Detail, in.Referral, in.ReferralDetail
	case StatusEnded:
		checkEnd(f, on, &in, fields)
		d.Reason, d.ReasonDetail, d.CutOn = in.Reason, in.Detail, &on
	}
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	if in.To == StatusValid {
		deps, err := s.Dependants(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		d.Dependants = len(deps)
	}
	before := *f
	apply(f, d)
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.insertDecision(ctx, tx, d); err != nil {
			return err
		}
		if d.Status == StatusValid {
			if err := refreshProfile(ctx, tx, f.ID); err != nil {
				return err
			}
		}
		if d.Status == StatusEnded {
			// The radiation cuts the election in force (the stats count
			// people covered at a date from the valid decisions).
			if _, err := tx.NewUpdate().Model((*Decision)(nil)).Set("cut_on = ?", on).
				Where("file_id = ? AND status = ? AND undone_at IS NULL AND cut_on IS NULL", f.ID, StatusValid).Exec(ctx); err != nil {
				return err
			}
		}
		if err := s.saveState(ctx, tx, f, before.Version); err != nil {
			return err
		}
		if err := s.timeline(ctx, tx, f, "domicile.decision", "domicile.event."+d.Status, decisionArgs(d), false); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.decision", ObjectType: "domicile_file", ObjectID: f.ID,
			SiteID: f.SiteID, Details: map[string]any{"from": before.Status, "to": d.Status, "kind": d.Kind, "reason": d.Reason,
				"referral": d.Referral, "decision": d.ID, "on": on.Format(time.DateOnly)}})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func decisionArgs(d *Decision) map[string]any {
	args := map[string]any{"Date": d.DecidedOn.Format("02/01/2006")}
	if d.EndOn != nil {
		args["End"] = d.EndOn.Format("02/01/2006")
	}
	return args
}

// checkValid applies D264-1 and D264-2 to a grant: an interview held for
// this request, no election elsewhere, one year at most.
func (s *Service) checkValid(f *File, iv *Interview, on time.Time, in *DecisionInput, fields map[string]string) {
	if iv.HeldOn == nil || iv.HeldOn.Before(f.RequestedOn) {
		fields["to"] = "domicile.error.interview_required"
	}
	if iv.Elsewhere {
		fields["to"] = "domicile.error.elsewhere"
	}
	if in.Start == nil {
		in.Start = ptr(DefaultStart(f, on))
	}
	if in.End == nil {
		in.End = ptr(OneYear(*in.Start))
	}
	switch {
	case in.End.Before(*in.Start):
		fields["end"] = "domicile.error.end_before_start"
	case in.End.After(OneYear(*in.Start)):
		fields["end"] = "domicile.error.over_one_year"
	}
}

// checkRefusal applies L264-4: a reason, and for a CCAS or CIAS only the
// lack of a link with the commune; a referral to a body able to domicile.
func checkRefusal(orgKind string, in *DecisionInput, fields map[string]string) {
	in.Detail, in.ReferralDetail = strings.TrimSpace(in.Detail), clean(in.ReferralDetail)
	switch {
	case !oneOf(RefusalReasons, in.Reason):
		fields["reason"] = "domicile.error.reason_required"
	case (orgKind == "ccas" || orgKind == "cias") && in.Reason != "no_link":
		fields["reason"] = "domicile.error.refusal_ccas"
	case in.Reason == "other" && utf8.RuneCountInString(in.Detail) < minDetail:
		fields["detail"] = "domicile.error.detail_short"
	}
	if tooLong(in.Detail, maxText) {
		fields["detail"] = "common.form.too_long"
	}
	if !oneOf(Referrals, in.Referral) {
		fields["referral"] = "domicile.error.referral_required"
	}
	if in.ReferralDetail == "" {
		fields["referral_detail"] = "domicile.error.referral_detail"
	} else if tooLong(in.ReferralDetail, maxShort) {
		fields["referral_detail"] = "common.form.too_long"
	}
}

// checkEnd applies L264-5 and D264-3 to a radiation: one of the legal
// reasons; "no contact" only after more than three months without contact
// and without a health or detention excuse; "expired" only after the end.
func checkEnd(f *File, on time.Time, in *DecisionInput, fields map[string]string) {
	in.Detail = strings.TrimSpace(in.Detail)
	switch {
	case !oneOf(EndReasons, in.Reason):
		fields["reason"] = "domicile.error.reason_required"
	case in.Reason == "no_contact" && f.Excused(on):
		fields["reason"] = "domicile.error.excused"
	case in.Reason == "no_contact" && !f.LastContactOn.Before(SilentSince(on)):
		fields["reason"] = "domicile.error.recent_contact"
	case in.Reason == "expired" && (f.EndOn == nil || !f.EndOn.Before(on)):
		fields["reason"] = "domicile.error.not_expired"
	case in.Reason == "other" && utf8.RuneCountInString(in.Detail) < minDetail:
		fields["detail"] = "domicile.error.detail_short"
	}
	if tooLong(in.Detail, maxText) {
		fields["detail"] = "common.form.too_long"
	}
}

// apply moves the file's denormalised state to decision d.
func apply(f *File, d *Decision) {
	f.Status, f.DecidedOn = d.Status, &d.DecidedOn
	switch d.Status {
	case StatusValid:
		f.StartOn, f.EndOn, f.CutOn = d.StartOn, d.EndOn, nil
		if f.FirstOn == nil {
			f.FirstOn = d.StartOn
		}
		// DomiFa: a start later than the last visit counts as one.
		if d.StartOn.After(f.LastContactOn) && !d.StartOn.After(d.DecidedOn) {
			f.LastContactOn = *d.StartOn
		}
		f.ExpirySMSFor = nil
	case StatusEnded:
		f.CutOn = d.CutOn
	}
}

func (s *Service) insertDecision(ctx context.Context, tx bun.Tx, d *Decision) error {
	var seq int
	if err := tx.NewSelect().Model((*Decision)(nil)).ColumnExpr("COALESCE(MAX(seq), 0)").Where("file_id = ?", d.FileID).Scan(ctx, &seq); err != nil {
		return err
	}
	d.Seq = seq + 1
	_, err := tx.NewInsert().Model(d).Exec(ctx)
	return err
}

// saveState writes the file's decision fields if nobody changed the file
// since it was read (two desks deciding at once: one wins, the other is
// told).
func (s *Service) saveState(ctx context.Context, tx bun.Tx, f *File, version int) error {
	f.UpdatedAt = s.Clock.Now()
	res, err := tx.NewUpdate().Model(f).Column("status", "kind", "requested_on", "receipt_at", "start_on", "end_on", "cut_on", "first_on",
		"decided_on", "last_contact_on", "expiry_sms_for", "updated_at").Set("version = version + 1").
		Where("id = ? AND org_id = ? AND version = ?", f.ID, f.OrgID, version).Exec(ctx)
	if err := changed(res, err); err != nil {
		return err
	}
	f.Version = version + 1
	return nil
}

func (s *Service) orgKind(ctx context.Context, orgID string) (string, error) {
	var kind string
	err := s.DB.R.NewSelect().Table("orgs").Column("kind").Where("id = ?", orgID).Scan(ctx, &kind)
	return kind, err
}

// Decisions lists a file's decisions, newest first (undone ones included,
// marked).
func (s *Service) Decisions(ctx context.Context, fileID string) ([]Decision, error) {
	var out []Decision
	err := s.DB.R.NewSelect().Model(&out).Where("file_id = ?", fileID).Order("seq DESC").Scan(ctx)
	return out, err
}

// Undo cancels the last decision of a file (a mistaken renewal, grant or
// radiation, DomiFa #2305): the file returns to its state before it, the
// decision stays in the history marked undone, with who, when and why.
func (s *Service) Undo(ctx context.Context, p *auth.Principal, id, reason string) (*Decision, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileDecide)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, apperr.Validation(map[string]string{"undo_reason": "common.form.required"})
	}
	if tooLong(reason, maxText) {
		return nil, apperr.Validation(map[string]string{"undo_reason": "common.form.too_long"})
	}
	last := new(Decision)
	if err := s.DB.R.NewSelect().Model(last).Where("file_id = ? AND undone_at IS NULL", f.ID).Order("seq DESC").Limit(1).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if last.Seq == 1 {
		return nil, apperr.New(apperr.Conflict, "domicile.error.nothing_to_undo")
	}
	var prev snapshot
	if err := json.Unmarshal([]byte(last.Prev), &prev); err != nil {
		return nil, err
	}
	version := f.Version
	prev.apply(f)
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Decision)(nil)).Set("undone_at = ?", now).Set("undone_by = ?", p.UserID).
			Set("undo_reason = ?", reason).Where("id = ? AND undone_at IS NULL", last.ID).Exec(ctx)
		if err := changed(res, err); err != nil {
			return err
		}
		if last.Status == StatusEnded && last.CutOn != nil {
			if _, err := tx.NewUpdate().Model((*Decision)(nil)).Set("cut_on = NULL").
				Where("file_id = ? AND status = ? AND undone_at IS NULL AND cut_on = ?", f.ID, StatusValid, *last.CutOn).Exec(ctx); err != nil {
				return err
			}
		}
		if last.Status == StatusValid {
			// The grant before it, if any, is the latest again.
			if err := refreshProfile(ctx, tx, f.ID); err != nil {
				return err
			}
		}
		if err := s.saveState(ctx, tx, f, version); err != nil {
			return err
		}
		if err := s.timeline(ctx, tx, f, "domicile.undo", "domicile.event.undone", nil, false); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.undo", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
			Details: map[string]any{"decision": last.ID, "status": last.Status, "reason": reason, "back_to": f.Status}})
	})
	if err != nil {
		return nil, err
	}
	return last, nil
}

// Renew files a new request: a renewal when the election is in force (it
// stays in force until the new decision, renewable as of right, L264-2), a
// new first request after a refusal or a radiation. Coming to ask counts
// as a contact (DomiFa).
func (s *Service) Renew(ctx context.Context, p *auth.Principal, id string, requested *time.Time) (*File, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileInstruct)
	if err != nil {
		return nil, err
	}
	today := s.today()
	on := today
	if requested != nil {
		on = *requested
	}
	if on.After(today) {
		return nil, apperr.Validation(map[string]string{"requested_on": "domicile.error.future"})
	}
	if f.Open() {
		return nil, apperr.New(apperr.Conflict, "domicile.error.already_requested")
	}
	kind := KindFirst
	if f.Status == StatusValid && f.CoveredOn(today) {
		kind = KindRenewal
	}
	d := &Decision{ID: db.NewID(), OrgID: f.OrgID, SiteID: f.SiteID, FileID: f.ID, Status: StatusInstruction, Kind: kind, DecidedOn: on,
		Prev: snap(f), DecidedBy: p.UserID, DecidedAt: s.Clock.Now()}
	version := f.Version
	f.Status, f.Kind, f.RequestedOn, f.ReceiptAt, f.DecidedOn = StatusInstruction, kind, on, nil, &on
	if kind == KindFirst {
		f.StartOn, f.EndOn, f.CutOn = nil, nil, nil
	}
	if on.After(f.LastContactOn) {
		f.LastContactOn = on
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if f.PersonID != nil {
			if open, err := openFileOf(ctx, tx, f.OrgID, *f.PersonID); err != nil {
				return err
			} else if open != nil && open.ID != f.ID {
				return &apperr.Error{Kind: apperr.Conflict, Key: "domicile.error.already_open", Args: map[string]any{"Number": open.Number}}
			}
		}
		if err := s.insertDecision(ctx, tx, d); err != nil {
			return err
		}
		if err := s.saveState(ctx, tx, f, version); err != nil {
			return err
		}
		if err := s.contactTx(ctx, tx, f, "visit", "", s.Clock.Now()); err != nil {
			return err
		}
		if err := s.timeline(ctx, tx, f, "domicile.requested", "domicile.event.renewal_"+kind, map[string]any{"Number": f.Number}, true); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.renew", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
			Details: map[string]any{"kind": kind, "requested_on": on.Format(time.DateOnly)}})
	})
	return f, err
}
