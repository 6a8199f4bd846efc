//! The launch contract of the `appdeck-desktop` binary, checked without a window.
//!
//! `appdeck-desktop [MANIFEST_OR_FOLDER] [--config-dir DIR]`: argument errors
//! must exit with status 2 before any window or webview starts, so scripts and
//! desktop launchers see them. (Building this test also builds the binary with
//! the test run's features, which `make test` then reuses for the GUI tests.)

use std::process::Command;

fn desktop() -> Command {
    Command::new(env!("CARGO_BIN_EXE_appdeck-desktop"))
}

#[test]
fn help_documents_the_positional_manifest_and_config_dir() {
    let out = desktop().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("[MANIFEST_OR_FOLDER]"), "{help}");
    assert!(help.contains("--config-dir <DIR>"), "{help}");
}

#[test]
fn unknown_flags_exit_2_without_opening_a_window() {
    let out = desktop()
        .arg("--no-such-flag")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-such-flag"));
}
