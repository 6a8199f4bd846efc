//! The `appdeck-desktop` binary: runs the shell (`appdeck_shell::run`), which
//! reads argv, opens the window and serves the UI's commands.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    appdeck_shell::run();
}
