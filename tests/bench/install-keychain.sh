#!/usr/bin/env bash
# The full install flow's time (as the desktop runs it, against its embedded
# sandbox with auto-consent, tokens written to the OS keychain) and the OS
# keychain's write/read/delete latency, printed as median and p95, never
# asserted. Runs the ignored Rust benchmark of src-tauri (src/bench.rs, debug
# test build shared with `make test`) inside a private D-Bus session with a
# throwaway unlocked gnome-keyring (.ci/with-keychain), under a keychain
# service of its own. Usage: tests/bench/install-keychain.sh [RUNS] (default 50).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
export APPDECK_BENCH_RUNS="${1:-50}" APPDECK_KEYCHAIN_SERVICE="appdeck-bench-$$"
.ci/with-keychain cargo test -q -p appdeck-desktop --features appdeck-desktop/custom-protocol \
	-- --ignored --exact bench::bench_install_flow_and_keychain --nocapture 2>&1 |
	grep -vE '^(running|test |$)|test result|dbus-daemon'
