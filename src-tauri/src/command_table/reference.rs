//! The command reference in `docs/desktop-ipc.md`, generated from the command
//! table between two markers when `cargo test` runs (the rest of the file is
//! prose, written by hand). CI's drift stage fails when the committed file
//! differs, as for the bindings.

use std::fmt::Write as _;
use std::path::Path;

use super::spec::CommandSpec;

pub const BEGIN: &str = "<!-- commands: generated from src-tauri/src/command_table/mod.rs by `cargo test -p appdeck-desktop`; do not edit by hand -->";
pub const END: &str = "<!-- end of the generated commands -->";

/// One line per command, grouped by the module holding its logic, in table order.
pub fn render(commands: &[CommandSpec]) -> String {
    let mut modules: Vec<&str> = Vec::new();
    for cmd in commands {
        if !modules.contains(&cmd.module) {
            modules.push(cmd.module);
        }
    }
    let mut out = String::new();
    for module in modules {
        let _ = writeln!(
            out,
            "\n### `{module}` (src-tauri/src/commands/{module}.rs)\n"
        );
        for cmd in commands.iter().filter(|c| c.module == module) {
            let mut args: Vec<String> = cmd
                .args
                .iter()
                .map(|(name, ty)| {
                    let opt = if ty.optional { "?" } else { "" };
                    format!("{name}{opt}: {}", ty.ts)
                })
                .collect();
            if let Some((name, ty)) = &cmd.channel {
                args.push(format!("{name}: Channel<{}>", ty.ts));
            }
            let answer = if cmd.returns.unit {
                "null"
            } else {
                &cmd.returns.ts
            };
            let doc: Vec<&str> = cmd.docs.iter().map(|l| l.trim()).collect();
            let doc = doc.join(" ");
            let sep = if doc.is_empty() { "" } else { ": " };
            let _ = writeln!(
                out,
                "- `{}({})` → `{answer}`{sep}{doc}",
                cmd.name,
                args.join(", ")
            );
        }
    }
    out
}

/// `doc` with the text between the markers replaced by `generated`.
pub fn splice(doc: &str, generated: &str) -> Option<String> {
    let (head, rest) = doc.split_once(BEGIN)?;
    let (_, tail) = rest.split_once(END)?;
    Some(format!("{head}{BEGIN}\n{generated}\n{END}{tail}"))
}

pub fn doc_path() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/desktop-ipc.md"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command_table::specs;

    #[test]
    fn writes_the_command_reference_into_the_ipc_doc() {
        let path = doc_path();
        let doc = std::fs::read_to_string(path).unwrap();
        let generated = render(&specs());
        for name in crate::command_table::NAMES {
            assert!(generated.contains(&format!("- `{name}(")), "{name} listed");
        }
        let spliced = splice(&doc, &generated).unwrap_or_else(|| {
            panic!(
                "{} lacks the markers of the generated commands",
                path.display()
            )
        });
        if spliced != doc {
            std::fs::write(path, spliced).unwrap();
        }
    }
}
