//! The manifest rules, one file per area; this module holds what they share.
//!
//! Invariants: rules never panic on any tree (wrong types are diagnostics);
//! messages say what to do and carry no array index (the pointer does), so the
//! edit engine can compare "errors before" with "errors after" an edit even
//! when indices shift.

mod csp;
mod fields;
#[cfg(test)]
mod fields_tests;
mod permissions;
mod redirects;
mod review;

pub use fields::{DEFAULT_ACCESS_TYPE, DEFAULT_DISTRIBUTION, KNOWN_FIELDS};
pub use redirects::is_loopback_host as is_loopback;
pub use views::{EXTRA_VIEWPORTS, SCHEMA_ONLY_VIEWPORTS, VIEWPORTS};
mod views;

use super::diagnostic::{Diagnostic, Severity};
use super::parse::{Node, Parsed, Prop};
use super::validate::ValidateOptions;
use crate::catalog::Catalog;

/// What every rule gets: the parsed file, the catalog, the options, and the sink.
pub(crate) struct Ctx<'p, 'a> {
    pub p: &'p Parsed<'a>,
    pub catalog: &'p Catalog,
    pub opts: &'p ValidateOptions,
    pub out: Vec<Diagnostic>,
}

impl Ctx<'_, '_> {
    pub fn push(
        &mut self,
        severity: Severity,
        code: &str,
        pointer: &str,
        range: (usize, usize),
        message: impl Into<String>,
        suggestion: Option<String>,
    ) {
        let d = self
            .p
            .diag(severity, code, pointer, range, message, suggestion);
        self.out.push(d);
    }

    pub fn error(&mut self, code: &str, pointer: &str, node: &Node, message: impl Into<String>) {
        self.push(Severity::Error, code, pointer, span(node), message, None);
    }

    pub fn warn(&mut self, code: &str, pointer: &str, node: &Node, message: impl Into<String>) {
        self.push(Severity::Warning, code, pointer, span(node), message, None);
    }

    pub fn info(&mut self, code: &str, pointer: &str, node: &Node, message: impl Into<String>) {
        self.push(Severity::Info, code, pointer, span(node), message, None);
    }

    /// Reports a wrong JSON type and returns false, so callers can stop there.
    pub fn expect_type(&mut self, pointer: &str, node: &Node, ok: bool, wanted: &str) -> bool {
        if !ok {
            self.error(
                "wrong-type",
                pointer,
                node,
                format!("expected {wanted}, found {}", node.type_name()),
            );
        }
        ok
    }

    /// True when the file is checked as an extension manifest (overrides only).
    pub fn extension(&self) -> bool {
        self.opts.extension
    }

    /// True for the base manifest itself: what `stripe apps upload` sends.
    pub fn base(&self) -> bool {
        !self.opts.extension && !self.opts.merged
    }

    /// `dev` while developing; an error in the release check (`--release`).
    pub fn until_release(&self, dev: Severity) -> Severity {
        if self.opts.release {
            Severity::Error
        } else {
            dev
        }
    }
}

pub fn span(node: &Node) -> (usize, usize) {
    (node.start, node.end)
}

pub fn key_span(prop: &Prop) -> (usize, usize) {
    (prop.key_start, prop.key_end)
}

/// Runs every rule over a parsed manifest.
pub fn run(parsed: &Parsed<'_>, catalog: &Catalog, opts: &ValidateOptions) -> Vec<Diagnostic> {
    let mut ctx = Ctx {
        p: parsed,
        catalog,
        opts,
        out: Vec::new(),
    };
    let root = &parsed.root;
    if root.as_object().is_none() {
        ctx.error(
            "wrong-type",
            "",
            root,
            format!(
                "a manifest is a JSON object such as {{\"id\": …, \"version\": …, \"name\": …}}, found {}",
                root.type_name()
            ),
        );
        return ctx.out;
    }
    fields::check(&mut ctx, root);
    permissions::check(&mut ctx, root);
    redirects::check(&mut ctx, root);
    views::check(&mut ctx, root);
    csp::check(&mut ctx, root);
    review::check(&mut ctx, root);
    ctx.out
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::manifest::diagnostic::Diagnostic;
    use crate::manifest::validate::{validate_text, ValidateOptions};

    pub fn check(text: &str) -> Vec<Diagnostic> {
        validate_text(text, &ValidateOptions::default())
    }

    pub fn check_release(text: &str) -> Vec<Diagnostic> {
        validate_text(
            text,
            &ValidateOptions {
                release: true,
                ..Default::default()
            },
        )
    }

    pub fn check_ext(text: &str) -> Vec<Diagnostic> {
        validate_text(
            text,
            &ValidateOptions {
                extension: true,
                ..Default::default()
            },
        )
    }

    /// A valid base manifest with `extra` spliced in as top-level fields.
    pub fn manifest(extra: &str) -> String {
        let sep = if extra.trim().is_empty() { "" } else { ",\n" };
        format!(
            "{{\n  \"id\": \"com.example.test\",\n  \"version\": \"1.0.0\",\n  \"name\": \"Test\"{sep}{extra}\n}}\n"
        )
    }

    pub fn codes(d: &[Diagnostic]) -> Vec<(String, String)> {
        d.iter()
            .map(|d| (d.severity.as_str().to_string(), d.code.clone()))
            .collect()
    }

    pub fn find<'a>(d: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
        d.iter()
            .find(|x| x.code == code)
            .unwrap_or_else(|| panic!("expected a {code} diagnostic, got {:?}", codes(d)))
    }

    pub fn has(d: &[Diagnostic], code: &str) -> bool {
        d.iter().any(|x| x.code == code)
    }
}
