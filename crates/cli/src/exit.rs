//! Exit codes of the `appdeck` command: part of its public interface.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success: no file has an error (warnings allowed), the edit applied (or was already in place), every event is unlocked |
//! | 1 | the command ran and said no: a manifest has errors, an edit was refused or does not apply, an event is unknown or not unlocked |
//! | 2 | the command could not run: bad usage (unknown flag, invalid value), or a file that cannot be read or written |
//! | 3 | an OAuth flow (`install run`, `oauth login`) timed out or was cancelled (Ctrl-C), or `api get --all` was interrupted |
//! | 4 | a live-mode write was refused: writes are locked until `--unlock-live` (`api`, `secrets`) |
//!
//! For the verbs that hold secrets or talk to Stripe (`accounts`, `install`,
//! `tokens`, `oauth`, `sandbox`), 1 means the command ran and failed with a
//! coded error (`error[code]: message`: a rejected key, a flow error, an
//! unavailable keychain, …). For `api` and `secrets`, 1 is also an API error
//! (a non-2xx answer; its body is still printed); for `verify`, a signature
//! that does not match or is too old.
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
    /// A live-mode write while live writes are locked (`--unlock-live` not given).
    LiveLocked = 4,
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

/// The table for `api` and `secrets`.
macro_rules! api_exit_codes_help {
    () => {
        "Exit codes:
  0  the API answered 2xx
  1  the API answered with an error (its body is still printed on stdout,
     a one-line summary on stderr), or the call could not be made
  2  usage error (bad -d KEY=VALUE, a malformed parameter row, bad path)
  3  --all was interrupted (Ctrl-C); the objects fetched so far are printed
  4  a live-mode write without --unlock-live"
    };
}

pub const API_EXIT_CODES_HELP: &str = api_exit_codes_help!();

/// The table for `qa run`.
macro_rules! qa_exit_codes_help {
    () => {
        "Exit codes:
  0  every step of every loop and account passed
  1  a step failed (the report says which and why), or the run could not
     start (error[code]: message: no sandbox, unknown account, ...)
  2  the flow is malformed (file:line:column), a usage error, or a file
     that cannot be read or written
  3  cancelled (Ctrl-C); the report holds what ran"
    };
}

pub const QA_EXIT_CODES_HELP: &str = qa_exit_codes_help!();

/// The table for `sign` and `verify`.
macro_rules! signature_exit_codes_help {
    () => {
        "Exit codes:
  0  signed, or the signature verifies
  1  the signature does not match (signature-mismatch) or is outside the
     tolerance (signature-expired)
  2  usage error, a malformed header, or a file or stdin that cannot be read"
    };
}

pub const SIGNATURE_EXIT_CODES_HELP: &str = signature_exit_codes_help!();

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
