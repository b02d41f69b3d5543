#!/usr/bin/env bash
# Lighthouse (mobile emulation, simulated throttling) on the public guide's
# home, search results and a service page, in French and Arabic, against a
# demo server on loopback. Prints a Markdown table for docs/PERFORMANCE.md.
#   bench/lighthouse.sh            # installs lighthouse@12.2.3 in /tmp/lh once
# Lighthouse 12 runs on Node 20 (13 needs Node 22); it drives Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
LH_DIR=${LH_DIR:-/tmp/lh}
PORT=${PORT:-8097}
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
	mkdir -p "$LH_DIR"
	(cd "$LH_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund lighthouse@12.2.3 >/dev/null)
fi
go build -o /tmp/parcours-lh ./cmd/parcours
data=$(mktemp -d)
/tmp/parcours-lh serve --demo --data "$data" --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
svc=$(curl -s "http://127.0.0.1:$PORT/fr/guide/search?cat=legal-aid" | grep -o '/guide/services/[0-9a-f-]*' | head -1)
echo "| page | lang | performance | accessibility | FCP | LCP | TBT | CLS |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for lang in fr ar; do
	for page in "/" "/guide/search?cat=legal-aid&open=1" "$svc"; do
		out="$data/lh.json"
		CHROME_PATH=/usr/bin/chromium "$LH_DIR/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT/$lang$page" --quiet \
			--chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync" \
			--only-categories=performance,accessibility --output=json --output-path="$out" >/dev/null 2>&1
		python3 - "$out" "$page" "$lang" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); a = d["audits"]; c = d["categories"]
page = sys.argv[2].split("?")[0]
page = "/guide/services/{id}" if page.startswith("/guide/services/") else page
print(f"| {page} | {sys.argv[3]} | {round(c['performance']['score']*100)} | {round(c['accessibility']['score']*100)} | "
      f"{a['first-contentful-paint']['displayValue']} | {a['largest-contentful-paint']['displayValue']} | "
      f"{a['total-blocking-time']['displayValue']} | {a['cumulative-layout-shift']['displayValue']} |")
PY
	done
done
