//! The Secret Store browser: list, find (with payload), set (create or
//! replace), delete, by scope (`account`, or `user` with a user id), as the
//! installed app: each a [`ApiRequest`] for `/v1/apps/secrets*` built here,
//! sent through the console like any other call.

use super::request::{ApiRequest, AuthAs};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Account,
    User(String),
}

impl Scope {
    fn rows(&self) -> Vec<(String, String)> {
        match self {
            Scope::Account => vec![("scope[type]".into(), "account".into())],
            Scope::User(u) => vec![
                ("scope[type]".into(), "user".into()),
                ("scope[user]".into(), u.clone()),
            ],
        }
    }
}

fn base(method: &str, path: &str, install: &str, params: Vec<(String, String)>) -> ApiRequest {
    ApiRequest {
        method: method.into(),
        path: path.into(),
        params,
        raw_body: None,
        stripe_account: None,
        stripe_version: None,
        idempotency_key: None,
        auth: AuthAs::Install {
            install: install.into(),
        },
    }
}

pub fn list(install: &str, scope: &Scope, limit: Option<u32>) -> ApiRequest {
    let mut p = scope.rows();
    if let Some(l) = limit {
        p.push(("limit".into(), l.to_string()));
    }
    base("GET", "/v1/apps/secrets", install, p)
}

pub fn find(install: &str, scope: &Scope, name: &str) -> ApiRequest {
    let mut p = vec![("name".into(), name.to_string())];
    p.extend(scope.rows());
    p.push(("expand[]".into(), "payload".into()));
    base("GET", "/v1/apps/secrets/find", install, p)
}

pub fn set(
    install: &str,
    scope: &Scope,
    name: &str,
    payload: &str,
    expires_at: Option<i64>,
) -> ApiRequest {
    let mut p = vec![
        ("name".into(), name.to_string()),
        ("payload".into(), payload.to_string()),
    ];
    p.extend(scope.rows());
    if let Some(t) = expires_at {
        p.push(("expires_at".into(), t.to_string()));
    }
    base("POST", "/v1/apps/secrets", install, p)
}

pub fn delete(install: &str, scope: &Scope, name: &str) -> ApiRequest {
    let mut p = vec![("name".into(), name.to_string())];
    p.extend(scope.rows());
    base("POST", "/v1/apps/secrets/delete", install, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_follow_stripes_secret_store_shapes() {
        let r = find("inst_1", &Scope::User("usr_1".into()), "gh");
        let body = crate::console::form::encode_rows(&r.params).unwrap();
        assert_eq!(
            body,
            "name=gh&scope[type]=user&scope[user]=usr_1&expand[0]=payload"
        );
        assert_eq!(
            set("i", &Scope::Account, "n", "p", Some(5)).path,
            "/v1/apps/secrets"
        );
        assert_eq!(
            delete("i", &Scope::Account, "n").path,
            "/v1/apps/secrets/delete"
        );
    }
}
