//! Platform install links: `GET /apps/install/link/{app id}?redirect_uri=&state=`.
//!
//! The same consent page as OAuth; on Accept the redirect carries, in the
//! order of Stripe's example (/stripe-apps/install-links), `user_id`,
//! `account_id`, `state` (when given), `install_signature` (`t=…,v1=…` over
//! `{"state":…,"user_id":…,"account_id":…}` signed with the app's `absec_…`)
//! and `livemode=false`: the docs append it to test-mode installs only (a live
//! install carries no `livemode`), and every sandbox install is test mode.
//! OAuth apps are sent to their authorize URL instead.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::authorize::begin;
use crate::pages::consent;
use crate::state::{Flow, Shared};

pub async fn link(
    State(s): State<Arc<Shared>>,
    Path(app_id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(app) = s.read(|w| w.apps.get(&app_id).cloned()) else {
        return consent::error(
            StatusCode::NOT_FOUND,
            "This install link is not valid",
            &format!("No app {app_id} is registered in this sandbox."),
        );
    };
    if app.access_type == "oauth" {
        return consent::error(
            StatusCode::BAD_REQUEST,
            "This install link is not valid",
            &format!(
                "{} uses OAuth: install it with /oauth/v2/authorize?client_id={}.",
                app.id, app.client_id
            ),
        );
    }
    begin(&s, &app, &q, Flow::InstallLink)
}
