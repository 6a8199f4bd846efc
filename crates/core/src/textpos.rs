//! Byte offsets → 1-based line and column, the way editors count.
//!
//! Columns count Unicode scalar values (not bytes) so a diagnostic after an `é`
//! lands where CodeMirror and compilers put it. Invariant: offsets past the end
//! clamp to the last position instead of panicking.

/// Precomputed line starts of one text.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let col = self.text[self.starts[line]..offset].chars().count();
        (line as u32 + 1, col as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let idx = LineIndex::new("ab\nçd\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(1), (1, 2));
        assert_eq!(idx.position(3), (2, 1));
        // 'ç' is two bytes; 'd' is the second column.
        assert_eq!(idx.position(5), (2, 2));
        assert_eq!(idx.position(999), (3, 1));
    }
}
