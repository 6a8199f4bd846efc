#!/usr/bin/env bash
# Sizes, printed and never asserted: the release binaries stripped (a copy is
# stripped, the build is left alone) — appdeck-desktop, the CLI `appdeck` and
# the hello-world baseline when built — and the .deb the Makefile's `deb`
# target bundles (its size and the installed size dpkg reports). Each also as a
# "BENCH size.<what> value=… unit=mb" line that `make bench` collects.
# Usage: tests/bench/size.sh   (after `make desktop-release deb`; missing
# files print n/a). The target dir is $CARGO_TARGET_DIR, else ./target.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }

for bin in appdeck-desktop appdeck tauri-baseline; do
	id="size.${bin//-/_}_stripped"
	if [ ! -x "$target/release/$bin" ]; then
		echo "BENCH $id unit=mb na=no release build at $target/release/$bin"
		continue
	fi
	cp "$target/release/$bin" "$scratch/$bin"
	strip "$scratch/$bin"
	before=$(stat -c %s "$target/release/$bin") after=$(stat -c %s "$scratch/$bin")
	printf '%-16s %8s MB as built, %8s MB stripped\n' "$bin" "$(mb "$before")" "$(mb "$after")"
	echo "BENCH $id value=$(mb "$after") unit=mb as_built_mb=$(mb "$before")"
done

deb=$(ls -t "$target"/release/bundle/deb/*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
	echo "BENCH size.deb unit=mb na=no .deb under $target/release/bundle/deb (make deb)"
else
	installed_kb=$(dpkg-deb -f "$deb" Installed-Size 2>/dev/null || echo 0)
	printf '%-16s %8s MB (%s), installed %s MB\n' .deb "$(mb "$(stat -c %s "$deb")")" "$(basename "$deb")" \
		"$(mb $((installed_kb * 1024)))"
	echo "BENCH size.deb value=$(mb "$(stat -c %s "$deb")") unit=mb installed_mb=$(mb $((installed_kb * 1024)))"
fi
