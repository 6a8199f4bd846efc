//! Registered apps and their installs, and the install/uninstall events.
//!
//! Invariants:
//! - An app keeps its `client_id`, channel link and signing secret across
//!   re-registrations; a re-registration replaces permissions, redirect URIs,
//!   distribution and access type. Existing installs keep the permissions they
//!   were granted; new installs (and re-installs) get the new ones.
//! - An install is keyed by (app, account). Uninstalling revokes every token
//!   the app holds on that account and records
//!   `account.application.deauthorized`; a new install records
//!   `account.application.authorized` (on the installing account).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Table, World};
use crate::config::{AppRegistration, PermissionGrant};
use crate::events::{Change, Origin};
use crate::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    pub id: String,
    pub owner: String,
    pub client_id: String,
    pub channel_link: String,
    pub signing_secret: String,
    pub permissions: Vec<PermissionGrant>,
    pub redirect_uris: Vec<String>,
    pub distribution: String,
    pub access_type: String,
    pub created: i64,
    pub updated: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Install {
    pub app: String,
    pub account: String,
    pub permissions: Vec<String>,
    pub created: i64,
    pub active: bool,
    pub uninstalled_at: Option<i64>,
}

/// The key of an install in `World::installs`.
pub fn install_key(app: &str, account: &str) -> String {
    format!("{app}|{account}")
}

impl World {
    /// Creates the app or updates it in place (same credentials).
    pub fn register_app(&mut self, reg: &AppRegistration, owner: &str, now: i64) -> App {
        let app = match self.apps.get(&reg.id) {
            Some(old) => App {
                permissions: reg.permissions.clone(),
                redirect_uris: reg.redirect_uris.clone(),
                distribution: reg.distribution.clone(),
                access_type: reg.access_type.clone(),
                updated: now,
                ..old.clone()
            },
            None => App {
                id: reg.id.clone(),
                owner: owner.to_string(),
                client_id: ids::client_id(),
                channel_link: ids::channel_link(),
                signing_secret: ids::signing_secret(),
                permissions: reg.permissions.clone(),
                redirect_uris: reg.redirect_uris.clone(),
                distribution: reg.distribution.clone(),
                access_type: reg.access_type.clone(),
                created: now,
                updated: now,
            },
        };
        self.apps.insert(app.id.clone(), app.clone());
        self.mark(Table::App, &app.id);
        app
    }

    pub fn app_by_client_id(&self, client_id: &str) -> Option<&App> {
        self.apps.values().find(|a| a.client_id == client_id)
    }

    /// The active install of `app` on `account`.
    pub fn active_install(&self, app: &str, account: &str) -> Option<&Install> {
        self.installs
            .get(&install_key(app, account))
            .filter(|i| i.active)
    }

    /// Installs (or re-installs) `app` on `account` with the app's current
    /// permissions. Returns whether the install is new (an event was recorded).
    pub fn install(&mut self, app_id: &str, account: &str, now: i64) -> bool {
        let Some(app) = self.apps.get(app_id) else {
            return false;
        };
        let permissions: Vec<String> = app
            .permissions
            .iter()
            .map(|p| p.permission.clone())
            .collect();
        let key = install_key(app_id, account);
        let was_active = self.installs.get(&key).is_some_and(|i| i.active);
        let created = self.installs.get(&key).map(|i| i.created).unwrap_or(now);
        self.installs.insert(
            key.clone(),
            Install {
                app: app_id.to_string(),
                account: account.to_string(),
                permissions,
                created,
                active: true,
                uninstalled_at: None,
            },
        );
        self.mark(Table::Install, &key);
        if !was_active {
            self.record_app_event(app_id, account, "account.application.authorized", now);
        }
        !was_active
    }

    /// Uninstalls and revokes the app's tokens on that account. Returns false
    /// when there was no active install.
    pub fn uninstall(&mut self, app_id: &str, account: &str, now: i64) -> bool {
        let key = install_key(app_id, account);
        match self.installs.get_mut(&key) {
            Some(i) if i.active => {
                i.active = false;
                i.uninstalled_at = Some(now);
            }
            _ => return false,
        }
        self.mark(Table::Install, &key);
        self.revoke_where(|app, acct, _| app == app_id && acct == account);
        self.record_app_event(app_id, account, "account.application.deauthorized", now);
        true
    }

    fn record_app_event(&mut self, app_id: &str, account: &str, kind: &str, now: i64) {
        let Some(app) = self.apps.get(app_id) else {
            return;
        };
        let application = json!({"id": app.client_id, "object": "application", "name": app.id});
        self.emit(Change {
            account,
            kind,
            object: &crate::state::objects::to_bytes(&application),
            previous: None,
            origin: &Origin::none(),
            at: now,
        });
    }
}
