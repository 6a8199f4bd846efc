//! The manifest parser and validator on arbitrary text: never a panic, and
//! every diagnostic points inside the text (what the editor underlines).
#![no_main]

use appdeck_core::manifest::{validate_text, ValidateOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count() as u32;
    for d in validate_text(text, &ValidateOptions::default()) {
        assert!(d.line >= 1 && d.line <= lines.max(1), "{d:?}");
        assert!(d.column >= 1, "{d:?}");
        assert!(d.start <= d.end && d.end as usize <= text.len(), "{d:?}");
    }
});
