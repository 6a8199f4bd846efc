//! Records sealed at rest. Given a [`DataKey`], every record the sandbox
//! stores is encrypted with XChaCha20-Poly1305 and filed under a keyed digest
//! of its name, so the database file holds no API key, token, signing secret
//! or Secret Store payload in plaintext, nor the token strings that records are
//! looked up by.
//!
//! A sealed record: database key `"{table}/~{hex(HMAC-SHA256(name key,
//! "{table}/{id}"))[..32]}"`; value `MAGIC ‖ nonce (24 bytes) ‖ ciphertext`,
//! whose plaintext is `len(id) (u32 LE) ‖ id ‖ record JSON` and whose
//! associated data is the database key, so a record moved to another slot
//! fails to open instead of loading as something else.
//!
//! Invariants: the two working keys are derived from the data key (one for
//! encryption, one for names) and never leave this module; a value that fails
//! to open is an error for the caller, never skipped; a fresh random nonce per
//! write (24 bytes, so random nonces never collide in practice).
//!
//! Why: the desktop app keeps its embedded sandbox's data under the user's
//! config directory, which Appdeck promises never holds a secret in plaintext;
//! the data key itself lives in the OS keychain, where the embedder keeps it.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The first bytes of a sealed value; a plaintext record is JSON (`{`).
const MAGIC: &[u8; 4] = b"\x00ads";
const NONCE_LEN: usize = 24;

/// 32 secret bytes that seal a sandbox's data dir. `Debug` never shows them.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(****)")
    }
}

impl DataKey {
    /// Reads the 64 hex digits the embedder keeps (in the OS keychain).
    pub fn from_hex(hex_key: &str) -> Result<Self, String> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|e| format!("the sandbox data key is not hex: {e}"))?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "the sandbox data key has {} bytes; it must have 32",
                b.len()
            )
        })?;
        Ok(DataKey(bytes))
    }

    /// A new random key, as the 64 hex digits to keep.
    pub fn generate_hex() -> String {
        hex::encode(rand::random::<[u8; 32]>())
    }
}

/// A sealed value did not open: another key sealed it, it was filed under
/// another slot, or its bytes were changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected;

/// The working keys derived from a [`DataKey`].
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    names: Hmac<Sha256>,
}

fn derive(key: &DataKey, label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0).expect("HMAC takes any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl Sealer {
    pub fn new(key: &DataKey) -> Self {
        let enc = derive(key, b"appdeck-sandbox seal v1: records");
        let names = derive(key, b"appdeck-sandbox seal v1: names");
        Sealer {
            cipher: XChaCha20Poly1305::new(Key::from_slice(&enc)),
            names: <Hmac<Sha256> as Mac>::new_from_slice(&names)
                .expect("HMAC takes any key length"),
        }
    }

    /// The database key a record is filed under.
    pub fn slot(&self, table: &str, id: &str) -> String {
        let mut mac = self.names.clone();
        mac.update(table.as_bytes());
        mac.update(b"/");
        mac.update(id.as_bytes());
        let digest = hex::encode(mac.finalize().into_bytes());
        format!("{table}/~{}", &digest[..32])
    }

    /// `MAGIC ‖ nonce ‖ ciphertext` of `(id, record)`, bound to `slot`.
    pub fn seal(&self, slot: &str, id: &str, record: &[u8]) -> Vec<u8> {
        let id_len = u32::try_from(id.len()).expect("ids are short");
        let mut plain = Vec::with_capacity(4 + id.len() + record.len());
        plain.extend_from_slice(&id_len.to_le_bytes());
        plain.extend_from_slice(id.as_bytes());
        plain.extend_from_slice(record);
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: slot.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any length that fits in memory");
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// The `(id, record)` sealed in `value` at `slot`.
    pub fn open(&self, slot: &str, value: &[u8]) -> Result<(String, Vec<u8>), Rejected> {
        let body = value.strip_prefix(MAGIC).ok_or(Rejected)?;
        if body.len() < NONCE_LEN {
            return Err(Rejected);
        }
        let (nonce, sealed) = body.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: slot.as_bytes(),
                },
            )
            .map_err(|_| Rejected)?;
        let (len, rest) = plain.split_at_checked(4).ok_or(Rejected)?;
        let len = u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize;
        let (id, record) = rest.split_at_checked(len).ok_or(Rejected)?;
        let id = String::from_utf8(id.to_vec()).map_err(|_| Rejected)?;
        Ok((id, record.to_vec()))
    }
}

/// Whether a stored value is sealed (rather than a plaintext JSON record).
pub fn is_sealed(value: &[u8]) -> bool {
    value.starts_with(MAGIC)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DataKey {
        DataKey::from_hex(&DataKey::generate_hex()).unwrap()
    }

    #[test]
    fn a_sealed_record_opens_only_with_its_key_and_slot() {
        let k = key();
        let s = Sealer::new(&k);
        let slot = s.slot("access", "tok_secret_value");
        assert!(!slot.contains("tok_secret_value"));
        let v = s.seal(
            &slot,
            "tok_secret_value",
            br#"{"token":"tok_secret_value"}"#,
        );
        assert!(is_sealed(&v));
        assert!(!v.windows(16).any(|w| w == b"tok_secret_value"));
        let (id, rec) = s.open(&slot, &v).unwrap();
        assert_eq!(id, "tok_secret_value");
        assert_eq!(rec, br#"{"token":"tok_secret_value"}"#);

        let other = Sealer::new(&key());
        assert_eq!(other.open(&slot, &v), Err(Rejected));
        let moved = s.slot("access", "another");
        assert_eq!(s.open(&moved, &v), Err(Rejected));
        let mut flipped = v.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(s.open(&slot, &flipped), Err(Rejected));
        assert_eq!(s.open(&slot, &v[..10]), Err(Rejected));
    }

    #[test]
    fn slots_are_stable_per_key_and_distinct_per_name() {
        let k = key();
        let (a, b) = (Sealer::new(&k), Sealer::new(&k));
        assert_eq!(a.slot("object", "cus_1"), b.slot("object", "cus_1"));
        assert_ne!(a.slot("object", "cus_1"), a.slot("object", "cus_2"));
        assert_ne!(a.slot("object", "cus_1"), a.slot("account", "cus_1"));
        assert!(a.slot("object", "cus_1").starts_with("object/~"));
    }

    #[test]
    fn keys_parse_from_64_hex_digits_only_and_never_print() {
        assert!(DataKey::from_hex("zz").is_err());
        assert!(DataKey::from_hex(&"ab".repeat(16)).is_err());
        let hex_key = DataKey::generate_hex();
        assert_eq!(hex_key.len(), 64);
        let k = DataKey::from_hex(&hex_key).unwrap();
        assert_eq!(format!("{k:?}"), "DataKey(****)");
        assert!(!is_sealed(b"{\"id\":1}"));
    }
}
