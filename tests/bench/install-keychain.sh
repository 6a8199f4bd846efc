#!/usr/bin/env bash
# The full install flow's time (as the desktop runs it, against its embedded
# sandbox with auto-consent, tokens written to the OS keychain) and the OS
# keychain's write/read/delete latency, printed as median and p95 (plus
# "BENCH install.flow|keychain.write|… " lines for `make bench`), never
# asserted. Runs the ignored Rust benchmark of src-tauri (src/bench.rs) inside
# a private D-Bus session with a throwaway unlocked gnome-keyring
# (.ci/with-keychain), under a keychain service of its own.
# Usage: tests/bench/install-keychain.sh [RUNS] (default 50).
# PROFILE=release builds the test binary optimised, as the shipped app is
# (`make bench` does); the default, debug, shares the build of `make test`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
export APPDECK_BENCH_RUNS="${1:-50}" APPDECK_KEYCHAIN_SERVICE="appdeck-bench-$$"
release=()
[ "${PROFILE:-debug}" = release ] && release=(--release)
echo "profile: ${PROFILE:-debug}; load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
.ci/with-keychain cargo test -q "${release[@]}" -p appdeck-desktop --features appdeck-desktop/custom-protocol \
	-- --ignored --exact bench::bench_install_flow_and_keychain --nocapture 2>&1 |
	grep -vE '^(running|test |$)|test result|dbus-daemon'
