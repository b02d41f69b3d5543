package domicile

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"parcours/internal/people"
)

var _ people.Hook = (*Service)(nil)

// MergePerson moves the domiciliation files of a duplicate to the kept
// person file.
func (s *Service) MergePerson(ctx context.Context, tx bun.Tx, orgID, fromID, intoID string) error {
	var ids []string
	if err := tx.NewSelect().Model((*File)(nil)).Column("id").Where("org_id = ? AND person_id = ?", orgID, fromID).Scan(ctx, &ids); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.NewUpdate().Model((*File)(nil)).Set("person_id = ?", intoID).Where("id IN (?)", bun.List(ids)).Exec(ctx); err != nil {
		return err
	}
	// The kept file's birth date may differ: the report's profiles follow.
	for _, id := range ids {
		if err := refreshProfile(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// PurgePerson removes the domiciliation data of a person (erasure or the
// people module's retention); the decisions' statuses and dates stay,
// anonymised, for the activity reports.
func (s *Service) PurgePerson(ctx context.Context, tx bun.Tx, orgID, personID string) error {
	var fs []File
	if err := tx.NewSelect().Model(&fs).Where("f.org_id = ? AND f.person_id = ?", orgID, personID).Scan(ctx); err != nil {
		return err
	}
	for i := range fs {
		if err := s.purgeFile(ctx, tx, &fs[i]); err != nil {
			return err
		}
	}
	return nil
}

// ExportPerson gives the person's domiciliation for the copy of their file:
// each file with its decisions, proxies, forwarding and mail counts.
func (s *Service) ExportPerson(ctx context.Context, orgID, personID string) ([]people.ExportSection, error) {
	var fs []File
	if err := s.DB.R.NewSelect().Model(&fs).Where("f.org_id = ? AND f.person_id = ?", orgID, personID).Order("f.number").Scan(ctx); err != nil {
		return nil, err
	}
	var out []people.ExportSection
	for _, f := range fs {
		sec := people.ExportSection{Module: "domicile", Title: people.Message{Key: "domicile.export.section", Args: map[string]any{"Number": f.Number}}}
		row := func(key string, args map[string]any, value string) {
			sec.Rows = append(sec.Rows, people.ExportRow{Label: people.Message{Key: key, Args: args}, Value: value})
		}
		row("domicile.status."+f.Status, nil, fmt.Sprint(f.Number))
		decs, err := s.Decisions(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range decs {
			if d.UndoneAt != nil {
				continue
			}
			dd := d.DecidedOn
			period := ""
			if d.StartOn != nil && d.EndOn != nil {
				period = d.StartOn.Format("02/01/2006") + " – " + d.EndOn.Format("02/01/2006")
			}
			sec.Rows = append(sec.Rows, people.ExportRow{Label: people.Message{Key: "domicile.status." + d.Status}, Value: period, Date: &dd})
		}
		pxs, err := s.Proxies(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		for _, px := range pxs {
			row("domicile.export.proxy", nil, px.Name())
		}
		fws, err := s.Forwards(ctx, f.ID)
		if err != nil {
			return nil, err
		}
		for _, fw := range fws {
			row("domicile.export.forward", nil, fw.Name+", "+fw.Address)
		}
		var mail []struct {
			Status string `bun:"status"`
			N      int    `bun:"n"`
		}
		if err := s.DB.R.NewSelect().Model((*Mail)(nil)).ColumnExpr("m.status, SUM(m.quantity) AS n").Where("m.file_id = ?", f.ID).
			GroupExpr("m.status").Scan(ctx, &mail); err != nil {
			return nil, err
		}
		for _, m := range mail {
			row("domicile.mail_status."+m.Status, nil, fmt.Sprint(m.N))
		}
		out = append(out, sec)
	}
	return out, nil
}
