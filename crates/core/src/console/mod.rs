//! The API console: compose Stripe API calls, send them as an account or as an
//! installed app, page through lists, keep a history, copy as curl; live-mode
//! writes stay locked until the user unlocks them.

pub mod curl;
pub mod endpoints;
pub mod form;
pub mod history;
pub mod pages;
pub mod permissions;
pub mod request;
pub mod retry;
pub mod secrets;
pub mod summary;
