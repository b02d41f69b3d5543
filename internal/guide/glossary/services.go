package glossary

import (
	"context"
	"time"
)

// ServiceSource is how the glossary's printable sheet (and the waiting-room
// screen) reads a service of the directory (package internal/guide). The
// glossary defines it, the directory implements it, the app wires it
// (HTTP.Services); until it is wired, /{lang}/guide/services/{id}/print
// answers 404 and the screen shows no services.
type ServiceSource interface {
	// ServiceSheet returns a published service's texts for a reader of
	// lang, each Text saying the language it is actually in (after the
	// directory's fallback chain). An unknown, unpublished or malformed id
	// is an apperr.NotFound error.
	ServiceSheet(ctx context.Context, id, lang string) (*ServiceSheet, error)
}

// ServiceLister is optional: when the ServiceSource also implements it, the
// waiting-room screen rotates through the services it lists.
type ServiceLister interface {
	// ScreenServices lists up to limit published services to show in a
	// waiting room (e.g. the centre's own and those open today).
	ScreenServices(ctx context.Context, lang string, limit int) ([]ServiceSheet, error)
}

// ServiceSheet is what a printed sheet and the screen show of a service.
// Texts carry their language; plain strings (address, phones, e-mail, web
// site) are shown left-to-right in Latin digits.
type ServiceSheet struct {
	ID           string
	Name         Text
	Organisation Text
	// Pictogram is a file name under /static/picto/ (the category's), or "".
	Pictogram   string
	Categories  []Text
	Description Text
	ForWhom     Text
	Access      Text   // walk-in, appointment, referral; what it costs
	Address     string // one line
	Directions  Text   // plain-language way to get there
	Phones      []string
	Email       string
	Website     string
	// Hours are lines such as "lundi : 9 h – 12 h", already formatted in lang.
	Hours []Text
	// Demo is the notice that the service is demo data to verify (in the
	// reader's language), shown before anything else; empty for real data.
	Demo Text
	// Closures are dated temporary closures, shown first.
	Closures  []Text
	Languages []string // BCP 47 tags of the languages spoken on site or on the phone
	Documents []Text   // what to bring
	// Checklists are slugs of "documents to bring" checklists this service
	// asks for (printed with their titles, linked on the live page).
	Checklists []string
	CheckedOn  time.Time // the date the information was last checked
}
