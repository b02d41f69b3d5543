package domicile_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"parcours/internal/app"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// A mail item acknowledged on screen is never lost: the built server runs
// on a fresh SQLite file with the demo data; four desks record intakes as
// fast as they can; the server is killed (SIGKILL) in the middle; after a
// restart, every intake that was acknowledged (303 with its confirmation)
// is in the register.
func TestMailIntakeSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := filepath.Join(t.TempDir(), "parcours")
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	build := exec.Command("go", "build", "-o", bin, "./cmd/parcours")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := t.TempDir()
	addr := freeAddr(t)
	srv := startServer(t, bin, data, addr)

	base := "http://" + addr
	c := login(t, base, "accueil@demo.invalid")
	fileID := demoFile(t, c, base, "Diallo")

	var acked sync.Map
	var n atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for desk := 0; desk < 4; desk++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := n.Add(1)
				sender := fmt.Sprintf("burst-%d", i)
				form := url.Values{"file": {fileID}, "kind": {"letter"}, "quantity": {"1"}, "sender": {sender}}
				resp, err := postForm(c, base+"/fr/domiciliation/mail", form)
				if err != nil {
					return // the server is gone
				}
				if resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/fr/domiciliation/mail") {
					acked.Store(sender, true)
				}
			}
		}()
	}
	// Let the burst run, then kill the server in the middle of it.
	deadline := time.Now().Add(20 * time.Second)
	for countMap(&acked) < 40 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	close(stop)
	wg.Wait()
	ackCount := countMap(&acked)
	if ackCount == 0 {
		t.Fatal("no intake acknowledged before the kill")
	}

	// Restart on the same data: it comes back, and nothing acknowledged is lost.
	srv2 := startServer(t, bin, data, addr)
	d, err := db.Open(context.Background(), db.Options{Path: filepath.Join(data, "parcours.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var senders []string
	if err := d.R.NewSelect().Table("dom_mail").Column("sender").Where("sender LIKE 'burst-%'").Scan(context.Background(), &senders); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, s := range senders {
		have[s] = true
	}
	lost := 0
	acked.Range(func(k, _ any) bool {
		if !have[k.(string)] {
			lost++
			t.Errorf("acknowledged intake %s lost", k)
		}
		return true
	})
	t.Logf("%d intakes sent, %d acknowledged, %d stored, %d lost", n.Load(), ackCount, len(senders), lost)
	_ = srv2.Process.Signal(syscall.SIGTERM)
	_ = srv2.Wait()
}

func countMap(m *sync.Map) int {
	n := 0
	m.Range(func(any, any) bool { n++; return true })
	return n
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs the binary with the demo data and waits until it is ready.
func startServer(t *testing.T, bin, data, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data", data, "--demo")
	cmd.Env = append(os.Environ(), "PARCOURS_BASE_URL=http://"+addr, "PARCOURS_LOG_LEVEL=warn")
	log, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b, _ := os.ReadFile(log.Name())
	t.Fatalf("server did not start:\n%s", b)
	return nil
}

func postForm(c *http.Client, u string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, nil
}

// login signs a demo account in (password, then the TOTP code).
func login(t *testing.T, base, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := postForm(c, base+"/fr/login", url.Values{"email": {email}, "password": {app.DemoPassword}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", err, resp)
	}
	code, err := testkit.TOTPCode(app.DemoTOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, err = postForm(c, base+"/fr/login/totp", url.Values{"code": {code}})
	if err != nil || resp.StatusCode != http.StatusSeeOther || strings.Contains(resp.Header.Get("Location"), "/login") {
		t.Fatalf("totp: %v %v", err, resp)
	}
	return c
}

var fileFieldRe = regexp.MustCompile(`name="file" value="([0-9a-f-]{36})"`)

// demoFile finds a demo person's file at the desk.
func demoFile(t *testing.T, c *http.Client, base, name string) string {
	t.Helper()
	resp, err := c.Get(base + "/fr/domiciliation/mail?q=" + url.QueryEscape(name))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := fileFieldRe.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no file for %s at the desk (%d)", name, resp.StatusCode)
	}
	return string(m[1])
}
