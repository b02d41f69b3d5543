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

// Proxy is a person the domiciled person allows to collect their mail
// (procuration), dated; an ended proxy stays in the history.
type Proxy struct {
	bun.BaseModel `bun:"table:dom_proxies"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	FileID    string     `bun:"file_id"`
	Given     string     `bun:"given"`
	Family    string     `bun:"family"`
	BirthDate *time.Time `bun:"birth_date,type:date"`
	StartsOn  time.Time  `bun:"starts_on,type:date"`
	EndsOn    *time.Time `bun:"ends_on,type:date"`
	CreatedBy string     `bun:"created_by"`
	CreatedAt time.Time  `bun:"created_at"`
	EndedBy   string     `bun:"ended_by"`
	EndedAt   *time.Time `bun:"ended_at"`
}

// Name is the proxy's full name.
func (px Proxy) Name() string { return clean(px.Given + " " + px.Family) }

// ActiveOn reports whether the proxy holds on day.
func (px Proxy) ActiveOn(day time.Time) bool {
	return px.EndedAt == nil && !px.StartsOn.After(day) && (px.EndsOn == nil || !px.EndsOn.Before(day))
}

// Forward is the forwarding of the mail to another address (transfert).
type Forward struct {
	bun.BaseModel `bun:"table:dom_forwards"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	FileID    string     `bun:"file_id"`
	Name      string     `bun:"name"`
	Address   string     `bun:"address"`
	StartsOn  time.Time  `bun:"starts_on,type:date"`
	EndsOn    *time.Time `bun:"ends_on,type:date"`
	CreatedBy string     `bun:"created_by"`
	CreatedAt time.Time  `bun:"created_at"`
	EndedBy   string     `bun:"ended_by"`
	EndedAt   *time.Time `bun:"ended_at"`
}

// ActiveOn reports whether the forwarding holds on day.
func (fw Forward) ActiveOn(day time.Time) bool {
	return fw.EndedAt == nil && !fw.StartsOn.After(day) && (fw.EndsOn == nil || !fw.EndsOn.Before(day))
}

// Proxies lists a file's proxies, in force first.
func (s *Service) Proxies(ctx context.Context, fileID string) ([]Proxy, error) {
	var out []Proxy
	err := s.DB.R.NewSelect().Model(&out).Where("file_id = ?", fileID).OrderExpr("ended_at IS NOT NULL, starts_on DESC").Scan(ctx)
	return out, err
}

// Forwards lists a file's forwardings, newest first.
func (s *Service) Forwards(ctx context.Context, fileID string) ([]Forward, error) {
	var out []Forward
	err := s.DB.R.NewSelect().Model(&out).Where("file_id = ?", fileID).Order("created_at DESC").Scan(ctx)
	return out, err
}

// ProxyInput is a new proxy.
type ProxyInput struct {
	Given, Family    string
	BirthDate        *time.Time
	StartsOn, EndsOn *time.Time
}

// AddProxy records a proxy; at most MaxProxies may be in force (or yet to
// start) at once. Allowed on any file, radiated ones included (DomiFa).
func (s *Service) AddProxy(ctx context.Context, p *auth.Principal, id string, in ProxyInput) (*Proxy, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	today := s.today()
	px := &Proxy{ID: db.NewID(), OrgID: f.OrgID, FileID: f.ID, Given: clean(in.Given), Family: clean(in.Family), BirthDate: in.BirthDate,
		StartsOn: today, EndsOn: in.EndsOn, CreatedBy: p.UserID, CreatedAt: s.Clock.Now()}
	if in.StartsOn != nil {
		px.StartsOn = *in.StartsOn
	}
	fields := map[string]string{}
	if px.Family == "" {
		fields["proxy_family"] = "common.form.required"
	}
	if tooLong(px.Given, maxShort) || tooLong(px.Family, maxShort) {
		fields["proxy_family"] = "common.form.too_long"
	}
	if px.BirthDate != nil && px.BirthDate.After(today) {
		fields["proxy_birth"] = "domicile.error.future"
	}
	if px.EndsOn != nil && px.EndsOn.Before(px.StartsOn) {
		fields["proxy_ends"] = "domicile.error.end_before_start"
	}
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*Proxy)(nil)).Where("file_id = ? AND ended_at IS NULL AND (ends_on IS NULL OR ends_on >= ?)", f.ID, today).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxProxies {
			return apperr.Validation(map[string]string{"proxy_family": "domicile.error.too_many_proxies"})
		}
		if _, err := tx.NewInsert().Model(px).Exec(ctx); err != nil {
			return err
		}
		if err := s.timeline(ctx, tx, f, "domicile.proxy", "domicile.event.proxy_added", map[string]any{"Name": px.Name()}, false); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.proxy.add", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
			Details: map[string]any{"proxy": px.ID, "starts_on": px.StartsOn.Format(time.DateOnly), "ends_on": isoDate(px.EndsOn)}})
	})
	return px, err
}

// EndProxy ends a proxy today (it stays in the history).
func (s *Service) EndProxy(ctx context.Context, p *auth.Principal, id, proxyID string) (*Proxy, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	px := new(Proxy)
	if !db.ValidID(proxyID) {
		return nil, apperr.ErrNotFound
	}
	if err := s.DB.R.NewSelect().Model(px).Where("id = ? AND file_id = ?", proxyID, f.ID).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Proxy)(nil)).Set("ended_at = ?", now).Set("ended_by = ?", p.UserID).
			Where("id = ? AND ended_at IS NULL", px.ID).Exec(ctx)
		if err := changed(res, err); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.proxy.end", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
			Details: map[string]any{"proxy": px.ID}})
	})
	return px, err
}

// activeProxy returns a proxy of the file in force on day, or an error the
// desk shows.
func (s *Service) activeProxy(ctx context.Context, f *File, proxyID string, day time.Time) (*Proxy, error) {
	if !db.ValidID(proxyID) {
		return nil, apperr.Validation(map[string]string{"proxy": "domicile.error.proxy_required"})
	}
	px := new(Proxy)
	if err := s.DB.R.NewSelect().Model(px).Where("id = ? AND file_id = ?", proxyID, f.ID).Scan(ctx); err != nil {
		return nil, apperr.Validation(map[string]string{"proxy": "domicile.error.proxy_required"})
	}
	if !px.ActiveOn(day) {
		return nil, apperr.New(apperr.Conflict, "domicile.error.proxy_inactive")
	}
	return px, nil
}

// ForwardInput is a new forwarding.
type ForwardInput struct {
	Name, Address    string
	StartsOn, EndsOn *time.Time
}

// SetForward starts forwarding the mail to an address; a forwarding in
// force is ended first (one at a time, the history stays).
func (s *Service) SetForward(ctx context.Context, p *auth.Principal, id string, in ForwardInput) (*Forward, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	today := s.today()
	now := s.Clock.Now()
	fw := &Forward{ID: db.NewID(), OrgID: f.OrgID, FileID: f.ID, Name: clean(in.Name), Address: clean(in.Address), StartsOn: today,
		EndsOn: in.EndsOn, CreatedBy: p.UserID, CreatedAt: now}
	if in.StartsOn != nil {
		fw.StartsOn = *in.StartsOn
	}
	fields := map[string]string{}
	if fw.Name == "" {
		fields["forward_name"] = "common.form.required"
	} else if tooLong(fw.Name, maxShort) {
		fields["forward_name"] = "common.form.too_long"
	}
	if fw.Address == "" {
		fields["forward_address"] = "common.form.required"
	} else if tooLong(fw.Address, 300) {
		fields["forward_address"] = "common.form.too_long"
	}
	if fw.EndsOn != nil && fw.EndsOn.Before(fw.StartsOn) {
		fields["forward_ends"] = "domicile.error.end_before_start"
	}
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*Forward)(nil)).Set("ended_at = ?", now).Set("ended_by = ?", p.UserID).
			Where("file_id = ? AND ended_at IS NULL", f.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(fw).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.forward.set", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
			Details: map[string]any{"forward": fw.ID, "starts_on": fw.StartsOn.Format(time.DateOnly), "ends_on": isoDate(fw.EndsOn)}})
	})
	return fw, err
}

// EndForward stops the forwarding in force.
func (s *Service) EndForward(ctx context.Context, p *auth.Principal, id string) error {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileMail)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Forward)(nil)).Set("ended_at = ?", s.Clock.Now()).Set("ended_by = ?", p.UserID).
			Where("file_id = ? AND ended_at IS NULL", f.ID).Exec(ctx)
		if err := changed(res, err); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.forward.end", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID})
	})
}

// activeForward returns the forwarding in force on day, or nil.
func (s *Service) activeForward(ctx context.Context, fileID string, day time.Time) (*Forward, error) {
	fws, err := s.Forwards(ctx, fileID)
	if err != nil {
		return nil, err
	}
	for i := range fws {
		if fws[i].ActiveOn(day) {
			return &fws[i], nil
		}
	}
	return nil, nil
}
