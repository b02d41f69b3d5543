package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"parcours/internal/app"
	"parcours/internal/platform/config"
)

// result is one measured target.
type result struct {
	Name     string // hello, public, staff
	Engine   string // "-" for hello world
	Conc     int
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
	Max      time.Duration
	Bytes    int64 // response bytes per request (as sent: gzip when on)
	LoadFrom string
	LoadTo   string
	Others   float64 // percent of the machine's CPU used by other processes during the run
	FirstErr string

	// Over rounds (merge): how many, the spread of Others, and the
	// median of the per-round ratios to the hello world of the same round.
	Rounds               int
	OthersMin, OthersMax float64
	Ratio                float64 // 0 when not paired

	lats       []time.Duration
	totalBytes int64
}

func (r result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

// checkLoopback refuses a target that is not on this machine.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if u.Scheme == "postgres" || u.Scheme == "postgresql" {
		if host == "" || strings.HasPrefix(host, "/") {
			return nil // Unix socket
		}
		if h := u.Query().Get("host"); strings.HasPrefix(h, "/") {
			return nil
		}
	}
	if !config.IsLoopback(host) {
		return fmt.Errorf("%s: refusing a non-loopback target %q (this tool loads only this machine)", raw, host)
	}
	return nil
}

// newTransport keeps one connection per client open (keep-alive) and never
// goes through a proxy. Compression is not decoded by the client: the body
// is read as sent, so the client's cost stays the same for every target.
func newTransport(conc int) *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conc,
		MaxIdleConnsPerHost: conc,
		MaxConnsPerHost:     conc,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// target is one page to load.
type target struct {
	name, engine string
	url          string
	cookie       string // Cookie header (session, language)
	pids         []int  // server processes other than this one (their CPU is ours)
}

// measure runs a closed loop: o.conc clients, each sending the next request
// as soon as the previous response is read, for o.warmup (not recorded)
// then o.duration. Every latency is kept, then sorted for the percentiles.
func measure(ctx context.Context, o options, t target) (result, error) {
	if err := checkLoopback(t.url); err != nil {
		return result{}, err
	}
	if err := waitQuiet(ctx, o.quiet, o.quietWait, t.pids...); err != nil {
		return result{}, err
	}
	tr := newTransport(o.conc)
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	res := result{Name: t.name, Engine: t.engine, Conc: o.conc, LoadFrom: load1()}
	var (
		mu       sync.Mutex
		lats     []time.Duration
		errs     int
		bytes    int64
		firstErr string
	)
	cpu0 := snapCPU(t.pids...)
	start := time.Now()
	warmEnd := start.Add(o.warmup)
	end := warmEnd.Add(o.duration)
	var wg sync.WaitGroup
	for i := 0; i < o.conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
			if err != nil {
				panic(err)
			}
			req.Header.Set("User-Agent", "parcours-load/1")
			req.Header.Set("Accept", "text/html")
			if o.gzip {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			if t.cookie != "" {
				req.Header.Set("Cookie", t.cookie)
			}
			local := make([]time.Duration, 0, 1<<14)
			var le int
			var lb int64
			var lfe string
			buf := make([]byte, 32<<10)
			for {
				t0 := time.Now()
				if !t0.Before(end) || ctx.Err() != nil {
					break
				}
				resp, err := client.Do(req)
				var n int64
				if err == nil {
					n, err = io.CopyBuffer(io.Discard, resp.Body, buf)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				d := time.Since(t0)
				if t0.Before(warmEnd) {
					continue
				}
				local = append(local, d)
				lb += n
				if err != nil {
					le++
					if lfe == "" {
						lfe = err.Error()
					}
				}
			}
			mu.Lock()
			lats = append(lats, local...)
			errs += le
			bytes += lb
			if firstErr == "" {
				firstErr = lfe
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(warmEnd)
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	res.Errors, res.FirstErr, res.totalBytes, res.lats = errs, firstErr, bytes, lats
	res.finish()
	res.LoadTo = load1()
	res.Others = othersPct(cpu0, snapCPU(t.pids...))
	return res, nil
}

// finish sorts the latencies and computes the percentiles.
func (r *result) finish() {
	slices.Sort(r.lats)
	r.Requests = len(r.lats)
	if r.Requests > 0 {
		r.P50 = percentile(r.lats, 50)
		r.P99 = percentile(r.lats, 99)
		r.Max = r.lats[len(r.lats)-1]
		r.Bytes = r.totalBytes / int64(r.Requests)
	}
}

// merge combines the rounds of one target: requests/s over the summed
// time, percentiles over every latency of every round.
func merge(rounds []result) result {
	m := rounds[0]
	m.lats = nil
	m.Errors, m.Elapsed, m.totalBytes, m.Rounds = 0, 0, 0, len(rounds)
	m.OthersMin, m.OthersMax = rounds[0].Others, rounds[0].Others
	var others float64
	for _, r := range rounds {
		m.lats = append(m.lats, r.lats...)
		m.Errors += r.Errors
		m.Elapsed += r.Elapsed
		m.totalBytes += r.totalBytes
		others += r.Others
		m.OthersMin, m.OthersMax = min(m.OthersMin, r.Others), max(m.OthersMax, r.Others)
		if m.FirstErr == "" {
			m.FirstErr = r.FirstErr
		}
	}
	m.Others = others / float64(len(rounds))
	m.LoadTo = rounds[len(rounds)-1].LoadTo
	m.finish()
	return m
}

// percentile of sorted latencies (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return sorted[i-1]
}

// signIn signs in as the demo administrator through the real pages
// (password, then the TOTP code of the demo secret) and returns the Cookie
// header a browser would then send.
func signIn(ctx context.Context, base string) (string, error) {
	if err := checkLoopback(base); err != nil {
		return "", err
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Transport: newTransport(1), Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer client.CloseIdleConnections()
	post := func(path string, form url.Values) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp, nil
	}
	// The sign-in page first, as a person would (it sets the language cookie).
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/fr/login", nil)
	if resp, err := client.Do(req); err != nil {
		return "", err
	} else {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	resp, err := post("/fr/login", url.Values{"email": {"admin@demo.invalid"}, "password": {app.DemoPassword}})
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/login/totp") {
		return "", fmt.Errorf("sign-in: password step answered %d %q (is the server in --demo mode?)", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A code is accepted once: when the current one was already used (a
	// previous run on the same data), wait for the next 30-second step.
	for attempt := 0; attempt < 2; attempt++ {
		code, err := totp.GenerateCodeCustom(app.DemoTOTPSecret, time.Now(),
			totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return "", err
		}
		resp, err = post("/fr/login/totp", url.Values{"code": {code}, "next": {"/staff"}})
		if err != nil {
			return "", err
		}
		if resp.StatusCode == http.StatusSeeOther && !strings.Contains(resp.Header.Get("Location"), "/login") {
			break
		}
		if resp.StatusCode != http.StatusUnprocessableEntity || attempt == 1 {
			return "", fmt.Errorf("sign-in: code step answered %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		wait := time.Duration(30-time.Now().Unix()%30)*time.Second + 500*time.Millisecond
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	u, _ := url.Parse(base + "/fr/staff")
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	if len(parts) == 0 {
		return "", errors.New("sign-in: no cookie set")
	}
	cookie := strings.Join(parts, "; ")
	// Check that the session opens the staff home.
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, base+"/fr/staff", nil)
	req.Header.Set("Cookie", cookie)
	plain := &http.Client{Transport: client.Transport, CheckRedirect: client.CheckRedirect}
	resp, err = plain.Do(req)
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("sign-in: staff home answered %d", resp.StatusCode)
	}
	return cookie, nil
}
