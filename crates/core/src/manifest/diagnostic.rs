//! Diagnostics: what the validator says about a manifest, and where.
//!
//! Invariant: every diagnostic has a stable `code` (kebab-case, scripts match on
//! it), a message that says what to do, a JSON pointer and a 1-based line/column
//! in the file it belongs to. `suggestion` is the replacement value when one exists.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "Severity.ts")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "Diagnostic.ts")]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// RFC 6901 pointer to the value concerned ("" for the whole document).
    pub pointer: String,
    pub line: u32,
    pub column: u32,
    /// Byte range in the file, for editors that underline.
    pub start: u32,
    pub end: u32,
    /// The replacement value, when there is one obvious fix.
    pub suggestion: Option<String>,
    /// The file this diagnostic belongs to, when it differs from the one validated
    /// (a merged extension manifest points back into the base file).
    pub file: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Escapes one RFC 6901 reference token.
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
