//! PKCE (RFC 7636) with S256, through oauth2-rs: a 32-byte random verifier
//! (43 base64url characters) and its SHA-256 challenge.

use oauth2::{PkceCodeChallenge, PkceCodeVerifier};

use crate::secret::PkceVerifier;

pub struct Pkce {
    pub verifier: PkceVerifier,
    pub challenge: String,
    pub method: &'static str,
}

pub fn generate() -> Pkce {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    Pkce {
        verifier: PkceVerifier::new(verifier.secret().as_str()),
        challenge: challenge.as_str().to_string(),
        method: "S256",
    }
}

/// The S256 challenge of a verifier.
pub fn challenge_of(verifier: &str) -> String {
    PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.to_string()))
        .as_str()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_verifier_has_rfc_length_and_alphabet() {
        let p = generate();
        let v = p.verifier.secret();
        assert_eq!(v.len(), 43);
        assert!(v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)));
        assert_eq!(challenge_of(v), p.challenge);
        assert_ne!(generate().verifier.secret(), v, "random per run");
    }
}
