//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows) through the `keyring` crate.
//!
//! Invariants: every call runs on one dedicated worker thread, one at a time,
//! and the caller waits at most `timeout` (5 s by default): the Linux Secret
//! Service blocks and, when locked or stopped, may never answer. A call that
//! times out abandons that worker (it may still be blocked inside D-Bus) and the
//! next call gets a fresh one, so a hung service costs each caller at most the
//! timeout and never freezes the app. Errors map to distinct codes.

use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{KeychainError, SecretRef, SecretStore, StoreKind};
use crate::secret::SecretValue;

type Job = Box<dyn FnOnce() + Send>;

pub struct OsKeychain {
    service: String,
    timeout: Duration,
    worker: Mutex<mpsc::Sender<Job>>,
}

fn spawn_worker() -> mpsc::Sender<Job> {
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("appdeck-keychain".into())
        .spawn(move || {
            for job in rx {
                job();
            }
        })
        .expect("spawning the keychain worker thread");
    tx
}

impl OsKeychain {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

    pub fn new(service: impl Into<String>) -> Self {
        Self::with_timeout(service, Self::DEFAULT_TIMEOUT)
    }

    pub fn with_timeout(service: impl Into<String>, timeout: Duration) -> Self {
        Self {
            service: service.into(),
            timeout,
            worker: Mutex::new(spawn_worker()),
        }
    }

    /// Checks that the keychain answers: reads an entry that need not exist.
    pub fn probe(&self) -> Result<(), KeychainError> {
        let at = SecretRef::new(
            super::SecretKind::SecretKey,
            super::Mode::Test,
            "appdeck-probe",
        );
        self.get(&at).map(|_| ())
    }

    fn run<T: Send + 'static>(
        &self,
        op: impl FnOnce() -> Result<T, KeychainError> + Send + 'static,
    ) -> Result<T, KeychainError> {
        let (tx, rx) = mpsc::sync_channel(1);
        let deadline = Instant::now() + self.timeout;
        let job: Job = Box::new(move || {
            // A job that waited past its caller's deadline is dropped unrun:
            // its caller already reported a timeout and must not see it happen later.
            if Instant::now() < deadline {
                let _ = tx.send(op());
            }
        });
        {
            let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
            if worker.send(job).is_err() {
                *worker = spawn_worker();
            }
        }
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(_) => {
                let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
                *worker = spawn_worker();
                tracing::warn!(
                    timeout_s = self.timeout.as_secs(),
                    "keychain call timed out"
                );
                Err(KeychainError::Timeout(self.timeout.as_secs().max(1)))
            }
        }
    }

    fn entry(service: &str, at_user: &str) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(service, at_user).map_err(map_error)
    }
}

/// keyring's errors → ours. See platform.md for what each looks like on Linux.
fn map_error(e: keyring::Error) -> KeychainError {
    match e {
        keyring::Error::NoDefaultStore => {
            let why = match keyring::Entry::store_status() {
                Err(inner) if !matches!(inner, keyring::Error::NoDefaultStore) => inner.to_string(),
                _ => "no Secret Service on the session bus".into(),
            };
            KeychainError::Unavailable(why)
        }
        keyring::Error::NoStorageAccess(_) => KeychainError::Locked,
        keyring::Error::PlatformFailure(p) => {
            let text = p.to_string();
            if text.contains("ServiceUnknown")
                || text.contains("org.freedesktop.secrets")
                || (text.contains("NoReply") && text.contains("bus"))
            {
                KeychainError::Unavailable(text)
            } else if text.contains("Dismissed")
                || text.contains("denied")
                || text.contains("AccessDenied")
            {
                KeychainError::Denied(text)
            } else if text.contains("locked") || text.contains("IsLocked") {
                KeychainError::Locked
            } else {
                KeychainError::Failed(text)
            }
        }
        other => KeychainError::Failed(other.to_string()),
    }
}

impl SecretStore for OsKeychain {
    fn set(&self, at: &SecretRef, value: &str) -> Result<(), KeychainError> {
        let (service, user) = (self.service.clone(), at.user());
        let value = SecretValue::new(value);
        self.run(move || {
            Self::entry(&service, &user)?
                .set_password(value.secret())
                .map_err(map_error)
        })
    }

    fn get(&self, at: &SecretRef) -> Result<Option<SecretValue>, KeychainError> {
        let (service, user) = (self.service.clone(), at.user());
        self.run(move || match Self::entry(&service, &user)?.get_password() {
            Ok(v) => Ok(Some(SecretValue::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        })
    }

    fn delete(&self, at: &SecretRef) -> Result<(), KeychainError> {
        let (service, user) = (self.service.clone(), at.user());
        self.run(
            move || match Self::entry(&service, &user)?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(map_error(e)),
            },
        )
    }

    fn kind(&self) -> StoreKind {
        StoreKind::OsKeychain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hung_call_times_out_and_the_next_call_still_works() {
        let k = OsKeychain::with_timeout("appdeck-test", Duration::from_millis(200));
        let started = Instant::now();
        let r: Result<(), _> = k.run(|| {
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        });
        assert_eq!(r, Err(KeychainError::Timeout(1)));
        assert!(started.elapsed() < Duration::from_secs(1));
        let ok: Result<u8, _> = k.run(|| Ok(7));
        assert_eq!(ok, Ok(7), "a fresh worker serves the next call");
    }
}
