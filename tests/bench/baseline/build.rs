//! Build script: generates Tauri's context (config, embedded dist/, icon).

fn main() {
    tauri_build::build();
}
