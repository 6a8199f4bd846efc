#!/usr/bin/env bash
# Startup figures of the desktop app under Xvfb, printed, never asserted:
#   window  ms from launch until the "Appdeck" window is mapped (polling xwininfo)
#   page    ms from launch until the webview finished loading the page (the app
#           prints "appdeck-desktop: page_loaded <ms> ms after start")
#   ui      ms from launch until the UI reports it is mounted (the app prints
#           "appdeck-desktop: ui_ready <ms> ms after start" when the UI invokes
#           `ui_ready`; "n/a" while the UI does not call it)
#   rss     MB of resident memory of the app and every process under it
#           (WebKit's web and network processes) 5 s after launch
# Usage: tests/bench/desktop-startup.sh [RUNS] (default 5). Uses the release
# build if there is one, else the debug build; $APPDECK_DESKTOP_BIN overrides.
# Each run opens a temp copy of the sample manifest with a temp config dir.
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
tree_rss_kb() {
	local total=0 pid kb
	for pid in $(tree_pids "$1"); do
		kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
		total=$((total + ${kb:-0}))
	done
	echo "$total"
}

if [ "${1:-}" = "--inside" ]; then
	shift
	runs="$1"
	printf 'run  window_ms  page_ms  ui_ms  ui_self_ms  rss_mb\n'
	for run in $(seq "$runs"); do
		work="$(mktemp -d)"
		cp "$repo/stripe-app.json" "$repo/icon.png" "$work/"
		start=$(date +%s%N)
		"$APPDECK_DESKTOP_BIN" "$work/stripe-app.json" --config-dir "$work/config" 2>"$work/stderr.log" >/dev/null &
		app=$!
		window="n/a" page="n/a" ui="n/a" ui_self="n/a"
		while [ $(($(date +%s%N) - start)) -lt 30000000000 ]; do
			now=$(date +%s%N)
			if [ "$window" = n/a ] && xwininfo -root -tree 2>/dev/null | grep -q '"Appdeck"'; then
				window=$(((now - start) / 1000000))
			fi
			if [ "$page" = n/a ] && grep -q 'page_loaded' "$work/stderr.log"; then
				page=$(((now - start) / 1000000))
			fi
			if [ "$ui" = n/a ] && grep -q 'ui_ready' "$work/stderr.log"; then
				ui=$(((now - start) / 1000000))
				ui_self=$(sed -n 's/.*ui_ready \([0-9]*\) ms.*/\1/p' "$work/stderr.log" | head -n1)
			fi
			if [ "$window" != n/a ] && { [ "$ui" != n/a ] || [ $((now - start)) -gt 5000000000 ]; }; then break; fi
			sleep 0.01
		done
		sleep "$(awk -v e="$(($(date +%s%N) - start))" 'BEGIN { r = 5 - e / 1e9; print (r > 0 ? r : 0) }')"
		rss_kb=$(tree_rss_kb "$app")
		if ! kill -0 "$app" 2>/dev/null; then
			wait "$app" && status=0 || status=$?
			echo "run $run: the app exited early (status $status); its stderr:"
			sed 's/^/    /' "$work/stderr.log"
		fi
		printf '%3s  %9s  %7s  %5s  %10s  %6s\n' "$run" "$window" "$page" "$ui" "$ui_self" "$((rss_kb / 1024))"
		if [ "$run" = "$runs" ]; then
			echo "processes of the last run (RSS MB):"
			for pid in $(tree_pids "$app"); do
				printf '  %-24s %6s\n' "$(cat "/proc/$pid/comm" 2>/dev/null)" \
					"$(($(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0) / 1024))"
			done
		fi
		kill "$app" 2>/dev/null || true
		wait "$app" 2>/dev/null || true
		rm -rf "$work"
	done
	exit 0
fi


runs="${1:-5}"
if [ -z "${APPDECK_DESKTOP_BIN:-}" ]; then
	APPDECK_DESKTOP_BIN="$repo/target/release/appdeck-desktop"
	[ -x "$APPDECK_DESKTOP_BIN" ] || APPDECK_DESKTOP_BIN="$repo/target/debug/appdeck-desktop"
fi
export APPDECK_DESKTOP_BIN
[ -x "$APPDECK_DESKTOP_BIN" ] || { echo "bench: build the app first (make bench builds it)" >&2; exit 2; }
echo "bench: $APPDECK_DESKTOP_BIN ($(du -h "$APPDECK_DESKTOP_BIN" | cut -f1)), $runs runs, Xvfb 1280x800"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
# No accessibility bus: it is not part of the app and only adds noise.
export NO_AT_BRIDGE=1
"$repo/.ci/with-keychain" xvfb-run -a -s "-screen 0 1280x800x24" "$here/desktop-startup.sh" --inside "$runs" 2>&1 |
	grep -v -e '^dbus-daemon' -e 'SpiRegistry'
