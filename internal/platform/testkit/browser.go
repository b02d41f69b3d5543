package testkit

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Environment variables of the browser tests.
const (
	// EnvChromium overrides the Chromium executable (default /usr/bin/chromium,
	// Debian's package "chromium").
	EnvChromium = "PARCOURS_CHROMIUM"
	// EnvShots is a directory: when set, Chrome.Screenshot writes PNGs there.
	EnvShots = "PARCOURS_SHOTS"
)

// DefaultChromium is where Debian installs Chromium.
const DefaultChromium = "/usr/bin/chromium"

// Default viewport of a new tab (a common laptop screen).
const (
	DefaultWidth  = 1366
	DefaultHeight = 768
)

//go:embed axe/axe.min.js
var axeSource string

// ChromiumPath returns the Chromium executable, or an error saying how to
// install it.
func ChromiumPath() (string, error) {
	p := os.Getenv(EnvChromium)
	if p == "" {
		p = DefaultChromium
	}
	full, err := exec.LookPath(p)
	if err != nil {
		return "", fmt.Errorf("Chromium not found at %s (apt-get install chromium, or set %s)", p, EnvChromium)
	}
	return full, nil
}

// TB is the part of testing.TB the browser helpers use, so that tools (such
// as tools/shots) can drive a Chrome without a test.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

// Chrome is one headless Chromium, with a fresh profile and one tab, pointed
// at a server. Its helpers fail the test (t.Fatalf) when a step fails, saying
// where the page was.
type Chrome struct {
	// Base is the server's URL ("http://127.0.0.1:port"); paths are joined to it.
	Base string
	// Timeout bounds each step (navigation, query, evaluation).
	Timeout time.Duration

	ctx     context.Context // the tab
	cancel  []context.CancelFunc
	dir     string
	out     *lockedBuffer
	w, h    int64
	closed  bool
	noJS    bool
	closeMu sync.Mutex
}

// Chrome starts a headless Chromium for this world's server and closes it
// at the end of the test. When Chromium is not installed the test is skipped
// with one line, or fails under PARCOURS_TEST_STRICT=1.
func (w *World) Chrome() *Chrome {
	w.T.Helper()
	if _, err := ChromiumPath(); err != nil {
		if Strict() {
			w.T.Fatalf("browser test needs Chromium (%s=1): %v", EnvStrict, err)
		}
		w.T.Skipf("browser test skipped: %v", err)
	}
	c, err := LaunchChrome(w.Server.URL)
	if err != nil {
		w.T.Fatalf("start Chromium: %v", err)
	}
	w.T.Cleanup(c.Close)
	return c
}

// LaunchChrome starts Chromium headless with a new empty profile and opens
// one tab at base (not yet navigated). Close it when done.
func LaunchChrome(base string) (*Chrome, error) {
	exe, err := ChromiumPath()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "parcours-chromium-")
	if err != nil {
		return nil, err
	}
	c := &Chrome{Base: strings.TrimRight(base, "/"), Timeout: 15 * time.Second, dir: dir, out: &lockedBuffer{}}
	// The flags Chromium needs on this machine (as root, closed network):
	// no sandbox, no GPU, and none of the background connections to Google.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.WindowSize(DefaultWidth, DefaultHeight),
		chromedp.CombinedOutput(c.out),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	tctx, tcancel := chromedp.NewContext(actx)
	c.ctx, c.cancel = tctx, []context.CancelFunc{tcancel, acancel}
	// The first run starts the browser: it must not carry a timeout.
	start := make(chan error, 1)
	go func() { start <- chromedp.Do(tctx) }()
	select {
	case err = <-start:
	case <-time.After(30 * time.Second):
		err = errors.New("Chromium did not start within 30 s")
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("%w\n%s", err, c.out.tail(2000))
	}
	if err := c.run(chromedp.EmulateViewport(DefaultWidth, DefaultHeight)); err != nil {
		c.Close()
		return nil, err
	}
	c.w, c.h = DefaultWidth, DefaultHeight
	return c, nil
}

// Close stops Chromium and removes its profile.
func (c *Chrome) Close() {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	for _, cancel := range c.cancel {
		cancel()
	}
	_ = os.RemoveAll(c.dir)
}

func (c *Chrome) run(steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

// fail reports a failed step with the page's address and the start of its text.
func (c *Chrome) fail(t TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	ctx, cancel := context.WithTimeout(c.ctx, 3*time.Second)
	defer cancel()
	var where string
	var p struct{ U, T string }
	if b, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`({u: location.href, t: (document.body ? document.body.innerText : "").slice(0, 600)})`)); err == nil && json.Unmarshal(b, &p) == nil {
		where = fmt.Sprintf("\n  at %s\n  page text: %q", p.U, p.T)
	}
	t.Fatalf("%s%s", msg, where)
}

// URL is the address of the page shown now.
func (c *Chrome) URL(t TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		c.fail(t, "read location: %v", err)
	}
	return u
}

// Path is the path (and query) of the page shown now, without the server.
func (c *Chrome) Path(t TB) string {
	t.Helper()
	return strings.TrimPrefix(c.URL(t), c.Base)
}

// Open loads a path of the server (e.g. "/fr/login") and returns the HTTP
// status of the document.
func (c *Chrome) Open(t TB, path string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(c.Base+path))
	if err != nil {
		c.fail(t, "open %s: %v", path, err)
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// Follow clicks the element sel (a link or a submit button) and waits until
// the page it leads to has loaded; it returns that document's HTTP status
// (after redirects, the status of the last page).
func (c *Chrome) Follow(t TB, sel string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		c.fail(t, "click %s and wait for the next page: %v", sel, err)
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// Upload sets the files of the file input sel (paths on this machine).
func (c *Chrome) Upload(t TB, sel string, paths ...string) {
	t.Helper()
	if err := c.run(chromedp.SetUploadFiles(chromedp.CSS(sel), paths)); err != nil {
		c.fail(t, "set files of %s: %v", sel, err)
	}
}

// Menu follows the staff menu entry that links to href (with its language
// prefix), opening first the drop-down that holds it when it is in one, as
// a person would.
func (c *Chrome) Menu(t TB, href string) int {
	t.Helper()
	link := `nav.mainnav a[href="` + href + `"]`
	var inGroup bool
	c.Eval(t, `!!document.querySelector('nav.mainnav details.navgroup a[href="`+href+`"]')`, &inGroup)
	if inGroup {
		c.Click(t, `nav.mainnav details.navgroup:has(a[href="`+href+`"]) > summary`)
	}
	return c.Follow(t, link)
}

// Click clicks the element sel (it waits until it is visible) and does not
// wait for a navigation (menus, disclosure widgets).
func (c *Chrome) Click(t TB, sel string) {
	t.Helper()
	if err := c.run(chromedp.Click(chromedp.CSS(sel))); err != nil {
		c.fail(t, "click %s: %v", sel, err)
	}
}

// Fill types value into the input sel, as a person would, after clearing it.
func (c *Chrome) Fill(t TB, sel, value string) {
	t.Helper()
	// The value is emptied by script: chromedp's Clear fails on an empty
	// textarea (it looks for the node's text child).
	if err := c.run(chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		c.fail(t, "fill %s: %v", sel, err)
	}
	var cleared bool
	if err := c.eval(fmt.Sprintf(`(document.querySelector(%s).value = "") === ""`, jsString(sel)), &cleared); err != nil {
		c.fail(t, "fill %s: %v", sel, err)
	}
	if err := c.run(chromedp.SendKeys(chromedp.CSS(sel), value)); err != nil {
		c.fail(t, "fill %s: %v", sel, err)
	}
}

// Select chooses the option with the given value in the select sel (and
// fires its change event, as a person choosing would).
func (c *Chrome) Select(t TB, sel, value string) {
	t.Helper()
	if c.noJS {
		t.Fatalf("Select %s: not available with JavaScript disabled", sel)
	}
	if err := c.run(chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		c.fail(t, "select %s: %v", sel, err)
	}
	var found bool
	c.Eval(t, fmt.Sprintf(`(() => { const s = document.querySelector(%s); const o = Array.from(s.options).find(o => o.value === %s);
		if (!o) return false; s.value = o.value; s.dispatchEvent(new Event("input", {bubbles: true})); s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`,
		jsString(sel), jsString(value)), &found)
	if !found {
		c.fail(t, "select %s: no option with value %q", sel, value)
	}
}

// Submit fills the form fields (CSS selector -> value, typed in order of
// the keys given as pairs) and clicks the button sel; it waits for the next
// page and returns its status.
func (c *Chrome) Submit(t TB, button string, fields ...string) int {
	t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		c.Fill(t, fields[i], fields[i+1])
	}
	return c.Follow(t, button)
}

// WaitVisible waits until the element sel is visible.
func (c *Chrome) WaitVisible(t TB, sel string) {
	t.Helper()
	if err := c.run(chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		c.fail(t, "wait for %s: %v", sel, err)
	}
}

// Has reports whether an element matches sel now (no waiting).
func (c *Chrome) Has(t TB, sel string) bool {
	t.Helper()
	var n int
	c.Eval(t, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel)), &n)
	return n > 0
}

// Text returns the visible text (innerText, trimmed) of the element sel,
// waiting until it is visible.
func (c *Chrome) Text(t TB, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		c.fail(t, "read text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Attr returns an attribute of the element sel ("" when absent).
func (c *Chrome) Attr(t TB, sel, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	r, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		c.fail(t, "read %s of %s: %v", name, sel, err)
	}
	return r.Value
}

// Rect is an element's box in CSS pixels, relative to the viewport.
type Rect struct {
	X, Y, Width, Height float64
}

// Right is the x of the box's right edge.
func (r Rect) Right() float64 { return r.X + r.Width }

// Box returns the bounding box of the element sel (which must exist).
func (c *Chrome) Box(t TB, sel string) Rect {
	t.Helper()
	c.WaitVisible(t, sel)
	var r struct{ X, Y, Width, Height float64 }
	c.Eval(t, fmt.Sprintf(`(() => { const b = document.querySelector(%s).getBoundingClientRect(); return {x: b.x, y: b.y, width: b.width, height: b.height} })()`, jsString(sel)), &r)
	return Rect(r)
}

// Eval evaluates a JavaScript expression in the page (through the DevTools
// protocol, which the page's Content-Security-Policy does not restrict) and
// decodes its JSON value into out (nil to ignore it). Promises are awaited.
func (c *Chrome) Eval(t TB, expr string, out any) {
	t.Helper()
	if err := c.eval(expr, out); err != nil {
		c.fail(t, "evaluate %.80q: %v", expr, err)
	}
}

func (c *Chrome) eval(expr string, out any) error {
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if out == nil || len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, out)
}

// DisableJS turns the page's scripts off (for the tests that pages work
// without JavaScript); it applies to the pages loaded from now on. Eval and
// the other helpers still work: they go through DevTools.
func (c *Chrome) DisableJS(t TB) {
	t.Helper()
	err := c.run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	if err != nil {
		c.fail(t, "disable JavaScript: %v", err)
	}
	c.noJS = true
}

// Viewport sets the size of the page's viewport in CSS pixels; widths under
// 768 emulate a phone (mobile viewport, touch).
func (c *Chrome) Viewport(t TB, width, height int) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	if width < 768 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := c.run(chromedp.EmulateViewport(int64(width), int64(height), opts...)); err != nil {
		c.fail(t, "set viewport %dx%d: %v", width, height, err)
	}
	c.w, c.h = int64(width), int64(height)
}

// viewportKeep changes the viewport without recording it as the size to
// restore (for full-page captures).
func (c *Chrome) viewportKeep(t TB, width, height int) {
	t.Helper()
	w, h := c.w, c.h
	c.Viewport(t, width, height)
	c.w, c.h = w, h
}

// ShotsDir is the directory screenshots go to ("" when PARCOURS_SHOTS is unset).
func ShotsDir() string { return os.Getenv(EnvShots) }

// Screenshot captures the whole page (beyond the fold) laid out in a
// width x height viewport, into $PARCOURS_SHOTS/<name>-<width>x<height>.png;
// without PARCOURS_SHOTS it does nothing. The viewport is restored after.
func (c *Chrome) Screenshot(t TB, name string, width, height int) {
	t.Helper()
	dir := ShotsDir()
	if dir == "" {
		return
	}
	if _, err := c.ScreenshotTo(t, dir, name, width, height); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
}

// ScreenshotTo is Screenshot into an explicit directory; it returns the file written.
func (c *Chrome) ScreenshotTo(t TB, dir, name string, width, height int) (string, error) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	w0, h0 := int(c.w), int(c.h)
	defer c.Viewport(t, w0, h0)
	c.Viewport(t, width, height)
	// Lay the page out at this width, then grow the viewport to the whole
	// page and capture it. (Page.captureScreenshot with
	// captureBeyondViewport shifts right-to-left pages sideways.)
	var full int
	if err := c.eval(`document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() =>
		r(Math.ceil(Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)))))))`, &full); err != nil {
		return "", err
	}
	if full > height {
		c.viewportKeep(t, width, full)
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, fmt.Sprintf("%s-%dx%d.png", safeName(name), width, height))
	return file, os.WriteFile(file, png, 0o644)
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// AxeViolation is one failed axe-core rule, with the elements that fail it.
type AxeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// AxeResult is what an axe-core run found on a page.
type AxeResult struct {
	URL        string         `json:"url"`
	Lang       string         `json:"lang"`
	Dir        string         `json:"dir"`
	Rules      int            `json:"rules"` // rules that ran (passed, failed or incomplete)
	Violations []AxeViolation `json:"violations"`
	// CSP lists the Content-Security-Policy violations the page reported
	// while axe ran (there should be none: DevTools evaluation is exempt).
	CSP []string `json:"csp"`
}

// Axe injects axe-core into the page shown now (through DevTools, which the
// page's strict CSP does not block) and runs every rule axe enables by
// default (WCAG 2.0/2.1 A and AA, best practices) plus target-size (WCAG
// 2.2 AA 2.5.8, off by default in axe): tap targets of at least 24x24 px.
func (c *Chrome) Axe(t TB) AxeResult {
	t.Helper()
	if err := c.eval(`(() => { window.__parcoursCSP = []; document.addEventListener("securitypolicyviolation",
		e => window.__parcoursCSP.push(e.violatedDirective + " " + e.blockedURI)); return true })()`, nil); err != nil {
		c.fail(t, "axe: install CSP listener: %v", err)
	}
	if err := c.eval(axeSource+"\n;true", nil); err != nil {
		c.fail(t, "axe: inject axe-core: %v", err)
	}
	var res AxeResult
	err := c.eval(`(async () => {
		const r = await axe.run(document, {resultTypes: ["violations"], rules: {"target-size": {enabled: true}}});
		await new Promise(ok => setTimeout(ok, 0));
		return {url: location.href, lang: document.documentElement.lang, dir: document.documentElement.dir,
			rules: r.passes.length + r.violations.length + r.incomplete.length,
			violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
				nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))})),
			csp: window.__parcoursCSP}
	})()`, &res)
	if err != nil {
		c.fail(t, "axe: run: %v", err)
	}
	return res
}

// CheckAxe runs axe-core on the page shown now, checks the page is in lang
// (<html lang>), and fails listing every violation: zero are allowed.
func (c *Chrome) CheckAxe(t TB, lang string) {
	t.Helper()
	r := c.Axe(t)
	if r.Lang != lang {
		t.Fatalf("axe: page %s is in %q, want %q", r.URL, r.Lang, lang)
	}
	if r.Rules == 0 {
		t.Fatalf("axe: no rule ran on %s", r.URL)
	}
	if len(r.CSP) > 0 {
		t.Fatalf("axe: Content-Security-Policy violations on %s while checking: %v", r.URL, r.CSP)
	}
	if len(r.Violations) == 0 {
		return
	}
	t.Fatalf("axe: %d violation(s) on %s (lang %s, dir %s):%s", len(r.Violations), r.URL, r.Lang, r.Dir, FormatAxe(r.Violations))
}

// FormatAxe lists violations, one rule per paragraph with its elements.
func FormatAxe(vs []AxeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n- %s [%s] %s (%s)", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			target, _ := json.Marshal(n.Target)
			fmt.Fprintf(&b, "\n    %s %s", target, truncate(n.HTML, 200))
			if n.FailureSummary != "" {
				fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(truncate(n.FailureSummary, 400), "\n", "\n      "))
			}
		}
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// lockedBuffer collects Chromium's output (written from another goroutine).
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

var _ TB = (testing.TB)(nil)

// Context is the chromedp context of the tab, for steps the helpers do not
// cover (chromedp.Run(c.Context(), ...)); bound it with a timeout.
func (c *Chrome) Context() context.Context { return c.ctx }

// Offline cuts (or restores) the network for the page and for its service
// worker's own requests, as DevTools' "Offline" does.
func (c *Chrome) Offline(t TB, off bool) {
	t.Helper()
	type conditions struct {
		Offline            bool    `json:"offline"`
		Latency            float64 `json:"latency"`
		DownloadThroughput float64 `json:"downloadThroughput"`
		UploadThroughput   float64 `json:"uploadThroughput"`
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.Timeout)
	defer cancel()
	emulate := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, cdp.Command[conditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"},
			conditions{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &off,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}},
		})
		return err
	})
	if err := chromedp.Do(ctx, emulate); err != nil {
		t.Fatalf("emulate offline=%v: %v", off, err)
	}
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatalf("list targets: %v", err)
	}
	for _, ti := range targets {
		if ti.Type != "service_worker" {
			continue
		}
		sctx, scancel := chromedp.NewContext(c.ctx, chromedp.WithTargetID(ti.TargetID))
		c.closeMu.Lock()
		c.cancel = append(c.cancel, scancel) // released with the browser
		c.closeMu.Unlock()
		if err := chromedp.Do(sctx, emulate); err != nil {
			t.Fatalf("emulate offline=%v in the service worker: %v", off, err)
		}
	}
}

// WaitTrue polls a JavaScript expression until it is true (10 s at most).
func (c *Chrome) WaitTrue(t TB, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		c.Eval(t, expr, &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (%s)", what, expr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
