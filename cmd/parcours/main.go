// Command parcours is the whole platform in one binary: the server and its
// administration commands. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Paris even where the system has no tz database

	"parcours/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], app.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Env: os.LookupEnv})
	stop()
	os.Exit(code)
}
