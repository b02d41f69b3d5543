// Command parcours is the whole platform in one binary: the server and its
// administration commands. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	_ "time/tzdata" // Europe/Paris even where the system has no tz database

	"parcours/internal/app"
)

func main() {
	// Nothing in parcours serves heap profiles: do not pay for their
	// sampling (a table of a megabyte or more once the first sample is
	// taken), unless GODEBUG=memprofilerate=N asks for it.
	if !strings.Contains(os.Getenv("GODEBUG"), "memprofilerate=") {
		runtime.MemProfileRate = 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], app.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Env: os.LookupEnv})
	stop()
	os.Exit(code)
}
