//! Shared test harness: a sandbox on 127.0.0.1:0 and a reqwest client that
//! never follows redirects (the install flow's 302s are what we assert on).
#![allow(dead_code)]

use appdeck_sandbox::{
    AppRegistration, PermissionGrant, RunningSandbox, Sandbox, SandboxConfig, SandboxInfo,
};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

pub const REDIRECT: &str = "https://app.example/stripe/callback";
pub const LOOPBACK_REDIRECT: &str = "http://127.0.0.1:5000/callback";

/// The OAuth app every test sandbox registers.
pub fn oauth_app(perms: &[&str]) -> AppRegistration {
    AppRegistration {
        id: "com.example.test-app".into(),
        permissions: perms
            .iter()
            .map(|p| PermissionGrant {
                permission: p.to_string(),
                purpose: format!("Because the test needs {p}."),
            })
            .collect(),
        redirect_uris: vec![REDIRECT.into(), LOOPBACK_REDIRECT.into()],
        distribution: "public".into(),
        access_type: "oauth".into(),
    }
}

/// Rate limit off (tests make bursts); the OAuth app with read permissions.
pub fn config() -> SandboxConfig {
    SandboxConfig {
        app: Some(oauth_app(&["customer_read", "event_read", "secret_write"])),
        rate_limit: false,
        ..SandboxConfig::default()
    }
}

pub struct Sb {
    pub running: Option<RunningSandbox>,
    pub base: String,
    pub info: SandboxInfo,
    pub http: Client,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn location(&self) -> Option<url::Url> {
        self.headers
            .get("location")
            .and_then(|l| l.to_str().ok())
            .and_then(|l| url::Url::parse(l).ok())
    }
    pub fn error_code(&self) -> Option<&str> {
        self.body["error"]["code"].as_str()
    }
}

pub fn query_of(u: &url::Url, key: &str) -> Option<String> {
    u.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub async fn start() -> Sb {
    start_with(config()).await
}

pub async fn start_with(cfg: SandboxConfig) -> Sb {
    let running = Sandbox::start(cfg).await.expect("sandbox starts");
    let base = running.base_url();
    let info = running.info();
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Sb {
        running: Some(running),
        base,
        info,
        http,
    }
}

impl Sb {
    pub fn dev_key(&self) -> String {
        self.info.developer.secret_key.clone()
    }
    pub fn key(&self, i: usize) -> String {
        self.info.accounts[i].secret_key.clone()
    }
    pub fn account(&self, i: usize) -> String {
        self.info.accounts[i].account.clone()
    }

    pub async fn shutdown(mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await;
        }
    }

    async fn reply(resp: reqwest::Response) -> Reply {
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    /// A `/v1`-style request: Basic auth with `key`, form parameters.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        form: &[(&str, &str)],
    ) -> Reply {
        self.call_h(method, path, key, form, &[]).await
    }

    pub async fn call_h(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut req = self.http.request(method.clone(), url);
        if let Some(k) = key {
            req = req.basic_auth(k, None::<&str>);
        }
        for (h, v) in headers {
            req = req.header(*h, *v);
        }
        if method == Method::GET || method == Method::DELETE {
            req = req.query(form);
        } else {
            req = req.form(form);
        }
        Self::reply(req.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, key: &str, q: &[(&str, &str)]) -> Reply {
        self.call(Method::GET, path, Some(key), q).await
    }
    pub async fn post(&self, path: &str, key: &str, form: &[(&str, &str)]) -> Reply {
        self.call(Method::POST, path, Some(key), form).await
    }
    pub async fn delete(&self, path: &str, key: &str) -> Reply {
        self.call(Method::DELETE, path, Some(key), &[]).await
    }

    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut req = self
            .http
            .request(method, format!("{}/_appdeck{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        Self::reply(req.send().await.expect("control request sent")).await
    }

    /// Fetches a page without following redirects.
    pub async fn page(&self, path_and_query: &str) -> Reply {
        Self::reply(
            self.http
                .get(format!("{}{path_and_query}", self.base))
                .send()
                .await
                .expect("page"),
        )
        .await
    }

    /// The authorize URL of the registered app.
    pub fn authorize_url(&self, redirect: &str, state: &str) -> String {
        let app = self.info.app.as_ref().expect("app registered");
        let q = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &app.client_id)
            .append_pair("redirect_uri", redirect)
            .append_pair("state", state)
            .finish();
        format!("/oauth/v2/authorize?{q}")
    }

    /// Answers a consent page (`decision` = accept/decline) for `account`.
    pub async fn answer(&self, page: &Reply, account: &str, decision: &str) -> Reply {
        let consent = consent_id(&page.text).expect("the page has a consent form");
        let resp = self
            .http
            .post(format!("{}/oauth/v2/consent", self.base))
            .form(&[
                ("consent", consent.as_str()),
                ("account", account),
                ("decision", decision),
            ])
            .send()
            .await
            .expect("consent posted");
        Self::reply(resp).await
    }

    /// Installs the app on install account `i` through the consent page; the code.
    pub async fn code_for(&self, i: usize) -> String {
        let page = self.page(&self.authorize_url(REDIRECT, "st")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let done = self.answer(&page, &self.account(i), "accept").await;
        assert_eq!(done.status, StatusCode::FOUND, "{}", done.text);
        query_of(&done.location().expect("redirect"), "code").expect("code in redirect")
    }

    /// Exchanges a code with the developer key.
    pub async fn exchange(&self, key: &str, code: &str) -> Reply {
        self.post(
            "/v1/oauth/token",
            key,
            &[("grant_type", "authorization_code"), ("code", code)],
        )
        .await
    }

    /// An access token for install account `i`.
    pub async fn token_for(&self, i: usize) -> Value {
        let code = self.code_for(i).await;
        let r = self.exchange(&self.dev_key(), &code).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.body
    }

    pub async fn advance(&self, seconds: i64) {
        let r = self
            .control(
                Method::POST,
                "/clock/advance",
                Some(serde_json::json!({ "seconds": seconds })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
}

pub fn consent_id(html: &str) -> Option<String> {
    let marker = "name=\"consent\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}
