//! Stripe's form encoder and decoder on arbitrary rows and text: never a
//! panic; what the encoder emits is only qs-safe characters, brackets and
//! `%XX`, and decodes to as many pairs as it has.
#![no_main]

use appdeck_core::console::form::{decode, encode_rows};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = decode(text);
    // One row per line, KEY=VALUE split at the first `=` (as `-d` takes them).
    let rows: Vec<(String, String)> = text
        .lines()
        .map(|l| match l.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect();
    if let Ok(encoded) = encode_rows(&rows) {
        assert!(
            encoded
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~[]%=&".contains(c)),
            "{encoded}"
        );
        let pairs = encoded.split('&').filter(|p| !p.is_empty()).count();
        assert_eq!(decode(&encoded).len(), pairs);
    }
});
