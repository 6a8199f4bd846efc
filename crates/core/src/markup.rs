//! Text put into HTML or XML (the loopback's pages, JUnit reports, SVG
//! charts): one escaping rule for all of them.
//!
//! Invariants: `& < > " '` become entities that both HTML and XML read
//! (`&#39;`, not HTML-only or XML-only names), so the result is safe as text
//! and inside quoted attributes; control characters that XML 1.0 forbids are
//! dropped (a stray one in a server's error text would make a report
//! unreadable), while tab, newline and carriage return are kept.

/// `s`, safe as HTML/XML text or a quoted attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_forbidden_controls() {
        assert_eq!(
            escape("<a href=\"x\">O'Brien & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; co&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{1}b\tc\nd"), "ab\tc\nd");
    }
}
