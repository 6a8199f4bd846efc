#!/usr/bin/env bash
# Startup and memory of the desktop app next to a hello-world Tauri 2 app built
# the same way (tests/bench/baseline: same tauri crate and features, release),
# under Xvfb, printed, never asserted. Per launch:
#   window_ms  launch → the app's window is mapped (xdotool --onlyvisible, polled)
#   page_ms    launch → the first page load finished (the app prints
#              "<bin>: page_loaded <ms> ms after start"; stamped on arrival)
#   paint_ms   launch → first interactive paint of the main screen: the page
#              calls `ui_ready` once its main screen is painted with its content
#              (Appdeck: the manifest in its editor; baseline: its page), and the app
#              prints "<bin>: ui_ready <ms> ms after start" (stamped on arrival)
#   self_ms    the same, as the app measured it from its own main()
#   rss_mb / pss_mb  resident / proportional memory (/proc/PID/smaps_rollup) of
#              the app plus every process under it (WebKit's web and network
#              processes) 5 s after launch
# Runs are interleaved (Appdeck then baseline, the next run the other way
# round) so machine load hits both alike; one unmeasured warm-up launch each
# first. At the end: per app and figure, median and spread (min–max, IQR) as
# "BENCH startup.<app>.<figure> …" lines (tests/bench/stats.py) and the ratios
# Appdeck / baseline of the medians as "BENCH startup.ratio.<figure> value=…".
#
# Usage: tests/bench/desktop-startup.sh [RUNS] (default 10). Binaries:
# $APPDECK_DESKTOP_BIN (default target/release/appdeck-desktop, else debug) and
# $BASELINE_BIN (default target/release/tauri-baseline; without it, Appdeck only).
# Each Appdeck launch opens a temp copy of the sample manifest with a temp config dir.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

# The pid and all its descendants.
tree_pids() {
	local pids=("$1") i=0 child
	while [ "$i" -lt "${#pids[@]}" ]; do
		for child in $(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null); do pids+=("$child"); done
		i=$((i + 1))
	done
	echo "${pids[@]}"
}
# "RSS_KB PSS_KB" summed over the tree.
tree_mem_kb() {
	local pid files=()
	for pid in $(tree_pids "$1"); do files+=("/proc/$pid/smaps_rollup"); done
	awk '/^Rss:/ {r += $2} /^Pss:/ {p += $2} END {print r + 0, p + 0}' "${files[@]}" 2>/dev/null || echo "0 0"
}
now_us() { echo "${EPOCHREALTIME/./}"; }
# Copies stdin to stdout, each line prefixed with its arrival time (µs).
stamp() {
	local line
	while IFS= read -r line; do printf '%s %s\n' "${EPOCHREALTIME/./}" "$line"; done
}

# measure NAME TITLE BIN [ARGS...]: one launch; appends a line to $results.
measure() {
	local name="$1" title="$2" bin="$3"
	shift 3
	local work start app now window=n/a page=n/a paint=n/a self=n/a mem rss pss
	work="$(mktemp -d)"
	# The stamper is this shell's child, not the app's: it must not count in the app's memory.
	exec 3> >(stamp >"$work/stderr.log")
	start=$(now_us)
	"$bin" "$@" 2>&3 >/dev/null 3>&- &
	app=$!
	exec 3>&-
	while [ $(($(now_us) - start)) -lt 30000000 ]; do
		if [ "$window" = n/a ] && xdotool search --onlyvisible --name "^$title\$" >/dev/null 2>&1; then
			window=$((($(now_us) - start) / 1000))
		fi
		if [ "$paint" = n/a ] && grep -q ' ui_ready ' "$work/stderr.log" 2>/dev/null; then break; fi
		kill -0 "$app" 2>/dev/null || break
		sleep 0.01
	done
	local at
	at=$(awk '/ page_loaded / {print $1; exit}' "$work/stderr.log")
	[ -n "$at" ] && page=$(((at - start) / 1000))
	at=$(awk '/ ui_ready / {print $1; exit}' "$work/stderr.log")
	[ -n "$at" ] && paint=$(((at - start) / 1000))
	self=$(sed -n 's/.* ui_ready \([0-9]*\) ms.*/\1/p' "$work/stderr.log" | head -n1)
	self=${self:-n/a}
	now=$(now_us)
	[ $((now - start)) -lt 5000000 ] && sleep "$(awk -v us=$((5000000 - (now - start))) 'BEGIN { print us / 1e6 }')"
	if kill -0 "$app" 2>/dev/null; then
		mem=$(tree_mem_kb "$app")
		rss=$((${mem% *} / 1024)) pss=$((${mem#* } / 1024))
		procs=$(for pid in $(tree_pids "$app"); do cat "/proc/$pid/comm" 2>/dev/null; done | paste -sd, -)
	else
		wait "$app" && status=0 || status=$?
		echo "$name: exited early (status $status); its stderr:" >&2
		sed 's/^/    /' "$work/stderr.log" >&2
		rss=n/a pss=n/a procs=exited
	fi
	printf '%-8s %9s %7s %8s %7s %6s %6s  %s\n' "$name" "$window" "$page" "$paint" "$self" "$rss" "$pss" "$procs"
	[ "$measured" = 1 ] && printf '%s %s %s %s %s %s %s\n' "$name" "$window" "$page" "$paint" "$self" "$rss" "$pss" >>"$results"
	# The app and whatever it started (WebKit children), by pid.
	for pid in $(tree_pids "$app" | tr ' ' '\n' | tac); do kill "$pid" 2>/dev/null || true; done
	wait "$app" 2>/dev/null || true
	rm -rf "$work"
}

appdeck() {
	local dir
	dir="$(mktemp -d)"
	cp "$repo/stripe-app.json" "$repo/icon.png" "$dir/"
	measure appdeck Appdeck "$APPDECK_DESKTOP_BIN" "$dir/stripe-app.json" --config-dir "$dir/config"
	rm -rf "$dir"
}
baseline() {
	[ -n "$BASELINE_BIN" ] || return 0
	measure baseline Baseline "$BASELINE_BIN"
}

if [ "${1:-}" = "--inside" ]; then
	runs="$2"
	results="$3"
	: >"$results"
	printf '%-8s %9s %7s %8s %7s %6s %6s  %s\n' app window_ms page_ms paint_ms self_ms rss_mb pss_mb processes
	measured=0
	appdeck
	baseline
	echo "(warm-up above, not counted)"
	measured=1
	for run in $(seq "$runs"); do
		if [ $((run % 2)) = 1 ]; then appdeck; baseline; else baseline; appdeck; fi
	done
	exit 0
fi

runs="${1:-10}"
if [ -z "${APPDECK_DESKTOP_BIN:-}" ]; then
	APPDECK_DESKTOP_BIN="$repo/target/release/appdeck-desktop"
	[ -x "$APPDECK_DESKTOP_BIN" ] || APPDECK_DESKTOP_BIN="$repo/target/debug/appdeck-desktop"
fi
BASELINE_BIN="${BASELINE_BIN-$repo/target/release/tauri-baseline}"
[ -x "$BASELINE_BIN" ] || { echo "bench: no baseline at '$BASELINE_BIN'; Appdeck only" >&2; BASELINE_BIN=""; }
export APPDECK_DESKTOP_BIN BASELINE_BIN
[ -x "$APPDECK_DESKTOP_BIN" ] || { echo "bench: build the app first (make bench builds it)" >&2; exit 2; }
for tool in xvfb-run xdotool python3; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (.ci/install-deps bench)" >&2; exit 2; }
done
echo "bench: $APPDECK_DESKTOP_BIN vs ${BASELINE_BIN:-no baseline}; $runs runs each, interleaved; Xvfb 1280x800"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
# No accessibility bus: it is not part of either app and only adds noise.
export NO_AT_BRIDGE=1
"$repo/.ci/with-keychain" xvfb-run -a -s "-screen 0 1280x800x24" "$here/desktop-startup.sh" --inside "$runs" "$scratch/results" 2>&1 |
	grep -v -e '^dbus-daemon' -e 'SpiRegistry'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Figures: one BENCH line per app and column, then the ratios of the medians.
cols=(window_ms page_ms paint_ms self_ms rss_mb pss_mb)
for app in appdeck baseline; do
	for i in "${!cols[@]}"; do
		col="${cols[$i]}"
		awk -v a="$app" -v c=$((i + 2)) '$1 == a {print $c}' "$scratch/results" |
			python3 "$here/stats.py" "startup.$app.${col%_*}" "${col##*_}"
	done
done >"$scratch/bench"
cat "$scratch/bench"
python3 - "$scratch/bench" <<'PY'
import re, sys
med = {}
for line in open(sys.argv[1]):
    m = re.match(r"BENCH startup\.(\w+)\.(\w+) .*median=([\d.]+)", line)
    if m:
        med[(m[1], m[2])] = float(m[3])
for fig in ["window", "page", "paint", "self", "rss", "pss"]:
    a, b = med.get(("appdeck", fig)), med.get(("baseline", fig))
    if a is not None and b:
        print(f"BENCH startup.ratio.{fig} value={a / b:.2f} unit=x")
    else:
        print(f"BENCH startup.ratio.{fig} unit=x na=no median for both apps")
PY
