//! What every verb's `run(ctx, opts)` receives instead of touching globals:
//! where to write, whether to paint, and the config dir.
//!
//! Why: like the GitHub CLI's `Factory`, this lets unit tests drive a verb with
//! byte buffers and a temp config dir, without argv or a real terminal.
//! Invariant: verbs write results to `out` and failures to `err`, never to the
//! process streams directly.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::output::Paint;

pub struct Ctx<'a> {
    /// Results (reports, tables, JSON).
    pub out: &'a mut dyn Write,
    /// Failures (`error[code]: message`) and notes.
    pub err: &'a mut dyn Write,
    /// Colors for `out`.
    pub paint_out: Paint,
    /// Colors for `err`.
    pub paint_err: Paint,
    /// Appdeck's config dir (`--config-dir`, `APPDECK_CONFIG_DIR`, or the platform's).
    /// Unused by today's verbs; resolved once so future verbs share one rule.
    #[allow(dead_code)]
    pub config_dir: PathBuf,
}

impl<'a> Ctx<'a> {
    /// A context over the process streams: color only on a terminal and when
    /// `NO_COLOR` is unset (https://no-color.org).
    pub fn for_process(
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        config_dir: PathBuf,
    ) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Ctx {
            out,
            err,
            paint_out: Paint::new(!no_color && std::io::stdout().is_terminal()),
            paint_err: Paint::new(!no_color && std::io::stderr().is_terminal()),
            config_dir,
        }
    }

    /// A context for tests: no color.
    #[cfg(test)]
    pub fn plain(out: &'a mut dyn Write, err: &'a mut dyn Write, config_dir: PathBuf) -> Self {
        Ctx {
            out,
            err,
            paint_out: Paint::new(false),
            paint_err: Paint::new(false),
            config_dir,
        }
    }
}
