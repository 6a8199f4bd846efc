//! Property tests over hostile input: the manifest parser and validator, the
//! edit engine, the callback/landed-URL parsing and the form encoder never
//! panic, and keep their invariants, on arbitrary input. CI runs a bounded
//! number of cases (PROPTEST_CASES, default 256 here); run longer locally with
//! `PROPTEST_CASES=100000 cargo test -p appdeck-core --test hostile_input`.
//! The same three parsers are cargo-fuzz targets in `fuzz/` (nightly, `make
//! fuzz`); this file is the bounded run CI can do on a stable toolchain.
//!
//! No hang: each case of the three fuzzed parsers must finish within
//! [`CASE_LIMIT`] (generous for a debug build on a busy machine; the parsers
//! take microseconds), so a quadratic blow-up fails here instead of stalling;
//! a case that never returns is caught by a watchdog that ends the test
//! process after [`HANG_LIMIT`], naming the parser.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use appdeck_core::console::form::{decode, encode_rows};
use appdeck_core::manifest::{apply_edit, validate_text, ManifestEdit, ValidateOptions};
use appdeck_core::oauth::loopback::{parse_query, parse_request_target, MAX_QUERY_BYTES};
use proptest::prelude::*;

const SAMPLE: &str = include_str!("../../../stripe-app.json");

/// The time one case of a fuzzed parser may take.
const CASE_LIMIT: Duration = Duration::from_secs(2);

/// How long a case may run before the watchdog ends the process: a hang.
const HANG_LIMIT: Duration = Duration::from_secs(30);

/// Runs `f`, failing the case when it takes longer than [`CASE_LIMIT`]; when
/// it doesn't return at all, a watchdog ends the process after [`HANG_LIMIT`]
/// (a hung thread can't be unwound, and a stalled CI run says nothing).
fn bounded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let (done, what) = (done.clone(), what.to_string());
        std::thread::spawn(move || {
            let until = Instant::now() + HANG_LIMIT;
            while !done.load(Ordering::Acquire) {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    eprintln!("hostile_input: {what} did not return within {HANG_LIMIT:?}: a hang");
                    std::process::exit(101);
                }
                std::thread::park_timeout(left);
            }
        })
    };
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    done.store(true, Ordering::Release);
    watchdog.thread().unpark();
    if took > CASE_LIMIT {
        return Err(TestCaseError::fail(format!("{what} took {took:?}")));
    }
    Ok(out)
}

/// Callback queries: the parameters a provider sends, repeated, empty,
/// percent-broken (`%`, `%z`, `%C3` alone), `+`, and now and then a huge value.
fn callback_query() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        Just("code=ac_123".to_string()),
        Just("state=st_abc".to_string()),
        Just("code=".to_string()),
        Just("error=access_denied".to_string()),
        Just("error_description=The+user+said+no".to_string()),
        Just("=".to_string()),
        Just("&".to_string()),
        Just("%".to_string()),
        Just("%z".to_string()),
        Just("%C3".to_string()),
        Just("%00".to_string()),
        Just("%ZZ%%".to_string()),
        Just("+".to_string()),
        Just("#frag".to_string()),
        "[a-z_]{0,6}=[ -~]{0,12}",
        "\\PC{0,6}",
        (0usize..(MAX_QUERY_BYTES + 64)).prop_map(|n| format!("state={}", "x".repeat(n))),
    ];
    prop::collection::vec(part, 0..12).prop_map(|v| v.join("&"))
}

/// Raw request targets as a request line carries them.
fn request_target() -> impl Strategy<Value = String> {
    prop_oneof![
        callback_query().prop_map(|q| format!("/callback?{q}")),
        callback_query().prop_map(|q| format!("/abort?{q}")),
        "/[ -~]{0,40}",
        "[ -~]{0,60}",
        "\\PC{0,40}",
        Just("*".to_string()),
        Just("http://127.0.0.1:1/callback?code=a&state=b".to_string()),
    ]
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// JSON-ish text: fragments of manifests, brackets, quotes, escapes, unicode.
fn jsonish() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"permissions\"".to_string()),
        Just("\"ui_extension\"".to_string()),
        Just("\"content_security_policy\"".to_string()),
        Just("\"connect-src\"".to_string()),
        Just("\"https://a.example.com/\"".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("// c\n".to_string()),
        Just("/*".to_string()),
        Just("\"\\u12".to_string()),
        Just("\u{feff}".to_string()),
        "[ -~]{0,8}".prop_map(|s| s),
        "\\PC{0,4}".prop_map(|s| s),
    ];
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
}

/// The sample with one random byte range replaced: near-valid manifests.
fn mutated_sample() -> impl Strategy<Value = String> {
    (0..SAMPLE.len(), 0usize..20, "\\PC{0,6}").prop_map(|(at, len, with)| {
        let mut at = at;
        while !SAMPLE.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + len).min(SAMPLE.len());
        while !SAMPLE.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}{}{}", &SAMPLE[..at], with, &SAMPLE[end..])
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn validator_never_panics_and_locates_every_diagnostic(text in prop_oneof![jsonish(), mutated_sample()]) {
        let diags = validate_text(&text, &ValidateOptions::default());
        let lines = text.split('\n').count() as u32;
        for d in &diags {
            prop_assert!(d.line >= 1 && d.line <= lines.max(1), "line {} of {}", d.line, lines);
            prop_assert!(d.column >= 1);
            prop_assert!(d.start <= d.end && (d.end as usize) <= text.len());
            prop_assert!(!d.code.is_empty() && !d.message.is_empty());
        }
    }

    #[test]
    fn edits_never_panic_and_never_leave_invalid_json(text in mutated_sample(), name in "[a-z_]{1,20}", purpose in "\\PC{0,30}") {
        let edit = ManifestEdit::GrantPermission { permission: name, purpose };
        if let Ok(out) = apply_edit(Path::new("/nonexistent/stripe-app.json"), &text, &edit) {
            prop_assert!(serde_json::from_str::<serde_json::Value>(&out.text).is_ok(), "an applied edit yields JSON");
        }
    }

    #[test]
    fn form_rows_encode_and_decode_back(rows in prop::collection::vec(("[a-z]{1,6}(\\[[a-z0-9 ]{1,4}\\])?", "\\PC{0,12}"), 0..8)) {
        let rows: Vec<(String, String)> = rows;
        if let Ok(encoded) = encode_rows(&rows) {
            // Every pair is key=value with only qs-safe characters, brackets and %XX.
            for pair in encoded.split('&').filter(|p| !p.is_empty()) {
                prop_assert!(pair.contains('='));
                prop_assert!(pair.chars().all(|c| c.is_ascii_alphanumeric() || "-_.~[]%=".contains(c)), "{pair}");
            }
            let back = decode(&encoded);
            for (k, v) in &back {
                prop_assert!(rows.iter().any(|(rk, rv)| rv == v && (rk == k || k.starts_with(rk.split('[').next().unwrap_or_default()))));
            }
        }
    }

    #[test]
    fn landed_urls_and_queries_never_panic(raw in "\\PC{0,200}") {
        let _ = url::Url::parse(&raw);
        let _ = decode(&raw);
        let _ = appdeck_core::oauth::loopback::LoopbackSpec::from_redirect_uri(&raw);
        let _ = appdeck_core::signature::verify(&raw, "p", "s", 300, 0);
    }

    #[test]
    fn the_callback_query_parser_refuses_oversized_and_repeated_parameters(raw in callback_query()) {
        let parsed = bounded("parse_query", || parse_query(&raw))?;
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        let repeated = keys.windows(2).any(|w| w[0] == w[1]);
        match parsed {
            Ok(map) => {
                prop_assert!(raw.len() <= MAX_QUERY_BYTES, "an oversized query is refused");
                prop_assert!(!repeated, "a repeated parameter is refused");
                prop_assert_eq!(map.len(), pairs.len());
                for (k, v) in &pairs {
                    prop_assert_eq!(map.get(k), Some(v));
                }
            }
            Err(why) => {
                prop_assert!(raw.len() > MAX_QUERY_BYTES || repeated, "refused for no reason: {}", why);
                prop_assert!(!why.contains("ac_123"), "the refusal never echoes a code");
            }
        }
    }

    #[test]
    fn raw_request_targets_never_panic_or_hang(target in request_target()) {
        if let Ok((path, params)) = bounded("parse_request_target", || parse_request_target(&target))? {
            prop_assert!(path.starts_with('/') || path.is_empty() || path == "*", "{}", path);
            let query = target.split('#').next().and_then(|t| t.split_once('?')).map_or(0, |(_, q)| q.len());
            if query > MAX_QUERY_BYTES {
                prop_assert!(params.is_err(), "an oversized query is refused");
            }
        }
    }

    #[test]
    fn the_form_encoder_takes_any_rows_and_the_decoder_any_text(
        rows in prop::collection::vec(("\\PC{0,12}", "\\PC{0,12}"), 0..10),
        text in "\\PC{0,300}",
    ) {
        let rows: Vec<(String, String)> = rows;
        if let Ok(encoded) = bounded("encode_rows", || encode_rows(&rows))? {
            let back = bounded("decode", || decode(&encoded))?;
            prop_assert!(back.len() <= encoded.split('&').count());
        }
        let _ = bounded("decode", || decode(&text))?;
    }

    #[test]
    fn validation_is_bounded_in_time(text in prop_oneof![jsonish(), mutated_sample()]) {
        let _ = bounded("validate_text", || validate_text(&text, &ValidateOptions::default()))?;
    }
}

/// Deep nesting is the classic way to crash a recursive parser (a stack
/// overflow is an abort, which no `catch_unwind` sees): the validator must
/// answer with a diagnostic on a normal-sized thread stack.
#[test]
fn deeply_nested_manifests_get_a_diagnostic_not_a_stack_overflow() {
    for depth in [1_000usize, 10_000, 100_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let started = Instant::now();
            let handle = std::thread::Builder::new()
                .stack_size(2 * 1024 * 1024)
                .spawn(move || validate_text(&text, &ValidateOptions::default()).len())
                .unwrap();
            let n = handle.join().expect("no panic");
            assert!(
                n >= 1,
                "depth {depth}: a manifest that is not an object is reported"
            );
            assert!(started.elapsed() < Duration::from_secs(10), "depth {depth}");
        }
    }
}
