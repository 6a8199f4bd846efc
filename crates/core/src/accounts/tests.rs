//! Unit tests of account profiles: keys by prefix, the keychain and the
//! file, kinds, the local sandbox's account.

use super::*;
use crate::context::LocalSandbox;
use crate::keychain::MemoryStore;
use std::sync::Arc;

fn ctx(dir: &std::path::Path) -> Context {
    Context::new(dir.to_path_buf(), Arc::new(MemoryStore::new()))
}

#[test]
fn keys_are_classified_by_prefix() {
    assert_eq!(
        classify_key("sk_test_1234567890abcdef").unwrap(),
        (Mode::Test, CredentialKind::SecretKey)
    );
    assert_eq!(
        classify_key("rk_live_fake_unit_test_key_01").unwrap(),
        (Mode::Live, CredentialKind::RestrictedKey)
    );
    assert!(classify_key("pk_test_1234567890abcdef").is_err());
    assert!(classify_key("sk_1234567890abcdef").is_err());
    assert!(classify_key("sk_test_ab cd_1234567890").is_err());
}

#[tokio::test]
async fn add_skip_check_stores_key_in_keychain_not_in_file() {
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(dir.path());
    let key = "sk_test_abcdefghijklmnop1234";
    let skip = AddOptions {
        skip_check: true,
        ..Default::default()
    };
    let p = add(&c, "qa-1", ApiKey::new(key), &skip).await.unwrap();
    assert_eq!(p.kind, AccountKind::Test);
    assert_eq!(p.mode, Mode::Test);
    let on_disk = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
    assert!(
        !on_disk.contains("abcdefghijklmnop"),
        "no secret in accounts.json"
    );
    assert_eq!(api_key(&c, &p).unwrap().secret(), key);
    assert_eq!(list(&c).unwrap().current.as_deref(), Some("qa-1"));
    assert_eq!(
        add(&c, "qa-1", ApiKey::new(key), &skip)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::AccountExists
    );
    assert_eq!(
        add(&c, "bad name", ApiKey::new(key), &skip)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::InvalidInput
    );
    remove(&c, "qa-1").unwrap();
    assert!(
        c.secrets.get(&key_ref(&p)).unwrap().is_none(),
        "keychain entry deleted"
    );
    assert_eq!(
        remove(&c, "qa-1").unwrap_err().code(),
        ErrorCode::AccountNotFound
    );
}

#[tokio::test]
async fn a_declared_sandbox_is_test_mode_of_kind_sandbox_and_never_live() {
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(dir.path());
    let sandbox = AddOptions {
        skip_check: true,
        sandbox: true,
        ..Default::default()
    };
    let p = add(
        &c,
        "sbx",
        ApiKey::new("sk_test_sandbox_key_0123456"),
        &sandbox,
    )
    .await
    .unwrap();
    assert_eq!((p.mode, p.kind), (Mode::Test, AccountKind::Sandbox));
    assert_eq!(
        get(&c, "sbx").unwrap().kind,
        AccountKind::Sandbox,
        "kept on disk"
    );
    let live = add(
        &c,
        "l",
        ApiKey::new("sk_live_fake_kind_test_key_01"),
        &sandbox,
    )
    .await;
    assert_eq!(live.unwrap_err().code(), ErrorCode::InvalidInput);
}

#[test]
fn profiles_saved_before_kinds_take_the_kind_of_their_mode() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(FILE),
        r#"{"current":null,"accounts":[{"name":"old","account_id":"acct_1","mode":"live","credential":"secret-key","api_base":"https://api.stripe.com","display_name":null,"added_at":""}]}"#,
    )
    .unwrap();
    assert_eq!(
        get(&ctx(dir.path()), "old").unwrap().kind,
        AccountKind::Live
    );
}

#[test]
fn local_sandbox_account_is_listed_without_setup() {
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(dir.path()).with_local(LocalSandbox {
        base_url: "http://127.0.0.1:1".into(),
        account_id: "acct_local".into(),
        secret_key: ApiKey::new("sk_test_local_abcdefghij"),
        app: None,
    });
    let v = list(&c).unwrap();
    assert_eq!(v.current.as_deref(), Some(LOCAL_ACCOUNT));
    assert_eq!(v.accounts[0].mode, Mode::Local);
    let p = resolve(&c, None).unwrap();
    assert_eq!(
        api_key(&c, &p).unwrap().secret(),
        "sk_test_local_abcdefghij"
    );
    assert!(!dir.path().join(FILE).exists(), "listing writes nothing");
}
