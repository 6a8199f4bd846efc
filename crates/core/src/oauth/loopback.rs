//! The loopback redirect listener (RFC 8252 §7.3): where the browser lands
//! after consent.
//!
//! Invariants: binds loopback addresses only (127.0.0.1 and, when available,
//! [::1] on the same port), on an ephemeral port or the fixed port of a
//! registered redirect URI (a clear `loopback-port-in-use` otherwise); serves
//! every connection concurrently, so a browser's idle speculative socket can't
//! block the real callback; answers only the callback path (404 elsewhere) and
//! an `/abort` link; accepts one callback: later ones get a "finished" page and
//! are never passed on; holds the browser's request open until the flow says
//! which page to show, so "success" appears only after the code exchange
//! succeeded; closes when dropped or closed.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;

use super::pages;
use super::OAuthError;

/// How long `close` waits for responses in flight.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// Callbacks longer than this are refused (a real one is well under 2 KB).
pub const MAX_QUERY_BYTES: usize = 8 * 1024;

/// What arrived at the callback path.
#[derive(Debug)]
pub struct Callback {
    /// Query parameters, or why they could not be read.
    pub params: Result<BTreeMap<String, String>, String>,
    respond: oneshot::Sender<(StatusCode, String)>,
}

impl Callback {
    /// Answers the browser (the request is held open until this is called).
    pub fn respond(self, status: StatusCode, html: String) {
        let _ = self.respond.send((status, html));
    }
}

pub enum Waited {
    Callback(Callback),
    Aborted,
    TimedOut,
    Cancelled,
}

struct Shared {
    path: String,
    abort_key: String,
    slot: Mutex<Option<oneshot::Sender<Callback>>>,
    aborted: Notify,
}

pub struct Loopback {
    pub redirect_uri: String,
    pub port: u16,
    pub abort_url: String,
    rx: Option<oneshot::Receiver<Callback>>,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
    stop: tokio::sync::watch::Sender<bool>,
}

/// Where to listen: the host as written in the redirect URI, a port (0 for an
/// ephemeral one) and the callback path.
#[derive(Debug, Clone)]
pub struct LoopbackSpec {
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl LoopbackSpec {
    pub fn ephemeral(path: &str) -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 0,
            path: path.into(),
        }
    }

    /// From a loopback redirect URI; a URI without an explicit port means an
    /// ephemeral one. `None` if the URI isn't loopback http.
    pub fn from_redirect_uri(uri: &str) -> Option<Self> {
        let u = url::Url::parse(uri).ok()?;
        if u.scheme() != "http" {
            return None;
        }
        let host = match u.host()? {
            url::Host::Ipv4(ip) if ip.is_loopback() => ip.to_string(),
            url::Host::Ipv6(ip) if ip.is_loopback() => format!("[{ip}]"),
            url::Host::Domain(d) if d.eq_ignore_ascii_case("localhost") => "localhost".into(),
            _ => return None,
        };
        let path = if u.path().is_empty() {
            "/".into()
        } else {
            u.path().to_string()
        };
        Some(Self {
            host,
            port: u.port().unwrap_or(0),
            path,
        })
    }
}

fn random_key() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

async fn bind(addr: SocketAddr, fixed: bool) -> Result<TcpListener, OAuthError> {
    TcpListener::bind(addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse && fixed {
            OAuthError::PortInUse(addr.port())
        } else {
            OAuthError::Listener(format!("cannot listen on {addr}: {e}"))
        }
    })
}

impl Loopback {
    pub async fn start(spec: &LoopbackSpec) -> Result<Self, OAuthError> {
        let fixed = spec.port != 0;
        let v6_first = spec.host.starts_with('[');
        let v4 = SocketAddr::from((Ipv4Addr::LOCALHOST, spec.port));
        let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, spec.port));
        let (first, second) = if v6_first { (v6, v4) } else { (v4, v6) };
        let primary = bind(first, fixed).await?;
        let port = primary
            .local_addr()
            .map_err(|e| OAuthError::Listener(e.to_string()))?
            .port();
        // The other family on the same port: best effort (IPv6 may be disabled).
        let secondary = TcpListener::bind(SocketAddr::new(second.ip(), port))
            .await
            .ok();

        let (tx, rx) = oneshot::channel();
        let shared = Arc::new(Shared {
            path: spec.path.clone(),
            abort_key: random_key(),
            slot: Mutex::new(Some(tx)),
            aborted: Notify::new(),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::new();
        for l in std::iter::once(primary).chain(secondary) {
            let app = app.clone();
            let mut stopped = stopped.clone();
            tasks.push(tokio::spawn(async move {
                let signal = async move {
                    let _ = stopped.wait_for(|s| *s).await;
                };
                let _ = axum::serve(l, app).with_graceful_shutdown(signal).await;
            }));
        }
        let authority = format!("{}:{port}", spec.host);
        Ok(Self {
            redirect_uri: format!("http://{authority}{}", spec.path),
            abort_url: format!("http://{authority}/abort?key={}", shared.abort_key),
            port,
            rx: Some(rx),
            shared,
            tasks,
            stop,
        })
    }

    /// Waits for the callback, an abort, the timeout or a cancel, whichever first.
    pub async fn wait(
        &mut self,
        timeout: Duration,
        cancel: &tokio_util::sync::CancellationToken,
    ) -> Waited {
        let Some(rx) = self.rx.take() else {
            return Waited::Cancelled;
        };
        tokio::select! {
            r = rx => match r {
                Ok(cb) => Waited::Callback(cb),
                Err(_) => Waited::Cancelled,
            },
            _ = self.shared.aborted.notified() => Waited::Aborted,
            _ = tokio::time::sleep(timeout) => Waited::TimedOut,
            _ = cancel.cancelled() => Waited::Cancelled,
        }
    }

    /// Stops listening and lets in-flight responses (the page the browser is
    /// waiting for) be written, for at most `CLOSE_GRACE`; then cuts the rest
    /// (idle speculative sockets included). Call it before the process exits,
    /// or the browser may see a reset instead of the page.
    pub async fn close(mut self) {
        let _ = self.stop.send(true);
        let mut tasks = std::mem::take(&mut self.tasks);
        let all = futures_util::future::join_all(tasks.iter_mut());
        if tokio::time::timeout(CLOSE_GRACE, all).await.is_err() {
            for t in &tasks {
                t.abort();
            }
        }
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// The callback's parameters from its raw query: refused when over
/// `MAX_QUERY_BYTES` or when a parameter repeats (RFC 6749 §3.1); percent
/// escapes that are broken or not UTF-8 decode lossily, never fail. Public so
/// the parser can be fuzzed and property-tested (fuzz/, tests/hostile_input.rs).
pub fn parse_query(raw: &str) -> CallbackParams {
    if raw.len() > MAX_QUERY_BYTES {
        return Err(format!(
            "the callback's query is {} bytes, over the {MAX_QUERY_BYTES}-byte limit",
            raw.len()
        ));
    }
    let mut out = BTreeMap::new();
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        if out.insert(k.to_string(), v.to_string()).is_some() {
            return Err(format!(
                "the parameter \"{k}\" appears more than once (RFC 6749 §3.1)"
            ));
        }
    }
    Ok(out)
}

/// The callback's parameters, or why they were refused.
pub type CallbackParams = Result<BTreeMap<String, String>, String>;

/// A raw request target (`/callback?code=…&state=…`, as on the request line)
/// read the way the listener reads it: parsed as an HTTP `Uri` like hyper does,
/// then its path and [`parse_query`] of its query. `Err` for a target hyper
/// would refuse.
pub fn parse_request_target(target: &str) -> Result<(String, CallbackParams), String> {
    let uri: Uri = target
        .parse()
        .map_err(|e| format!("not a request target: {e}"))?;
    Ok((
        uri.path().to_string(),
        parse_query(uri.query().unwrap_or("")),
    ))
}

async fn handle(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let query = uri.query().unwrap_or("");
    if uri.path() == "/abort" {
        let key = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "key")
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        if super::state::matches(&shared.abort_key, &key) {
            shared.aborted.notify_one();
            return Html(pages::aborted()).into_response();
        }
    }
    if uri.path() != shared.path {
        let abort = format!("/abort?key={}", shared.abort_key);
        return (StatusCode::NOT_FOUND, Html(pages::not_found(&abort))).into_response();
    }
    let slot = shared.slot.lock().unwrap_or_else(|p| p.into_inner()).take();
    let Some(tx) = slot else {
        return (StatusCode::GONE, Html(pages::finished())).into_response();
    };
    let (respond, answer) = oneshot::channel();
    let cb = Callback {
        params: parse_query(query),
        respond,
    };
    if tx.send(cb).is_err() {
        return (StatusCode::GONE, Html(pages::finished())).into_response();
    }
    match tokio::time::timeout(Duration::from_secs(120), answer).await {
        Ok(Ok((status, html))) => (status, Html(html)).into_response(),
        _ => (StatusCode::GONE, Html(pages::finished())).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn get(port: u16, path: &str) -> (u16, String) {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
        let mut buf = String::new();
        s.read_to_string(&mut buf).await.unwrap();
        let status = buf[9..12].parse().unwrap();
        (status, buf)
    }

    #[test]
    fn spec_from_redirect_uri() {
        let s = LoopbackSpec::from_redirect_uri("http://127.0.0.1/callback").unwrap();
        assert_eq!((s.port, s.path.as_str()), (0, "/callback"));
        let s = LoopbackSpec::from_redirect_uri("http://[::1]:8787/cb").unwrap();
        assert_eq!((s.host.as_str(), s.port), ("[::1]", 8787));
        assert!(LoopbackSpec::from_redirect_uri("https://example.com/cb").is_none());
        assert!(LoopbackSpec::from_redirect_uri("http://10.0.0.1/cb").is_none());
    }

    #[tokio::test]
    async fn serves_callback_once_404_elsewhere_and_idle_sockets_do_not_block() {
        let mut lb = Loopback::start(&LoopbackSpec::ephemeral("/callback"))
            .await
            .unwrap();
        let port = lb.port;
        assert!(lb.redirect_uri.starts_with("http://127.0.0.1:"));
        // A speculative connection that never sends a request.
        let _idle = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        assert_eq!(get(port, "/favicon.ico").await.0, 404);
        let browser = tokio::spawn(async move { get(port, "/callback?code=ac_1&state=s").await });
        let cancel = tokio_util::sync::CancellationToken::new();
        let Waited::Callback(cb) = lb.wait(Duration::from_secs(5), &cancel).await else {
            panic!("expected the callback")
        };
        let params = cb.params.as_ref().unwrap().clone();
        assert_eq!(params["code"], "ac_1");
        cb.respond(StatusCode::OK, "done".into());
        let (status, body) = browser.await.unwrap();
        assert_eq!(status, 200);
        assert!(body.ends_with("done"));
        let (second, _) = get(port, "/callback?code=ac_2&state=s").await;
        assert_eq!(second, 410, "a second callback is never passed on");
    }

    #[tokio::test]
    async fn oversized_and_repeated_parameters_are_invalid() {
        let mut lb = Loopback::start(&LoopbackSpec::ephemeral("/cb"))
            .await
            .unwrap();
        let port = lb.port;
        let long = "x".repeat(MAX_QUERY_BYTES + 1);
        let browser = tokio::spawn(async move { get(port, &format!("/cb?state={long}")).await });
        let Waited::Callback(cb) = lb.wait(Duration::from_secs(5), &Default::default()).await
        else {
            panic!()
        };
        assert!(cb.params.as_ref().unwrap_err().contains("limit"));
        cb.respond(StatusCode::BAD_REQUEST, "bad".into());
        assert_eq!(browser.await.unwrap().0, 400);
        assert!(parse_query("state=a&state=b")
            .unwrap_err()
            .contains("more than once"));
    }

    #[tokio::test]
    async fn timeout_cancel_abort_and_port_in_use() {
        let mut lb = Loopback::start(&LoopbackSpec::ephemeral("/cb"))
            .await
            .unwrap();
        assert!(matches!(
            lb.wait(Duration::from_millis(50), &Default::default())
                .await,
            Waited::TimedOut
        ));
        let mut lb = Loopback::start(&LoopbackSpec::ephemeral("/cb"))
            .await
            .unwrap();
        let cancel = tokio_util::sync::CancellationToken::new();
        cancel.cancel();
        assert!(matches!(
            lb.wait(Duration::from_secs(5), &cancel).await,
            Waited::Cancelled
        ));
        let mut lb = Loopback::start(&LoopbackSpec::ephemeral("/cb"))
            .await
            .unwrap();
        let abort_path = lb
            .abort_url
            .split_once(&format!(":{}", lb.port))
            .unwrap()
            .1
            .to_string();
        let port = lb.port;
        let waiter = async { lb.wait(Duration::from_secs(5), &Default::default()).await };
        let (waited, (status, _)) = tokio::join!(waiter, get(port, &abort_path));
        assert!(matches!(waited, Waited::Aborted));
        assert_eq!(status, 200);
        let taken = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let busy = taken.local_addr().unwrap().port();
        let err = Loopback::start(&LoopbackSpec {
            host: "127.0.0.1".into(),
            port: busy,
            path: "/cb".into(),
        })
        .await
        .err()
        .unwrap();
        assert!(matches!(err, OAuthError::PortInUse(p) if p == busy));
    }
}
