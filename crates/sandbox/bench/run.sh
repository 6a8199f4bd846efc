#!/usr/bin/env bash
# Benchmark (printed, not asserted): release build of the `serve` example with
# --no-rate-limit, 100,000 customers seeded through the control API, then wrk
# with 2 threads / 64 connections / 10 s on GET /v1/customers/{id} (random ids
# among the 100,000 seeded ones) and on POST /v1/customers; prints requests/s,
# latency percentiles, errors and the sandbox's resident memory, each also as a
# "BENCH sandbox.<figure> …" line that `make bench` collects (wrk's done() in
# bench-done.lua). BENCH_DURATION=5s shortens the wrk runs.
# Needs wrk (Debian: apt-get install -y wrk), curl and jq.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
duration="${BENCH_DURATION:-10s}"
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y $tool)" >&2; exit 1; }
done

(cd "$root" && cargo build --quiet --release -p appdeck-sandbox --example serve)
out="$(mktemp)"
ids="$(mktemp)"
"$target/release/examples/serve" --json --no-rate-limit >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out" "$ids"' EXIT
for _ in $(seq 1 200); do [ -s "$out" ] && break; sleep 0.05; done
base="$(head -n 1 "$out" | jq -r .base_url)"
key="$(head -n 1 "$out" | jq -r .developer.secret_key)"
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status"; }
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }
export BENCH_DIR="$here"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
echo "BENCH sandbox.rss_start value=$(rss_mb) unit=mb"

echo "sandbox $base (pid $pid), rss at start: $(rss)"
seed_start=$(date +%s.%N)
curl -sf -X POST "$base/_appdeck/seed/customers" -H 'content-type: application/json' \
  -d '{"count": 100000}' | jq -r '.ids[]' >"$ids"
seed_end=$(date +%s.%N)
awk -v a="$seed_start" -v b="$seed_end" -v r="$(rss)" 'BEGIN {printf "seeded 100,000 customers in %.2f s; rss: %s\n", b - a, r}'
awk -v a="$seed_start" -v b="$seed_end" 'BEGIN {printf "BENCH sandbox.seed_100k value=%.2f unit=s\n", b - a}'
echo "BENCH sandbox.rss_100k value=$(rss_mb) unit=mb"

echo
echo "== GET /v1/customers/{id}: wrk -t2 -c64 -d$duration --latency"
BENCH_ID=sandbox.get IDS_FILE="$ids" wrk -t2 -c64 -d"$duration" --latency -s "$here/get.lua" \
  -H "Authorization: Bearer $key" "$base"
echo "rss after GET: $(rss)"
echo "BENCH sandbox.rss_after_get value=$(rss_mb) unit=mb"

echo
echo "== POST /v1/customers: wrk -t2 -c64 -d$duration --latency"
BENCH_ID=sandbox.post wrk -t2 -c64 -d"$duration" --latency -s "$here/post.lua" \
  -H "Authorization: Bearer $key" "$base/v1/customers"
echo "rss after POST: $(rss)"
echo "BENCH sandbox.rss_after_post value=$(rss_mb) unit=mb"
