#!/usr/bin/env bash
# Runs every measurement of docs/PERFORMANCE.md and prints Markdown tables.
#   bench/run.sh                 # 10 s per target, 8 clients
#   DURATION=30s CONC=16 bench/run.sh
# PostgreSQL is measured when PARCOURS_TEST_POSTGRES (or the default
# postgres://postgres@127.0.0.1:5432/postgres) answers.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONC=${CONC:-8}
PG=${PARCOURS_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
BIN=${BIN:-/tmp/parcours}
TOOL=${TOOL:-/tmp/parcours-load}
# Each measurement first waits (at most QUIET_WAIT) until other processes
# use less than QUIET percent of the CPU: others share this machine.
QUIET=${QUIET:-15}
QUIET_WAIT=${QUIET_WAIT:-2m}

go build -o "$BIN" ./cmd/parcours
go build -o "$TOOL" ./bench/load

pgflag=()
if command -v pg_isready >/dev/null && pg_isready -q -d "$PG"; then
	pgflag=(-postgres "$PG")
else
	echo "PostgreSQL not reachable at $PG: SQLite only" >&2
fi

echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), $(go version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "### Throughput (in-process: hello world, then parcours)"
"$TOOL" -duration "$DURATION" -c "$CONC" -quiet "$QUIET" -quiet-wait "$QUIET_WAIT" -markdown "${pgflag[@]}"
echo
echo "### Start-up and memory (built binary)"
"$TOOL" -binary "$BIN" -duration "$DURATION" -c "$CONC" -quiet "$QUIET" -quiet-wait "$QUIET_WAIT" -markdown "${pgflag[@]}"
echo
echo "### Go benchmarks (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
go test ./internal/app ./internal/platform/i18n -run '^$' -bench . -benchmem -count 3 | grep -E '^(Benchmark|ok|PASS)'
echo "(load after: $(cut -d' ' -f1-3 /proc/loadavg))"
