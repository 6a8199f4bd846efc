//! Extension manifests: `stripe-app.<name>.json` files that `extends` a base
//! manifest and override some of its fields during development.
//!
//! The file itself is checked as overrides (every field optional). Then it is
//! merged over its base, objects key by key and everything else (arrays
//! included) replaced whole, which is how `stripe apps start --manifest` reads
//! them, and the result is checked as a manifest Stripe would load. Each merged
//! diagnostic points into the file its value came from: the extension when it
//! sets that value, otherwise the base (with `file` set to the base's path).

use std::path::Path;

use super::diagnostic::Diagnostic;
use super::parse::{parse, Node};
use super::validate::{validate_text, ValidateOptions};

/// Objects merge key by key; any other value in `over` replaces `base`'s.
pub fn merge(base: &serde_json::Value, over: &serde_json::Value) -> serde_json::Value {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            let mut out = b.clone();
            for (k, v) in o {
                let merged = match b.get(k) {
                    Some(bv) => merge(bv, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            out.remove("extends");
            serde_json::Value::Object(out)
        }
        _ => over.clone(),
    }
}

/// The development extension Stripe's CLI is usually started with.
pub const DEV_EXTENSION: &str = "stripe-app.dev.json";

fn lenient(text: &str) -> Option<serde_json::Value> {
    jsonc_parser::parse_to_serde_value::<Option<serde_json::Value>>(text, &Default::default())
        .ok()
        .flatten()
}

/// The manifest as a local sandbox should see it, like `stripe apps start
/// --manifest stripe-app.dev.json`: an extension manifest merged over its base;
/// a base manifest merged with a `stripe-app.dev.json` beside it that extends
/// it (where development values such as a localhost CSP live: upload never
/// reads it);
/// otherwise the file as it is. Comments and trailing commas are tolerated
/// here (the validator reports them).
pub fn dev_view(path: &Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let own_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let Some(own) = lenient(&text) else {
        return Ok(text);
    };
    let merged = if let Some(base_name) = own["extends"].as_str() {
        std::fs::read_to_string(dir.join(base_name))
            .ok()
            .and_then(|b| lenient(&b))
            .map(|base| merge(&base, &own))
    } else {
        std::fs::read_to_string(dir.join(DEV_EXTENSION))
            .ok()
            .and_then(|d| lenient(&d))
            .filter(|dev| dev["extends"].as_str() == Some(own_name))
            .map(|dev| merge(&own, &dev))
    };
    Ok(match merged {
        Some(m) => serde_json::to_string_pretty(&m).unwrap_or(text),
        None => text,
    })
}

/// Diagnostics of the merged manifest that the extension's own check did not
/// already report, each placed in the file its value comes from.
pub fn validate_merged(path: &Path, text: &str) -> Vec<Diagnostic> {
    let Ok(ext) = parse(text) else { return vec![] };
    let Some(base_name) = ext.root.get("extends").and_then(Node::as_str) else {
        return vec![];
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let base_path = dir.join(base_name);
    let Ok(base_text) = std::fs::read_to_string(&base_path) else {
        return vec![]; // extends-not-found is reported by the extension's own check
    };
    let Ok(base) = parse(&base_text) else {
        return vec![]; // the base's syntax error is reported when it is validated
    };
    let merged = merge(&base.root.to_json(), &ext.root.to_json());
    let merged_text = serde_json::to_string_pretty(&merged).unwrap_or_default();
    let opts = ValidateOptions {
        base_dir: Some(dir.to_path_buf()),
        extension: false,
        merged: true,
        release: false,
    };
    let own = validate_text(
        text,
        &ValidateOptions {
            extension: true,
            ..ValidateOptions::for_path(path)
        },
    );
    // A base problem that survives the merge is reported exactly as the base's
    // own check places it (key or value), in the base file.
    let base_own = validate_text(&base_text, &ValidateOptions::for_path(&base_path));
    let same = |a: &Diagnostic, b: &Diagnostic| a.code == b.code && a.pointer == b.pointer;
    validate_text(&merged_text, &opts)
        .into_iter()
        .filter(|d| !own.iter().any(|o| same(o, d)))
        .map(|d| match base_own.iter().find(|b| same(b, &d)) {
            Some(b) => Diagnostic {
                file: Some(base_path.display().to_string()),
                ..b.clone()
            },
            None => relocate(d, &ext, &base, &base_path),
        })
        .collect()
}

fn relocate(
    d: Diagnostic,
    ext: &super::parse::Parsed<'_>,
    base: &super::parse::Parsed<'_>,
    base_path: &Path,
) -> Diagnostic {
    let place = |p: &super::parse::Parsed<'_>, node: &Node, file: Option<String>| {
        let mut placed = p.diag(
            d.severity,
            &d.code,
            &d.pointer,
            (node.start, node.end),
            format!("{} (in the merged manifest)", d.message),
            d.suggestion.clone(),
        );
        placed.file = file;
        placed
    };
    if let Some(node) = ext.root.lookup(&d.pointer) {
        return place(ext, node, None);
    }
    if let Some(node) = base.root.lookup(&d.pointer) {
        return place(base, node, Some(base_path.display().to_string()));
    }
    // A missing field: point at the extension's top-level object.
    place(ext, &ext.root, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::validate::validate_at;

    const BASE: &str = "{\n  \"id\": \"com.example.x\",\n  \"version\": \"1.0.0\",\n  \"name\": \"X\",\n  \"distribution_type\": \"public\",\n  \"stripe_api_access_type\": \"oauth\",\n  \"allowed_redirect_uris\": [\"https://x.example.com/cb\"]\n}\n";

    fn project(ext: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("stripe-app.json"), BASE).unwrap();
        let p = dir.path().join("stripe-app.dev.json");
        std::fs::write(&p, ext).unwrap();
        (dir, p)
    }

    #[test]
    fn dev_view_merges_the_dev_extension_or_the_base() {
        let (d, ext) = project("{\n  \"extends\": \"stripe-app.json\",\n  \"allowed_redirect_uris\": [\"http://127.0.0.1/callback\"]\n}\n");
        let from_base: serde_json::Value =
            serde_json::from_str(&dev_view(&d.path().join("stripe-app.json")).unwrap()).unwrap();
        assert_eq!(
            from_base["allowed_redirect_uris"],
            serde_json::json!(["http://127.0.0.1/callback"])
        );
        assert_eq!(from_base["id"], "com.example.x");
        assert!(from_base.get("extends").is_none());
        let from_ext: serde_json::Value = serde_json::from_str(&dev_view(&ext).unwrap()).unwrap();
        assert_eq!(from_base, from_ext);
        let alone = tempfile::tempdir().unwrap();
        let p = alone.path().join("stripe-app.json");
        std::fs::write(&p, BASE).unwrap();
        assert_eq!(
            dev_view(&p).unwrap(),
            BASE,
            "no dev extension: the file as it is"
        );
    }

    #[test]
    fn merge_replaces_arrays_and_merges_objects() {
        let b = serde_json::json!({"a": {"x": 1, "y": 2}, "l": [1, 2]});
        let o = serde_json::json!({"a": {"y": 3}, "l": [9], "extends": "stripe-app.json"});
        assert_eq!(
            merge(&b, &o),
            serde_json::json!({"a": {"x": 1, "y": 3}, "l": [9]})
        );
    }

    #[test]
    fn a_dev_extension_with_a_loopback_redirect_is_clean() {
        let (_d, p) = project("{\n  \"extends\": \"stripe-app.json\",\n  \"allowed_redirect_uris\": [\"http://127.0.0.1:8080/callback\"]\n}\n");
        let d = validate_at(&p, &std::fs::read_to_string(&p).unwrap());
        let codes: Vec<_> = d.iter().map(|x| (x.severity, x.code.as_str())).collect();
        assert_eq!(
            codes,
            vec![(crate::manifest::Severity::Info, "redirect-uri-in-extension")],
            "only the note that these URIs never reach Stripe"
        );
    }

    #[test]
    fn merged_errors_point_into_the_file_that_sets_the_value() {
        // The extension empties the redirect list: an OAuth app then has none.
        let (_d, p) =
            project("{\n  \"extends\": \"stripe-app.json\",\n  \"allowed_redirect_uris\": []\n}\n");
        let d = validate_at(&p, &std::fs::read_to_string(&p).unwrap());
        let e = d
            .iter()
            .find(|x| x.code == "oauth-requires-redirect")
            .expect("merged error");
        // stripe_api_access_type is set by the base, so that is where it points.
        assert!(e.file.as_deref().unwrap().ends_with("stripe-app.json"));
        assert_eq!(e.line, 6);
        // Going private in the extension breaks OAuth: points into the extension.
        let (_d, p) = project(
            "{\n  \"extends\": \"stripe-app.json\",\n  \"distribution_type\": \"private\"\n}\n",
        );
        let d = validate_at(&p, &std::fs::read_to_string(&p).unwrap());
        assert!(
            d.iter().any(|x| x.code == "oauth-requires-public"),
            "{d:#?}"
        );
    }

    #[test]
    fn dev_extensions_may_use_http_loopback_csp_and_base_issues_keep_their_place() {
        let (d, p) = project("{\n  \"extends\": \"stripe-app.json\",\n  \"ui_extension\": {\"content_security_policy\": {\"connect-src\": [\"http://localhost:8080/api/\"], \"purpose\": \"dev\"}}\n}\n");
        std::fs::write(
            d.path().join("stripe-app.json"),
            BASE.replace("\"id\"", "\"app_backend\": {},\n  \"id\""),
        )
        .unwrap();
        let diags = validate_at(&p, &std::fs::read_to_string(&p).unwrap());
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let legacy = &diags[0];
        assert_eq!(legacy.code, "legacy-field");
        assert!(legacy.file.as_deref().unwrap().ends_with("stripe-app.json"));
        assert_eq!(
            (legacy.line, legacy.column),
            (2, 3),
            "at the key, as the base's own check puts it"
        );
    }

    #[test]
    fn overrides_are_checked_on_their_own_too() {
        let (_d, p) = project("{\n  \"extends\": \"stripe-app.json\",\n  \"permissions\": [{\"permission\": \"customers_read\", \"purpose\": \"x\"}]\n}\n");
        let d = validate_at(&p, &std::fs::read_to_string(&p).unwrap());
        assert_eq!(
            d.iter().filter(|x| x.code == "unknown-permission").count(),
            1,
            "{d:#?}"
        );
        let e = &d[0];
        assert_eq!((e.line, e.file.as_deref()), (3, None));
        let (_d, p) = project("{\n  \"extends\": \"stripe-app.prod.json\"\n}\n");
        let d = validate_at(&p, &std::fs::read_to_string(&p).unwrap());
        assert!(d.iter().any(|x| x.code == "extends-not-found"));
    }
}
