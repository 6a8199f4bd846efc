#!/usr/bin/env bash
# Conformance: Stripe's official Node library against the sandbox.
# Builds the `serve` example, starts it on 127.0.0.1:0 with --json, runs
# `node --test`, then stops the sandbox with SIGTERM and checks it exits 0.
# Usage (from anywhere): crates/sandbox/conformance/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

if [ ! -d "$here/node_modules/stripe" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$root" && cargo build --quiet -p appdeck-sandbox --example serve)

out="$(mktemp)"
"$target/debug/examples/serve" --json --no-rate-limit --manifest "$root/stripe-app.json" >"$out" &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  rm -f "$out"
}
trap cleanup EXIT

for _ in $(seq 1 200); do
  [ -s "$out" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "the sandbox exited before it was ready" >&2; exit 1; }
  sleep 0.05
done
SANDBOX_INFO="$(head -n 1 "$out")"
export SANDBOX_INFO
case "$SANDBOX_INFO" in
  '{"base_url":"http://127.0.0.1:'*) ;;
  *) echo "unexpected first line from serve --json: $SANDBOX_INFO" >&2; exit 1 ;;
esac

status=0
(cd "$here" && node --test) || status=$?

kill -TERM "$pid"
if ! wait "$pid"; then
  echo "the sandbox did not stop cleanly on SIGTERM" >&2
  status=1
fi
trap - EXIT
rm -f "$out"
exit "$status"
