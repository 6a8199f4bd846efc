# One-word tasks. Each installs what it needs first (.ci/install-deps: apt
# packages, tauri-driver, npm packages), so on a fresh Debian 12 machine
# `make run` and `make test` are all there is to know.
#
# The desktop app is built with the custom-protocol feature, so it serves the
# embedded ui/dist (built first) instead of waiting for a Vite dev server; the
# debug build is shared with `make test`, the release build with `make bench`
# and `make deb`.

SHELL := bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
FEATURES := --features appdeck-desktop/custom-protocol
MANIFEST ?= ./stripe-app.json

.PHONY: run test lint bench bench-deps deb deps ui desktop desktop-release e2e screenshot

## run: install what is missing, build, open the app on $(MANIFEST)
run: desktop
	./target/debug/appdeck-desktop $(MANIFEST)

## test: every check, as CI runs it; ends with "N passed, N failed"
test: deps
	.ci/test

## lint: formatting, clippy, and the UI's typecheck and lint
lint: deps ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets $(FEATURES) -- -D warnings
	npm --prefix ui run typecheck
	npm --prefix ui run lint

## bench: every benchmark of issue 7 — start-up and memory next to a hello-world
## Tauri app (tests/bench/baseline), sizes, install flow and keychain, manifest,
## sandbox, API console, memory across 1,000 API calls — as one table, also
## written to target/bench/results.json (printed, never asserted; ~20 min with builds)
bench: bench-deps deb
	tests/bench/run-all.sh

## deb: the Debian package (target/release/bundle/deb/) of the release build;
## AppImage needs downloads, so .deb only
deb: desktop-release
	cd src-tauri && npx --yes @tauri-apps/cli@2 bundle --bundles deb

## e2e: only the real-window GUI tests
e2e: desktop
	tests/e2e/run.sh

## screenshot: refresh docs/screenshot.png from the GUI test's window
screenshot: desktop
	APPDECK_UPDATE_SCREENSHOT=1 tests/e2e/run.sh --test-name-pattern='opens the sample' $(CURDIR)/tests/e2e/manifest.test.mjs

deps:
	.ci/install-deps

bench-deps:
	.ci/install-deps bench

ui: deps
	npm --prefix ui run build

desktop: ui
	cargo build -p appdeck-desktop $(FEATURES)

# With the benchmark's baseline, in one cargo run so both link the same tauri build.
desktop-release: ui
	cargo build --release -p appdeck-desktop -p tauri-baseline $(FEATURES)

## fuzz: the cargo-fuzz targets (manifest, callback, form) for FUZZ_SECONDS
## each (default 60), seeded from the repo's fixtures; nightly + cargo-fuzz
## (installed if missing); longer runs: fuzz/README.md
FUZZ_SECONDS ?= 60
# Past libFuzzer's default of 4096 bytes, so the callback's 8 KiB query limit is reached.
FUZZ_MAX_LEN ?= 20000
.PHONY: fuzz
fuzz:
	command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for t in manifest callback form; do \
		seeds=seeds/$$t; [ $$t = manifest ] && seeds=../tests/fixtures/stripe-examples; \
		mkdir -p corpus/$$t && \
		cargo +nightly fuzz run $$t corpus/$$t $$seeds -- -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 || exit 1; \
	done
