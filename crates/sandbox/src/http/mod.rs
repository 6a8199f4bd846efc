//! The HTTP surface: the router, the outer layer every request passes through
//! (faults, `Request-Id`, request log), and small shared extractors.
//!
//! Layers, outermost first: `outer` (all routes) → on `/v1` routes `auth::layer`
//! → `idempotency::layer` → handler. The control API (`/_appdeck/…`) has its
//! own loopback guard and is neither logged nor subject to faults.
//!
//! Invariant: every response, errors and fallbacks included, carries a fresh
//! `Request-Id: req_…`.

pub mod auth;
pub mod errors;
pub mod form;
pub mod idempotency;
pub mod pagination;
pub mod permissions;
pub mod ratelimit;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, OriginalUri, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{Map, Value};

use crate::faults::FaultKind;
use crate::requestlog::Entry;
use crate::routes;
use crate::state::Shared;
use errors::ApiError;

/// Form (body) and query parameters of a request, query first.
pub struct Params(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let query = form::decode(req.uri().query().unwrap_or("").as_bytes())
            .map_err(|e| ApiError::invalid(e.0))?;
        if req.method() == Method::GET || req.method() == Method::DELETE {
            return Ok(Params(query));
        }
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::invalid(format!("Unreadable request body: {e}")))?;
        form::decode_into(query, &body)
            .map(Params)
            .map_err(|e| ApiError::invalid(e.0))
    }
}

/// A 200 JSON response from bytes.
pub fn json_bytes(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// A 200 JSON response from a value.
pub fn json_value(value: &Value) -> Response {
    json_bytes(
        StatusCode::OK,
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

pub fn router(s: Arc<Shared>) -> Router {
    use routes::*;
    let api = Router::new()
        .route("/v1/account", get(account::retrieve))
        .route(
            "/v1/customers",
            get(customers::list).post(customers::create),
        )
        .route("/v1/customers/search", get(customers::search))
        .route(
            "/v1/customers/{id}",
            get(customers::retrieve)
                .post(customers::update)
                .delete(customers::delete),
        )
        .route("/v1/products", get(products::list).post(products::create))
        .route(
            "/v1/products/{id}",
            get(products::retrieve)
                .post(products::update)
                .delete(products::delete),
        )
        .route("/v1/prices", get(prices::list).post(prices::create))
        .route(
            "/v1/prices/{id}",
            get(prices::retrieve).post(prices::update),
        )
        .route("/v1/apps/secrets", get(secrets::list).post(secrets::create))
        .route("/v1/apps/secrets/find", get(secrets::find))
        .route("/v1/apps/secrets/delete", post(secrets::delete))
        .route("/v1/events", get(events::list))
        .route("/v1/events/{id}", get(events::retrieve))
        .route(
            "/v1/webhook_endpoints",
            get(webhook_endpoints::list).post(webhook_endpoints::create),
        )
        .route(
            "/v1/webhook_endpoints/{id}",
            get(webhook_endpoints::retrieve)
                .post(webhook_endpoints::update)
                .delete(webhook_endpoints::delete),
        )
        .route_layer(from_fn_with_state(s.clone(), idempotency::layer))
        .route_layer(from_fn_with_state(s.clone(), auth::layer));
    let install = Router::new()
        .route("/v1/oauth/token", post(oauth_token::token))
        .route("/oauth/v2/authorize", get(authorize::authorize))
        .route(
            "/oauth/v2/{channel}/authorize",
            get(authorize::authorize_channel),
        )
        .route("/oauth/v2/consent", post(authorize::decide))
        .route("/apps/install/link/{app}", get(install_link::link))
        .route("/provider/authorize", get(provider::authorize))
        .route("/provider/consent", post(provider::consent))
        .route("/provider/token", post(provider::token));
    Router::new()
        .merge(api)
        .merge(install)
        .nest("/_appdeck", control::router(s.clone()))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(from_fn_with_state(s.clone(), outer))
        .with_state(s)
}

async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::no_route(method.as_str(), uri.path())
}

/// The `Request-Id` of the request being handled (in its extensions), so
/// the events it causes can name it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Faults, `Request-Id`, request log.
async fn outer(State(s): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = crate::ids::request_id();
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let control = req.uri().path().starts_with("/_appdeck/");
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let fault = if control {
        None
    } else {
        s.faults.take(method.as_str(), &path)
    };
    let mut response = match fault {
        Some(FaultKind::Status { status }) => fault_response(status),
        Some(FaultKind::Drop) => dropped_connection(),
        Some(FaultKind::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        None => next.run(req).await,
    };
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("request-id", v);
    }
    if !control {
        let account = response
            .extensions()
            .get::<auth::LoggedAccount>()
            .map(|a| a.0.clone());
        s.log.push(Entry {
            request_id,
            method: method.to_string(),
            path,
            status: response.status().as_u16(),
            account,
            ms: started.elapsed().as_secs_f64() * 1000.0,
            at: s.clock.now(),
        });
    }
    response
}

fn fault_response(status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if code == StatusCode::TOO_MANY_REQUESTS {
        return ApiError::rate_limited().into_response();
    }
    let mut e =
        ApiError::server("An injected fault: the sandbox answered with an error on purpose.");
    e.status = code;
    e.kind = if code.is_server_error() {
        "api_error"
    } else {
        "invalid_request_error"
    };
    e.into_response()
}

/// A response whose body fails at once: hyper then closes the connection
/// without completing the message, which clients see as a dropped connection.
fn dropped_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected fault: connection dropped",
        ))
    });
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::permissions::ROUTES;

    #[test]
    fn every_v1_route_has_a_permission_row() {
        let source = include_str!("mod.rs");
        let api = source.split("let install").next().unwrap_or_default();
        for line in api.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix(".route(\"") {
                let path = rest.split('"').next().unwrap_or_default();
                assert!(
                    ROUTES.iter().any(|(_, r, _)| *r == path),
                    "route {path} has no row in permissions::ROUTES"
                );
            }
        }
    }
}
