//! `GET /v1/account`: the account the caller acts on (for an app token, the
//! installing account). Needs no permission: every key may see its account.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::Extension;

use crate::http::auth::ApiCtx;
use crate::http::errors::ApiError;
use crate::http::json_value;
use crate::shapes;
use crate::state::Shared;

pub async fn retrieve(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
) -> Result<Response, ApiError> {
    let account = s
        .read(|w| w.accounts.get(&ctx.account).cloned())
        .ok_or_else(|| ApiError::missing("account", &ctx.account, "account"))?;
    Ok(json_value(&shapes::account(&account)))
}
