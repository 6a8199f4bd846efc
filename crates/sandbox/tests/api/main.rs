//! `/v1` resources with Stripe's conventions: auth, errors, Request-Id,
//! customers, products, prices, account, events, pagination, expand,
//! idempotency, Stripe-Account.

#[path = "../support/mod.rs"]
mod support;

mod catalog;
mod conventions;
mod customers;
