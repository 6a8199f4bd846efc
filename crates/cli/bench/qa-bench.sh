#!/usr/bin/env bash
# The QA runner's throughput: `appdeck qa run` of LOOPS loops × 3 accounts of
# install → GET /v1/customers → uninstall against the local sandbox
# (auto-consent, no rate limit, redirect URIs matched exactly as on Stripe),
# whole process included.
# Target: under 2 minutes for 10 × 3.
#
# Prints, never asserts: the total wall time of the command, the runner's
# own total, the per-loop median (a loop = the 3 accounts), the slowest loop
# and the median of each step across all loops and accounts; the same as
# "BENCH qa.<what> …" lines that `make bench` collects.
# The sandbox runs as a child (`appdeck sandbox serve --port 0`) in a temp
# config dir serving a copy of stripe-app.json (its fixed-port loopback URI
# http://127.0.0.1:8765/callback catches the callbacks); secrets stay in memory
# (`--session-secrets`); everything is removed on exit.
#
# Usage: crates/cli/bench/qa-bench.sh [LOOPS]   (default 10)
#        PROFILE=debug crates/cli/bench/qa-bench.sh   (the debug build, no release build)
set -euo pipefail

LOOPS="${1:-10}"
PROFILE="${PROFILE:-release}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"

if [ "$PROFILE" = release ]; then
  cargo build --release -p appdeck-cli --manifest-path "$ROOT/Cargo.toml" >&2
else
  cargo build -p appdeck-cli --manifest-path "$ROOT/Cargo.toml" >&2
fi
TARGET="$(cargo metadata --manifest-path "$ROOT/Cargo.toml" --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
BIN="$TARGET/$PROFILE/appdeck"
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 2; }

WORK="$(mktemp -d)"
SANDBOX_PID=""
cleanup() {
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
cp "$ROOT/stripe-app.json" "$WORK/stripe-app.json"
cat >"$WORK/bench.yaml" <<'YAML'
name: qa bench
accounts: [install-1, install-2, install-3]
steps:
  - install
  - call: {path: /v1/customers, expect: {status: 200}}
  - uninstall
YAML
export NO_COLOR=1 APPDECK_CONFIG_DIR="$WORK/config" APPDECK_KEYCHAIN_SERVICE="appdeck-qa-bench-$$"
unset APPDECK_SANDBOX_URL APPDECK_SECRET_STORE
cd "$WORK"

"$BIN" sandbox serve --json --auto-consent --no-rate-limit --port 0 \
  --manifest "$WORK/stripe-app.json" >"$WORK/serve.out" 2>"$WORK/serve.err" &
SANDBOX_PID=$!
for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.05; done
[ -s "$WORK/serve.out" ] || { echo "the sandbox did not start:" >&2; cat "$WORK/serve.err" >&2; exit 2; }

echo "appdeck: $BIN ($("$BIN" --version), $PROFILE); $(nproc) CPUs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "flow: install -> GET /v1/customers -> uninstall; $LOOPS loops x 3 accounts"
start=$(date +%s%N)
set +e
"$BIN" --session-secrets qa run "$WORK/bench.yaml" --loops "$LOOPS" --report-dir "$WORK/report" --json \
  >"$WORK/summary.json" 2>"$WORK/progress.err"
status=$?
set -e
end=$(date +%s%N)
if [ "$status" -ne 0 ]; then
  echo "qa run exited $status:" >&2
  tail -20 "$WORK/progress.err" >&2
  exit 1
fi
python3 - "$WORK/summary.json" "$(( (end - start) / 1000000 ))" <<'PY'
import json, statistics, sys
s = json.load(open(sys.argv[1]))
wall = int(sys.argv[2])
loops = s["loop_durations_ms"]
print(f"steps passed: {s['totals']['passed']}/{s['totals']['steps']}")
print(f"total (whole command): {wall / 1000:.2f} s   (target < 120 s)")
print(f"total (runner):        {s['duration_ms'] / 1000:.2f} s")
print(f"per-loop median:       {s['median_loop_ms']} ms   (a loop = 3 accounts; slowest {max(loops)} ms, fastest {min(loops)} ms)")
by_step = {}
for it in s["iterations"]:
    for st in it["steps"]:
        by_step.setdefault(st["label"], []).append(st["duration_ms"])
for label, ms in by_step.items():
    print(f"  step {label:<28} median {statistics.median(ms):>5.0f} ms   max {max(ms):>5} ms")
print(f"BENCH qa.total value={wall / 1000:.2f} unit=s loops={len(loops)} accounts=3")
print(f"BENCH qa.loop n={len(loops)} median={s['median_loop_ms']} min={min(loops)} max={max(loops)} unit=ms")
for label, ms in by_step.items():
    key = "".join(c if c.isalnum() else "_" for c in label).strip("_")[:40]
    print(f"BENCH qa.step.{key} n={len(ms)} median={statistics.median(ms):.0f} max={max(ms)} unit=ms")
PY
