#!/usr/bin/env bash
# Runs the GUI tests headless: a private D-Bus session with an unlocked throwaway
# keychain (.ci/with-keychain), a virtual X display (Xvfb), tauri-driver on 127.0.0.1:4444, then
# `node --test` over tests/e2e/*.test.mjs (extra arguments go to node --test).
#
# Invariants: the app runs with throwaway XDG dirs, so it never touches the
# user's real config, data or keychain, and the run fails if anything still
# wrote an Appdeck config there; tauri-driver and the bus die with the run.
# Needs: the built app ($APPDECK_DESKTOP_BIN, default target/debug/appdeck-desktop),
# tauri-driver, WebKitWebDriver, xvfb-run, dbus-run-session, gnome-keyring-daemon.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
--in-display)
	shift
	log="$here/tauri-driver.log"
	# The app's stderr ends up here too: the tests check it holds no secret.
	export APPDECK_E2E_DRIVER_LOG="$log"
	"$TAURI_DRIVER" >"$log" 2>&1 &
	driver=$!
	for _ in $(seq 100); do
		(exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break
		kill -0 "$driver" 2>/dev/null || { echo "tauri-driver exited early:" >&2; cat "$log" >&2; exit 1; }
		sleep 0.1
	done
	rc=0
	(cd "$here" && node --test --test-concurrency=1 "$@") || rc=$?
	kill "$driver" 2>/dev/null || true
	wait "$driver" 2>/dev/null || true
	if [ "$rc" -ne 0 ]; then
		echo "--- last lines of $log ---" >&2
		tail -n 30 "$log" >&2 || true
	fi
	exit "$rc"
	;;
esac

repo="$(cd "$here/../.." && pwd)"
export APPDECK_DESKTOP_BIN="${APPDECK_DESKTOP_BIN:-$repo/target/debug/appdeck-desktop}"
if [ ! -x "$APPDECK_DESKTOP_BIN" ]; then
	echo "e2e: no app at $APPDECK_DESKTOP_BIN; build it first (make desktop)" >&2
	exit 2
fi
TAURI_DRIVER="$(command -v tauri-driver || echo "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver")"
export TAURI_DRIVER
if [ ! -x "$TAURI_DRIVER" ]; then
	echo "e2e: tauri-driver missing; cargo install tauri-driver --locked --version '^2'" >&2
	exit 2
fi
if (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null; then
	echo "e2e: port 4444 is taken (another tauri-driver running?)" >&2
	exit 2
fi
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund)

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
unset APPDECK_CONFIG_DIR APPDECK_MANIFEST
# The app's keychain entries go under a service of this run only, in the
# throwaway keyring of .ci/with-keychain; the tests read them with secret-tool.
export APPDECK_KEYCHAIN_SERVICE="appdeck-e2e-$$"
# Links the app opens go through xdg-open. Point it, whatever browsers the
# machine has, at a recorder: the default handler for http(s) in our throwaway
# XDG config, and $BROWSER (used when there is no display). The tests read
# $APPDECK_E2E_OPENED to see which URLs were opened. Like a browser, the
# recorder also follows install links of the local sandbox (authorize URL →
# 302 → the app's loopback callback), so with auto-consent an install run from
# the UI completes; each follow's status and last URL go to $APPDECK_E2E_FOLLOWED.
export APPDECK_E2E_OPENED="$scratch/opened-urls" APPDECK_E2E_FOLLOWED="$scratch/followed"
mkdir -p "$scratch/share/applications"
cat >"$scratch/record-url" <<RECORDER
#!/bin/sh
printf '%s\n' "\$1" >>"$APPDECK_E2E_OPENED"
case "\$1" in
http://127.0.0.1:*/oauth/v2/*authorize*|http://127.0.0.1:*/apps/install/link/*)
	( curl -sS -L --max-redirs 3 --max-time 60 -o /dev/null -w '%{http_code} %{url_effective}\n' "\$1" >>"$APPDECK_E2E_FOLLOWED" 2>&1 & ) ;;
esac
RECORDER
chmod +x "$scratch/record-url"
printf '[Desktop Entry]\nType=Application\nName=e2e URL recorder\nExec=%s %%u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n' \
	"$scratch/record-url" >"$scratch/share/applications/appdeck-e2e-browser.desktop"
printf '[Default Applications]\nx-scheme-handler/http=appdeck-e2e-browser.desktop\nx-scheme-handler/https=appdeck-e2e-browser.desktop\n' \
	>"$XDG_CONFIG_HOME/mimeapps.list"
export XDG_DATA_DIRS="$scratch/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export BROWSER="$scratch/record-url"

if [ "$#" -eq 0 ]; then
	set -- "$here"/*.test.mjs
fi
rc=0
"$repo/.ci/with-keychain" xvfb-run -a -s "-screen 0 1280x800x24" "$here/run.sh" --in-display "$@" || rc=$?
if [ -e "$XDG_CONFIG_HOME/appdeck" ]; then
	echo "e2e: the app wrote to the default config dir despite --config-dir: $(ls -A "$XDG_CONFIG_HOME/appdeck")" >&2
	rc=1
fi
exit "$rc"
