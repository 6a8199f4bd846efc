//! How the CLI prints: compiler-style diagnostics, `error[code]: message` lines,
//! the one-line summary, and the JSON shapes scripts read.
//!
//! Invariants: the JSON diagnostic has exactly the keys `severity, code, message,
//! pointer, line, column, suggestion` (plus `file` only when the diagnostic
//! belongs to another file than the one named), in that order, one object per
//! line; byte offsets (`start`/`end`) stay out of it (they are for editors, not
//! scripts). Color is ANSI only, decided once per stream by the caller
//! ([`crate::context::Ctx`]); with color off the text is plain ASCII.

use std::io::{self, Write};

use appdeck_core::error::ErrorCode;
use appdeck_core::manifest::{Diagnostic, Severity};
use serde::Serialize;

/// ANSI painting, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint {
    enabled: bool,
}

impl Paint {
    pub fn new(enabled: bool) -> Self {
        Paint { enabled }
    }

    fn wrap(self, sgr: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }

    pub fn severity(self, severity: Severity, text: &str) -> String {
        match severity {
            Severity::Error => self.wrap("1;31", text),
            Severity::Warning => self.wrap("1;33", text),
            Severity::Info => self.wrap("1;36", text),
        }
    }
}

/// `error[code]: message` on the error stream; `code` is Appdeck's own.
pub fn error_line(
    w: &mut dyn Write,
    paint: Paint,
    code: ErrorCode,
    message: &str,
) -> io::Result<()> {
    labelled_error_line(w, paint, &code.as_str(), message)
}

/// `error[label]: message` for an error the API answered with, labelled
/// with Stripe's own `type/code` (or `http-STATUS`), which is not Appdeck's.
pub fn api_error_line(
    w: &mut dyn Write,
    paint: Paint,
    label: &str,
    message: &str,
) -> io::Result<()> {
    labelled_error_line(w, paint, label, message)
}

fn labelled_error_line(
    w: &mut dyn Write,
    paint: Paint,
    label: &str,
    message: &str,
) -> io::Result<()> {
    writeln!(
        w,
        "{}: {message}",
        paint.severity(Severity::Error, &format!("error[{label}]"))
    )
}

/// `{"code","message"}`: a failure as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct JsonError<'a> {
    pub code: ErrorCode,
    pub message: &'a str,
}

/// A diagnostic as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: &'static str,
    pub code: &'a str,
    pub message: &'a str,
    pub pointer: &'a str,
    pub line: u32,
    pub column: u32,
    pub suggestion: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            severity: d.severity.as_str(),
            code: &d.code,
            message: &d.message,
            pointer: &d.pointer,
            line: d.line,
            column: d.column,
            suggestion: d.suggestion.as_deref(),
            file: d.file.as_deref(),
        }
    }
}

pub fn json_diagnostics(diagnostics: &[Diagnostic]) -> Vec<JsonDiagnostic<'_>> {
    diagnostics.iter().map(JsonDiagnostic::from).collect()
}

/// One JSON value on one line.
pub fn json_line<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    writeln!(w)
}

/// `file:line:column: severity[code]: message`, then `  help: replace with "X"`
/// when there is a suggestion. `file` is the file validated; a diagnostic that
/// belongs to another file (the base of an extension manifest) names that one.
pub fn diagnostic(w: &mut dyn Write, paint: Paint, file: &str, d: &Diagnostic) -> io::Result<()> {
    let location = format!(
        "{}:{}:{}:",
        d.file.as_deref().unwrap_or(file),
        d.line,
        d.column
    );
    let label = format!("{}[{}]", d.severity.as_str(), d.code);
    writeln!(
        w,
        "{} {}: {}",
        paint.bold(&location),
        paint.severity(d.severity, &label),
        d.message
    )?;
    if let Some(s) = &d.suggestion {
        writeln!(w, "  {}: replace with {}", paint.green("help"), quoted(s))?;
    }
    Ok(())
}

/// A JSON string literal, so an empty or spaced suggestion stays visible.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// "1 error", "2 warnings".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Diagnostic counts across a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Tally {
    pub fn add(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// `2 errors, 1 warning in 1 file` (`, 1 info` only when there are some;
    /// `; 1 file could not be read` only when one could not).
    pub fn summary(&self, files: usize, unreadable: usize) -> String {
        let mut s = format!(
            "{}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        );
        if self.infos > 0 {
            s.push_str(&format!(", {} info", self.infos));
        }
        s.push_str(&format!(" in {}", plural(files, "file")));
        if unreadable > 0 {
            s.push_str(&format!(
                "; {} could not be read",
                plural(unreadable, "file")
            ));
        }
        s
    }
}

/// Cuts `text` to at most `max` characters, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(suggestion: Option<&str>, file: Option<&str>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: "permission-unknown".into(),
            message: "\"customers_read\" is not a permission".into(),
            pointer: "/permissions/0/permission".into(),
            line: 7,
            column: 21,
            start: 100,
            end: 116,
            suggestion: suggestion.map(String::from),
            file: file.map(String::from),
        }
    }

    #[test]
    fn json_diagnostic_has_exactly_the_documented_keys_in_order() {
        let d = diag(Some("customer_read"), None);
        let v = serde_json::to_string(&JsonDiagnostic::from(&d)).unwrap();
        assert_eq!(
            v,
            r#"{"severity":"error","code":"permission-unknown","message":"\"customers_read\" is not a permission","pointer":"/permissions/0/permission","line":7,"column":21,"suggestion":"customer_read"}"#
        );
        let other = diag(None, Some("base/stripe-app.json"));
        let v: serde_json::Value = serde_json::to_value(JsonDiagnostic::from(&other)).unwrap();
        assert_eq!(
            v["file"], "base/stripe-app.json",
            "file appears only when set"
        );
        assert!(
            v["suggestion"].is_null(),
            "suggestion is always present, null when none"
        );
    }

    #[test]
    fn human_diagnostic_is_compiler_style_with_a_help_line() {
        let mut buf = Vec::new();
        diagnostic(
            &mut buf,
            Paint::new(false),
            "stripe-app.json",
            &diag(Some("customer_read"), None),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "stripe-app.json:7:21: error[permission-unknown]: \"customers_read\" is not a permission\n  help: replace with \"customer_read\"\n"
        );
    }

    #[test]
    fn summary_pluralizes_and_mentions_infos_only_when_present() {
        let t = Tally {
            errors: 2,
            warnings: 1,
            infos: 0,
        };
        assert_eq!(t.summary(1, 0), "2 errors, 1 warning in 1 file");
        let t = Tally {
            errors: 0,
            warnings: 0,
            infos: 3,
        };
        assert_eq!(
            t.summary(2, 1),
            "0 errors, 0 warnings, 3 info in 2 files; 1 file could not be read"
        );
    }

    #[test]
    fn core_codes_print_kebab_case() {
        assert_eq!(
            ErrorCode::ManifestUnreadable.as_str(),
            "manifest-unreadable"
        );
    }

    #[test]
    fn truncate_counts_characters_not_bytes() {
        assert_eq!(truncate("héllo wörld", 6), "héllo…");
        assert_eq!(truncate("short", 10), "short");
    }
}
