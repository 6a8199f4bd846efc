//! The Providers screen's answers (`providers.json`): a provider added as the
//! form sends it (its client secret to the keychain), a PKCE login of a public
//! client against the sandbox's OAuth provider (which takes public clients
//! only) with its timeline, and the Dashboard's redirect URLs for an app.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use appdeck_core::oauth::provider::{self, ProviderConfig};
use appdeck_core::oauth::timeline::TimelineStep;
use appdeck_core::qa::browser;
use appdeck_core::secret::ClientSecret;
use tokio_util::sync::CancellationToken;

use crate::canned::Canned;
use crate::scrub::Scrub;
use crate::support::sandboxed;

/// RFC 7636 appendix B: the stand-ins of a run's verifier and challenge,
/// a pair that still matches (S256).
const RFC7636_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC7636_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
/// The stand-in of the login's ephemeral loopback port.
const CALLBACK_PORT: u16 = 49152;

#[tokio::test]
async fn providers_screen() {
    let mut scrub = Scrub::new();
    let env = sandboxed(&mut scrub, None, true).await;
    let ctx = &env.ctx;
    let mut out = Canned::new("providers");
    let base = &env.info.base_url;
    let config = |name: &str, client_id: &str| ProviderConfig {
        name: name.into(),
        authorize_url: format!("{base}/provider/authorize"),
        token_url: format!("{base}/provider/token"),
        client_id: client_id.into(),
        scopes: vec!["repo".into(), "read:user".into()],
        params: vec![("access_type".into(), "offline".into())],
        has_client_secret: false,
        access_expires_at: None,
        logged_in_at: None,
        has_refresh_token: false,
    };
    let secret = Some(ClientSecret::new("shh"));
    let added = provider::add(ctx, config("gh", "Iv1.abc"), secret).unwrap();
    assert!(added.has_client_secret);
    out.put("added", &added);
    out.put("listed", &provider::list(ctx).unwrap());
    provider::add(ctx, config("files", "appdeck-ui"), None).unwrap();
    out.put("listedWithPublic", &provider::list(ctx).unwrap());

    let steps: Arc<Mutex<Vec<TimelineStep>>> = Arc::default();
    let seen = steps.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<String>();
    let consent = tokio::spawn(async move {
        let url = rx.await.expect("the authorize URL");
        browser::follow_redirects(&browser::client(), &url, None).await
    });
    let login = provider::login(
        ctx,
        "files",
        Duration::from_secs(10),
        &CancellationToken::new(),
        Some(Box::new(move |s: &TimelineStep| {
            seen.lock().unwrap().push(s.clone())
        })),
        move |url| tx.send(url.to_string()).expect("the browser waits"),
    )
    .await
    .unwrap_or_else(|f| panic!("{}", f.error));
    consent
        .await
        .unwrap()
        .expect("the browser lands on the callback");
    scrub
        .literal(login.pkce.code_verifier.clone(), RFC7636_VERIFIER)
        .literal(login.pkce.code_challenge.clone(), RFC7636_CHALLENGE)
        .literal(login.pkce.state.clone(), "state-of-the-login")
        .port_of(&login.pkce.redirect_uri, CALLBACK_PORT);
    let streamed = steps.lock().unwrap().clone();
    assert!(streamed.len() > 3, "the login streams its steps");
    out.put("loginSteps", &streamed);
    out.put("login", &login);
    out.put("listedAfterLogin", &provider::list(ctx).unwrap());

    out.put(
        "dashboardRedirectUrls",
        &provider::dashboard_redirect_urls("com.example.app").to_vec(),
    );

    out.write(&mut scrub);
}
