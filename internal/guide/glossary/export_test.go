package glossary

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"parcours/internal/platform/db"
)

// StoreClipForTest stores a recording as generation or an upload would,
// without espeak-ng and without the audit (tests of precedence).
func (s *Service) StoreClipForTest(ctx context.Context, term, lang, source, format string, data []byte, d time.Duration) error {
	sum := sha256.Sum256(data)
	c := clipData{Clip: Clip{ID: db.NewID(), Term: term, Lang: lang, Source: source, Format: format, Size: len(data),
		DurationMS: int(d / time.Millisecond), SHA256: hex.EncodeToString(sum[:]), CreatedAt: s.Clock.Now().UTC()}, Data: data}
	_, err := s.DB.W.NewInsert().Model(&c).Exec(ctx)
	return err
}
