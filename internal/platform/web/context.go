package web

import (
	"context"
	"log/slog"

	"parcours/internal/platform/i18n"
)

type ctxKey int

const (
	keyLang ctxKey = iota
	keyRequestInfo
	keyViewer
)

// requestInfo is filled while the request goes down the stack and read by
// the outer middleware (logs, metrics) on the way back up.
type requestInfo struct {
	id      string
	route   string
	log     *slog.Logger
	userID  string
	clientA string
}

func infoFrom(ctx context.Context) *requestInfo {
	ri, _ := ctx.Value(keyRequestInfo).(*requestInfo)
	if ri == nil {
		return &requestInfo{log: slog.Default()}
	}
	return ri
}

// RequestID returns the request's id (also in the X-Request-ID header).
func RequestID(ctx context.Context) string { return infoFrom(ctx).id }

// ClientIP returns the client address (the proxy's view when trusted).
func ClientIP(ctx context.Context) string { return infoFrom(ctx).clientA }

// Log returns the request's logger, carrying its id.
func Log(ctx context.Context) *slog.Logger { return infoFrom(ctx).log }

// SetLogUser adds the signed-in user to the request's log line.
func SetLogUser(ctx context.Context, userID string) {
	if ri, ok := ctx.Value(keyRequestInfo).(*requestInfo); ok {
		ri.userID = userID
	}
}

// WithLang stores the request's language.
func WithLang(ctx context.Context, l i18n.Language) context.Context {
	return context.WithValue(ctx, keyLang, l)
}

// Lang returns the request's language (French when none was set).
func Lang(ctx context.Context) i18n.Language {
	if l, ok := ctx.Value(keyLang).(i18n.Language); ok {
		return l
	}
	l, _ := i18n.Lookup(i18n.Source)
	return l
}

// Viewer is what the page chrome shows of the signed-in user.
type Viewer struct {
	UserID  string
	Name    string
	Email   string
	OrgName string
	Roles   []string // role message keys, for the header
	Nav     []NavItem
	Demo    bool
}

// NavItem is one entry of the staff menu.
type NavItem struct {
	Key      string // message ID of the label
	Path     string // path without the language prefix
	Shortcut string // keyboard shortcut letter, handled by app.js
	Group    string // message ID of the drop-down menu it belongs to ("" = the bar)
}

// NavGroup is a drop-down menu of the staff bar.
type NavGroup struct {
	Key   string
	Items []NavItem
}

// Bar is the menu entries shown directly in the bar.
func (v *Viewer) Bar() []NavItem {
	var out []NavItem
	for _, n := range v.Nav {
		if n.Group == "" {
			out = append(out, n)
		}
	}
	return out
}

// Groups is the drop-down menus, in the order of their first entry.
func (v *Viewer) Groups() []NavGroup {
	var out []NavGroup
	for _, n := range v.Nav {
		if n.Group == "" {
			continue
		}
		i := len(out)
		for j, g := range out {
			if g.Key == n.Group {
				i = j
			}
		}
		if i == len(out) {
			out = append(out, NavGroup{Key: n.Group})
		}
		out[i].Items = append(out[i].Items, n)
	}
	return out
}

// WithViewer stores the signed-in user's chrome.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, keyViewer, v)
}

// ViewerFrom returns the signed-in user's chrome, or nil.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(keyViewer).(*Viewer)
	return v
}

func contextWith(ctx context.Context, ri *requestInfo) context.Context {
	return context.WithValue(ctx, keyRequestInfo, ri)
}

// Language is a served language (re-exported for packages that only need
// the request's language).
type Language = i18n.Language

// LanguageOr returns the served language of tag, or French.
func LanguageOr(tag string) Language {
	if l, ok := i18n.Lookup(tag); ok {
		return l
	}
	l, _ := i18n.Lookup(i18n.Source)
	return l
}
