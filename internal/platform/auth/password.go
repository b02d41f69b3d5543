package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2 holds the argon2id parameters (OWASP: 19 MiB, 2 passes, 1 lane).
type Argon2 struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultArgon2 is used in production.
var DefaultArgon2 = Argon2{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Password length bounds (the maximum stops hashing huge inputs).
const (
	MinPassword = 12
	MaxPassword = 128
)

// HashPassword returns a PHC string: $argon2id$v=19$m=..,t=..,p=..$salt$hash.
func (a Argon2) HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, a.Time, a.MemoryKiB, a.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.MemoryKiB, a.Time, a.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// CheckPassword compares pw with a PHC hash in constant time. It also
// reports whether the hash uses other parameters than a (rehash on login).
func (a Argon2) CheckPassword(hash, pw string) (ok, stale bool, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, false, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, false, errBadHash
	}
	var p Argon2
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, false, errBadHash
	}
	if p.MemoryKiB == 0 || p.MemoryKiB > 1<<20 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return false, false, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, false, errBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false, false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, p != a, nil
}

// PasswordProblem returns the message key of what is wrong with a new
// password, or "" when it is acceptable.
func PasswordProblem(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPassword:
		return "auth.password.too_short"
	case n > MaxPassword:
		return "auth.password.too_long"
	case strings.EqualFold(pw, email):
		return "auth.password.is_email"
	case len(strings.Trim(pw, pw[:1])) == 0:
		return "auth.password.too_simple"
	}
	return ""
}
