package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a running parcours binary.
type proc struct {
	cmd  *exec.Cmd
	base string
	done chan error
	log  string
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr, nil
}

// binaryEnv is what -binary-env adds to the binary's environment (GOGC=50...).
var binaryEnv []string

func envNote(o options) string {
	if o.binaryEnv == "" {
		return ""
	}
	return ", " + o.binaryEnv
}

// childEnv is this process's environment without PARCOURS_* variables,
// plus extra.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARCOURS_") {
			env = append(env, kv)
		}
	}
	env = append(env, binaryEnv...)
	return append(env, extra...)
}

// startBinary runs `bin serve` on a free loopback port and returns when
// /healthz answers 200, with the time from process start to that answer.
func startBinary(ctx context.Context, bin, dataDir string, demo bool, env []string, logPath string) (*proc, time.Duration, error) {
	addr, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	args := []string{"serve", "--addr", addr, "--data", dataDir}
	if demo {
		args = append(args, "--demo")
	}
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, 0, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	p := &proc{cmd: cmd, base: "http://" + addr, done: make(chan error, 1), log: logPath}
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}, Timeout: time.Second}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	go func() { p.done <- cmd.Wait() }()
	deadline := t0.Add(60 * time.Second)
	for {
		resp, err := client.Get(p.base + "/healthz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, time.Since(t0), nil
			}
		}
		select {
		case err := <-p.done:
			return nil, 0, fmt.Errorf("%s exited before /healthz answered (%v); see %s", bin, err, logPath)
		case <-ctx.Done():
			p.stop()
			return nil, 0, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, 0, fmt.Errorf("%w within 60 s; see %s", errNoHealth, logPath)
		}
	}
}

// stop sends SIGTERM (graceful shutdown) and waits, then kills.
func (p *proc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// memory is what the process holds: RSS now and at its peak, RSS split
// into anonymous memory (heaps, stacks) and file pages (the binary's code
// and data, shared with the page cache), as the kernel counts them; and the
// Go heap in use (from /metrics).
type memory struct {
	RSS, HWM, Anon, File, HeapInuse int64
}

// watch keeps the server idle for d, reading its memory from /proc every
// second (no request: a request would end the idleness), and returns the
// reading with the highest RSS.
func (p *proc) watch(ctx context.Context, d time.Duration) (memory, error) {
	var top memory
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		select {
		case <-ctx.Done():
			return top, ctx.Err()
		case <-time.After(time.Second):
		}
		m, err := p.status()
		if err != nil {
			return top, err
		}
		if m.RSS > top.RSS {
			top = m
		}
	}
	return top, nil
}

// heapInuse reads go_memstats_heap_inuse_bytes from /metrics.
func (p *proc) heapInuse() (int64, error) {
	client := &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	resp, err := client.Get(p.base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go_memstats_heap_inuse_bytes "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return int64(f), nil
		}
	}
	return 0, sc.Err()
}

// status reads the process's memory from /proc/PID/status.
func (p *proc) status() (memory, error) {
	var m memory
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return m, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "VmRSS:":
			m.RSS = kb << 10
		case "VmHWM:":
			m.HWM = kb << 10
		case "RssAnon:":
			m.Anon = kb << 10
		case "RssFile:":
			m.File = kb << 10
		}
	}
	return m, sc.Err()
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// startupCase is one way of starting: on a fresh or an existing database.
type startupCase struct {
	name  string
	demo  bool
	fresh bool
	// prepare returns the data folder and environment of one run.
	prepare func(run int) (dir string, env []string, cleanup func(), err error)
}

// runBinary measures start-up times (median of o.runs) and memory of a
// built binary.
func runBinary(ctx context.Context, o options) error {
	for _, kv := range strings.Split(o.binaryEnv, ",") {
		if kv = strings.TrimSpace(kv); kv != "" {
			if !strings.Contains(kv, "=") || strings.HasPrefix(kv, "PARCOURS_") {
				return fmt.Errorf("-binary-env %q: want NAME=VALUE pairs (not PARCOURS_*)", kv)
			}
			binaryEnv = append(binaryEnv, kv)
		}
	}
	bin, err := filepath.Abs(o.binary)
	if err != nil {
		return err
	}
	if st, err := os.Stat(bin); err != nil || st.IsDir() {
		return fmt.Errorf("-binary %s: not a file (go build -o /tmp/parcours ./cmd/parcours)", o.binary)
	}
	root, err := os.MkdirTemp("", "parcours-startup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	out := os.Stdout
	machine(out)
	fmt.Fprintf(out, "binary %s; start-up = process start to first /healthz 200 (polled every 2 ms), median of %d\n\n", bin, o.runs)

	sqlite := func(name string, demo, fresh bool) startupCase {
		shared := filepath.Join(root, name)
		return startupCase{name: name, demo: demo, fresh: fresh, prepare: func(run int) (string, []string, func(), error) {
			if fresh {
				return filepath.Join(root, fmt.Sprintf("%s-%d", name, run)), childEnv(), func() {}, nil
			}
			return shared, childEnv(), func() {}, nil
		}}
	}
	cases := []startupCase{
		sqlite("sqlite-fresh", false, true),
		sqlite("sqlite-existing", false, false),
		sqlite("sqlite-demo-fresh", true, true),
		sqlite("sqlite-demo-existing", true, false),
	}
	if o.postgres != "" {
		key := randHex(32)
		var sharedURL string
		var dropShared func()
		defer func() {
			if dropShared != nil {
				dropShared()
			}
		}()
		pg := func(name string, fresh bool) startupCase {
			return startupCase{name: name, fresh: fresh, prepare: func(run int) (string, []string, func(), error) {
				dir := filepath.Join(root, fmt.Sprintf("%s-%d", name, run))
				if fresh {
					u, drop, err := freshPostgres(ctx, o.postgres)
					if err != nil {
						return "", nil, nil, err
					}
					return dir, childEnv("PARCOURS_DATABASE_URL="+u, "PARCOURS_SECRET_KEY="+key), drop, nil
				}
				if sharedURL == "" {
					u, drop, err := freshPostgres(ctx, o.postgres)
					if err != nil {
						return "", nil, nil, err
					}
					sharedURL, dropShared = u, drop
				}
				return dir, childEnv("PARCOURS_DATABASE_URL="+sharedURL, "PARCOURS_SECRET_KEY="+key), func() {}, nil
			}}
		}
		cases = append(cases, pg("postgres-fresh", true), pg("postgres-existing", false))
	}

	type row struct {
		name   string
		times  []time.Duration
		median time.Duration
		load   string
		others float64
	}
	var rows []row
	if !o.startup {
		cases = nil
	}
	for _, c := range cases {
		if err := waitQuiet(ctx, o.quiet, o.quietWait); err != nil {
			return err
		}
		cpu0 := snapCPU()
		r := row{name: c.name, load: load1()}
		runs := o.runs
		if !c.fresh {
			runs++ // the first run creates the database; it is not counted
		}
		for i := 0; i < runs; i++ {
			dir, env, cleanup, err := c.prepare(i)
			if err != nil {
				return err
			}
			p, d, err := startBinary(ctx, bin, dir, c.demo, env, filepath.Join(root, c.name+".log"))
			if err != nil {
				cleanup()
				return fmt.Errorf("%s: %w", c.name, err)
			}
			p.stop()
			cleanup()
			if !c.fresh && i == 0 {
				continue
			}
			r.times = append(r.times, d)
		}
		s := slices.Clone(r.times)
		slices.Sort(s)
		r.median = s[len(s)/2]
		r.load += " -> " + load1()
		r.others = othersPct(cpu0, snapCPU())
		rows = append(rows, r)
		if !o.markdown {
			var all []string
			for _, t := range r.times {
				all = append(all, ms(t))
			}
			fmt.Fprintf(out, "start-up %-22s median %9s  (runs: %s)  load %s, others %.0f %% CPU\n", c.name, ms(r.median), strings.Join(all, ", "), r.load, r.others)
		}
	}

	// Memory: the demo server on its existing folder, idle, then after load.
	dir := filepath.Join(root, "sqlite-demo-existing")
	if !o.startup {
		p, _, err := startBinary(ctx, bin, dir, true, childEnv(), filepath.Join(root, "prepare.log"))
		if err != nil {
			return err
		}
		p.stop()
	}
	p, d, err := startBinary(ctx, bin, dir, true, childEnv(), filepath.Join(root, "memory.log"))
	if err != nil {
		return err
	}
	defer p.stop()
	time.Sleep(o.idle)
	idle, err := p.status() // before /metrics, which is a request
	if err != nil {
		return err
	}
	var idleTop memory
	if o.idleWatch > 0 {
		if idleTop, err = p.watch(ctx, o.idleWatch); err != nil {
			return err
		}
	}
	if idle.HeapInuse, err = p.heapInuse(); err != nil {
		return err
	}
	idleLoad := load1()
	var results []result
	for _, name := range []string{"public", "staff"} {
		if !o.wants(name) {
			continue
		}
		t := target{name: name, engine: "binary", url: p.base + "/fr/", cookie: "parcours_lang=fr", pids: []int{p.cmd.Process.Pid}}
		if name == "staff" {
			cookie, err := signIn(ctx, p.base)
			if err != nil {
				return err
			}
			t.url, t.cookie = p.base+"/fr/staff", cookie
		}
		r, err := measure(ctx, o, t)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	time.Sleep(o.idle)
	after, err := p.status()
	if err != nil {
		return err
	}
	var afterTop memory
	if o.idleWatch > 0 {
		if afterTop, err = p.watch(ctx, o.idleWatch); err != nil {
			return err
		}
	}
	if after.HeapInuse, err = p.heapInuse(); err != nil {
		return err
	}
	afterLoad := load1()

	if o.markdown {
		if len(rows) > 0 {
			fmt.Fprintf(out, "| start-up case | median | runs | load (1 min) | CPU used by others |\n|---|---:|---|---|---:|\n")
		}
		for _, r := range rows {
			var all []string
			for _, t := range r.times {
				all = append(all, ms(t))
			}
			fmt.Fprintf(out, "| %s | %s | %s | %s | %.0f %% |\n", r.name, ms(r.median), strings.Join(all, ", "), r.load, r.others)
		}
		fmt.Fprintf(out, "\n| memory (--demo, SQLite%s) | RSS | of which anon / file | peak RSS (VmHWM) | Go heap in use | load (1 min) |\n|---|---:|---:|---:|---:|---|\n", envNote(o))
		fmt.Fprintf(out, "| idle %s after start-up (%s) | %s | %s / %s | %s | %s | %s |\n", o.idle, ms(d), mib(idle.RSS), mib(idle.Anon), mib(idle.File), mib(idle.HWM), mib(idle.HeapInuse), idleLoad)
		if o.idleWatch > 0 {
			fmt.Fprintf(out, "| ... highest over the next %s (read every second) | %s | %s / %s | %s | - | |\n", o.idleWatch, mib(idleTop.RSS), mib(idleTop.Anon), mib(idleTop.File), mib(idleTop.HWM))
		}
		fmt.Fprintf(out, "| idle %s after the load | %s | %s / %s | %s | %s | %s |\n", o.idle, mib(after.RSS), mib(after.Anon), mib(after.File), mib(after.HWM), mib(after.HeapInuse), afterLoad)
		if o.idleWatch > 0 {
			fmt.Fprintf(out, "| ... highest over the next %s (read every second) | %s | %s / %s | %s | - | |\n", o.idleWatch, mib(afterTop.RSS), mib(afterTop.Anon), mib(afterTop.File), mib(afterTop.HWM))
		}
		fmt.Fprintln(out)
		printSummary(out, o, results)
		return nil
	}
	fmt.Fprintf(out, "\nmemory (serve --demo, SQLite, existing folder%s, started in %s):\n", envNote(o), ms(d))
	fmt.Fprintf(out, "  idle %s after start-up: RSS %s (anon %s, file %s; peak %s), Go heap in use %s, load %s\n",
		o.idle, mib(idle.RSS), mib(idle.Anon), mib(idle.File), mib(idle.HWM), mib(idle.HeapInuse), idleLoad)
	if o.idleWatch > 0 {
		fmt.Fprintf(out, "    highest over the next %s: RSS %s (anon %s, file %s)\n", o.idleWatch, mib(idleTop.RSS), mib(idleTop.Anon), mib(idleTop.File))
	}
	for _, r := range results {
		fmt.Fprint(out, "  load: ")
		printResult(out, r)
	}
	fmt.Fprintf(out, "  idle %s after the load: RSS %s (anon %s, file %s; peak %s), Go heap in use %s, load %s\n",
		o.idle, mib(after.RSS), mib(after.Anon), mib(after.File), mib(after.HWM), mib(after.HeapInuse), afterLoad)
	if o.idleWatch > 0 {
		fmt.Fprintf(out, "    highest over the next %s: RSS %s (anon %s, file %s)\n", o.idleWatch, mib(afterTop.RSS), mib(afterTop.Anon), mib(afterTop.File))
	}
	target := "met"
	if max(idle.RSS, after.RSS, idleTop.RSS, afterTop.RSS) >= 50<<20 {
		target = "not met"
	}
	fmt.Fprintf(out, "  target idle memory < 50 MB: %s\n", target)
	return nil
}
