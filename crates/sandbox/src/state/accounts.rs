//! Accounts and their API keys, and the seed a fresh sandbox starts with.
//!
//! Invariants: each account has one test-mode secret key (`sk_test_`), one
//! restricted key (`rk_test_`, limited to `restricted_permissions`), one
//! publishable key, and one live-mode secret key (`sk_live_`) that exists only
//! so the token endpoint can refuse a key of the wrong mode: the sandbox is
//! test mode only and `/v1` rejects live keys. `World::keys` maps every key to
//! its account and is rebuilt from the accounts on load.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Kind, StoredObject, Table, World};
use crate::{ids, shapes};

/// What an account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Owns the registered app; its secret key authenticates the token endpoint.
    Developer,
    /// One of the three seeded accounts that install apps.
    Install,
    /// Created through the control API.
    Extra,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub role: Role,
    pub email: String,
    pub display_name: String,
    pub user_id: String,
    pub created: i64,
    pub secret_key: String,
    pub live_secret_key: String,
    pub restricted_key: String,
    pub restricted_permissions: Vec<String>,
    pub publishable_key: String,
}

/// What kind of key a string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Secret,
    LiveSecret,
    Restricted,
}

#[derive(Debug, Clone)]
pub struct KeyRef {
    pub account: String,
    pub kind: KeyKind,
}

/// Seeded restricted keys read everything the sandbox serves and write nothing.
pub const DEFAULT_RESTRICTED: [&str; 4] =
    ["customer_read", "product_read", "plan_read", "event_read"];

impl World {
    pub(super) fn index_keys(&mut self, a: &Account) {
        for (key, kind) in [
            (&a.secret_key, KeyKind::Secret),
            (&a.live_secret_key, KeyKind::LiveSecret),
            (&a.restricted_key, KeyKind::Restricted),
        ] {
            self.keys.insert(
                key.clone(),
                KeyRef {
                    account: a.id.clone(),
                    kind,
                },
            );
        }
    }

    /// Creates an account with fresh keys.
    pub fn create_account(
        &mut self,
        role: Role,
        display_name: &str,
        email: &str,
        now: i64,
    ) -> Account {
        let a = Account {
            id: ids::account(),
            role,
            email: email.to_string(),
            display_name: display_name.to_string(),
            user_id: ids::user(),
            created: now,
            secret_key: ids::secret_key(),
            live_secret_key: ids::live_secret_key(),
            restricted_key: ids::restricted_key(),
            restricted_permissions: DEFAULT_RESTRICTED.iter().map(|s| s.to_string()).collect(),
            publishable_key: ids::publishable_key(),
        };
        self.index_keys(&a);
        self.accounts.insert(a.id.clone(), a.clone());
        self.mark(Table::Account, &a.id);
        a
    }

    /// Inserts a new object of `kind` for `account` and marks it.
    pub fn insert_object(
        &mut self,
        account: &str,
        kind: Kind,
        id: &str,
        value: &serde_json::Value,
    ) {
        let seq = self.next_seq();
        let obj = StoredObject::new(account, kind, seq, value);
        self.objects.insert(id.to_string(), obj);
        self.mark(Table::Object, id);
    }

    /// A fresh sandbox: a developer account, three install accounts, and in
    /// each a few customers, products and prices.
    pub fn seed(&mut self, now: i64) {
        let dev = self.create_account(
            Role::Developer,
            "Appdeck Developer",
            "developer@appdeck.test",
            now,
        );
        self.meta.developer = dev.id.clone();
        let mut accounts = vec![dev.id];
        for n in 1..=3 {
            let a = self.create_account(
                Role::Install,
                &format!("Sandbox Business {n}"),
                &format!("owner{n}@appdeck.test"),
                now,
            );
            self.meta.install_accounts.push(a.id.clone());
            accounts.push(a.id);
        }
        self.mark(Table::Meta, "meta");
        let customers = [
            ("Ada Lovelace", "ada@example.com"),
            ("Grace Hopper", "grace@example.com"),
            ("Alan Turing", "alan@example.com"),
        ];
        let products = [("Starter plan", 900), ("Pro plan", 2900)];
        for account in accounts {
            for (name, email) in customers {
                let params = json!({"name": name, "email": email});
                let c = shapes::new_customer(now, params.as_object().expect("object"))
                    .expect("seed customer is valid");
                let id = c["id"].as_str().unwrap_or_default().to_string();
                self.insert_object(&account, Kind::Customer, &id, &c);
            }
            for (name, amount) in products {
                let p =
                    shapes::new_product(now, json!({"name": name}).as_object().expect("object"))
                        .expect("seed product is valid");
                let pid = p["id"].as_str().unwrap_or_default().to_string();
                self.insert_object(&account, Kind::Product, &pid, &p);
                let price_params = json!({
                    "currency": "usd",
                    "unit_amount": amount.to_string(),
                    "recurring": {"interval": "month"},
                });
                let price = shapes::new_price(now, &pid, price_params.as_object().expect("object"))
                    .expect("seed price is valid");
                let id = price["id"].as_str().unwrap_or_default().to_string();
                self.insert_object(&account, Kind::Price, &id, &price);
            }
        }
    }
}
