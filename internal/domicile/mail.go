package domicile

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
)

// Mail is one line of the mail register.
type Mail struct {
	bun.BaseModel `bun:"table:dom_mail,alias:m"`

	ID         string     `bun:"id,pk"`
	OrgID      string     `bun:"org_id"`
	SiteID     string     `bun:"site_id"`
	FileID     string     `bun:"file_id"`
	Kind       string     `bun:"kind"`
	Quantity   int        `bun:"quantity"`
	Sender     string     `bun:"sender"`
	BatchID    string     `bun:"batch_id"`
	ReceivedAt time.Time  `bun:"received_at"`
	ReceivedBy string     `bun:"received_by"`
	Status     string     `bun:"status"`
	OutAt      *time.Time `bun:"out_at"`
	OutBy      string     `bun:"out_by"`
	OutTo      string     `bun:"out_to"`
}

// Bounds of an intake line (DomiFa: 1 to 100 per entry).
const (
	maxQuantity = 100
	maxBatch    = 2000
)

// IntakeInput is one intake at the desk.
type IntakeInput struct {
	FileID   string
	Kind     string
	Quantity int
	Sender   string
	// NPAI records mail for a person who is not (or no longer) domiciled
	// here as returned to La Poste at once.
	NPAI bool
}

func (in *IntakeInput) validate() map[string]string {
	fields := map[string]string{}
	if !oneOf(MailKinds, in.Kind) {
		fields["kind"] = "common.form.invalid_choice"
	}
	if in.Quantity == 0 {
		in.Quantity = 1
	}
	if in.Quantity < 1 || in.Quantity > maxQuantity {
		fields["quantity"] = "domicile.error.quantity"
	}
	in.Sender = clean(in.Sender)
	if tooLong(in.Sender, maxShort) {
		fields["sender"] = "common.form.too_long"
	}
	return fields
}

// errNotDomiciled refuses mail for a person whose election is not in force:
// the desk returns it (NPAI) instead.
func errNotDomiciled(f *File) error {
	return &apperr.Error{Kind: apperr.Conflict, Key: "domicile.mail.not_domiciled", Args: map[string]any{"Number": f.Number}}
}

// Intake records mail received for a domiciled person; the item is saved
// when the function returns (the desk's confirmation means it is stored).
func (s *Service) Intake(ctx context.Context, p *auth.Principal, in IntakeInput) (*Mail, *File, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, in.FileID, auth.PermDomicileMail)
	if err != nil {
		return nil, nil, err
	}
	if fields := in.validate(); len(fields) > 0 {
		return nil, nil, apperr.Validation(fields)
	}
	now := s.Clock.Now()
	if !in.NPAI && !f.CoveredOn(Today(now)) {
		return nil, f, errNotDomiciled(f)
	}
	m := &Mail{ID: db.NewID(), OrgID: f.OrgID, SiteID: f.SiteID, FileID: f.ID, Kind: in.Kind, Quantity: in.Quantity, Sender: in.Sender,
		ReceivedAt: now, ReceivedBy: p.UserID, Status: "pending"}
	if in.NPAI {
		m.Status, m.OutAt, m.OutBy = "npai", &now, p.UserID
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return err
		}
		if err := s.afterIntake(ctx, tx, []*Mail{m}, now); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.mail.in", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
			Details: map[string]any{"mail": m.ID, "kind": m.Kind, "quantity": m.Quantity, "status": m.Status}})
	})
	if err != nil {
		return nil, nil, err
	}
	return m, f, s.refreshFile(ctx, f)
}

// refreshFile re-reads a file's counters after a change (for the
// confirmation shown at the desk).
func (s *Service) refreshFile(ctx context.Context, f *File) error {
	return s.DB.W.NewSelect().Model(f).Where("f.id = ?", f.ID).Scan(ctx)
}

// afterIntake updates the counters of the files and sites touched by new
// mail rows, and schedules the sites' SMS slots.
func (s *Service) afterIntake(ctx context.Context, tx bun.Tx, ms []*Mail, now time.Time) error {
	day := Today(now)
	type key struct{ site, metric string }
	sums := map[key]int{}
	files := map[string]bool{}
	sites := map[string]string{}
	for _, m := range ms {
		sums[key{m.SiteID, "mail_in_" + m.Kind}] += m.Quantity
		if m.Status != "pending" {
			sums[key{m.SiteID, "mail_" + m.Status + "_" + m.Kind}] += m.Quantity
		}
		files[m.FileID] = true
		sites[m.SiteID] = m.OrgID
	}
	for k, n := range sums {
		if err := bump(ctx, tx, sites[k.site], k.site, day, k.metric, n); err != nil {
			return err
		}
	}
	if err := refreshPending(ctx, tx, keys(files)); err != nil {
		return err
	}
	for site, org := range sites {
		if err := s.scheduleMailSMS(ctx, tx, org, site, now); err != nil {
			return err
		}
	}
	return nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// refreshPending recomputes the pending counters of files from the register.
func refreshPending(ctx context.Context, tx bun.Tx, fileIDs []string) error {
	for len(fileIDs) > 0 {
		chunk := fileIDs[:min(len(fileIDs), 500)]
		fileIDs = fileIDs[len(chunk):]
		q := tx.NewUpdate().Table("dom_files").Where("id IN (?)", bun.List(chunk))
		for _, k := range MailKinds {
			col := map[string]string{"letter": "pending_letters", "registered": "pending_registered", "parcel": "pending_parcels"}[k]
			q = q.Set(col+" = (SELECT COALESCE(SUM(quantity), 0) FROM dom_mail WHERE dom_mail.file_id = dom_files.id AND dom_mail.status = 'pending' AND dom_mail.kind = ?)", k)
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// BatchLine is one line of a batch intake: a domiciliation number (typed,
// or scanned from the card), a kind and a quantity.
type BatchLine struct {
	Line     int
	Number   int
	Kind     string
	Quantity int
}

// BatchError is a refused line of a batch.
type BatchError struct {
	Line int
	Text string
	Key  string
	Args map[string]any
}

// BatchResult counts what a batch recorded.
type BatchResult struct {
	Items, Lines, Files int
	ByKind              map[string]int
}

// kindLetters name a kind in a batch line: l(ettre) or courrier,
// r(ecommandé) or a(vis de passage), c(olis) or p(aquet).
var kindLetters = map[string]string{"l": "letter", "lettre": "letter", "courrier": "letter",
	"r": "registered", "ar": "registered", "recommande": "registered", "a": "registered", "avis": "registered",
	"c": "parcel", "co": "parcel", "colis": "parcel", "p": "parcel"}

// ParseBatch reads a morning's delivery, one line per item or group:
// "<number or card code> [kind] [quantity]", e.g. "1234", "1234 r",
// "D1234C7 p", "1234 5" or "1234 l 5"; blank lines and lines starting
// with # are skipped. Lines that do not parse are returned as errors.
func ParseBatch(text string) ([]BatchLine, []BatchError) {
	var out []BatchLine
	var errs []BatchError
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(strings.TrimRight(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bl, ok := parseBatchLine(line)
		if !ok {
			errs = append(errs, BatchError{Line: i + 1, Text: line, Key: "domicile.batch.bad_line"})
			continue
		}
		bl.Line = i + 1
		out = append(out, bl)
	}
	return out, errs
}

func parseBatchLine(line string) (BatchLine, bool) {
	fs := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == ';' || r == ',' })
	if len(fs) == 0 || len(fs) > 3 {
		return BatchLine{}, false
	}
	n, ok := ParseRef(fs[0])
	if !ok {
		return BatchLine{}, false
	}
	bl := BatchLine{Number: n, Kind: "letter", Quantity: 1}
	seenKind, seenQty := false, false
	for _, f := range fs[1:] {
		f = strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(f, "x"), "X"))
		if k, ok := kindLetters[foldAccents(f)]; ok && !seenKind {
			bl.Kind, seenKind = k, true
			continue
		}
		var q int
		if _, err := fmt.Sscan(f, &q); err == nil && fmt.Sprint(q) == f && q >= 1 && q <= maxQuantity && !seenQty {
			bl.Quantity, seenQty = q, true
			continue
		}
		return BatchLine{}, false
	}
	return bl, true
}

func foldAccents(s string) string {
	return strings.NewReplacer("é", "e", "è", "e", "ê", "e").Replace(s)
}

// BatchIntake records a morning's delivery at a site in one transaction:
// every line is checked first (known number, election in force) and,
// if any line is refused, nothing is recorded.
func (s *Service) BatchIntake(ctx context.Context, p *auth.Principal, siteID string, lines []BatchLine) (*BatchResult, []BatchError, error) {
	if !p.CanAt(auth.PermDomicileMail, siteID) {
		return nil, nil, apperr.Validation(map[string]string{"site": "common.form.invalid_choice"})
	}
	if len(lines) == 0 {
		return nil, nil, apperr.Validation(map[string]string{"lines": "domicile.batch.empty"})
	}
	if len(lines) > maxBatch {
		return nil, nil, apperr.Validation(map[string]string{"lines": "domicile.batch.too_many"})
	}
	numbers := make([]int, 0, len(lines))
	for _, l := range lines {
		numbers = append(numbers, l.Number)
	}
	byNumber := map[int]*File{}
	for len(numbers) > 0 {
		chunk := numbers[:min(len(numbers), 500)]
		numbers = numbers[len(chunk):]
		var fs []File
		if err := s.DB.R.NewSelect().Model(&fs).Where("f.org_id = ? AND f.site_id = ? AND f.number IN (?) AND f.anonymised_at IS NULL",
			p.OrgID, siteID, bun.List(chunk)).Scan(ctx); err != nil {
			return nil, nil, err
		}
		for i := range fs {
			byNumber[fs[i].Number] = &fs[i]
		}
	}
	now := s.Clock.Now()
	today := Today(now)
	var errs []BatchError
	batch := db.NewID()
	res := &BatchResult{ByKind: map[string]int{}}
	ms := make([]*Mail, 0, len(lines))
	files := map[string]bool{}
	for _, l := range lines {
		f, ok := byNumber[l.Number]
		switch {
		case !ok:
			errs = append(errs, BatchError{Line: l.Line, Key: "domicile.batch.unknown", Args: map[string]any{"Number": l.Number}})
			continue
		case !f.CoveredOn(today):
			errs = append(errs, BatchError{Line: l.Line, Key: "domicile.mail.not_domiciled", Args: map[string]any{"Number": l.Number}})
			continue
		}
		ms = append(ms, &Mail{ID: db.NewID(), OrgID: f.OrgID, SiteID: f.SiteID, FileID: f.ID, Kind: l.Kind, Quantity: l.Quantity,
			BatchID: batch, ReceivedAt: now, ReceivedBy: p.UserID, Status: "pending"})
		res.Items += l.Quantity
		res.ByKind[l.Kind] += l.Quantity
		files[f.ID] = true
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	res.Lines, res.Files = len(ms), len(files)
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for start := 0; start < len(ms); start += 500 {
			chunk := ms[start:min(len(ms), start+500)]
			if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
				return err
			}
		}
		if err := s.afterIntake(ctx, tx, ms, now); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.mail.batch", ObjectType: "domicile_batch", ObjectID: batch, SiteID: siteID,
			Details: map[string]any{"lines": res.Lines, "items": res.Items, "files": res.Files, "by_kind": res.ByKind}})
	})
	if err != nil {
		return nil, nil, err
	}
	return res, nil, nil
}

// Outcomes of pending mail.
const (
	OutHanded    = "handed"
	OutProxy     = "proxy"
	OutReturned  = "returned"
	OutForwarded = "forwarded"
	OutNPAI      = "npai"
)

// OutInput hands over, returns or forwards pending mail of a file.
type OutInput struct {
	FileID string
	// Kind limits to one kind ("" for every kind); IDs to given items.
	Kind string
	IDs  []string
	To   string
	// ProxyID names the proxy for To == OutProxy.
	ProxyID string
}

// OutResult tells the desk what was done.
type OutResult struct {
	Items  int
	ByKind map[string]int
	To     string
	// Recipient is the proxy's name or the forwarding address.
	Recipient string
	File      *File
}

// MailOut hands pending mail to the person or a proxy, returns it to the
// sender, forwards it, or returns it to La Poste (NPAI). The update is
// conditional on the items still being pending: of two desks handing over
// the same parcel at once, one wins and the other is told who did it and
// when (Conflict).
func (s *Service) MailOut(ctx context.Context, p *auth.Principal, in OutInput) (*OutResult, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, in.FileID, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	if !oneOf([]string{OutHanded, OutProxy, OutReturned, OutForwarded, OutNPAI}, in.To) {
		return nil, apperr.Validation(map[string]string{"to": "common.form.invalid_choice"})
	}
	if in.Kind != "" && !oneOf(MailKinds, in.Kind) {
		return nil, apperr.Validation(map[string]string{"kind": "common.form.invalid_choice"})
	}
	for _, id := range in.IDs {
		if !db.ValidID(id) {
			return nil, apperr.Validation(map[string]string{"ids": "common.form.invalid_choice"})
		}
	}
	now := s.Clock.Now()
	today := Today(now)
	res := &OutResult{ByKind: map[string]int{}, To: in.To, File: f}
	switch in.To {
	case OutProxy:
		px, err := s.activeProxy(ctx, f, in.ProxyID, today)
		if err != nil {
			return nil, err
		}
		res.Recipient = px.Name()
	case OutForwarded:
		fw, err := s.activeForward(ctx, f.ID, today)
		if err != nil {
			return nil, err
		}
		if fw == nil {
			return nil, apperr.New(apperr.Conflict, "domicile.mail.no_forward")
		}
		res.Recipient = fw.Name + ", " + fw.Address
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*Mail)(nil)).Set("status = ?", in.To).Set("out_at = ?", now).Set("out_by = ?", p.UserID).
			Set("out_to = ?", res.Recipient).Where("file_id = ? AND org_id = ? AND status = 'pending'", f.ID, f.OrgID)
		if in.Kind != "" {
			q = q.Where("kind = ?", in.Kind)
		}
		if len(in.IDs) > 0 {
			q = q.Where("id IN (?)", bun.List(in.IDs))
		}
		var rows []struct {
			Kind     string `bun:"kind"`
			Quantity int    `bun:"quantity"`
		}
		if err := q.Returning("kind, quantity").Scan(ctx, &rows); err != nil {
			return err
		}
		if len(rows) == 0 {
			return s.alreadyOut(ctx, tx, f, in)
		}
		for _, r := range rows {
			res.ByKind[r.Kind] += r.Quantity
			res.Items += r.Quantity
		}
		for k, n := range res.ByKind {
			if err := bump(ctx, tx, f.OrgID, f.SiteID, today, "mail_"+in.To+"_"+k, n); err != nil {
				return err
			}
		}
		if err := refreshPending(ctx, tx, []string{f.ID}); err != nil {
			return err
		}
		if in.To == OutHanded {
			// Handing mail to the person is a passage (D264-3); to a
			// proxy it is not (DomiFa).
			if err := s.contactTx(ctx, tx, f, "handover", "", now); err != nil {
				return err
			}
		} else if err := s.timeline(ctx, tx, f, "domicile.mail", "domicile.event.mail_"+in.To,
			map[string]any{"Count": res.Items, "Recipient": res.Recipient}, false); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.mail.out", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
			Details: map[string]any{"to": in.To, "items": res.Items, "by_kind": res.ByKind, "proxy": in.ProxyID}})
	})
	if err != nil {
		return nil, err
	}
	return res, s.refreshFile(ctx, f)
}

// alreadyOut explains an empty handover: nothing was pending, or another
// desk took the items first (who and when).
func (s *Service) alreadyOut(ctx context.Context, tx bun.Tx, f *File, in OutInput) error {
	last := new(Mail)
	q := tx.NewSelect().Model(last).Where("m.file_id = ? AND m.status <> 'pending'", f.ID)
	if in.Kind != "" {
		q = q.Where("m.kind = ?", in.Kind)
	}
	if len(in.IDs) > 0 {
		q = q.Where("m.id IN (?)", bun.List(in.IDs))
	}
	if err := q.Order("m.out_at DESC").Limit(1).Scan(ctx); err != nil || last.OutAt == nil || (len(in.IDs) == 0 && last.OutAt.Before(s.Clock.Now().Add(-time.Hour))) {
		return apperr.New(apperr.Conflict, "domicile.mail.nothing_pending")
	}
	var who string
	_ = tx.NewSelect().Table("users").Column("name").Where("id = ?", last.OutBy).Scan(ctx, &who)
	return &apperr.Error{Kind: apperr.Conflict, Key: "domicile.mail.already_out",
		Args: map[string]any{"Who": who, "When": last.OutAt.In(clock.Paris).Format("15:04")}}
}

// MailOf lists a file's mail: what is pending, then the last items out.
func (s *Service) MailOf(ctx context.Context, fileID string, limit int) ([]Mail, error) {
	var out []Mail
	err := s.DB.R.NewSelect().Model(&out).Where("m.file_id = ?", fileID).
		OrderExpr("CASE WHEN m.status = 'pending' THEN 0 ELSE 1 END, m.received_at DESC").Limit(int64(limit)).Scan(ctx)
	return out, err
}

// DeskRow is a line of the desk's list of today's intakes.
type DeskRow struct {
	Mail   Mail
	Number int
	Name   string
}

// Time is the hour of the intake (the list only holds today's), Paris time.
func (r DeskRow) Time() string { return r.Mail.ReceivedAt.In(clock.Paris).Format("15:04") }

// TodayIntakes lists the last intakes of the user's sites today.
func (s *Service) TodayIntakes(ctx context.Context, p *auth.Principal, limit int) ([]DeskRow, error) {
	sc, err := scope(p, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	// The last intakes of each site, newest first, from the end of its
	// range of dom_mail_site_day (org, site, received_at), then the newest
	// of all. A user of every site asked for the centre's whole register
	// at once, which both engines read in full to find today's rows: 7 to
	// 50 s on SQLite, 15 s on PostgreSQL, with 20 million rows.
	sites := sc.Sites
	if sc.All {
		// Every site of the centre, archived ones included (as before).
		if err := s.DB.R.NewSelect().Table("sites").Column("id").Where("org_id = ?", p.OrgID).Scan(ctx, &sites); err != nil {
			return nil, err
		}
	}
	var ms []Mail
	since := startOfDay(s.Clock.Now())
	for _, site := range sites {
		var part []Mail
		if err := s.DB.R.NewSelect().Model(&part).Where("m.org_id = ? AND m.site_id = ? AND m.received_at >= ?", p.OrgID, site, since).
			Order("m.received_at DESC").Limit(int64(limit)).Scan(ctx); err != nil {
			return nil, err
		}
		ms = append(ms, part...)
	}
	slices.SortStableFunc(ms, func(a, b Mail) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	ms = ms[:min(len(ms), limit)]
	ids := map[string]bool{}
	for _, m := range ms {
		ids[m.FileID] = true
	}
	var fs []File
	if len(ids) > 0 {
		if err := s.DB.R.NewSelect().Model(&fs).Where("f.id IN (?)", bun.List(keys(ids))).Scan(ctx); err != nil {
			return nil, err
		}
	}
	es, err := s.entries(ctx, s.DB.R, p.OrgID, fs)
	if err != nil {
		return nil, err
	}
	byFile := map[string]Entry{}
	for _, e := range es {
		byFile[e.File.ID] = e
	}
	out := make([]DeskRow, len(ms))
	for i, m := range ms {
		e := byFile[m.FileID]
		out[i] = DeskRow{Mail: m}
		if e.File != nil {
			out[i].Number, out[i].Name = e.File.Number, e.Name()
		}
	}
	return out, nil
}

// startOfDay is midnight in Paris of t's day.
func startOfDay(t time.Time) time.Time {
	p := t.In(clock.Paris)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, clock.Paris)
}

// Find is the desk's search: a domiciliation number, a card's code (as the
// scanner types it, whatever the keyboard layout) or a name in any
// spelling or script. Only files the user may handle at the desk.
func (s *Service) Find(ctx context.Context, p *auth.Principal, q string, limit int) ([]Entry, error) {
	sc, err := scope(p, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if limit <= 0 || limit > 50 {
		limit = 20
	}
	var fs []File
	sel := s.DB.R.NewSelect().Model(&fs).Where("f.org_id = ? AND f.anonymised_at IS NULL", p.OrgID)
	sel = inScope(sel, sc)
	if n, ok := ParseRef(q); ok {
		sel = sel.Where("f.number = ?", n)
	} else {
		// Whole words first: what the desk types is a name, in whatever
		// spelling. Only when nothing matches is the last word read as a
		// beginning ("traore moh"): a short beginning matches a large share
		// of the names, which costs tens of milliseconds Paris-wide.
		ps, err := s.People.Search(ctx, p, people.Query{Name: q, Limit: 100})
		if err == nil && len(ps) == 0 {
			ps, err = s.People.Search(ctx, p, people.Query{Name: q, Prefix: true, Limit: 100})
		}
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			return nil, nil
		}
		ids := make([]string, len(ps))
		for i := range ps {
			ids[i] = ps[i].ID
		}
		sel = sel.Where("f.person_id IN (?)", bun.List(ids))
	}
	if err := sel.OrderExpr("CASE f.status WHEN 'valid' THEN 0 WHEN 'instruction' THEN 1 WHEN 'awaiting' THEN 1 ELSE 2 END, f.number").
		Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, err
	}
	return s.entries(ctx, s.DB.R, p.OrgID, fs)
}
