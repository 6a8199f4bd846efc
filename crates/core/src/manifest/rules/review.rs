//! What Stripe's app review requires of a public app's manifest, beyond what
//! an upload checks: the words its name may not contain, and a declared
//! `sandbox_install_compatible`.
//!
//! Only a public app (`distribution_type: public`) is reviewed, and only the
//! base manifest is uploaded, so these rules run on stripe-app.json alone.
//! While developing they advise (a warning for a refused word, info for the
//! sandbox flag); in the release check (`--release`) they are errors, since
//! review would send the version back.
//!
//! Sources: the review requirements' "App name" section ("Don't use "Stripe",
//! "app", "RAK", "Generator", "API Key", "Authenticator", "free" or "paid" in
//! the app name"), a longer list than the manifest reference's four; plurals
//! are refused too (our stricter reading). /stripe-apps/enable-sandbox-support:
//! "As of February 3, 2025, you must declare sandbox support as true or false
//! in the app manifest for apps published to the marketplace."

use super::{span, Ctx};
use crate::manifest::diagnostic::Severity;
use crate::manifest::parse::Node;

/// The words review refuses in a public app's name, each as the sequence of
/// lower-case words it is written as (and its plural).
pub const REFUSED_NAME_WORDS: &[(&str, &[&[&str]])] = &[
    ("Stripe", &[&["stripe"], &["stripes"]]),
    ("app", &[&["app"], &["apps"]]),
    ("RAK", &[&["rak"], &["raks"]]),
    ("Generator", &[&["generator"], &["generators"]]),
    (
        "API Key",
        &[&["api", "key"], &["api", "keys"], &["apikey"], &["apikeys"]],
    ),
    ("Authenticator", &[&["authenticator"], &["authenticators"]]),
    ("free", &[&["free"]]),
    ("paid", &[&["paid"]]),
];

pub fn check(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let public = root.get("distribution_type").and_then(Node::as_str) == Some("public");
    if !public || !ctx.base() {
        return;
    }
    name_words(ctx, root);
    if root.get("sandbox_install_compatible").is_none() {
        let severity = ctx.until_release(Severity::Info);
        ctx.push(
            severity,
            "sandbox-support-undeclared",
            "",
            (root.start, root.start + 1),
            "app review requires a public app to declare sandbox support: add \"sandbox_install_compatible\": true if the app works when installed in a sandbox, false otherwise",
            None,
        );
    }
}

/// The refused words `name` contains, as review writes them.
pub fn refused_words(name: &str) -> Vec<&'static str> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    REFUSED_NAME_WORDS
        .iter()
        .filter(|(_, forms)| {
            forms.iter().any(|form| {
                words
                    .windows(form.len())
                    .any(|w| w.iter().zip(form.iter()).all(|(a, b)| a == b))
            })
        })
        .map(|(shown, _)| *shown)
        .collect()
}

fn name_words(ctx: &mut Ctx<'_, '_>, root: &Node) {
    let Some(n) = root.get("name") else { return };
    let Some(name) = n.as_str() else { return };
    let bad = refused_words(name);
    if bad.is_empty() {
        return;
    }
    let list = bad
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let severity = ctx.until_release(Severity::Warning);
    ctx.push(
        severity,
        "public-name-refused-word",
        "/name",
        span(n),
        format!("Stripe's app review refuses public app names containing {list}; give the name only (e.g. \"HelpTable\", not \"HelpTable app\") and use the same name in the listing"),
        None,
    );
}

#[cfg(test)]
mod tests {
    use super::refused_words;
    use crate::manifest::rules::test_support::*;

    fn public(name: &str, extra: &str) -> String {
        manifest(&format!("\"distribution_type\": \"public\"{extra}"))
            .replace("\"Test\"", &format!("\"{name}\""))
    }

    #[test]
    fn every_refused_word_is_found_as_a_word() {
        assert_eq!(refused_words("Free Invoices"), vec!["free"]);
        assert_eq!(refused_words("Stripe App"), vec!["Stripe", "app"]);
        assert_eq!(refused_words("RAK Generator"), vec!["RAK", "Generator"]);
        assert_eq!(
            refused_words("Invoice API-Key Authenticator"),
            vec!["API Key", "Authenticator"]
        );
        assert_eq!(refused_words("Sync Apps"), vec!["app"]);
        assert!(
            refused_words("Happy Tools").is_empty(),
            "\"app\" inside a word is fine"
        );
        assert!(refused_words("Keyed API").is_empty());
        assert!(refused_words("HelpTable").is_empty());
    }

    #[test]
    fn refused_words_warn_until_release_and_only_for_public_apps() {
        let d = check(&public(
            "Free Invoices",
            ", \"sandbox_install_compatible\": false",
        ));
        let w = find(&d, "public-name-refused-word");
        assert_eq!(
            (w.severity.as_str(), w.pointer.as_str()),
            ("warning", "/name")
        );
        let r = check_release(&public(
            "HelpTable Generator",
            ", \"sandbox_install_compatible\": false",
        ));
        assert_eq!(
            find(&r, "public-name-refused-word").severity.as_str(),
            "error"
        );
        let private = check_release(&manifest("").replace("\"Test\"", "\"Stripe App\""));
        assert!(
            !has(&private, "public-name-refused-word"),
            "private apps are not reviewed"
        );
    }

    #[test]
    fn public_apps_must_declare_sandbox_support() {
        let d = check(&public("HelpTable", ""));
        assert_eq!(
            find(&d, "sandbox-support-undeclared").severity.as_str(),
            "info"
        );
        let r = check_release(&public("HelpTable", ""));
        assert_eq!(
            find(&r, "sandbox-support-undeclared").severity.as_str(),
            "error"
        );
        for v in ["true", "false"] {
            let ok = check_release(&public(
                "HelpTable",
                &format!(", \"sandbox_install_compatible\": {v}"),
            ));
            assert!(ok.is_empty(), "{v}: {:?}", codes(&ok));
        }
        assert!(!has(
            &check_release(&manifest("")),
            "sandbox-support-undeclared"
        ));
    }
}
