package auth_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"parcours/internal/platform/auth"
)

var cheap = auth.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}

// costly matches parameters that would make one fuzz run take seconds
// (the parser accepts up to 1 GiB and 16 passes, as stored hashes may).
var costRe = regexp.MustCompile(`m=\+?0*(\d+),t=\+?0*(\d+)`)

func costly(hash string) bool {
	for _, m := range costRe.FindAllStringSubmatch(hash, -1) {
		mem, err1 := strconv.Atoi(m[1])
		tm, err2 := strconv.Atoi(m[2])
		if err1 != nil || err2 != nil || mem > 4096 || tm > 4 {
			return true
		}
	}
	return false
}

func TestCheckPassword(t *testing.T) {
	h, err := cheap.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("PHC string %q", h)
	}
	if ok, stale, err := cheap.CheckPassword(h, "correct horse battery staple"); !ok || stale || err != nil {
		t.Fatalf("right password: %v %v %v", ok, stale, err)
	}
	if ok, _, err := cheap.CheckPassword(h, "correct horse battery stapl"); ok || err != nil {
		t.Fatalf("wrong password: %v %v", ok, err)
	}
	// Other parameters than the current ones ask for a rehash.
	if ok, stale, err := (auth.Argon2{MemoryKiB: 128, Time: 1, Threads: 1}).CheckPassword(h, "correct horse battery staple"); !ok || !stale || err != nil {
		t.Fatalf("stale parameters: %v %v %v", ok, stale, err)
	}
	for _, bad := range []string{
		"", "$", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=16$m=64,t=1,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=0,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=0,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=64,t=1,p=0$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$", "$argon2id$v=19$m=2000000,t=1,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=64,t=99,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=999$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA$extra",
	} {
		if ok, _, err := cheap.CheckPassword(bad, "x"); ok || err == nil {
			t.Errorf("malformed hash %q: ok=%v err=%v", bad, ok, err)
		}
	}
}

func FuzzCheckPassword(f *testing.F) {
	h, err := cheap.HashPassword("correct horse battery staple")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		h, "", "$", "$$$$$", "$argon2id$v=19$m=64,t=1,p=1$$", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=-1,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=256$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdA==$aGFzaA==", "$argon2id$v=19$m=64,t=1,p=1$\x00$\xff",
		"$argon2id$v=19$m=1,t=1,p=255$c2FsdA$" + strings.Repeat("A", 90),
	} {
		f.Add(s, "correct horse battery staple")
	}
	f.Fuzz(func(t *testing.T, hash, pw string) {
		if costly(hash) || len(pw) > 256 {
			t.Skip()
		}
		ok, _, err := cheap.CheckPassword(hash, pw)
		if ok && err != nil {
			t.Fatalf("ok with an error: %v", err)
		}
		if err == nil && (len(strings.Split(hash, "$")) != 6 || !strings.HasPrefix(hash, "$argon2id$")) {
			t.Fatalf("%q accepted as a PHC string", hash)
		}
		// The real hash matches its password only.
		if hash == h && ok != (pw == "correct horse battery staple") {
			t.Fatalf("hash of the seed password: ok=%v for %q", ok, pw)
		}
	})
}
