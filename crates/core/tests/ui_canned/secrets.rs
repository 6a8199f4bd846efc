//! The Secret Store screen's answers (`secrets.json`): core's use cases
//! (`console::secrets`, which the `secrets_*` commands call) run as a real
//! install against the sandbox's Secret Store: list, set, list again, find
//! with the payload, another scope, delete, and Stripe's refusal of a find
//! as the shell hands it to the UI.

use appdeck_core::console::request::LiveGuard;
use appdeck_core::console::secrets::{self, Scope, Sender, Sent};
use appdeck_core::installs;
use appdeck_core::secret::SecretPayload;

use crate::canned::Canned;
use crate::install::{loopback_install, project, Streamed};
use crate::scrub::Scrub;

/// The typed answer of a call Stripe accepted.
fn accepted<T>(sent: Sent<T>) -> T {
    let call = sent.unwrap_or_else(|e| panic!("no answer: {e}"));
    let status = call.response.status;
    call.result
        .unwrap_or_else(|e| panic!("{status}: {e}: {}", call.response.body))
}

#[tokio::test]
async fn secret_store_screen() {
    let mut scrub = Scrub::new();
    let (_proj, env, app) = project(&mut scrub).await;
    let mut out = Canned::new("secrets");
    let (_, outcome) = loopback_install(&env, &app, &Streamed::default(), None).await;
    out.put("installs", &installs::list(&env.ctx).unwrap());
    let inst = outcome.install.install.as_str();
    let (guard, policy) = (LiveGuard::default(), env.ctx.retry);
    let via = Sender {
        ctx: &env.ctx,
        guard: &guard,
        policy: &policy,
    };
    let account = Scope::Account;

    out.put(
        "listEmpty",
        &accepted(secrets::list(&via, inst, &account, None).await),
    );
    let payload = SecretPayload::new("s3cret");
    let set = secrets::set(&via, inst, &account, "gh_token", &payload, None).await;
    out.put("set", &accepted(set));
    out.put(
        "listOne",
        &accepted(secrets::list(&via, inst, &account, None).await),
    );
    out.put(
        "find",
        &accepted(secrets::find(&via, inst, &account, "gh_token").await),
    );
    let user = Scope::User {
        user: "usr_1".into(),
    };
    out.put(
        "listUser",
        &accepted(secrets::list(&via, inst, &user, None).await),
    );
    out.put(
        "delete",
        &accepted(secrets::delete(&via, inst, &account, "gh_token").await),
    );
    let missing = secrets::find(&via, inst, &account, "gh_token").await;
    let refused = missing.unwrap().result.expect_err("the secret is gone");
    out.error("findMissing", &refused);
    out.write(&mut scrub);
}
