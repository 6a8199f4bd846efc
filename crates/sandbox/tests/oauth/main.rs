//! The install flow: authorize pages, consent, redirect URI rules, the token
//! endpoint with every negative case, platform install links, auto-consent.

#[path = "../support/mod.rs"]
mod support;

mod authorize;
mod provider;
mod token;
