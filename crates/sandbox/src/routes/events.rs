//! Events: `GET /v1/events` and `GET /v1/events/{id}`, and who sees the
//! install events an app developer watches to confirm an install from Stripe's
//! side.
//!
//! The contract (sources in docs/stripe-fidelity.md; "inferred" where Stripe's
//! docs are silent, with the stricter reading chosen):
//! - Installing an app records `account.application.authorized`, uninstalling
//!   it `account.application.deauthorized` ("Connect or install your app" /
//!   "Disconnect or uninstall your app", /stripe-apps/events), on the
//!   *installing* account: the event's `account` is that account ("the account
//!   ID of the merchant who triggers the event", /stripe-apps/build-backend),
//!   `livemode` is false (every sandbox install is test mode), and
//!   `data.object` is an `application` (/api/events/types): `id` is the app's
//!   client id (`ca_…`), `name` the app's id (inferred: the docs give no name
//!   for a Stripe App's application object).
//! - Who lists them with `GET /v1/events` (events are per account, like every
//!   Stripe object):
//!   - the installing account's own keys (stripe/stripe-apps#596: the
//!     uninstall event shows in the installing account's Events);
//!   - the developer's secret key with `Stripe-Account: <installing account>`
//!     while the app is installed there (/connect/authentication), and the
//!     app's OAuth token for that account; both act with the install's
//!     permissions, so they need `event_read` (/stripe-apps/events);
//!   - not the developer's key without `Stripe-Account`: its own list holds its
//!     own account's events (inferred: the docs deliver these to the
//!     developer's Connect webhook endpoint but never say its event list holds
//!     other accounts' events);
//!   - not another app's credentials on that account: the event types
//!     reference says "Sent to the related application only" (stricter
//!     reading: it applies to listing as to delivery);
//!   - after an uninstall the developer can no longer act on the account
//!     (`Stripe-Account` answers 403), so `deauthorized` is listed only by the
//!     account itself (a real Stripe client saw the same:
//!     integrallis/stripe_event#15).
//! - Every other event (a change to a customer, product, price…) is listed
//!   by the account's own keys, and by an app's credentials when the install
//!   lets the app receive its type (`event_read` plus one of the permissions
//!   Stripe's event table names: /stripe-apps/reference/permissions).
//! - Filters Stripe documents (/api/events/list): `type` (one type, or a
//!   group with `*` as a wildcard), `types[]` (up to 20 exact types; not with
//!   `type`), `created` (a timestamp, or `created[gt|gte|lt|lte]`),
//!   `delivery_success` (`false`: events with a webhook delivery still
//!   pending or given up on; `true`: the others, events no endpoint wanted
//!   included), `limit`, `starting_after`, `ending_before`. Newest first.
//!   Anything else is `parameter_unknown`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{Map, Value};

use super::{bool_filter, cursor_error, text};
use crate::events::types::{app_may_receive, wildcard};
use crate::http::auth::ApiCtx;
use crate::http::errors::ApiError;
use crate::http::{json_bytes, pagination, Params};
use crate::state::{Kind, Shared, StoredObject, World};

/// Stripe's documented maximum for `types[]`.
const MAX_TYPES: usize = 20;

pub async fn list(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Params(p): Params,
) -> Result<Response, ApiError> {
    let q = pagination::query(&p, &["type", "types", "created", "delivery_success"])?;
    super::check_expand(&crate::http::form::expand_list(&p), &[])?;
    let filter = Filter::from_params(&p)?;
    let body = s.read(|w| {
        let sees = Visibility::of(w, &ctx);
        // A cursor naming an event the caller may not see is "No such event",
        // exactly like an unknown id.
        for (param, id) in [
            ("starting_after", &q.starting_after),
            ("ending_before", &q.ending_before),
        ] {
            if let Some(id) = id {
                let visible = w
                    .objects
                    .get_in(&ctx.account, Kind::Event, id)
                    .is_some_and(|o| sees.event(&o.value()));
                if !visible {
                    return Err(ApiError::missing(Kind::Event.noun(), id, param));
                }
            }
        }
        let (items, more) = w
            .objects
            .page(&ctx.account, Kind::Event, &q, |o| {
                let v = o.value();
                sees.event(&v) && filter.keeps(w, &v)
            })
            .map_err(cursor_error(Kind::Event))?;
        Ok::<_, ApiError>(pagination::body(
            "/v1/events",
            items.iter().map(|o| &o.json[..]),
            more,
        ))
    })?;
    Ok(json_bytes(StatusCode::OK, body))
}

pub async fn retrieve(
    State(s): State<Arc<Shared>>,
    Extension(ctx): Extension<ApiCtx>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let body = s.read(|w| {
        w.objects
            .get_in(&ctx.account, Kind::Event, &id)
            .filter(|o| Visibility::of(w, &ctx).event(&o.value()))
            .map(|o: &StoredObject| o.json.clone())
    });
    body.map(|b| json_bytes(StatusCode::OK, b))
        .ok_or_else(|| ApiError::missing(Kind::Event.noun(), &id, "id"))
}

/// Which events a caller may see on the account it acts on.
enum Visibility {
    /// The account's own keys: every event of the account.
    Everything,
    /// An app's credentials: install events about these applications (client
    /// ids), and other events the install's permissions let it receive.
    Applications {
        clients: Vec<String>,
        granted: Arc<Vec<String>>,
    },
}

impl Visibility {
    fn of(w: &World, ctx: &ApiCtx) -> Self {
        if ctx.namespace.is_empty() {
            return Visibility::Everything;
        }
        let related = w
            .apps
            .values()
            .filter(|a| match &ctx.platform {
                Some(owner) => &a.owner == owner,
                None => a.id == ctx.namespace,
            })
            .map(|a| a.client_id.clone())
            .collect();
        Visibility::Applications {
            clients: related,
            granted: ctx.perms.clone().unwrap_or_default(),
        }
    }

    fn event(&self, event: &Value) -> bool {
        let Visibility::Applications { clients, granted } = self else {
            return true;
        };
        let kind = event["type"].as_str().unwrap_or_default();
        if kind.starts_with("account.application.") {
            event["data"]["object"]["id"]
                .as_str()
                .is_some_and(|id| clients.iter().any(|c| c == id))
        } else {
            app_may_receive(kind, granted)
        }
    }
}

/// The documented list filters, parsed and checked.
#[derive(Debug, Default)]
struct Filter {
    /// `type`: a pattern where `*` matches any run of characters.
    pattern: Option<String>,
    /// `types[]`: exact types.
    types: Option<Vec<String>>,
    /// `created` bounds, inclusive: (at least, at most).
    created: (Option<i64>, Option<i64>),
    /// `delivery_success`: whether every delivery succeeded.
    delivered: Option<bool>,
}

impl Filter {
    fn from_params(p: &Map<String, Value>) -> Result<Self, ApiError> {
        let pattern = text(p, "type").map(str::to_string);
        let types = match p.get("types") {
            None => None,
            Some(Value::Array(list)) => {
                let names: Option<Vec<String>> = list
                    .iter()
                    .map(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_string))
                    .collect();
                let names =
                    names.ok_or_else(|| ApiError::param_invalid("types", "Invalid array"))?;
                if names.len() > MAX_TYPES {
                    return Err(ApiError::param_invalid(
                        "types",
                        &format!("types accepts up to {MAX_TYPES} event types."),
                    ));
                }
                Some(names)
            }
            Some(_) => return Err(ApiError::param_invalid("types", "Invalid array")),
        };
        if pattern.is_some() && types.is_some() {
            return Err(
                ApiError::invalid("You may pass either `type` or `types`, but not both.")
                    .with_param("types"),
            );
        }
        Ok(Filter {
            pattern,
            types,
            created: created_bounds(p.get("created"))?,
            delivered: bool_filter(p, "delivery_success")?,
        })
    }

    fn keeps(&self, w: &World, event: &Value) -> bool {
        if let Some(delivered) = self.delivered {
            let id = event["id"].as_str().unwrap_or_default();
            if w.deliveries.contains_key(id) == delivered {
                return false;
            }
        }
        let kind = event["type"].as_str().unwrap_or_default();
        if let Some(p) = &self.pattern {
            if !wildcard(p, kind) {
                return false;
            }
        }
        if let Some(types) = &self.types {
            if !types.iter().any(|t| t == kind) {
                return false;
            }
        }
        let created = event["created"].as_i64().unwrap_or_default();
        let (low, high) = self.created;
        low.is_none_or(|l| created >= l) && high.is_none_or(|h| created <= h)
    }
}

/// `created=T` or `created[gt|gte|lt|lte]=T`, as inclusive bounds.
fn created_bounds(v: Option<&Value>) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let int = |param: &str, v: &Value| -> Result<i64, ApiError> {
        let s = v.as_str().unwrap_or_default();
        s.parse()
            .map_err(|_| ApiError::param_invalid_integer(param, s))
    };
    match v {
        None => Ok((None, None)),
        Some(Value::Object(ops)) => {
            let (mut low, mut high) = (None::<i64>, None::<i64>);
            for (op, v) in ops {
                let param = format!("created[{op}]");
                let t = int(&param, v)?;
                match op.as_str() {
                    "gt" => low = Some(low.map_or(t + 1, |l| l.max(t + 1))),
                    "gte" => low = Some(low.map_or(t, |l| l.max(t))),
                    "lt" => high = Some(high.map_or(t - 1, |h| h.min(t - 1))),
                    "lte" => high = Some(high.map_or(t, |h| h.min(t))),
                    _ => return Err(ApiError::param_unknown(&param)),
                }
            }
            Ok((low, high))
        }
        Some(v) => {
            let t = int("created", v)?;
            Ok((Some(t), Some(t)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn created_bounds_are_inclusive_and_checked() {
        let b = |v: Value| created_bounds(Some(&v));
        assert_eq!(b(json!("5")).unwrap(), (Some(5), Some(5)));
        assert_eq!(
            b(json!({"gt": "5", "lte": "9"})).unwrap(),
            (Some(6), Some(9))
        );
        assert_eq!(
            b(json!({"gte": "5", "lt": "9"})).unwrap(),
            (Some(5), Some(8))
        );
        assert_eq!(
            b(json!({"after": "5"})).unwrap_err().code,
            Some("parameter_unknown")
        );
        assert_eq!(
            b(json!({"gt": "soon"})).unwrap_err().code,
            Some("parameter_invalid_integer")
        );
    }
}
