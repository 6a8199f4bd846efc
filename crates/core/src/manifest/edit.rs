//! Minimal, formatting-preserving edits to a manifest.
//!
//! Each [`ManifestEdit`] becomes a change to the concrete syntax tree of
//! jsonc-parser, which keeps every untouched token (whitespace, key order,
//! indentation, the final newline) byte for byte. Invariant: an edit that would
//! introduce an error the text did not already have is refused with that
//! diagnostic and the text is returned unchanged; errors already elsewhere in
//! the file do not block unrelated edits (users fix one thing at a time).

use jsonc_parser::cst::{CstInputValue, CstObject, CstRootNode};
use jsonc_parser::ParseOptions;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cst::{
    add_unique, array_at, csp, csp_list, insert_field, object_at, permission_entry, remove_string,
    set_string, string_of,
};
use super::diagnostic::Diagnostic;
use super::validate::validate_at;
use crate::error::{Coded, ErrorCode};

/// One change a user can make, mirroring `stripe apps grant/revoke/set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export, export_to = "ManifestEdit.ts")]
pub enum ManifestEdit {
    GrantPermission {
        permission: String,
        purpose: String,
    },
    RevokePermission {
        permission: String,
    },
    SetPermissionPurpose {
        permission: String,
        purpose: String,
    },
    /// Adds a CSP `connect-src` URL; sets the CSP purpose when one is given.
    GrantConnectSrc {
        url: String,
        purpose: Option<String>,
    },
    RevokeConnectSrc {
        url: String,
    },
    GrantImageSrc {
        url: String,
    },
    RevokeImageSrc {
        url: String,
    },
    SetCspPurpose {
        purpose: String,
    },
    SetDistribution {
        value: String,
    },
    SetAccessType {
        value: String,
    },
    SetName {
        value: String,
    },
    SetVersion {
        value: String,
    },
    SetIcon {
        value: String,
    },
    SetId {
        value: String,
    },
    SetSandboxInstallCompatible {
        value: bool,
    },
    AddView {
        viewport: String,
        component: String,
    },
    RemoveView {
        viewport: String,
        component: String,
    },
    AddRedirectUri {
        uri: String,
    },
    RemoveRedirectUri {
        uri: String,
    },
    /// `action_type` `None` writes `null`; `url` only goes with `external`.
    SetPostInstallAction {
        action_type: Option<String>,
        url: Option<String>,
    },
}

/// The result of applying an edit: the new text and what the validator says of it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, export_to = "EditOutcome.ts")]
pub struct EditOutcome {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// True when the edit left the text as it was (e.g. granting a permission
    /// that is already granted with the same purpose).
    pub unchanged: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{message}")]
    Refused {
        message: String,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("{0}")]
    NotApplicable(String),
    #[error("the manifest is not valid JSON ({0}); fix the syntax error before editing")]
    Syntax(String),
}

impl Coded for EditError {
    fn code(&self) -> ErrorCode {
        match self {
            EditError::Refused { .. } => ErrorCode::EditRefused,
            EditError::NotApplicable(_) => ErrorCode::EditNotApplicable,
            EditError::Syntax(_) => ErrorCode::ManifestSyntax,
        }
    }
}

/// Applies `edit` to `text` (the file at `path`, for icon and extension checks).
///
/// Returns the new text and its diagnostics, or refuses: a syntax error in the
/// text (the tree can't be edited safely), an edit that doesn't apply, or one
/// that would add an error.
pub fn apply_edit(
    path: &std::path::Path,
    text: &str,
    edit: &ManifestEdit,
) -> Result<EditOutcome, EditError> {
    let before = validate_at(path, text);
    if let Some(syntax) = before.iter().find(|d| d.code.starts_with("json-")) {
        return Err(EditError::Syntax(format!(
            "line {}, column {}: {}",
            syntax.line, syntax.column, syntax.message
        )));
    }
    let root = CstRootNode::parse(text, &ParseOptions::default())
        .map_err(|e| EditError::Syntax(e.to_string()))?;
    let Some(obj) = root.object_value() else {
        return Err(EditError::NotApplicable(
            "the manifest is not a JSON object; fix it in the raw editor first".into(),
        ));
    };
    apply_to(&obj, edit)?;
    let new_text = root.to_string();
    let after = validate_at(path, &new_text);
    if new_text == text {
        return Ok(EditOutcome {
            text: new_text,
            diagnostics: after,
            unchanged: true,
        });
    }
    let introduced = new_errors(&before, &after);
    if let Some(first) = introduced.first() {
        return Err(EditError::Refused {
            message: format!(
                "refused: this change would add an error at line {}, column {}: {}",
                first.line, first.column, first.message
            ),
            diagnostics: introduced,
        });
    }
    Ok(EditOutcome {
        text: new_text,
        diagnostics: after,
        unchanged: false,
    })
}

/// Errors in `after` that `before` did not have, compared by code and message
/// (pointers and lines shift when an edit inserts or removes entries).
fn new_errors(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut old: Vec<(&str, &str)> = before
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.as_str(), d.message.as_str()))
        .collect();
    let mut out = Vec::new();
    for d in after.iter().filter(|d| d.is_error()) {
        match old
            .iter()
            .position(|o| *o == (d.code.as_str(), d.message.as_str()))
        {
            Some(i) => {
                old.swap_remove(i);
            }
            None => out.push(d.clone()),
        }
    }
    out
}

fn apply_to(obj: &CstObject, edit: &ManifestEdit) -> Result<(), EditError> {
    match edit {
        ManifestEdit::GrantPermission {
            permission,
            purpose,
        } => {
            let arr = array_at(obj, "permissions", true, true).ok_or_else(|| {
                EditError::NotApplicable(
                    "\"permissions\" is not an array; fix it in the raw editor first".into(),
                )
            })?;
            match permission_entry(&arr, permission) {
                Some(entry) => set_string(&entry, "purpose", purpose),
                None => {
                    arr.append(CstInputValue::Object(vec![
                        (
                            "permission".into(),
                            CstInputValue::String(permission.clone()),
                        ),
                        ("purpose".into(), CstInputValue::String(purpose.clone())),
                    ]));
                }
            }
        }
        ManifestEdit::RevokePermission { permission } => {
            let entry = obj
                .array_value("permissions")
                .and_then(|a| permission_entry(&a, permission))
                .ok_or_else(|| {
                    EditError::NotApplicable(format!(
                        "\"{permission}\" is not granted in this manifest"
                    ))
                })?;
            entry.remove();
        }
        ManifestEdit::SetPermissionPurpose {
            permission,
            purpose,
        } => {
            let entry = obj
                .array_value("permissions")
                .and_then(|a| permission_entry(&a, permission))
                .ok_or_else(|| {
                    EditError::NotApplicable(format!(
                        "\"{permission}\" is not granted in this manifest"
                    ))
                })?;
            set_string(&entry, "purpose", purpose);
        }
        ManifestEdit::GrantConnectSrc { url, purpose } => {
            let csp = csp(obj)?;
            let arr = array_at(&csp, "connect-src", true, false).ok_or_else(|| {
                EditError::NotApplicable("\"connect-src\" is not an array".into())
            })?;
            add_unique(&arr, url);
            if let Some(p) = purpose {
                set_string(&csp, "purpose", p);
            }
        }
        ManifestEdit::RevokeConnectSrc { url } => {
            remove_string(csp_list(obj, "connect-src"), url, "connect-src URL")?
        }
        ManifestEdit::GrantImageSrc { url } => {
            let csp = csp(obj)?;
            let arr = array_at(&csp, "image-src", true, false)
                .ok_or_else(|| EditError::NotApplicable("\"image-src\" is not an array".into()))?;
            add_unique(&arr, url);
        }
        ManifestEdit::RevokeImageSrc { url } => {
            remove_string(csp_list(obj, "image-src"), url, "image-src URL")?
        }
        ManifestEdit::SetCspPurpose { purpose } => set_string(&csp(obj)?, "purpose", purpose),
        ManifestEdit::SetDistribution { value } => set_string(obj, "distribution_type", value),
        ManifestEdit::SetAccessType { value } => set_string(obj, "stripe_api_access_type", value),
        ManifestEdit::SetName { value } => set_string(obj, "name", value),
        ManifestEdit::SetVersion { value } => set_string(obj, "version", value),
        ManifestEdit::SetIcon { value } => set_string(obj, "icon", value),
        ManifestEdit::SetId { value } => set_string(obj, "id", value),
        ManifestEdit::SetSandboxInstallCompatible { value } => {
            match obj.get("sandbox_install_compatible") {
                Some(prop) => prop.set_value(CstInputValue::Bool(*value)),
                None => insert_field(
                    obj,
                    "sandbox_install_compatible",
                    CstInputValue::Bool(*value),
                ),
            }
        }
        ManifestEdit::AddView {
            viewport,
            component,
        } => {
            let ui = object_at(obj, "ui_extension", true)?;
            let views = array_at(&ui, "views", true, false)
                .ok_or_else(|| EditError::NotApplicable("\"views\" is not an array".into()))?;
            let exists = views.elements().iter().any(|v| {
                v.as_object()
                    .and_then(|o| o.get("viewport")?.value())
                    .and_then(|n| string_of(&n))
                    .as_deref()
                    == Some(viewport.as_str())
            });
            if exists {
                return Err(EditError::NotApplicable(format!(
                    "\"{viewport}\" already has a view; remove it first (one view per viewport)"
                )));
            }
            views.append(CstInputValue::Object(vec![
                ("viewport".into(), CstInputValue::String(viewport.clone())),
                ("component".into(), CstInputValue::String(component.clone())),
            ]));
        }
        ManifestEdit::RemoveView {
            viewport,
            component,
        } => {
            let found = obj
                .object_value("ui_extension")
                .and_then(|u| u.array_value("views"))
                .and_then(|views| {
                    views.elements().into_iter().find(|v| {
                        let field = |k: &str| {
                            v.as_object()
                                .and_then(|o| o.get(k)?.value())
                                .and_then(|n| string_of(&n))
                        };
                        field("viewport").as_deref() == Some(viewport.as_str())
                            && field("component").as_deref() == Some(component.as_str())
                    })
                });
            match found {
                Some(v) => v.remove(),
                None => {
                    return Err(EditError::NotApplicable(format!(
                        "no view renders \"{component}\" in \"{viewport}\""
                    )))
                }
            }
        }
        ManifestEdit::AddRedirectUri { uri } => {
            let arr = array_at(obj, "allowed_redirect_uris", true, true).ok_or_else(|| {
                EditError::NotApplicable("\"allowed_redirect_uris\" is not an array".into())
            })?;
            add_unique(&arr, uri);
        }
        ManifestEdit::RemoveRedirectUri { uri } => remove_string(
            obj.array_value("allowed_redirect_uris"),
            uri,
            "redirect URI",
        )?,
        ManifestEdit::SetPostInstallAction { action_type, url } => {
            let value = match action_type {
                None => CstInputValue::Null,
                Some(t) => {
                    let mut fields = vec![("type".to_string(), CstInputValue::String(t.clone()))];
                    if let Some(u) = url {
                        fields.push(("url".into(), CstInputValue::String(u.clone())));
                    }
                    CstInputValue::Object(fields)
                }
            };
            match obj.get("post_install_action") {
                Some(prop) => prop.set_value(value),
                None => insert_field(obj, "post_install_action", value),
            }
        }
    }
    Ok(())
}
