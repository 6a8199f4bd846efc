//! The OS keychain for real: a Secret Service (gnome-keyring in CI, under
//! dbus-run-session with an unlocked throwaway keyring). Values stored through
//! Appdeck are readable with `secret-tool`, i.e. they are in the real keychain.
//!
//! Without a Secret Service these tests say so loudly and pass, except under
//! CI=true, where the keychain is part of what must be proven.

use std::process::Command;

use appdeck_core::keychain::{KeychainError, Mode, OsKeychain, SecretKind, SecretRef, SecretStore};

fn keychain_or_skip(service: &str) -> Option<OsKeychain> {
    let k = OsKeychain::new(service);
    match k.probe() {
        Ok(()) => Some(k),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI must run with a Secret Service (dbus-run-session + gnome-keyring): {e}")
        }
        Err(e) => {
            eprintln!("\n*** SKIPPED: no usable OS keychain here ({e}); run under dbus-run-session with gnome-keyring to test it ***\n");
            None
        }
    }
}

fn unique_service() -> String {
    format!("appdeck-test-{}-{}", std::process::id(), rand_suffix())
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

#[test]
fn set_get_delete_round_trip_visible_to_secret_tool() {
    let service = unique_service();
    let Some(k) = keychain_or_skip(&service) else {
        return;
    };
    let at = SecretRef::new(SecretKind::RefreshToken, Mode::Test, "inst_keychain_test");
    let value = "rt_test_value_0123456789abcdef";
    k.set(&at, value).unwrap();
    assert_eq!(k.get(&at).unwrap().unwrap().secret(), value);
    let out = Command::new("secret-tool")
        .args(["lookup", "service", &service, "username", &at.user()])
        .output()
        .expect("secret-tool (package libsecret-tools) is installed");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        value,
        "secret-tool reads what Appdeck stored"
    );
    k.delete(&at).unwrap();
    assert!(k.get(&at).unwrap().is_none());
    k.delete(&at).expect("deleting a missing entry is fine");
}

#[test]
fn test_and_live_entries_are_separate() {
    let service = unique_service();
    let Some(k) = keychain_or_skip(&service) else {
        return;
    };
    let t = SecretRef::new(SecretKind::SecretKey, Mode::Test, "acct");
    let l = SecretRef::new(SecretKind::SecretKey, Mode::Live, "acct");
    k.set(&t, "sk_test_aaaaaaaaaaaaaaaa").unwrap();
    k.set(&l, "sk_live_fake_keychain_test_b").unwrap();
    assert_eq!(
        k.get(&t).unwrap().unwrap().secret(),
        "sk_test_aaaaaaaaaaaaaaaa"
    );
    assert_eq!(
        k.get(&l).unwrap().unwrap().secret(),
        "sk_live_fake_keychain_test_b"
    );
    k.delete(&t).unwrap();
    k.delete(&l).unwrap();
    let _ = KeychainError::Locked; // codes are covered by unit tests
}
