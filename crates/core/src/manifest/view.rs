//! A manifest as forms and lists show it: its fields read into a
//! [`ManifestView`], Stripe's defaults filled in, or why the text can't be read.
//!
//! Why in core: every face reads the same fields the same way (the desktop's
//! forms and lists get the view with each `ManifestState`, each validation of
//! unsaved text and each edit preview), so no face keeps its own parser or its
//! own idea of a default. Reading only: changes go through `edit`.
//!
//! Invariants: read leniently (comments and trailing commas let through, as
//! some real manifests have them) so the user sees the fields while fixing
//! what the validator reports; any other syntax error, or a root that is not
//! an object, leaves no view and says why (line and column, as the editor
//! counts). A value of the wrong type is shown as its JSON text (the validator
//! names the problem; the form shows what is written). Absent
//! `distribution_type` and `stripe_api_access_type` take the rules' defaults.

use serde::Serialize;
use ts_rs::TS;

use super::parse::{parse_lenient, Node, Value};
use super::rules::{DEFAULT_ACCESS_TYPE, DEFAULT_DISTRIBUTION};

/// One entry of `permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "GrantedPermission.ts")]
pub struct GrantedPermission {
    pub permission: String,
    /// Text for display; a locale map shows its first value.
    pub purpose: String,
    /// The purpose is a locale map (saving a new purpose replaces the map).
    pub purpose_is_map: bool,
}

/// One entry of `ui_extension.views`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "ViewEntry.ts")]
pub struct ViewEntry {
    pub viewport: String,
    pub component: String,
}

/// The fields a form or a list shows, as written (absent text is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "ManifestView.ts")]
pub struct ManifestView {
    pub id: String,
    pub name: String,
    pub version: String,
    pub icon: String,
    /// `distribution_type`, `private` when absent.
    pub distribution_type: String,
    /// `stripe_api_access_type`, `platform` when absent.
    pub access_type: String,
    pub sandbox_install_compatible: bool,
    pub redirect_uris: Vec<String>,
    pub permissions: Vec<GrantedPermission>,
    pub views: Vec<ViewEntry>,
    pub connect_src: Vec<String>,
    pub image_src: Vec<String>,
    pub csp_purpose: String,
    /// `post_install_action.type`; `None` without a `post_install_action` object.
    pub post_install_type: Option<String>,
    pub post_install_url: String,
}

/// The view of a text, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export, export_to = "ManifestRead.ts")]
pub enum ManifestRead {
    View { view: Box<ManifestView> },
    Unreadable { reason: String },
}

impl ManifestRead {
    pub fn view(&self) -> Option<&ManifestView> {
        match self {
            ManifestRead::View { view } => Some(view),
            ManifestRead::Unreadable { .. } => None,
        }
    }
}

/// Reads a manifest's text into its view.
pub fn read(text: &str) -> ManifestRead {
    let parsed = match parse_lenient(text) {
        Ok(p) => p,
        Err(d) => {
            return ManifestRead::Unreadable {
                reason: format!("line {}, column {}: {}", d.line, d.column, d.message),
            }
        }
    };
    let root = &parsed.root;
    if root.as_object().is_none() {
        return ManifestRead::Unreadable {
            reason: format!(
                "the manifest is {}, not a JSON object such as {{\"id\": \"com.example.app\"}}",
                root.type_name()
            ),
        };
    }
    let ext = root.get("ui_extension").filter(|n| n.as_object().is_some());
    let csp = ext
        .and_then(|e| e.get("content_security_policy"))
        .filter(|n| n.as_object().is_some());
    let post = root
        .get("post_install_action")
        .filter(|n| n.as_object().is_some());
    let field = |node: Option<&Node>, key: &str| text_of(node.and_then(|n| n.get(key)));
    ManifestRead::View {
        view: Box::new(ManifestView {
            id: field(Some(root), "id"),
            name: field(Some(root), "name"),
            version: field(Some(root), "version"),
            icon: field(Some(root), "icon"),
            distribution_type: or_default(
                field(Some(root), "distribution_type"),
                DEFAULT_DISTRIBUTION,
            ),
            access_type: or_default(
                field(Some(root), "stripe_api_access_type"),
                DEFAULT_ACCESS_TYPE,
            ),
            sandbox_install_compatible: matches!(
                root.get("sandbox_install_compatible").map(|n| &n.value),
                Some(Value::Bool(true))
            ),
            redirect_uris: texts(root.get("allowed_redirect_uris")),
            permissions: items(root.get("permissions")).iter().map(granted).collect(),
            views: items(ext.and_then(|e| e.get("views")))
                .iter()
                .map(|v| match v.as_object() {
                    Some(_) => ViewEntry {
                        viewport: text_of(v.get("viewport")),
                        component: text_of(v.get("component")),
                    },
                    None => ViewEntry {
                        viewport: text_of(Some(v)),
                        component: String::new(),
                    },
                })
                .collect(),
            connect_src: texts(csp.and_then(|c| c.get("connect-src"))),
            image_src: texts(csp.and_then(|c| c.get("image-src"))),
            csp_purpose: field(csp, "purpose"),
            post_install_type: post.map(|p| text_of(p.get("type"))),
            post_install_url: field(post, "url"),
        }),
    }
}

/// A string as written; another value as its JSON text; nothing (or null) as "".
fn text_of(node: Option<&Node>) -> String {
    match node.map(|n| &n.value) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => node.map(|n| n.to_json().to_string()).unwrap_or_default(),
    }
}

fn or_default(value: String, default: &str) -> String {
    if value.is_empty() {
        default.to_string()
    } else {
        value
    }
}

fn items(node: Option<&Node>) -> &[Node] {
    node.and_then(Node::as_array).unwrap_or_default()
}

fn texts(node: Option<&Node>) -> Vec<String> {
    items(node).iter().map(|n| text_of(Some(n))).collect()
}

/// An object entry, or a bare string (a shape Stripe's older examples use).
fn granted(entry: &Node) -> GrantedPermission {
    if entry.as_object().is_none() {
        return GrantedPermission {
            permission: text_of(Some(entry)),
            purpose: String::new(),
            purpose_is_map: false,
        };
    }
    let purpose = entry.get("purpose");
    let map = purpose.and_then(Node::as_object);
    GrantedPermission {
        permission: text_of(entry.get("permission")),
        purpose: match map {
            Some(locales) => text_of(locales.first().map(|p| &p.value)),
            None => text_of(purpose),
        },
        purpose_is_map: map.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view_of(text: &str) -> ManifestView {
        match read(text) {
            ManifestRead::View { view } => *view,
            ManifestRead::Unreadable { reason } => panic!("unreadable: {reason}"),
        }
    }

    #[test]
    fn reads_fields_bare_string_permissions_and_locale_map_purposes() {
        let view = view_of(
            r#"{"id": "a",
              "permissions": ["customer_read", {"permission": "charge_read", "purpose": {"en-US": "Charges", "fr": "Paiements"}}],
              "ui_extension": {"views": [{"viewport": "settings", "component": "S"}],
                               "content_security_policy": {"connect-src": ["https://x.com/a/"]}},
              "post_install_action": {"type": "external", "url": "https://x.com/w"}}"#,
        );
        assert_eq!(
            view.permissions,
            [
                GrantedPermission {
                    permission: "customer_read".into(),
                    purpose: String::new(),
                    purpose_is_map: false
                },
                GrantedPermission {
                    permission: "charge_read".into(),
                    purpose: "Charges".into(),
                    purpose_is_map: true
                },
            ],
            "a locale map shows its first value"
        );
        assert_eq!(
            view.views,
            [ViewEntry {
                viewport: "settings".into(),
                component: "S".into()
            }]
        );
        assert_eq!(view.connect_src, ["https://x.com/a/"]);
        assert!(view.image_src.is_empty());
        assert_eq!(view.post_install_type.as_deref(), Some("external"));
        assert_eq!(view.post_install_url, "https://x.com/w");
    }

    #[test]
    fn absent_fields_take_the_rules_defaults() {
        let view = view_of(r#"{"id": "a"}"#);
        assert_eq!(view.distribution_type, "private", "Stripe's default");
        assert_eq!(view.access_type, "platform", "Stripe's default");
        assert!(!view.sandbox_install_compatible);
        assert_eq!(view.post_install_type, None, "no post_install_action");
        let set = view_of(
            r#"{"distribution_type": "public", "stripe_api_access_type": "oauth",
                "sandbox_install_compatible": true, "post_install_action": {}}"#,
        );
        assert_eq!(
            (set.distribution_type.as_str(), set.access_type.as_str()),
            ("public", "oauth")
        );
        assert!(set.sandbox_install_compatible);
        assert_eq!(set.post_install_type.as_deref(), Some(""));
    }

    #[test]
    fn a_wrong_type_is_shown_as_written() {
        let view = view_of(
            r#"{"version": 1, "sandbox_install_compatible": "true",
                "allowed_redirect_uris": ["https://a.example/cb", 7], "name": null}"#,
        );
        assert_eq!(view.version, "1");
        assert!(
            !view.sandbox_install_compatible,
            "only the boolean true is true"
        );
        assert_eq!(view.redirect_uris, ["https://a.example/cb", "7"]);
        assert_eq!(view.name, "");
    }

    #[test]
    fn tolerates_comments_and_trailing_commas_but_not_other_syntax_errors() {
        let view = view_of(
            "{\n  // a comment with \"quotes\"\n  \"name\": \"a // not a comment\" /* block */,\n}",
        );
        assert_eq!(view.name, "a // not a comment");
        assert_eq!(
            view_of("{\"allowed_redirect_uris\": [\"https://x.com/\"]} // c").redirect_uris,
            ["https://x.com/"]
        );
        match read("{\"name\": }") {
            ManifestRead::Unreadable { reason } => {
                assert!(reason.starts_with("line 1, column 10: "), "{reason}")
            }
            other => panic!("a syntax error leaves no view: {other:?}"),
        }
        assert!(read("").view().is_none(), "empty");
        assert!(read("[1]").view().is_none(), "not an object");
    }

    #[test]
    fn the_json_shape_is_what_the_ui_reads() {
        let json = serde_json::to_value(read("{\"id\": \"a\"}")).unwrap();
        assert_eq!(json["kind"], "view");
        assert_eq!(json["view"]["distribution_type"], "private");
        let json = serde_json::to_value(read("{")).unwrap();
        assert_eq!(json["kind"], "unreadable");
        assert!(json["reason"].as_str().is_some_and(|r| !r.is_empty()));
    }
}
