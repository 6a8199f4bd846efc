//! The Stripe behaviours the sandbox models by default, one test per row of
//! docs/stripe-fidelity.md: exact redirect URI matching, registration from
//! `stripe-app.json` alone, restricted keys refused by the token endpoint,
//! the platform install redirect's parameters, and who sees install events.

#[path = "../support/mod.rs"]
mod support;

mod events;
mod install_links;
mod redirects;
mod registration;
mod tokens;
