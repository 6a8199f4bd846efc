//! The API console: compose Stripe API calls, send them as an account or as an
//! installed app, and keep a history, with guard rails for live mode.

pub mod form;
