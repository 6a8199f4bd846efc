//! The Secret Store use cases against the sandbox, as an install: set, find
//! (with its payload), list by scope, delete; Stripe's refusal is an
//! `api-error`; every call is in the history, its payload never.

use appdeck_core::console::history;
use appdeck_core::console::request::LiveGuard;
use appdeck_core::console::secrets::{self, Scope, Sender};
use appdeck_core::error::{Coded, ErrorCode};
use appdeck_core::secret::SecretPayload;

use crate::installed;
use crate::support::*;

fn names(list: &secrets::SecretList) -> Vec<&str> {
    list.data.iter().map(|s| s.name.as_str()).collect()
}

#[tokio::test]
async fn set_find_list_delete_by_scope_and_the_history_never_holds_the_payload() {
    let env = env(true).await;
    let install = installed(&env).await;
    let (guard, policy) = (LiveGuard::default(), env.ctx.retry);
    let via = Sender {
        ctx: &env.ctx,
        guard: &guard,
        policy: &policy,
    };
    let account = Scope::Account;
    let user = Scope::User {
        user: "usr_core_test_1".into(),
    };
    let payload = "ghp_core_test_payload_0123456789";

    let set = secrets::set(
        &via,
        &install,
        &account,
        "github",
        &SecretPayload::new(payload),
        None,
    )
    .await
    .unwrap();
    assert!(set.unrecorded.is_none(), "the call is in the history");
    let stored = set.result.unwrap();
    assert_eq!(
        (stored.name.as_str(), stored.scope.clone()),
        ("github", Scope::Account)
    );
    assert!(stored.payload.is_none(), "a set does not echo the payload");

    let found = secrets::find(&via, &install, &account, "github")
        .await
        .unwrap();
    let found = found.result.unwrap();
    assert_eq!(found.payload.as_ref().map(|p| p.as_str()), Some(payload));

    let per_user = SecretPayload::new("per_user_value_0123");
    let at = 4_102_444_800;
    let session = secrets::set(&via, &install, &user, "session", &per_user, Some(at))
        .await
        .unwrap()
        .result
        .unwrap();
    assert_eq!(session.expires_at, Some(at));
    let listed = secrets::list(&via, &install, &account, Some(100))
        .await
        .unwrap();
    assert_eq!(
        names(&listed.result.unwrap()),
        ["github"],
        "account scope only"
    );
    let listed = secrets::list(&via, &install, &user, None).await.unwrap();
    assert_eq!(
        names(&listed.result.unwrap()),
        ["session"],
        "the user's scope only"
    );

    let gone = secrets::delete(&via, &install, &account, "github")
        .await
        .unwrap();
    assert!(gone.result.unwrap().deleted);
    let again = secrets::find(&via, &install, &account, "github")
        .await
        .unwrap();
    assert_eq!(again.response.status, 404);
    let refused = again.result.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::ApiError);
    assert!(
        refused.to_string().contains("resource_missing"),
        "Stripe's words: {refused}"
    );

    let entries = history::search(&env.ctx, "secrets").unwrap();
    assert_eq!(entries.len(), 7, "every call is recorded");
    let json = serde_json::to_string(&entries).unwrap();
    assert!(
        json.contains("[redacted]"),
        "the set's payload row is kept, blanked"
    );
    for entry in std::fs::read_dir(env.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(
                !text.contains(payload) && !text.contains(per_user.secret()),
                "{} holds a payload",
                path.display()
            );
        }
    }
}

#[tokio::test]
async fn a_call_that_cannot_be_made_is_the_consoles_error() {
    let env = env(true).await;
    let (guard, policy) = (LiveGuard::default(), env.ctx.retry);
    let via = Sender {
        ctx: &env.ctx,
        guard: &guard,
        policy: &policy,
    };
    let err = secrets::list(&via, "inst_nope", &Scope::Account, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InstallNotFound);
    assert!(
        history::search(&env.ctx, "").unwrap().is_empty(),
        "nothing was sent"
    );
}
