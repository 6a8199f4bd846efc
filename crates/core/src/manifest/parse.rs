//! Strict JSON → a positioned tree the rules walk.
//!
//! jsonc-parser does the scanning (it knows comments and trailing commas, so it
//! can name them instead of failing with "invalid JSON"); we parse strictly,
//! because Stripe's CLI rejects both, and convert its AST into an owned tree of
//! byte ranges so rules can point at any key or value. [`parse_lenient`] lets
//! comments and trailing commas through, only to show a manifest's fields while
//! the user fixes them (`view`). Invariant: never panics on any input (fuzzed);
//! every failure is a [`Diagnostic`] with a line and column.

use jsonc_parser::ast;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::diagnostic::{pointer_token, Diagnostic, Severity};
use crate::textpos::LineIndex;

/// A JSON value with the byte range it spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub start: usize,
    pub end: usize,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Prop>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prop {
    pub key: String,
    pub key_start: usize,
    pub key_end: usize,
    pub value: Node,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Prop]> {
        match &self.value {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The first property named `key` (duplicates are reported separately).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.prop(key).map(|p| &p.value)
    }

    pub fn prop(&self, key: &str) -> Option<&Prop> {
        self.as_object()?.iter().find(|p| p.key == key)
    }

    /// The node at an RFC 6901 pointer, if present.
    pub fn lookup(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for raw in pointer.split('/').skip(1) {
            let token = raw.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Object(_) => node.get(&token)?,
                Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// A short name for the JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Converts to serde_json, for merging and for the UI's form.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => n
                .parse::<serde_json::Number>()
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Node::to_json).collect()),
            Value::Object(o) => serde_json::Value::Object(
                o.iter()
                    .map(|p| (p.key.clone(), p.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A parsed manifest: its text, its tree, and helpers to place diagnostics.
pub struct Parsed<'a> {
    pub text: &'a str,
    pub root: Node,
    lines: LineIndex<'a>,
}

impl<'a> Parsed<'a> {
    pub fn diag(
        &self,
        severity: Severity,
        code: &str,
        pointer: &str,
        range: (usize, usize),
        message: impl Into<String>,
        suggestion: Option<String>,
    ) -> Diagnostic {
        at(
            &self.lines,
            severity,
            code,
            pointer,
            range,
            message.into(),
            suggestion,
        )
    }
}

fn at(
    lines: &LineIndex<'_>,
    severity: Severity,
    code: &str,
    pointer: &str,
    range: (usize, usize),
    message: String,
    suggestion: Option<String>,
) -> Diagnostic {
    let (line, column) = lines.position(range.0);
    Diagnostic {
        severity,
        code: code.to_string(),
        message,
        pointer: pointer.to_string(),
        line,
        column,
        start: range.0 as u32,
        end: range.1 as u32,
        suggestion,
        file: None,
    }
}

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Comments and trailing commas allowed: how a manifest is read to be shown
/// (`view`), never to be validated, since Stripe's CLI rejects both.
fn lenient() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        ..strict()
    }
}

/// Parses strictly. On failure returns the syntax diagnostic (exactly one:
/// later errors are usually consequences of the first).
pub fn parse(text: &str) -> Result<Parsed<'_>, Box<Diagnostic>> {
    parse_with(text, &strict())
}

/// Parses like [`parse`] but lets comments and trailing commas through.
pub fn parse_lenient(text: &str) -> Result<Parsed<'_>, Box<Diagnostic>> {
    parse_with(text, &lenient())
}

fn parse_with<'a>(text: &'a str, options: &ParseOptions) -> Result<Parsed<'a>, Box<Diagnostic>> {
    let lines = LineIndex::new(text);
    let bom = text.starts_with('\u{feff}');
    if bom {
        return Err(Box::new(at(
            &lines,
            Severity::Error,
            "json-bom",
            "",
            (0, 3),
            "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM".into(),
            None,
        )));
    }
    let collect = CollectOptions {
        comments: jsonc_parser::CommentCollectionStrategy::Off,
        tokens: false,
    };
    match jsonc_parser::parse_to_ast(text, &collect, options) {
        Ok(result) => match result.value {
            Some(v) => {
                let mut dupes = Vec::new();
                let root = convert(&v, "", &mut dupes);
                if let Some((pointer, range, key)) = dupes.into_iter().next() {
                    return Err(Box::new(at(
                        &lines,
                        Severity::Error,
                        "json-duplicate-key",
                        &pointer,
                        range,
                        format!("\"{key}\" appears twice in the same object; keep one (Stripe would read only one of them)"),
                        None,
                    )));
                }
                Ok(Parsed { text, root, lines })
            }
            None => Err(Box::new(at(
                &lines,
                Severity::Error,
                "json-empty",
                "",
                (0, text.len()),
                "the file is empty; a manifest is a JSON object such as {\"id\": \"com.example.app\", \"version\": \"0.0.1\", \"name\": \"Example\"}".into(),
                None,
            ))),
        },
        Err(e) => {
            let r = e.range();
            Err(Box::new(at(
                &lines,
                Severity::Error,
                syntax_code(e.kind()),
                "",
                (r.start, r.end),
                syntax_message(e.kind()),
                None,
            )))
        }
    }
}

fn syntax_code(kind: &ParseErrorKind) -> &'static str {
    match kind {
        ParseErrorKind::CommentsNotAllowed | ParseErrorKind::UnterminatedCommentBlock => {
            "json-comment"
        }
        ParseErrorKind::TrailingCommasNotAllowed => "json-trailing-comma",
        _ => "json-syntax",
    }
}

fn syntax_message(kind: &ParseErrorKind) -> String {
    match kind {
        ParseErrorKind::CommentsNotAllowed | ParseErrorKind::UnterminatedCommentBlock => {
            "JSON does not allow comments; delete this comment (Stripe's CLI rejects manifests with comments)".into()
        }
        ParseErrorKind::TrailingCommasNotAllowed => {
            "JSON does not allow a trailing comma; delete the comma before the closing bracket".into()
        }
        ParseErrorKind::SingleQuotedStringsNotAllowed => {
            "JSON strings use double quotes; replace the single quotes with \"".into()
        }
        ParseErrorKind::ExpectedStringObjectProperty => {
            "object keys must be double-quoted strings, e.g. \"name\"".into()
        }
        ParseErrorKind::ExpectedComma => "a comma is missing between two values; add one here".into(),
        ParseErrorKind::UnterminatedObject => {
            "the object is not closed; add the missing }".into()
        }
        ParseErrorKind::UnterminatedArray => "the array is not closed; add the missing ]".into(),
        other => format!("invalid JSON: {other}; fix the text at this position"),
    }
}

type Dupe = (String, (usize, usize), String);

fn convert(v: &ast::Value<'_>, pointer: &str, dupes: &mut Vec<Dupe>) -> Node {
    let (start, end, value) = match v {
        ast::Value::NullKeyword(n) => (n.range.start, n.range.end, Value::Null),
        ast::Value::BooleanLit(b) => (b.range.start, b.range.end, Value::Bool(b.value)),
        ast::Value::NumberLit(n) => (
            n.range.start,
            n.range.end,
            Value::Number(n.value.to_string()),
        ),
        ast::Value::StringLit(s) => (
            s.range.start,
            s.range.end,
            Value::String(s.value.to_string()),
        ),
        ast::Value::Array(a) => (
            a.range.start,
            a.range.end,
            Value::Array(
                a.elements
                    .iter()
                    .enumerate()
                    .map(|(i, e)| convert(e, &format!("{pointer}/{i}"), dupes))
                    .collect(),
            ),
        ),
        ast::Value::Object(o) => {
            let mut props: Vec<Prop> = Vec::with_capacity(o.properties.len());
            for p in &o.properties {
                let key = p.name.as_str().to_string();
                let (ks, ke) = match &p.name {
                    ast::ObjectPropName::String(s) => (s.range.start, s.range.end),
                    ast::ObjectPropName::Word(w) => (w.range.start, w.range.end),
                };
                let child = format!("{pointer}/{}", pointer_token(&key));
                if props.iter().any(|q| q.key == key) {
                    dupes.push((child.clone(), (ks, ke), key.clone()));
                }
                props.push(Prop {
                    value: convert(&p.value, &child, dupes),
                    key,
                    key_start: ks,
                    key_end: ke,
                });
            }
            (o.range.start, o.range.end, Value::Object(props))
        }
    };
    Node { start, end, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_comment_is_reported_at_its_position() {
        let d = parse("{\n  // hi\n  \"id\": \"x\"\n}").err().unwrap();
        assert_eq!((d.code.as_str(), d.line, d.column), ("json-comment", 2, 3));
    }

    #[test]
    fn trailing_comma_is_reported_at_the_comma() {
        let d = parse("{\n  \"id\": \"x\",\n}").err().unwrap();
        assert_eq!(d.code, "json-trailing-comma");
        assert_eq!((d.line, d.column), (2, 12));
    }

    #[test]
    fn ranges_point_at_values_and_keys() {
        let text = "{\"a\": [1, \"b\"]}";
        let p = parse(text).ok().unwrap();
        let a = p.root.prop("a").unwrap();
        assert_eq!(&text[a.key_start..a.key_end], "\"a\"");
        let b = &a.value.as_array().unwrap()[1];
        assert_eq!(&text[b.start..b.end], "\"b\"");
    }

    #[test]
    fn duplicate_keys_empty_files_and_bom_are_errors() {
        assert_eq!(
            parse("{\"a\":1,\"a\":2}").err().unwrap().code,
            "json-duplicate-key"
        );
        assert_eq!(parse("  ").err().unwrap().code, "json-empty");
        assert_eq!(parse("\u{feff}{}").err().unwrap().code, "json-bom");
    }

    #[test]
    fn hostile_inputs_never_panic() {
        for s in [
            "{",
            "[",
            "\"",
            "{\"a\":",
            "}",
            "[[[[[[",
            "{\"a\":1}}",
            "\u{0}",
            "tru",
            "{\"\\u12\":1}",
        ] {
            let _ = parse(s);
        }
        let deep = "[".repeat(10_000);
        let _ = parse(&deep);
    }
}
