//! Build script: generates Tauri's context and the app's own ACL manifest.
//!
//! Declaring the app's commands here makes Tauri check every app command against
//! the capabilities (`allow-<command>`), so a command the capability does not
//! name cannot be invoked even if it is registered. The names are read from the
//! command table (`src/command_table/mod.rs`), the one list of commands; a test checks
//! this reading and the capability file against the table.

#[path = "src/command_table/names.rs"]
mod table_names;

const TABLE: &str = "src/command_table/mod.rs";

fn main() {
    println!("cargo:rerun-if-changed={TABLE}");
    let table = std::fs::read_to_string(TABLE)
        .unwrap_or_else(|e| panic!("cannot read the command table {TABLE}: {e}"));
    let names: Vec<&'static str> = table_names::command_names(&table)
        .into_iter()
        .map(|n| &*Box::leak(n.into_boxed_str()))
        .collect();
    assert!(!names.is_empty(), "no command found in {TABLE}");
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice())),
    ))
    .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
