#!/usr/bin/env bash
# Whole-process timings of the `appdeck` binary (release build): what a user or a
# script waits for, process startup included.
#
# Prints, never asserts: per-fixture and total time of `appdeck manifest validate`
# over tests/fixtures/stripe-examples (one process per file, then all files in one
# process), then `grant permission` and `revoke permission` on a temp copy of the
# sample manifest (the repo's files are only read).
# Uses hyperfine when installed (`apt-get install -y hyperfine`), else a
# `date +%s%N` loop (mean of RUNS runs). Each figure is also printed as a
# "BENCH manifest.<what> …" line (tests/bench/stats.py) that `make bench` collects.
#
# Usage: crates/cli/bench/manifest-bench.sh [RUNS]   (default 20)
set -euo pipefail

RUNS="${1:-20}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
FIXTURES="$ROOT/tests/fixtures/stripe-examples"

cargo build --release -p appdeck-cli --manifest-path "$ROOT/Cargo.toml" >&2
TARGET="$(cargo metadata --manifest-path "$ROOT/Cargo.toml" --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
BIN="$TARGET/release/appdeck"
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SAMPLE="$ROOT/stripe-app.json"
[ -f "$SAMPLE" ] || SAMPLE="$FIXTURES/dropbox-oauth-pkce__stripe-app.json"
M="$WORK/stripe-app.json"
cp "$SAMPLE" "$WORK/pristine.json"
cp "$SAMPLE" "$M"
[ -f "$(dirname "$SAMPLE")/icon.png" ] && cp "$(dirname "$SAMPLE")/icon.png" "$WORK/"
"$BIN" manifest grant permission charge_read "Shows charges." --manifest "$M" >/dev/null
cp "$M" "$WORK/granted.json"
cp "$WORK/pristine.json" "$M"
export NO_COLOR=1 APPDECK_CONFIG_DIR="$WORK/.config"
FILES=("$FIXTURES"/*.json)
STATS="$ROOT/tests/bench/stats.py"

echo "appdeck: $BIN ($("$BIN" --version)); $(nproc) CPUs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs per measurement: $RUNS"

if command -v hyperfine >/dev/null; then
  # hf ID LABEL [hyperfine options…] COMMAND: prints "mean ± σ (min) LABEL" and a
  # BENCH line for ID; appends the median (ms) to $WORK/medians.
  hf() {
    local id="$1" label="$2"
    shift 2
    hyperfine -N -i --runs "$RUNS" --warmup 2 --style none --export-json "$WORK/h.json" "$@" >/dev/null 2>&1
    python3 - "$WORK/h.json" "$label" "$WORK/medians" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['mean']*1e3:8.2f} ms ± {r['stddev']*1e3:5.2f} (min {r['min']*1e3:6.2f})  {sys.argv[2]}")
open(sys.argv[3], "a").write(f"{r['median']*1e3}\n")
open(sys.argv[1] + ".ms", "w").write("".join(f"{t*1e3}\n" for t in r["times"]))
PY
    python3 "$STATS" "$id" ms "$label" <"$WORK/h.json.ms"
  }
  echo
  echo "== validate, one process per file (hyperfine: mean ± σ (min))"
  for f in "${FILES[@]}"; do
    name="$(basename "$f" .json)"
    hf "manifest.validate_file.${name%__stripe-app}" "$(basename "$f")" "$BIN manifest validate $f"
  done
  total="$(paste -sd+ "$WORK/medians" | bc -l)"
  printf '%8.2f ms  total over %d processes (sum of medians)\n' "$total" "${#FILES[@]}"
  echo "BENCH manifest.validate_each_total value=$total unit=ms files=${#FILES[@]}"
  echo
  echo "== validate, all ${#FILES[@]} files in one process"
  hf manifest.validate_all_one_process "manifest validate <${#FILES[@]} files>" "$BIN manifest validate ${FILES[*]}"
  echo
  echo "== edits on a copy of $(basename "$SAMPLE") (the file is reset before each run)"
  hf manifest.grant "manifest grant permission charge_read …" --prepare "cp $WORK/pristine.json $M" \
    "$BIN manifest grant permission charge_read Shows-charges. --manifest $M"
  hf manifest.revoke "manifest revoke permission charge_read" --prepare "cp $WORK/granted.json $M" \
    "$BIN manifest revoke permission charge_read --manifest $M"
  hf manifest.cli_version "appdeck --version (process startup floor)" "$BIN --version"
else
  mean_us() {
    local start end
    start=$(date +%s%N)
    for ((i = 0; i < RUNS; i++)); do "$@" >/dev/null 2>&1 || true; done
    end=$(date +%s%N)
    echo $(((end - start) / RUNS / 1000))
  }
  echo
  echo "== validate, one process per file (date loop: mean)"
  total=0
  for f in "${FILES[@]}"; do
    us=$(mean_us "$BIN" manifest validate "$f")
    total=$((total + us))
    printf '%8d µs  %s\n' "$us" "$(basename "$f")"
    name="$(basename "$f" .json)"
    echo "BENCH manifest.validate_file.${name%__stripe-app} mean=$(bc -l <<<"$us / 1000") n=$RUNS unit=ms"
  done
  printf '%8d µs  total over %d processes\n' "$total" "${#FILES[@]}"
  echo "BENCH manifest.validate_each_total value=$(bc -l <<<"$total / 1000") unit=ms files=${#FILES[@]}"
  echo
  echo "== validate, all ${#FILES[@]} files in one process"
  printf '%8d µs\n' "$(mean_us "$BIN" manifest validate "${FILES[@]}")"
  echo
  echo "== edits on a copy of $(basename "$SAMPLE") (one grant + one revoke per run)"
  start=$(date +%s%N)
  for ((i = 0; i < RUNS; i++)); do
    "$BIN" manifest grant permission charge_read "Shows charges." --manifest "$M" >/dev/null
    "$BIN" manifest revoke permission charge_read --manifest "$M" >/dev/null
  done
  end=$(date +%s%N)
  printf '%8d µs  per grant+revoke pair\n' $(((end - start) / RUNS / 1000))
  printf '%8d µs  appdeck --version (process startup floor)\n' "$(mean_us "$BIN" --version)"
fi

"$BIN" manifest grant permission charge_read "Shows charges." --manifest "$M" >/dev/null || true
"$BIN" manifest revoke permission charge_read --manifest "$M" >/dev/null || true
if cmp -s "$WORK/pristine.json" "$M"; then
  echo "grant then revoke left the copy byte-identical to the sample"
else
  echo "NOTE: grant then revoke changed the copy"
fi
