//! One use case, two faces: each use case the CLI and the desktop both offer
//! is run through the `appdeck` binary and through the desktop shell's
//! command (`appdeck_shell`, called with the arguments the webview sends,
//! decoded from the same JSON), on the same input, and the outcomes must be
//! the same: the bytes a manifest edit writes, the problems a validation or a
//! release check names (code, line, column, message), a signature, a curl
//! line, an install checklist, a QA run's totals and where its report goes.
//!
//! Why: both faces call one core function per use case (docs/architecture.md),
//! but each face still parses its input and shapes its output; this is where
//! a face that drifts from the other shows. Hermetic as every CLI test: temp
//! project and config dirs, secrets in memory, the shell's embedded sandbox on
//! 127.0.0.1:0 (the CLI is pointed at it with `--sandbox`).

#[path = "../support/sandbox.rs"]
mod sandbox;

mod edits;
mod install_and_qa;
mod signatures;
mod support;
mod validation;
