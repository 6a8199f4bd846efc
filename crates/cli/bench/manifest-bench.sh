#!/usr/bin/env bash
# Whole-process timings of the `appdeck` binary (release build): what a user or a
# script waits for, startup included.
#
# Prints, never asserts: per-fixture and total time of `appdeck manifest validate`
# over tests/fixtures/stripe-examples, then grant / revoke of a permission on a
# temp copy of the sample manifest (the repo's files are only read).
# Uses hyperfine when installed (`apt-get install -y hyperfine`), else a
# `date +%s%N` loop (mean of RUNS runs).
#
# Usage: crates/cli/bench/manifest-bench.sh [RUNS]   (default 20)
set -euo pipefail

RUNS="${1:-20}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
FIXTURES="$ROOT/tests/fixtures/stripe-examples"

cargo build --release -p appdeck-cli --manifest-path "$ROOT/Cargo.toml" >&2
BIN="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/appdeck"
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SAMPLE="$ROOT/stripe-app.json"
[ -f "$SAMPLE" ] || SAMPLE="$FIXTURES/dropbox-oauth-pkce__stripe-app.json"
cp "$SAMPLE" "$WORK/stripe-app.json"
[ -f "$ROOT/icon.png" ] && cp "$ROOT/icon.png" "$WORK/"
export NO_COLOR=1 APPDECK_CONFIG_DIR="$WORK/.config"

# Mean wall time in microseconds of RUNS runs of "$@" (exit status ignored:
# the datastore_write fixtures exit 1 by design).
mean_us() {
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < RUNS; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo $(((end - start) / RUNS / 1000))
}

echo "appdeck: $BIN ($("$BIN" --version))"
echo "runs per measurement: $RUNS"
echo

if command -v hyperfine >/dev/null; then
  echo "== validate, per file (hyperfine, mean ± σ)"
  for f in "$FIXTURES"/*.json; do
    hyperfine -N -i --runs "$RUNS" --warmup 2 --style none --export-json "$WORK/h.json" \
      "$BIN manifest validate $f" >/dev/null 2>&1
    python3 - "$WORK/h.json" "$(basename "$f")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['mean']*1e3:8.2f} ms ± {r['stddev']*1e3:5.2f}  {sys.argv[2]}")
PY
  done
  echo
  echo "== validate, all $(ls "$FIXTURES"/*.json | wc -l) fixtures in one process, and one process per file"
  hyperfine -N -i --runs "$RUNS" --warmup 2 --style basic \
    "$BIN manifest validate $(echo "$FIXTURES"/*.json)" 2>/dev/null | grep -E "Time|Range"
  echo
  echo "== grant + revoke (one process each; revoke restores the file)"
  hyperfine -N --runs "$RUNS" --warmup 2 --style basic \
    "$BIN manifest grant permission charge_read 'Shows charges.' --manifest $WORK/stripe-app.json" \
    --conclude "$BIN manifest revoke permission charge_read --manifest $WORK/stripe-app.json" 2>/dev/null | grep -E "Time|Range|Benchmark"
  hyperfine -N --runs "$RUNS" --warmup 2 --style basic \
    --prepare "$BIN manifest grant permission charge_read 'Shows charges.' --manifest $WORK/stripe-app.json" \
    "$BIN manifest revoke permission charge_read --manifest $WORK/stripe-app.json" 2>/dev/null | grep -E "Time|Range|Benchmark"
else
  echo "== validate, per file (date loop, mean)"
  total=0
  for f in "$FIXTURES"/*.json; do
    us=$(mean_us "$BIN" manifest validate "$f")
    total=$((total + us))
    printf '%8d µs  %s\n' "$us" "$(basename "$f")"
  done
  echo "   total: $total µs over $(ls "$FIXTURES"/*.json | wc -l) processes"
  echo
  echo "== validate, all fixtures in one process"
  printf '%8d µs\n' "$(mean_us "$BIN" manifest validate "$FIXTURES"/*.json)"
  echo
  echo "== grant + revoke (one process each)"
  start=$(date +%s%N)
  for ((i = 0; i < RUNS; i++)); do
    "$BIN" manifest grant permission charge_read "Shows charges." --manifest "$WORK/stripe-app.json" >/dev/null
    "$BIN" manifest revoke permission charge_read --manifest "$WORK/stripe-app.json" >/dev/null
  done
  end=$(date +%s%N)
  printf '%8d µs per grant+revoke pair\n' $(((end - start) / RUNS / 1000))
fi

if cmp -s "$SAMPLE" "$WORK/stripe-app.json"; then
  echo "grant/revoke left the copy byte-identical to the sample"
else
  echo "NOTE: the copy differs from the sample after grant/revoke"
fi
