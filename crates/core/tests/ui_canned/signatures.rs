//! The Signatures screen's answers (`signatures.json`): a webhook signature
//! signed and verified at core's clock, a changed payload refused, and what a
//! UI extension's `fetchStripeSignature()` signs.

use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::signature::{self, DEFAULT_TOLERANCE_SECS};

use crate::canned::Canned;
use crate::scrub::{fixed, Scrub};
use crate::support::FixedClock;

#[test]
fn signatures_screen() {
    let mut scrub = Scrub::new();
    let clock = FixedClock(fixed());
    let mut out = Canned::new("signatures");

    let header = signature::sign_at("whsec_x", "hello", None, &clock);
    out.put("webhookHeader", &header);
    let verified =
        signature::verify_now(&header, "hello", "whsec_x", DEFAULT_TOLERANCE_SECS, &clock).unwrap();
    // The shell answers it as a JSON number (`i64`, which ts-rs would call bigint).
    out.put_as("webhookVerifiedAt", "number", &verified.t);
    let changed =
        signature::verify_now(&header, "hello!", "whsec_x", DEFAULT_TOLERANCE_SECS, &clock)
            .unwrap_err();
    assert_eq!(changed.code(), ErrorCode::SignatureMismatch);
    out.error("webhookChanged", &changed);

    let payload =
        signature::ui_extension_payload_text("usr_1", "acct_1", Some(r#"{"plan":"pro"}"#)).unwrap();
    out.put("uiExtensionPayload", &payload);
    out.put(
        "uiExtensionHeader",
        &signature::sign_at("absec_1", &payload, None, &clock),
    );

    out.write(&mut scrub);
}
