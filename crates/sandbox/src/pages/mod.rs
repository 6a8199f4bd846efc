//! HTML pages the install flow shows in a browser.

pub mod consent;
