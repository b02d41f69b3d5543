package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuSnap is the machine's CPU time (all cores, in clock ticks) and the
// part of it spent by this process and the server it measures, so that
// what other processes took during a run can be told apart from our own
// load. The load average cannot: a run raises it by itself.
type cpuSnap struct {
	busy, total, ours int64
}

func snapCPU(pids ...int) cpuSnap {
	var s cpuSnap
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return s
	}
	var v [8]int64
	for i := 1; i < 9 && i < len(f); i++ {
		v[i-1], _ = strconv.ParseInt(f[i], 10, 64)
	}
	// user nice system idle iowait irq softirq steal
	s.busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
	s.total = s.busy + v[3] + v[4]
	s.ours = procTicks("self")
	for _, pid := range pids {
		s.ours += procTicks(strconv.Itoa(pid))
	}
	return s
}

// procTicks is a process's user + system time, in clock ticks.
func procTicks(pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	// After the command: state(0) ... utime(11) stime(12).
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

// othersPct is the share of the machine's CPU (all cores) that other
// processes used between a and b, in percent.
func othersPct(a, b cpuSnap) float64 {
	dt := b.total - a.total
	if dt <= 0 {
		return 0
	}
	others := (b.busy - a.busy) - (b.ours - a.ours)
	if others < 0 {
		others = 0
	}
	return 100 * float64(others) / float64(dt)
}

// waitQuiet waits until other processes use less than max percent of the
// machine's CPU over a 3-second sample, for at most wait; it reports what
// it saw. max <= 0 does not wait.
func waitQuiet(ctx context.Context, max float64, wait time.Duration, pids ...int) error {
	if max <= 0 {
		return nil
	}
	deadline := time.Now().Add(wait)
	for {
		a := snapCPU(pids...)
		select {
		case <-time.After(3 * time.Second):
		case <-ctx.Done():
			return ctx.Err()
		}
		o := othersPct(a, snapCPU(pids...))
		if o < max {
			return nil
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "load: other processes still use %.0f %% of the CPU after waiting %s; measuring anyway\n", o, wait)
			return nil
		}
		fmt.Fprintf(os.Stderr, "load: other processes use %.0f %% of the CPU (load %s); waiting for < %.0f %%\n", o, loadAvg(), max)
	}
}
