//! Reads the command names out of the command table's source, for `build.rs`
//! (which runs before the crate exists, so it cannot use the table's
//! `NAMES`). A test checks this reading against `NAMES`.

/// The names in `src/command_table/mod.rs`, in order: each entry starts a line with
/// `module::name` inside `command_table! { … }`.
pub fn command_names(table: &str) -> Vec<String> {
    let body = table
        .split_once("command_table! {")
        .map(|(_, body)| body)
        .unwrap_or("");
    body.lines()
        .filter_map(|line| {
            let (module, rest) = line.trim_start().split_once("::")?;
            let is_ident =
                |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if !is_ident(module) {
                return None;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            is_ident(&name).then_some(name)
        })
        .collect()
}
