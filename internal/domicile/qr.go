package domicile

import (
	"context"
	"encoding/base64"
	"html/template"

	qrcode "github.com/skip2/go-qrcode"
)

// qrDataURL is a data: URL of a QR code PNG of s (the card's code).
func qrDataURL(s string) template.URL {
	png, err := qrcode.Encode(s, qrcode.Medium, 256)
	if err != nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)) //nolint:gosec // our own PNG
}

// userNames maps the centre's users to their names (who did what).
func (s *Service) userNames(ctx context.Context, orgID string) (map[string]string, error) {
	var rows []struct {
		ID   string `bun:"id"`
		Name string `bun:"name"`
	}
	if err := s.DB.R.NewSelect().Table("users").Column("id", "name").Where("org_id = ?", orgID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
