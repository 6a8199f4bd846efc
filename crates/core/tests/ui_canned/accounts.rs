//! The Accounts screen's and status bar's answers (`accounts.json`): the
//! profiles core lists with the embedded sandbox running, adding a live and a
//! test key (checked against the sandbox, as against Stripe; the live one
//! unchecked, as the sandbox refuses live keys), a key the
//! server rejects, a malformed one, switching and removing.

use appdeck_core::accounts::{self, AddOptions};
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::secret::ApiKey;

use crate::canned::Canned;
use crate::scrub::Scrub;
use crate::support::sandboxed;

#[tokio::test]
async fn accounts_and_modes() {
    let mut scrub = Scrub::new();
    let env = sandboxed(&mut scrub, None, false).await;
    let ctx = &env.ctx;
    let mut out = Canned::new("accounts");
    let checked = AddOptions {
        api_base: Some(env.info.base_url.clone()),
        ..AddOptions::default()
    };
    out.put("localOnly", &accounts::list(ctx).unwrap());

    // The sandbox runs in test mode only and tests reach no other server:
    // a live key is added unchecked (`--skip-check`), against Stripe's base.
    let unchecked = AddOptions {
        skip_check: true,
        ..AddOptions::default()
    };
    let live_key = ApiKey::new("sk_live_fake_key_for_ui_01");
    let prod = accounts::add(ctx, "prod", live_key, &unchecked)
        .await
        .unwrap();
    out.put("prodAdded", &prod);
    out.put("withProd", &accounts::list(ctx).unwrap());
    accounts::use_account(ctx, "prod").unwrap();
    let current = accounts::list(ctx).unwrap();
    assert_eq!(current.current.as_deref(), Some("prod"));
    out.put("prodCurrent", &current);
    accounts::use_account(ctx, "local").unwrap();
    accounts::remove(ctx, "prod").unwrap();

    let install = &env.info.accounts[0];
    let qa = accounts::add(ctx, "qa", ApiKey::new(&install.secret_key), &checked)
        .await
        .unwrap();
    out.put("qaAdded", &qa);
    out.put("withQa", &accounts::list(ctx).unwrap());
    accounts::use_account(ctx, "qa").unwrap();
    out.put("qaCurrent", &accounts::list(ctx).unwrap());
    accounts::remove(ctx, "qa").unwrap();
    out.put("qaRemoved", &accounts::list(ctx).unwrap());

    let unknown = ApiKey::new("sk_test_unknown_key_0001");
    let rejected = accounts::add(ctx, "bad", unknown, &checked)
        .await
        .unwrap_err();
    assert_eq!(rejected.code(), ErrorCode::KeyRejected);
    out.error("keyRejected", &rejected);
    let malformed = accounts::add(ctx, "bad", ApiKey::new("not-a-key"), &checked)
        .await
        .unwrap_err();
    assert_eq!(malformed.code(), ErrorCode::InvalidInput);
    out.error("notAKey", &malformed);

    out.write(&mut scrub);
}
