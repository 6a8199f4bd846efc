//! Exit codes of the `appdeck` command: part of its public interface.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success: no file has an error (warnings allowed), the edit applied (or was already in place), every event is unlocked |
//! | 1 | the command ran and said no: a manifest has errors, an edit was refused or does not apply, an event is unknown or not unlocked |
//! | 2 | the command could not run: bad usage (unknown flag, invalid value), or a file that cannot be read or written |
//! | 3 | an OAuth flow (`install run`, `oauth login`) timed out or was cancelled (Ctrl-C) |
//!
//! For the verbs that hold secrets or talk to Stripe (`accounts`, `install`,
//! `tokens`, `oauth`, `sandbox`), 1 means the command ran and failed with a
//! coded error (`error[code]: message`: a rejected key, a flow error, an
//! unavailable keychain, …).
//!
//! Invariant: 1 is a verdict about the input, 2 is a failure to get a verdict, so
//! a script can tell "fix your manifest" from "fix your command line"; 3 means
//! "nobody finished the flow", so a script can retry it. When a command handles
//! several files, the worst outcome wins (2 over 1 over 0).

/// The process exit status of one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Ok = 0,
    Findings = 1,
    Usage = 2,
    /// An OAuth flow timed out or was cancelled.
    Interrupted = 3,
}

impl Exit {
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The worse of two outcomes (2 over 1 over 0).
    pub fn worst(self, other: Exit) -> Exit {
        self.max(other)
    }
}

/// The same table, for `--help` (kept next to the enum so they cannot drift
/// apart). A macro so verbs can `concat!` it after their examples; `main.rs`
/// declares this module first with `#[macro_use]` so every module sees it.
macro_rules! exit_codes_help {
    () => {
        "Exit codes:
  0  success (warnings allowed)
  1  the manifest has errors, an edit was refused or does not apply,
     or an event is unknown or not unlocked by the manifest
  2  usage error, or a file that cannot be read or written"
    };
}

pub const EXIT_CODES_HELP: &str = exit_codes_help!();

/// The table for the verbs that hold secrets or run OAuth flows.
macro_rules! flow_exit_codes_help {
    () => {
        "Exit codes:
  0  success
  1  the command failed; stderr says why as error[code]: message
     (a rejected key, a flow error, an unavailable keychain, ...)
  2  usage error, or a file or stdin that cannot be read
  3  the OAuth flow timed out or was cancelled (install run, oauth login)"
    };
}

pub const FLOW_EXIT_CODES_HELP: &str = flow_exit_codes_help!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_outcome_wins_across_files() {
        assert_eq!(Exit::Ok.worst(Exit::Findings), Exit::Findings);
        assert_eq!(Exit::Usage.worst(Exit::Findings), Exit::Usage);
        assert_eq!(Exit::Ok.worst(Exit::Ok).code(), 0);
    }
}
