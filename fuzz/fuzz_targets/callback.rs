//! The loopback callback's request target and query parser on arbitrary
//! text: never a panic; an oversized query or a repeated parameter is refused.
#![no_main]

use appdeck_core::oauth::loopback::{parse_query, parse_request_target, MAX_QUERY_BYTES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_request_target(raw);
    if let Ok(map) = parse_query(raw) {
        assert!(raw.len() <= MAX_QUERY_BYTES);
        let pairs = pairs_in(raw);
        assert_eq!(map.len(), pairs, "a repeated parameter must be refused");
    }
});

/// How many parameters the query has (form-urlencoded, as the parser reads it).
fn pairs_in(raw: &str) -> usize {
    raw.split('&').filter(|p| !p.is_empty()).count()
}
