//! The OAuth `state`: one-time, unguessable, and carrying the mode so the
//! callback knows which secret key to exchange the code with (Stripe's docs
//! suggest exactly this). Checked in constant time.

use base64::Engine;
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::keychain::Mode;

/// `<mode>.<32 random bytes, base64url>`
pub fn generate(mode: Mode) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{}.{}",
        mode.as_str(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The mode a state carries, if it is one of ours.
pub fn mode_of(state: &str) -> Option<Mode> {
    match state.split_once('.')?.0 {
        "test" => Some(Mode::Test),
        "live" => Some(Mode::Live),
        "local" => Some(Mode::Local),
        _ => None,
    }
}

/// Constant-time equality (length differences leak only the length).
pub fn matches(expected: &str, got: &str) -> bool {
    expected.len() == got.len() && bool::from(expected.as_bytes().ct_eq(got.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_is_random_carries_mode_and_checks_exactly() {
        let a = generate(Mode::Test);
        let b = generate(Mode::Test);
        assert_ne!(a, b);
        assert!(a.len() > 40);
        assert_eq!(mode_of(&a), Some(Mode::Test));
        assert_eq!(mode_of(&generate(Mode::Live)), Some(Mode::Live));
        assert!(matches(&a, &a.clone()));
        assert!(!matches(&a, &b));
        assert!(!matches(&a, &a[..a.len() - 1]));
        assert_eq!(mode_of("garbage"), None);
    }
}
