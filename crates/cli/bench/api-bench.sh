#!/usr/bin/env bash
# Whole-process time of `appdeck api get` (release build) against the local
# sandbox, next to `curl` making the same call: what a script waits for,
# process startup, sandbox discovery (GET /_appdeck/info), the call and the
# history write included.
#
# Prints, never asserts: `GET /v1/customers` (10 objects) and, after seeding
# 200 customers, `GET /v1/customers?limit=100`, each as
# `appdeck api get … --json` and `curl -s -u KEY: URL`, then the ratio.
# The sandbox runs as a child (`appdeck sandbox serve --port 0`) in a temp
# config dir with its own keychain service name; it is stopped on exit.
# Uses hyperfine when installed (`apt-get install -y hyperfine`), else a
# `date +%s%N` loop (mean of RUNS runs). Each figure is also printed as a
# "BENCH api.<what> …" line (tests/bench/stats.py) that `make bench` collects.
#
# Usage: crates/cli/bench/api-bench.sh [RUNS]   (default 50)
set -euo pipefail

RUNS="${1:-50}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"

cargo build --release -p appdeck-cli --manifest-path "$ROOT/Cargo.toml" >&2
TARGET="$(cargo metadata --manifest-path "$ROOT/Cargo.toml" --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
BIN="$TARGET/release/appdeck"
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }

WORK="$(mktemp -d)"
SANDBOX_PID=""
cleanup() {
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
cp "$ROOT/stripe-app.json" "$WORK/stripe-app.json"
export NO_COLOR=1 APPDECK_CONFIG_DIR="$WORK/config" APPDECK_KEYCHAIN_SERVICE="appdeck-api-bench-$$"
unset APPDECK_SANDBOX_URL APPDECK_SECRET_STORE

"$BIN" sandbox serve --json --no-rate-limit --port 0 --manifest "$WORK/stripe-app.json" \
  >"$WORK/serve.out" 2>"$WORK/serve.err" &
SANDBOX_PID=$!
for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.05; done
[ -s "$WORK/serve.out" ] || { echo "the sandbox did not start:" >&2; cat "$WORK/serve.err" >&2; exit 2; }
read -r BASE KEY < <(python3 -c '
import json, sys
i = json.loads(open(sys.argv[1]).readline())
print(i["base_url"], i["developer"]["secret_key"])' "$WORK/serve.out")

# Both clients must get the same answer before they are timed.
"$BIN" api get /v1/customers --json >"$WORK/a.json"
curl -sf -u "$KEY:" "$BASE/v1/customers" >"$WORK/c.json"
python3 - "$WORK/a.json" "$WORK/c.json" <<'PY'
import json, sys
a, c = (json.load(open(p)) for p in sys.argv[1:])
assert [o["id"] for o in a["data"]] == [o["id"] for o in c["data"]], "appdeck and curl disagree"
PY

echo "appdeck: $BIN ($("$BIN" --version)); $(curl --version | head -1 | cut -d' ' -f1-2)"
echo "sandbox: $BASE; $(nproc) CPUs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs per measurement: $RUNS"

STATS="$ROOT/tests/bench/stats.py"
if command -v hyperfine >/dev/null; then
  # hf ID LABEL COMMAND: prints "mean ± σ (min) LABEL" and a BENCH line for ID;
  # sets MEAN (ms).
  hf() {
    hyperfine -N --runs "$RUNS" --warmup 3 --style none --export-json "$WORK/h.json" "$3" >/dev/null 2>&1
    MEAN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"]*1e3)' "$WORK/h.json")
    python3 - "$WORK/h.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['mean']*1e3:8.2f} ms ± {r['stddev']*1e3:5.2f} (min {r['min']*1e3:6.2f})  {sys.argv[2]}")
open(sys.argv[1] + ".ms", "w").write("".join(f"{t*1e3}\n" for t in r["times"]))
PY
    python3 "$STATS" "$1" ms "$2" <"$WORK/h.json.ms"
  }
else
  hf() {
    local start end
    start=$(date +%s%N)
    for ((i = 0; i < RUNS; i++)); do $3 >/dev/null 2>&1 || true; done
    end=$(date +%s%N)
    MEAN=$(python3 -c "print(($end - $start) / $RUNS / 1e6)")
    printf '%8.2f ms (date loop mean)  %s\n' "$MEAN" "$2"
    echo "BENCH $1 mean=$MEAN n=$RUNS unit=ms"
  }
fi

# pair ID PATH QUERY: appdeck next to curl for the same call, and the ratio
# (of the means).
pair() {
  local id="$1" path="$2" query="$3" args="" url="$BASE$2"
  [ -n "$query" ] && { args=" -d $query"; url="$url?$query"; }
  hf "api.$id.appdeck" "appdeck api get $path$args --json" "$BIN api get $path$args --json"
  local a="$MEAN"
  hf "api.$id.curl" "curl -s -u KEY: $url" "curl -s -u $KEY: $url"
  python3 -c "print(f'   ratio appdeck / curl: {$a / $MEAN:.1f}x (+{$a - $MEAN:.2f} ms per call)')"
  python3 -c "print(f'BENCH api.$id.ratio value={$a / $MEAN:.2f} unit=x')"
}

echo
echo "== GET /v1/customers (sandbox defaults: 10 objects)"
pair get_10 /v1/customers ""
curl -sf -X POST "$BASE/_appdeck/seed/customers" -H 'content-type: application/json' \
  -d '{"count":200}' >/dev/null
echo
echo "== GET /v1/customers?limit=100 (after seeding 200 customers)"
pair get_100 /v1/customers "limit=100"
echo
echo "== floors"
hf api.cli_version "appdeck --version (process startup)" "$BIN --version"
hf api.history "appdeck api history --json (no network)" "$BIN api history --json"
