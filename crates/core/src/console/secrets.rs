//! The Secret Store of an installed app (stripe-apps.md §6): list, find (with
//! payload), set (create or replace), delete, by scope (`account`, or `user`
//! with a user id), as the install. One function per operation, called by the
//! desktop's commands and the CLI's `secrets` verbs alike: it builds the
//! `/v1/apps/secrets*` request, sends it through the console (live-write
//! guard, retries, token refresh), records it in the history, and reads
//! Stripe's answer into a typed value or a coded refusal.
//!
//! Invariants: the payload travels in from the caller as a [`SecretPayload`]
//! and out only on an explicit find, as a [`RevealedPayload`] (app data the
//! developer asked to see; its `Debug` is redacted, so no log line shows it).
//! The history never holds it: `history::redact` blanks every `payload`
//! parameter, and no response body is stored. A non-2xx answer is an
//! `api-error` carrying Stripe's type, code, message and Request-Id.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::history;
use super::request::{send_with, ApiRequest, ApiResponse, AuthAs, ConsoleError, LiveGuard};
use super::retry::RetryPolicy;
use crate::context::Context;
use crate::error::{Coded, ErrorCode};
use crate::secret::SecretPayload;
use crate::store::StoreError;

/// Whose secrets within the install's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "lowercase")]
#[ts(export, export_to = "SecretScope.ts", rename = "SecretScope")]
pub enum Scope {
    /// Shared by the account's users.
    Account,
    /// One user's (`usr_…`).
    User { user: String },
}

impl Scope {
    fn rows(&self) -> Vec<(String, String)> {
        match self {
            Scope::Account => vec![("scope[type]".into(), "account".into())],
            Scope::User { user } => vec![
                ("scope[type]".into(), "user".into()),
                ("scope[user]".into(), user.clone()),
            ],
        }
    }
}

/// A payload Stripe returned to an explicit find: serializable (to the screen
/// or the stdout that asked for it), never shown by `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RevealedPayload(String);

impl RevealedPayload {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RevealedPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevealedPayload([redacted])")
    }
}

/// An `apps.secret` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "StoredSecret.ts")]
pub struct StoredSecret {
    pub id: String,
    pub name: String,
    #[ts(type = "number")]
    pub created: i64,
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub livemode: bool,
    /// True in the answer to a delete.
    #[serde(default)]
    pub deleted: bool,
    pub scope: Scope,
    /// Only in the answer to a find, which asks for it (`expand[]=payload`).
    #[serde(default)]
    #[ts(type = "string | null")]
    pub payload: Option<RevealedPayload>,
}

/// One page of a scope's secrets (no payloads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "SecretList.ts")]
pub struct SecretList {
    pub data: Vec<StoredSecret>,
    pub has_more: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// Stripe answered with an error.
    #[error("Stripe answered {status} {label}: {message}")]
    Refused {
        status: u16,
        label: String,
        message: String,
    },
    /// A 2xx answer that is not the object the operation returns.
    #[error("Stripe's answer to {call} is not {what}: {why}")]
    Unexpected {
        call: String,
        what: &'static str,
        why: String,
    },
}

impl Coded for SecretsError {
    fn code(&self) -> ErrorCode {
        match self {
            SecretsError::Refused { .. } => ErrorCode::ApiError,
            SecretsError::Unexpected { .. } => ErrorCode::Internal,
        }
    }
}

/// How calls are sent: the core context, the session's live-write guard and
/// the retry policy (the desktop's session, or the CLI's flags).
pub struct Sender<'a> {
    pub ctx: &'a Context,
    pub guard: &'a LiveGuard,
    pub policy: &'a RetryPolicy,
}

/// One call as it went: sent, answered and recorded; what the answer means
/// is `result`. The request holds the payload of a set: the caller's own
/// output may use it, nothing stores it.
#[derive(Debug)]
pub struct SecretCall<T> {
    pub request: ApiRequest,
    pub response: ApiResponse,
    pub result: Result<T, SecretsError>,
    /// Why the call is missing from the history, when recording it failed
    /// (the answer is not lost for that).
    pub unrecorded: Option<StoreError>,
}

/// What a call that got no answer fails with.
pub type Sent<T> = Result<SecretCall<T>, ConsoleError>;

/// A page of the scope's secrets (`limit`: 1–100, Stripe's default 10).
pub async fn list(
    via: &Sender<'_>,
    install: &str,
    scope: &Scope,
    limit: Option<u32>,
) -> Sent<SecretList> {
    call(via, list_request(install, scope, limit), "a list").await
}

/// The secret named `name`, its payload included.
pub async fn find(
    via: &Sender<'_>,
    install: &str,
    scope: &Scope,
    name: &str,
) -> Sent<StoredSecret> {
    call(via, find_request(install, scope, name), "a secret").await
}

/// Creates the secret, or replaces the one of that name and scope.
pub async fn set(
    via: &Sender<'_>,
    install: &str,
    scope: &Scope,
    name: &str,
    payload: &SecretPayload,
    expires_at: Option<i64>,
) -> Sent<StoredSecret> {
    let req = set_request(install, scope, name, payload, expires_at);
    call(via, req, "a secret").await
}

/// Deletes the secret; the answer is the deleted object.
pub async fn delete(
    via: &Sender<'_>,
    install: &str,
    scope: &Scope,
    name: &str,
) -> Sent<StoredSecret> {
    call(via, delete_request(install, scope, name), "a secret").await
}

/// The request [`list`] sends; public, like the other three, for a caller's
/// pre-flight check (the CLI warns when the manifest lacks its permission).
pub fn list_request(install: &str, scope: &Scope, limit: Option<u32>) -> ApiRequest {
    let mut p = scope.rows();
    if let Some(l) = limit {
        p.push(("limit".into(), l.to_string()));
    }
    request("GET", "/v1/apps/secrets", install, p)
}

/// The request [`find`] sends.
pub fn find_request(install: &str, scope: &Scope, name: &str) -> ApiRequest {
    let mut p = vec![("name".into(), name.to_string())];
    p.extend(scope.rows());
    p.push(("expand[]".into(), "payload".into()));
    request("GET", "/v1/apps/secrets/find", install, p)
}

/// The request [`set`] sends.
pub fn set_request(
    install: &str,
    scope: &Scope,
    name: &str,
    payload: &SecretPayload,
    expires_at: Option<i64>,
) -> ApiRequest {
    let mut p = vec![
        ("name".into(), name.to_string()),
        ("payload".into(), payload.secret().to_string()),
    ];
    p.extend(scope.rows());
    if let Some(t) = expires_at {
        p.push(("expires_at".into(), t.to_string()));
    }
    request("POST", "/v1/apps/secrets", install, p)
}

/// The request [`delete`] sends.
pub fn delete_request(install: &str, scope: &Scope, name: &str) -> ApiRequest {
    let mut p = vec![("name".into(), name.to_string())];
    p.extend(scope.rows());
    request("POST", "/v1/apps/secrets/delete", install, p)
}

fn request(method: &str, path: &str, install: &str, params: Vec<(String, String)>) -> ApiRequest {
    let auth = AuthAs::Install {
        install: install.into(),
    };
    ApiRequest {
        params,
        ..ApiRequest::new(method, path, &[], auth)
    }
}

async fn call<T: serde::de::DeserializeOwned>(
    via: &Sender<'_>,
    request: ApiRequest,
    what: &'static str,
) -> Sent<T> {
    let never = tokio_util::sync::CancellationToken::new();
    let response = send_with(via.ctx, &request, via.guard, via.policy, &never).await?;
    let unrecorded = history::record(via.ctx, &request, &response).err();
    let result = answer(&request, &response, what);
    Ok(SecretCall {
        request,
        response,
        result,
        unrecorded,
    })
}

/// The typed object of a 2xx answer, or Stripe's refusal.
fn answer<T: serde::de::DeserializeOwned>(
    request: &ApiRequest,
    response: &ApiResponse,
    what: &'static str,
) -> Result<T, SecretsError> {
    if !(200..300).contains(&response.status) {
        let (label, message) = response.error_summary();
        return Err(SecretsError::Refused {
            status: response.status,
            label,
            message,
        });
    }
    serde_json::from_str(&response.body).map_err(|e| SecretsError::Unexpected {
        call: format!("{} {}", request.method, request.path),
        what,
        why: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::Mode;

    fn response(status: u16, body: &str) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![],
            request_id: Some("req_1".into()),
            elapsed_ms: 1,
            body: body.into(),
            stripe_error: serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .and_then(|v| serde_json::from_value(v["error"].clone()).ok()),
            mode: Mode::Local,
            method: "GET".into(),
            url: "http://127.0.0.1:1/v1/apps/secrets/find?name=gh".into(),
            idempotency_key: None,
            refreshed: false,
            attempts: vec![],
        }
    }

    #[test]
    fn requests_follow_stripes_secret_store_shapes() {
        let user = Scope::User {
            user: "usr_1".into(),
        };
        let find = find_request("inst_1", &user, "gh");
        let body = crate::console::form::encode_rows(&find.params).unwrap();
        assert_eq!(
            body,
            "name=gh&scope[type]=user&scope[user]=usr_1&expand[0]=payload"
        );
        assert_eq!(
            find.auth,
            AuthAs::Install {
                install: "inst_1".into()
            },
            "as the install"
        );
        let set = set_request("i", &Scope::Account, "n", &SecretPayload::new("p"), Some(5));
        assert_eq!(
            (set.method.as_str(), set.path.as_str()),
            ("POST", "/v1/apps/secrets")
        );
        assert_eq!(
            crate::console::form::encode_rows(&set.params).unwrap(),
            "name=n&payload=p&scope[type]=account&expires_at=5"
        );
        let delete = delete_request("i", &Scope::Account, "n");
        assert_eq!(delete.path, "/v1/apps/secrets/delete");
        let list = list_request("i", &Scope::Account, Some(100));
        assert_eq!(
            (list.method.as_str(), list.path.as_str()),
            ("GET", "/v1/apps/secrets")
        );
        assert_eq!(
            list.params.last().unwrap(),
            &("limit".to_string(), "100".to_string())
        );
    }

    #[test]
    fn scopes_are_the_uis_tagged_objects() {
        let user = Scope::User {
            user: "usr_1".into(),
        };
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            serde_json::json!({"type": "user", "user": "usr_1"}),
            "the shape of Stripe's `scope` object, read back from answers too"
        );
        assert_eq!(
            serde_json::from_str::<Scope>(r#"{"type":"account"}"#).unwrap(),
            Scope::Account
        );
    }

    #[test]
    fn an_answer_becomes_a_typed_secret_whose_payload_debug_hides() {
        let req = request("GET", "/v1/apps/secrets/find", "inst_1", vec![]);
        let found: StoredSecret = answer(
            &req,
            &response(
                200,
                r#"{"id":"appsecret_1","object":"apps.secret","created":5,"expires_at":null,
                   "livemode":false,"name":"gh","scope":{"type":"account"},"payload":"tok_abc_123"}"#,
            ),
            "a secret",
        )
        .unwrap();
        assert_eq!(
            found.payload.as_ref().map(|p| p.as_str()),
            Some("tok_abc_123")
        );
        assert!(
            !format!("{found:?}").contains("tok_abc_123"),
            "Debug (what a log line would print) redacts the payload"
        );
        assert!(
            serde_json::to_string(&found)
                .unwrap()
                .contains("tok_abc_123"),
            "the explicit find returns it to whoever asked"
        );
        let listed: SecretList = answer(
            &req,
            &response(200, r#"{"object":"list","has_more":false,"data":[]}"#),
            "a list",
        )
        .unwrap();
        assert!(listed.data.is_empty());
    }

    #[test]
    fn a_refusal_is_an_api_error_with_stripes_words_and_a_bad_answer_is_internal() {
        let req = request("GET", "/v1/apps/secrets/find", "inst_1", vec![]);
        let refused = answer::<StoredSecret>(
            &req,
            &response(
                404,
                r#"{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such secret: 'gh'"}}"#,
            ),
            "a secret",
        )
        .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::ApiError);
        assert_eq!(
            refused.to_string(),
            "Stripe answered 404 invalid_request_error/resource_missing: No such secret: 'gh' (Request-Id req_1)"
        );
        let odd = answer::<StoredSecret>(&req, &response(200, "[]"), "a secret").unwrap_err();
        assert_eq!(odd.code(), ErrorCode::Internal);
        assert!(odd
            .to_string()
            .starts_with("Stripe's answer to GET /v1/apps/secrets/find is not a secret"));
    }
}
