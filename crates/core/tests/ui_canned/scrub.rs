//! Makes a run's output deterministic, so the committed canned files change
//! only when core's answers do.
//!
//! What varies between two runs, and its stand-in:
//! - temp dirs and loopback ports: registered stand-ins (`/proj`,
//!   `127.0.0.1:12111`); a port nobody registered fails the run, so a new
//!   source of variation is noticed here and not as CI drift;
//! - random ids, keys, tokens and their masked hints (`cus_…`, `inst_…`,
//!   `sk_test_…wxyz`, the sandbox's `sk_test_****wxyz`, OAuth states,
//!   idempotency keys, history ids, invoice prefixes): the same prefix and
//!   length, numbered by first appearance, so equal ids stay equal and
//!   different ones stay different;
//! - wall-clock times (the sandbox's unix seconds, RFC 3339 stamps, HTTP
//!   `Date` headers, report folder stamps) near the run: [`FIXED`] plus their
//!   offset from the run's start, rounded to the hour (a scenario takes
//!   seconds, a loaded CI machine maybe minutes; expiries are an hour or
//!   more, and survive); times from core's fixed clock are left as they are;
//! - measured durations (`*_ms` fields, "N ms" in messages): a constant (a
//!   zero `waited_ms`, no retry, stays), and `at_ms` counts up.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use regex::{Captures, Regex};
use serde_json::Value;

/// The canned world's "now": core's fixed clock, and where wall times land.
pub const FIXED: &str = "2026-01-01T00:00:00Z";

pub fn fixed() -> DateTime<Utc> {
    FIXED.parse().expect("FIXED is RFC 3339")
}

/// How far from the run's start a time may be and still be the run's own:
/// tokens and secrets expire up to a year after.
const WINDOW_BEFORE_SECS: i64 = 86_400;
const WINDOW_AFTER_SECS: i64 = 2 * 366 * 86_400;

/// Prefixes of random ids (the sandbox's `ids.rs`, core's handles); a longer
/// one before any it starts with, so `sk_test_oauth_` wins over `sk_test_`.
const ID_PREFIXES: &[&str] = &[
    "sk_test_oauth_",
    "sk_test_",
    "sk_live_",
    "rk_test_",
    "pk_test_",
    "appsecret_",
    "chnlink_",
    "absec_",
    "price_",
    "prod_",
    "acct_",
    "inst_",
    "flow_",
    "h_",
    "run_",
    "cus_",
    "evt_",
    "req_",
    "usr_",
    "ac_",
    "ca_",
    "rt_",
];

/// What a masked token keeps of its value (`secret::mask`): its type.
const MASK_PREFIXES: &[&str] = &[
    "sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "rt_", "ac_", "pat_", "prt_",
    "pc_", "whsec_", "absec_",
];

pub struct Scrub {
    start: DateTime<Utc>,
    literals: Vec<(String, String)>,
    ports: HashMap<String, String>,
    seen: HashMap<String, String>,
    counters: HashMap<String, usize>,
    at_ms: u64,
    revisions: Option<Regex>,
    ids: Regex,
    hints: Regex,
    masked_prefixes: Regex,
    states: Regex,
    idempotency: Regex,
    ports_re: Regex,
    rfc3339: Regex,
    stamps: Regex,
    http_dates: Regex,
    unix: Regex,
    sandbox_masks: Regex,
    durations: Regex,
    invoice_prefixes: Regex,
}

impl Default for Scrub {
    fn default() -> Self {
        Self::new()
    }
}

impl Scrub {
    /// A scrub for a run starting now.
    pub fn new() -> Self {
        let prefixes = ID_PREFIXES.join("|");
        Scrub {
            start: Utc::now(),
            literals: Vec::new(),
            ports: HashMap::new(),
            seen: HashMap::new(),
            counters: HashMap::new(),
            at_ms: 0,
            revisions: None,
            ids: Regex::new(&format!(r"\b({prefixes})([A-Za-z0-9]{{8,}})\b")).unwrap(),
            masked_prefixes: Regex::new(r"(^|[^A-Za-z0-9_.-])([A-Za-z0-9_.-]+_)(…|%E2%80%A6)")
                .unwrap(),
            hints: Regex::new(r"(…|%E2%80%A6)([A-Za-z0-9_-]{4})([^A-Za-z0-9_-]|$)").unwrap(),
            states: Regex::new(r"\b(local|test|live)\.([A-Za-z0-9_-]{43})").unwrap(),
            idempotency: Regex::new(r"\bappdeck-([0-9a-f]{32})\b").unwrap(),
            ports_re: Regex::new(r"127\.0\.0\.1(:|%3A)(\d+)").unwrap(),
            rfc3339: Regex::new(
                r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
            )
            .unwrap(),
            stamps: Regex::new(r"\b(\d{8}-\d{6})\b").unwrap(),
            http_dates: Regex::new(
                r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT",
            )
            .unwrap(),
            unix: Regex::new(r"\b1[7-9]\d{8}\b").unwrap(),
            durations: Regex::new(r"\b\d+ ms\b").unwrap(),
            sandbox_masks: Regex::new(r"\*\*\*\*([A-Za-z0-9]{4})").unwrap(),
            invoice_prefixes: Regex::new(r#""invoice_prefix": ?"([0-9A-F]{8})""#).unwrap(),
        }
    }

    /// Replaces `from` with `to` wherever it appears (a temp dir, a secret
    /// the test chose, a PKCE pair).
    pub fn literal(&mut self, from: impl Into<String>, to: impl Into<String>) -> &mut Self {
        self.literals.push((from.into(), to.into()));
        self.literals
            .sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        self
    }

    /// Names the stand-in of a loopback port.
    pub fn port(&mut self, port: u16, standin: u16) -> &mut Self {
        self.ports.insert(port.to_string(), standin.to_string());
        self
    }

    /// Registers the port of a `http://127.0.0.1:PORT…` URL.
    pub fn port_of(&mut self, url: &str, standin: u16) -> &mut Self {
        let port = url::Url::parse(url)
            .ok()
            .and_then(|u| u.port())
            .unwrap_or_else(|| panic!("{url} has no explicit port"));
        self.port(port, standin)
    }

    /// Also replaces SHA-256 revisions: for manifests whose text holds a
    /// port (a loopback redirect URI), so their hash varies with it.
    pub fn revisions(&mut self) -> &mut Self {
        self.revisions = Some(Regex::new(r"\b([0-9a-f]{64})\b").unwrap());
        self
    }

    pub fn value(&mut self, v: &mut Value) {
        self.walk(v, None);
    }

    fn walk(&mut self, v: &mut Value, key: Option<&str>) {
        match v {
            Value::String(s) if key == Some("invoice_prefix") => {
                let n = self.number_of("invoice_prefix", s);
                *s = format!("{n:0>8}");
            }
            Value::String(s) => *s = self.text(s),
            Value::Number(n) => {
                if let Some(fixed) = self.number(key, n) {
                    *v = Value::from(fixed);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|x| self.walk(x, key)),
            Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    self.walk(x, Some(k));
                }
            }
            _ => {}
        }
    }

    fn number(&mut self, key: Option<&str>, n: &serde_json::Number) -> Option<u64> {
        let n = n.as_u64()?;
        match key {
            Some("at_ms") => {
                self.at_ms += 10;
                Some(self.at_ms)
            }
            // No wait is no wait; any other measured time may be 0 or not.
            Some("waited_ms") if n == 0 => None,
            Some(k) if k.ends_with("_ms") => Some(5),
            _ => self.unix_secs(n as i64).map(|t| t as u64),
        }
    }

    fn unix_secs(&self, t: i64) -> Option<i64> {
        let offset = t - self.start.timestamp();
        if !(-WINDOW_BEFORE_SECS..=WINDOW_AFTER_SECS).contains(&offset) {
            return None;
        }
        Some(fixed().timestamp() + (offset as f64 / 3600.0).round() as i64 * 3600)
    }

    fn time(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let secs = self.unix_secs(t.timestamp())?;
        Utc.timestamp_opt(secs, 0).single()
    }

    /// The stand-in of a random value: its prefix, then the number of its
    /// first appearance padded to its length.
    fn standin(&mut self, prefix: &str, random: &str) -> String {
        let n = self.number_of(prefix, random);
        format!("{prefix}{n:0>width$}", width = random.len())
    }

    /// The number of `random`'s first appearance among values of `kind`.
    fn number_of(&mut self, kind: &str, random: &str) -> String {
        let original = format!("{kind}{random}");
        if let Some(n) = self.seen.get(&original) {
            return n.clone();
        }
        let count = self.counters.entry(kind.to_string()).or_default();
        *count += 1;
        let n = count.to_string();
        self.seen.insert(original, n.clone());
        n
    }

    pub fn text(&mut self, s: &str) -> String {
        let mut out = s.to_string();
        for (from, to) in &self.literals {
            out = out.replace(from.as_str(), to);
        }
        let ports = self.ports.clone();
        out = self
            .ports_re
            .replace_all(&out, |c: &Captures| {
                let standin = ports
                    .get(&c[2])
                    .unwrap_or_else(|| panic!("unregistered loopback port {} in {s:?}", &c[2]));
                format!("127.0.0.1{}{standin}", &c[1])
            })
            .into_owned();
        if let Some(re) = self.revisions.clone() {
            out = self.replace(&out, &re, |me, c| me.standin("", &c[1]));
        }
        // A registered port on its own ("listens on port 43243").
        for (port, standin) in &ports {
            let re = Regex::new(&format!(r"\bport {port}\b")).unwrap();
            out = re.replace_all(&out, format!("port {standin}")).into_owned();
        }
        let re = self.ids.clone();
        out = self.replace(&out, &re, |me, c| me.standin(&c[1], &c[2]));
        let re = self.states.clone();
        out = self.replace(&out, &re, |me, c| me.standin(&format!("{}.", &c[1]), &c[2]));
        let re = self.idempotency.clone();
        out = self.replace(&out, &re, |me, c| me.standin("appdeck-", &c[1]));
        // A masked value keeps what precedes its second `_`: a token's type
        // (`sk_test_…`), or random characters when a random value (an OAuth
        // state, a PKCE verifier) happens to hold a `_`.
        out = self
            .masked_prefixes
            .replace_all(&out, |c: &Captures| {
                let keep = MASK_PREFIXES.contains(&&c[2]);
                format!("{}{}{}", &c[1], if keep { &c[2] } else { "" }, &c[3])
            })
            .into_owned();
        let re = self.hints.clone();
        // A masked hint's tail, also URL-encoded: one number per tail.
        out = self.replace(&out, &re, |me, c| {
            let n = me.number_of("…", &c[2]);
            format!("{}{n:0>4}{}", &c[1], &c[3])
        });
        // A time measured into a message ("200 in 17 ms").
        out = self.durations.replace_all(&out, "5 ms").into_owned();
        // The sandbox masks a key in its messages as `sk_test_****wxyz`.
        let re = self.sandbox_masks.clone();
        out = self.replace(&out, &re, |me, c| {
            let n = me.number_of("****", &c[1]);
            format!("****{n:0>4}")
        });
        let re = self.invoice_prefixes.clone();
        out = self.replace(&out, &re, |me, c| {
            let n = me.number_of("invoice_prefix", &c[1]);
            format!(r#""invoice_prefix":"{n:0>8}""#)
        });
        let re = self.http_dates.clone();
        out = self.replace(&out, &re, |me, c| {
            let parsed = DateTime::parse_from_rfc2822(&c[0]).ok();
            match parsed.and_then(|t| me.time(t.into())) {
                Some(t) => t.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
                None => c[0].to_string(),
            }
        });
        let re = self.rfc3339.clone();
        out = self.replace(&out, &re, |me, c| {
            let parsed = DateTime::parse_from_rfc3339(&c[0]).ok();
            match parsed.and_then(|t| me.time(t.into())) {
                Some(t) => t.to_rfc3339_opts(SecondsFormat::Secs, c[0].ends_with('Z')),
                None => c[0].to_string(),
            }
        });
        let re = self.stamps.clone();
        out = self.replace(&out, &re, |me, c| {
            NaiveDateTime::parse_from_str(&c[1], "%Y%m%d-%H%M%S")
                .ok()
                .and_then(|t| me.time(t.and_utc()))
                .map(|t| t.format("%Y%m%d-%H%M%S").to_string())
                .unwrap_or_else(|| c[1].to_string())
        });
        let re = self.unix.clone();
        self.replace(&out, &re, |me, c| {
            let t: i64 = c[0].parse().unwrap_or_default();
            me.unix_secs(t)
                .map(|t| t.to_string())
                .unwrap_or_else(|| c[0].to_string())
        })
    }

    /// `regex.replace_all` with a replacer that may update the scrub's maps.
    fn replace(
        &mut self,
        text: &str,
        re: &Regex,
        mut with: impl FnMut(&mut Self, &Captures) -> String,
    ) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for c in re.captures_iter(text) {
            let whole = c.get(0).expect("a match");
            out.push_str(&text[last..whole.start()]);
            out.push_str(&with(self, &c));
            last = whole.end();
        }
        out.push_str(&text[last..]);
        out
    }
}
