// Package apperr defines the few kinds of error that domain code returns and
// that the web layer maps, in one place, to an HTTP status and a translated,
// user-safe message.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the user and the HTTP status.
type Kind int

// Error kinds.
const (
	Internal Kind = iota
	Invalid
	NotFound
	Forbidden
	Unauthenticated
	Conflict
	TooMany
)

// Error is an error a user may see: Key is a message ID in the catalogs,
// Args its template data; Err is the internal cause, logged, never shown.
type Error struct {
	Kind Kind
	Key  string
	Args map[string]any
	// Fields holds per-field message keys for form validation errors.
	Fields map[string]string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Key, e.Err)
	}
	return e.Key
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind k with the message key.
func New(k Kind, key string) *Error { return &Error{Kind: k, Key: key} }

// Wrap returns an error of kind k with key, keeping cause for the logs.
func Wrap(k Kind, key string, cause error) *Error { return &Error{Kind: k, Key: key, Err: cause} }

// Validation is an Invalid error carrying per-field message keys.
func Validation(fields map[string]string) *Error {
	return &Error{Kind: Invalid, Key: "common.error.invalid", Fields: fields}
}

// KindOf returns the kind of err; errors not from this package are Internal.
func KindOf(err error) Kind {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Kind
	}
	return Internal
}

// As returns err as an *Error when it is one.
func As(err error) (*Error, bool) { return errors.AsType[*Error](err) }

// Is reports whether err is an *Error of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Common errors.
var (
	ErrNotFound  = New(NotFound, "common.error.not_found")
	ErrForbidden = New(Forbidden, "common.error.forbidden")
	ErrConflict  = New(Conflict, "common.error.conflict")
)
