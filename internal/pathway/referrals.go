package pathway

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/notify"
)

// Referral sends a person to a partner's service. The partner sees only
// the fields it names (a partner share of the file, ended when the
// referral closes or on EndsOn).
type Referral struct {
	bun.BaseModel `bun:"table:pathway_referrals,alias:rf"`

	ID           string     `bun:"id,pk"`
	OrgID        string     `bun:"org_id"`
	PersonID     string     `bun:"person_id"`
	SiteID       string     `bun:"site_id"`
	ServiceID    string     `bun:"service_id"`
	ServiceName  string     `bun:"service_name"`
	Organisation string     `bun:"organisation"`
	PartnerKey   string     `bun:"partner_key"`
	Reason       string     `bun:"reason"`
	Fields       string     `bun:"fields"`
	Status       string     `bun:"status"`
	Answer       string     `bun:"answer"`
	Outcome      string     `bun:"outcome"`
	Flag         string     `bun:"flag"`
	SentBy       string     `bun:"sent_by"`
	SentAt       time.Time  `bun:"sent_at"`
	AnsweredBy   string     `bun:"answered_by"`
	AnsweredAt   *time.Time `bun:"answered_at"`
	ClosedAt     *time.Time `bun:"closed_at"`
	EndsOn       time.Time  `bun:"ends_on,type:date"`
	RemindedAt   *time.Time `bun:"reminded_at"`
	UpdatedAt    time.Time  `bun:"updated_at"`
}

// Referral statuses; labels are "pathway.referral.status.<status>".
var ReferralStatuses = []string{"sent", "accepted", "refused", "done", "revoked"}

// Live reports whether the referral is still running (sent or accepted).
func (r Referral) Live() bool { return r.Status == "sent" || r.Status == "accepted" }

// Source is what the referral's share of the file is known by.
func (r Referral) Source() string { return "referral:" + r.ID }

// Sleeping reports whether a sent referral waits for an answer for more
// than SleepingAfter at now.
func (r Referral) Sleeping(now time.Time) bool {
	return r.Status == "sent" && now.Sub(r.SentAt) > SleepingAfter
}

// FieldList returns the shared fields.
func (r Referral) FieldList() []people.ShareField { return people.ParseShareFields(r.Fields) }

// ReferralInput is the referral form.
type ReferralInput struct {
	ServiceID string
	Reason    string
	Fields    []people.ShareField
	EndsOn    *time.Time
	// ConsentNow: the person agrees, today, to share with this partner (the
	// consent is recorded with the referral).
	ConsentNow bool
	// Flag is the triage flag that proposed the referral.
	Flag string
}

// DefaultReferralDays is how long a partner sees the shared fields when
// the form gives no end date.
const DefaultReferralDays = 90

// Refer sends a referral. Without the person's consent to share with the
// partner (recorded before, or now with ConsentNow), it is refused.
func (s *Service) Refer(ctx context.Context, p *auth.Principal, personID string, in ReferralInput) (*Referral, error) {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Reason == "":
		fields["ref_reason"] = "common.form.required"
	case utf8.RuneCountInString(in.Reason) > 1000:
		fields["ref_reason"] = "common.form.too_long"
	}
	svc, err := s.Directory.Get(ctx, p, in.ServiceID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && svc.PartnerOrg == "") {
		fields["ref_service"] = "pathway.error.service"
	} else if err != nil {
		return nil, err
	}
	today := s.today()
	if in.EndsOn == nil {
		e := today.AddDate(0, 0, DefaultReferralDays)
		in.EndsOn = &e
	}
	if len(in.Fields) == 0 {
		in.Fields = []people.ShareField{people.FieldIdentity}
	}
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	now := s.Clock.Now()
	rf := &Referral{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, SiteID: per.SiteID, ServiceID: svc.ID, ServiceName: svc.Name,
		Organisation: svc.Organisation, PartnerKey: partnerKey(svc.PartnerOrg), Reason: in.Reason, Fields: people.JoinShareFields(in.Fields),
		Status: "sent", Flag: in.Flag, SentBy: p.UserID, SentAt: now, EndsOn: *in.EndsOn, UpdatedAt: now}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if in.ConsentNow {
			if _, err := s.People.GiveConsentTx(ctx, tx, p, per, people.ConsentInput{Purpose: people.PurposeSharePartner, Partner: svc.PartnerOrg}); err != nil {
				return err
			}
		}
		if _, err := s.People.ShareTx(ctx, tx, p, per, people.ShareInput{Kind: people.SharePartner, PartnerOrg: svc.PartnerOrg,
			Fields: in.Fields, Reason: in.Reason, EndsOn: in.EndsOn, Source: rf.Source()}); err != nil {
			if ae, ok := apperr.As(err); ok && ae.Fields != nil {
				return apperr.Validation(map[string]string{"ref_ends_on": ae.Fields["ends_on"]})
			}
			return err
		}
		if _, err := tx.NewInsert().Model(rf).Exec(ctx); err != nil {
			return err
		}
		if err := s.notifyPartners(ctx, tx, rf); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "referral", "pathway.event.referral_sent", map[string]any{"Service": rf.ServiceName, "Org": rf.Organisation},
			"", "", true); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "referral.send", map[string]any{"referral": rf.ID, "service": rf.ServiceID, "partner": rf.PartnerKey,
			"fields": rf.Fields, "until": rf.EndsOn.Format(time.DateOnly), "consent_now": in.ConsentNow})
	})
	if err != nil {
		return nil, err
	}
	return rf, nil
}

// partnerUser is a partner account to notify.
type partnerUser struct {
	ID    string `bun:"id"`
	Email string `bun:"email"`
	Lang  string `bun:"lang"`
	Name  string `bun:"name"`
}

// notifyPartners e-mails the partner organisation's users that a referral
// waits in their inbox (no personal data in the e-mail).
func (s *Service) notifyPartners(ctx context.Context, tx bun.Tx, rf *Referral) error {
	var users []partnerUser
	if err := tx.NewSelect().Table("users").Column("id", "email", "lang", "name").
		Where("org_id = ? AND disabled_at IS NULL AND lower(trim(partner_org)) = ?", rf.OrgID, rf.PartnerKey).
		Where("id IN (SELECT user_id FROM memberships WHERE org_id = ? AND role = 'partner')", rf.OrgID).Scan(ctx, &users); err != nil {
		return err
	}
	for _, u := range users {
		if _, err := s.Outbox.QueueEmail(ctx, tx, notify.Message{OrgID: rf.OrgID, To: u.Email, Lang: u.Lang, Purpose: "pathway.referral",
			SubjectKey: "pathway.mail.referral_subject", BodyKey: "pathway.mail.referral_body",
			Args: map[string]any{"Service": rf.ServiceName, "URL": s.BaseURL + "/" + u.Lang + "/partner/referrals/" + rf.ID}}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) referral(ctx context.Context, q bun.IDB, orgID, id string) (*Referral, error) {
	return byID[Referral](ctx, q, "rf", orgID, id)
}

func (s *Service) referrals(ctx context.Context, personID string) ([]Referral, error) {
	var out []Referral
	err := s.DB.R.NewSelect().Model(&out).Where("rf.person_id = ?", personID).Order("rf.sent_at DESC").Limit(100).Scan(ctx)
	return out, err
}

// Answers to a referral.
const (
	AnswerAccept = "accept"
	AnswerRefuse = "refuse"
	AnswerDone   = "done"
)

// Answer is the partner's answer.
type Answer struct {
	Action string // AnswerAccept, AnswerRefuse, AnswerDone
	// Text is the reason of a refusal, or the report of what was done.
	Text string
}

// AnswerAsPartner records a partner user's answer to a referral sent to
// their organisation.
func (s *Service) AnswerAsPartner(ctx context.Context, p *auth.Principal, id string, a Answer) (*Referral, error) {
	if p == nil || !p.Can(auth.PermReferralInbox) || strings.TrimSpace(p.PartnerOrg) == "" {
		return nil, apperr.ErrNotFound
	}
	rf, err := s.referral(ctx, s.DB.R, p.OrgID, id)
	if err != nil {
		return nil, err
	}
	if rf.PartnerKey != partnerKey(p.PartnerOrg) {
		return nil, apperr.ErrNotFound
	}
	return rf, s.answer(ctx, p, rf, a, true)
}

// RecordAnswer records, from the person's file, an answer the partner gave
// by phone or e-mail (partners without an account).
func (s *Service) RecordAnswer(ctx context.Context, p *auth.Principal, personID, id string, a Answer) (*Referral, error) {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	rf, err := s.referral(ctx, s.DB.R, p.OrgID, id)
	if err != nil {
		return nil, err
	}
	if rf.PersonID != per.ID {
		return nil, apperr.ErrNotFound
	}
	return rf, s.answer(ctx, p, rf, a, false)
}

// answer moves the referral: sent -> accepted or refused (with a reason),
// accepted -> done (with the report). A refusal or the end closes the
// partner's access. The sender gets a worklist item and an e-mail.
func (s *Service) answer(ctx context.Context, p *auth.Principal, rf *Referral, a Answer, byPartner bool) error {
	a.Text = strings.TrimSpace(a.Text)
	var status string
	switch {
	case a.Action == AnswerAccept && rf.Status == "sent":
		status = "accepted"
	case a.Action == AnswerRefuse && rf.Status == "sent":
		status = "refused"
	case a.Action == AnswerDone && (rf.Status == "accepted" || rf.Status == "sent"):
		status = "done"
	case !valid([]string{AnswerAccept, AnswerRefuse, AnswerDone}, a.Action):
		return apperr.Validation(map[string]string{"action": "common.form.invalid_choice"})
	default:
		return apperr.New(apperr.Conflict, "pathway.error.referral_state")
	}
	if (status == "refused" || status == "done") && a.Text == "" {
		return apperr.Validation(map[string]string{"answer_text": "pathway.error.answer_text"})
	}
	if utf8.RuneCountInString(a.Text) > 2000 {
		return apperr.Validation(map[string]string{"answer_text": "common.form.too_long"})
	}
	now := s.Clock.Now()
	q := s.DB.W.NewUpdate().Model((*Referral)(nil)).Set("status = ?", status).Set("updated_at = ?", now).
		Where("id = ? AND status = ?", rf.ID, rf.Status)
	switch status {
	case "accepted":
		q = q.Set("answered_by = ?", p.UserID).Set("answered_at = ?", now)
	case "refused":
		q = q.Set("answered_by = ?", p.UserID).Set("answered_at = ?", now).Set("answer = ?", a.Text).Set("closed_at = ?", now)
	case "done":
		q = q.Set("outcome = ?", a.Text).Set("closed_at = ?", now)
		if rf.AnsweredAt == nil {
			q = q.Set("answered_by = ?", p.UserID).Set("answered_at = ?", now)
		}
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := q.Conn(tx).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "pathway.error.referral_state")
		}
		per := new(people.Person)
		if err := tx.NewSelect().Model(per).Where("p.org_id = ? AND p.id = ?", rf.OrgID, rf.PersonID).Scan(ctx); err != nil {
			return err
		}
		if status != "accepted" {
			if err := s.People.EndSharesTx(ctx, tx, rf.OrgID, rf.PersonID, rf.Source()); err != nil {
				return err
			}
		}
		args := map[string]any{"Service": rf.ServiceName, "Org": rf.Organisation, "Status": status}
		if err := s.addTask(ctx, tx, per, rf.SentBy, "referral_answer", rf.ID, "pathway.task.referral_"+status, args, nil,
			"answer:"+rf.ID+":"+status); err != nil {
			return err
		}
		if byPartner {
			if err := s.mailSender(ctx, tx, rf, status); err != nil {
				return err
			}
		}
		if err := s.event(ctx, tx, per, "referral", "pathway.event.referral_"+status, args, "", "", status == "done"); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "referral."+status, map[string]any{"referral": rf.ID, "by_partner": byPartner})
	})
}

// mailSender tells the professional who sent the referral that the partner
// answered (no personal data in the e-mail: the link leads to the file).
func (s *Service) mailSender(ctx context.Context, tx bun.Tx, rf *Referral, status string) error {
	return s.mailUser(ctx, tx, rf.OrgID, rf.SentBy, "pathway.referral_answer", "pathway.mail.answer_subject", "pathway.mail.answer_body_"+status,
		map[string]any{"Service": rf.ServiceName, "Org": rf.Organisation}, "/people/"+rf.PersonID)
}

// mailUser e-mails a user of the centre, in their language, a message with
// a link to path (args gains URL); a disabled or deleted user gets none.
// No personal data goes in the message: the link leads to it.
func (s *Service) mailUser(ctx context.Context, tx bun.Tx, orgID, userID, purpose, subject, body string, args map[string]any, path string) error {
	var u partnerUser
	if err := tx.NewSelect().Table("users").Column("id", "email", "lang", "name").Where("org_id = ? AND id = ? AND disabled_at IS NULL", orgID, userID).
		Scan(ctx, &u); err != nil {
		if apperr.Is(db.Translate(err), apperr.NotFound) {
			return nil
		}
		return err
	}
	args["URL"] = s.BaseURL + "/" + u.Lang + path
	_, err := s.Outbox.QueueEmail(ctx, tx, notify.Message{OrgID: orgID, To: u.Email, Lang: u.Lang, Purpose: purpose,
		SubjectKey: subject, BodyKey: body, Args: args})
	return err
}

// Revoke withdraws a referral: the partner's access ends at once. Anyone
// who follows the file may do it (the sender may be away); the audit trail
// says who did.
func (s *Service) Revoke(ctx context.Context, p *auth.Principal, personID, id, reason string) error {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return err
	}
	rf, err := s.referral(ctx, s.DB.R, p.OrgID, id)
	if err != nil {
		return err
	}
	if rf.PersonID != per.ID {
		return apperr.ErrNotFound
	}
	if !rf.Live() {
		return apperr.New(apperr.Conflict, "pathway.error.referral_state")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return apperr.Validation(map[string]string{"revoke_reason": "common.form.too_long"})
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*Referral)(nil)).Set("status = 'revoked'").Set("answer = ?", reason).Set("closed_at = ?", now).
			Set("updated_at = ?", now).Where("id = ?", rf.ID).Exec(ctx); err != nil {
			return err
		}
		if err := s.People.EndSharesTx(ctx, tx, rf.OrgID, rf.PersonID, rf.Source()); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "referral", "pathway.event.referral_revoked", map[string]any{"Service": rf.ServiceName, "Org": rf.Organisation},
			"", "", false); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "referral.revoke", map[string]any{"referral": rf.ID})
	})
}

// RemindSleeping reminds the senders of referrals that have waited for an
// answer more than SleepingAfter: a worklist item and an e-mail, once per
// referral. It returns how many were reminded.
func (s *Service) RemindSleeping(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	var due []Referral
	if err := s.DB.R.NewSelect().Model(&due).Where("rf.status = 'sent' AND rf.reminded_at IS NULL AND rf.sent_at < ?", now.Add(-SleepingAfter)).
		Limit(1000).Scan(ctx); err != nil {
		return 0, err
	}
	for i := range due {
		rf := &due[i]
		err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			per := new(people.Person)
			if err := tx.NewSelect().Model(per).Where("p.id = ?", rf.PersonID).Scan(ctx); err != nil {
				return err
			}
			if _, err := tx.NewUpdate().Model((*Referral)(nil)).Set("reminded_at = ?", now).Where("id = ?", rf.ID).Exec(ctx); err != nil {
				return err
			}
			args := map[string]any{"Service": rf.ServiceName, "Org": rf.Organisation}
			if err := s.addTask(ctx, tx, per, rf.SentBy, "referral_sleeping", rf.ID, "pathway.task.referral_sleeping", args, nil, "sleeping:"+rf.ID); err != nil {
				return err
			}
			if err := s.mailSender(ctx, tx, rf, "sleeping"); err != nil {
				return err
			}
			return s.Audit.Record(ctx, tx, auditSystem(per, "referral.sleeping", map[string]any{"referral": rf.ID}))
		})
		if err != nil {
			return i, err
		}
	}
	return len(due), nil
}
