#!/usr/bin/env bash
# Every benchmark of issue 7, one after another, then one table of figures,
# printed and written to $BENCH_OUT/results.json (default target/bench/; the
# table also to results.txt, each benchmark's full output to logs/NAME.log).
# Nothing is asserted: a benchmark that fails or times out shows "n/a" with
# the reason, and the rest go on. `make bench` runs this after building the
# release app, the baseline and the .deb.
#
# Each benchmark is one of the scripts beside it or under crates/*/bench and
# tests/e2e/bench, which print their figures as "BENCH <id> key=value …" lines
# (tests/bench/stats.py); this script only collects them (tests/bench/report.py).
#
# Sizes of the runs (what the issue does not fix is kept small: the runs take
# about 12 minutes on 2 cores, plus the release builds of the CLI and of the
# install benchmark's test binary, ~8 minutes when nothing is built yet;
# override through the environment):
#   BENCH_STARTUP_RUNS=10   launches of each app (issue: ≥ 10)
#   BENCH_INSTALL_RUNS=100  install flows and keychain round trips (issue: 100)
#   BENCH_MANIFEST_RUNS=10  hyperfine runs per manifest command
#   BENCH_API_RUNS=30       hyperfine runs per `appdeck api get` / curl
#   BENCH_DURATION=10s      each wrk run on the sandbox
#   BENCH_QA_LOOPS=10       qa run loops × 3 accounts (qa-bench.sh's own default)
#   APPDECK_BENCH_API_CALLS=1000  API calls through the UI's backend (issue: 1,000)
# BENCH_ONLY="startup size" runs only the named benchmarks.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

# The GUI benchmarks need tauri-driver's port; another GUI test run may hold it.
wait_for_webdriver_port() {
	local i
	for i in $(seq 120); do
		(exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null || return 0
		[ "$i" = 1 ] && echo "   port 4444 is taken (another GUI test run?); waiting up to 10 min"
		sleep 5
	done
	return 1
}

# --gui FILE...: a GUI benchmark through tests/e2e/run.sh, once the port is free
# (a mode of this script so that `timeout` can run it).
if [ "${1:-}" = --gui ]; then
	shift
	wait_for_webdriver_port || { echo "port 4444 stayed taken for 10 min"; exit 1; }
	exec tests/e2e/run.sh "$@"
fi

target="${CARGO_TARGET_DIR:-$repo/target}"
out="${BENCH_OUT:-$target/bench}"
mkdir -p "$out/logs"
lines="$out/bench-lines.txt"
: >"$lines"

: "${BENCH_STARTUP_RUNS:=10}" "${BENCH_INSTALL_RUNS:=100}" "${BENCH_MANIFEST_RUNS:=10}"
: "${BENCH_API_RUNS:=30}" "${BENCH_DURATION:=10s}" "${BENCH_QA_LOOPS:=10}"
export BENCH_DURATION
export APPDECK_DESKTOP_BIN="${APPDECK_DESKTOP_BIN:-$target/release/appdeck-desktop}"
export BASELINE_BIN="${BASELINE_BIN-$target/release/tauri-baseline}"

started=$(date +%s)
{
	echo "BENCH meta.started value=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "BENCH meta.commit value=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo -dirty)"
	echo "BENCH meta.cpus value=$(nproc)"
	echo "BENCH meta.memory value=$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo) unit=gb"
	echo "BENCH meta.load_before value=$(cut -d' ' -f1 /proc/loadavg)"
	echo "BENCH meta.runs startup=$BENCH_STARTUP_RUNS install=$BENCH_INSTALL_RUNS manifest=$BENCH_MANIFEST_RUNS api=$BENCH_API_RUNS wrk=$BENCH_DURATION qa_loops=$BENCH_QA_LOOPS api_calls=${APPDECK_BENCH_API_CALLS:-1000}"
} >>"$lines"

# bench NAME TIMEOUT_S COMMAND...: runs it, its output to logs/NAME.log,
# collects its BENCH lines; a failure becomes "section.NAME na=<why>".
bench() {
	local name="$1" limit="$2"
	shift 2
	if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then return 0; fi
	local log="$out/logs/$name.log" t0 rc secs why
	echo "== $name: $* (log: $log; load $(cut -d' ' -f1 /proc/loadavg))"
	t0=$(date +%s)
	timeout --kill-after=15 "$limit" "$@" >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - t0))
	# node --test prefixes a test's output ("# "); keep only the BENCH part.
	grep -o 'BENCH .*' "$log" >>"$lines"
	if [ "$rc" -eq 0 ]; then
		echo "BENCH section.$name value=$secs unit=s" >>"$lines"
		echo "   done in ${secs}s"
	else
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			why="timed out after ${limit}s"
		else
			why="exit $rc: $(grep -v '^\s*$' "$log" | grep -iv 'BENCH ' | tail -n1 | cut -c1-160)"
		fi
		echo "BENCH section.$name value=$secs unit=s na=$why" >>"$lines"
		echo "   FAILED after ${secs}s ($why); the figures it printed are kept"
	fi
}

bench startup 900 tests/bench/desktop-startup.sh "$BENCH_STARTUP_RUNS"
bench size 120 tests/bench/size.sh
bench install 1500 env PROFILE=release tests/bench/install-keychain.sh "$BENCH_INSTALL_RUNS"
bench manifest 900 crates/cli/bench/manifest-bench.sh "$BENCH_MANIFEST_RUNS"
bench api_cli 600 crates/cli/bench/api-bench.sh "$BENCH_API_RUNS"
bench sandbox 600 crates/sandbox/bench/run.sh
bench qa 600 crates/cli/bench/qa-bench.sh "$BENCH_QA_LOOPS"
bench viewer 1200 "$here/run-all.sh" --gui bench/viewer-20mb.bench.mjs
bench api_memory 1200 "$here/run-all.sh" --gui bench/api-memory.bench.mjs

{
	echo "BENCH meta.load_after value=$(cut -d' ' -f1 /proc/loadavg)"
	echo "BENCH meta.total value=$(($(date +%s) - started)) unit=s"
} >>"$lines"
python3 "$here/report.py" "$lines" "$out/results.json" | tee "$out/results.txt"
echo "figures: $out/results.json (table: $out/results.txt, logs: $out/logs/)"
