// Command load measures parcours against a bare Go "hello world" on the
// same machine, in one run, so that the ratio between the two is what the
// numbers are read by (see docs/PERFORMANCE.md).
//
// Modes:
//
//	go run ./bench/load                      hello world, then parcours in-process on SQLite
//	go run ./bench/load -postgres URL        ... and on a fresh PostgreSQL database (created, then dropped)
//	go run ./bench/load -url http://127.0.0.1:8080
//	                                         an already running parcours (--demo) on loopback
//	go run ./bench/load -binary /tmp/parcours
//	                                         start-up time and memory of a built binary
//
// Every target must be on loopback: the tool refuses anything else.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

type options struct {
	duration   time.Duration
	warmup     time.Duration
	conc       int
	rounds     int
	postgres   string
	url        string
	binary     string
	binaryEnv  string
	runs       int
	startup    bool
	idle       time.Duration
	idleWatch  time.Duration
	markdown   bool
	only       string
	logPath    string
	gzip       bool
	cpuprofile string
	quiet      float64
	quietWait  time.Duration
}

func main() {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per target (closed loop)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured warm-up per target")
	fs.IntVar(&o.rounds, "rounds", 3, "in-process mode: rounds per engine; hello world is measured in every round and the ratio is taken round by round")
	fs.IntVar(&o.conc, "c", 8, "concurrent clients (each keeps one keep-alive connection)")
	fs.StringVar(&o.postgres, "postgres", "", "PostgreSQL server URL on loopback (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable):\n"+
		"also measure parcours on a fresh database created there and dropped at the end")
	fs.StringVar(&o.url, "url", "", "measure an already running parcours (started with --demo) at this loopback base URL instead of in-process")
	fs.StringVar(&o.binary, "binary", "", "start-up and memory mode: measure this built parcours binary (go build -o /tmp/parcours ./cmd/parcours)")
	fs.StringVar(&o.binaryEnv, "binary-env", "", "binary mode: extra environment of the binary, comma-separated NAME=VALUE (e.g. GOGC=50,GOMEMLIMIT=40MiB)")
	fs.BoolVar(&o.startup, "startup", true, "binary mode: measure start-up times (false: memory only)")
	fs.IntVar(&o.runs, "runs", 5, "start-up runs per case (the median is reported)")
	fs.DurationVar(&o.idle, "idle", 3*time.Second, "binary mode: idle time before each memory reading")
	fs.DurationVar(&o.idleWatch, "idle-watch", 0, "binary mode: after each memory reading, keep the server idle this long more, reading its RSS\nevery second (from /proc, no request), and report the highest reading")
	fs.BoolVar(&o.markdown, "markdown", false, "print Markdown table rows")
	fs.StringVar(&o.only, "only", "hello,public,staff", "targets to measure, comma-separated: hello, public, staff")
	fs.StringVar(&o.logPath, "log", "", "in-process parcours: write its request log to this file (default: formatted, then discarded)")
	fs.BoolVar(&o.gzip, "gzip", true, "send Accept-Encoding: gzip, as browsers do (parcours then compresses pages)")
	fs.Float64Var(&o.quiet, "quiet", 15, "before each measurement, wait until other processes use less than this percent of the CPU\n(all cores, over 3 s; 0: do not wait)")
	fs.DurationVar(&o.quietWait, "quiet-wait", time.Minute, "longest wait for -quiet, after which the measurement runs anyway")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the whole run (client and in-process servers) to this file")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: go run ./bench/load [flags]\n\n"+
			"Closed-loop HTTP load on loopback: a bare Go hello world, then parcours (public home /fr/ and\n"+
			"signed-in staff home /fr/staff), with requests/s, p50, p99, errors and the ratio public/hello.\n"+
			"With -binary: start-up time (process start to /healthz 200) and idle memory of a built binary.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if err == flag.ErrHelp {
			os.Exit(0)
		}
		os.Exit(2)
	}
	if o.conc < 1 || o.duration <= 0 || o.rounds < 1 {
		fmt.Fprintln(os.Stderr, "load: -c and -rounds must be >= 1 and -duration > 0")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	var err error
	switch {
	case o.binary != "":
		err = runBinary(ctx, o)
	case o.url != "":
		err = runURL(ctx, o)
	default:
		err = runInProcess(ctx, o)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "load:", err)
	os.Exit(1)
}

func (o options) wants(target string) bool {
	for _, t := range strings.Split(o.only, ",") {
		if strings.TrimSpace(t) == target {
			return true
		}
	}
	return false
}

// machine describes where the numbers come from.
func machine(w io.Writer) {
	fmt.Fprintf(w, "machine: %d CPUs (GOMAXPROCS %d), %s %s/%s, load average %s\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, loadAvg())
}

// loadAvg is the 1-minute load average as uptime prints it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return f[0] + " " + f[1] + " " + f[2]
}

// load1 is the 1-minute load average alone.
func load1() string {
	f := strings.Fields(loadAvg())
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}
