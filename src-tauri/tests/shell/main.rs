//! The desktop shell without a window: its layering, and commands driven
//! through the library (`appdeck_shell`) as the webview would drive them.

mod layers;
mod provider_login;
