//! Line diff for the save preview: what the user is about to write to disk.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "DiffLine.ts")]
pub struct DiffLine {
    /// `equal`, `insert` or `delete`.
    pub tag: String,
    /// 1-based line in the old text (deletions and equal lines).
    pub old_line: Option<u32>,
    /// 1-based line in the new text (insertions and equal lines).
    pub new_line: Option<u32>,
    pub text: String,
}

/// Changed lines with up to `context` unchanged lines around each change.
pub fn diff_lines(old: &str, new: &str, context: usize) -> Vec<DiffLine> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for group in diff.grouped_ops(context) {
        for op in group {
            for change in diff.iter_changes(&op) {
                let tag = match change.tag() {
                    similar::ChangeTag::Equal => "equal",
                    similar::ChangeTag::Insert => "insert",
                    similar::ChangeTag::Delete => "delete",
                };
                out.push(DiffLine {
                    tag: tag.into(),
                    old_line: change.old_index().map(|i| i as u32 + 1),
                    new_line: change.new_index().map(|i| i as u32 + 1),
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_only_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\n";
        let new = "a\nb\nX\nd\ne\n";
        let d = diff_lines(old, new, 1);
        let tags: Vec<_> = d
            .iter()
            .map(|l| (l.tag.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            tags,
            vec![
                ("equal", "b"),
                ("delete", "c"),
                ("insert", "X"),
                ("equal", "d")
            ]
        );
        assert!(diff_lines(old, old, 3).is_empty());
    }
}
