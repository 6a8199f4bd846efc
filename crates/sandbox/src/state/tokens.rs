//! OAuth authorization codes, access tokens and refresh tokens.
//!
//! Invariants (as Stripe documents them):
//! - A code is single-use and valid 5 minutes. Using it a second time fails
//!   with `invalid_grant` and revokes every token issued from it (its grant).
//! - Access tokens live 1 hour; refresh tokens 1 year.
//! - A refresh returns a new refresh token and kills the old one at once;
//!   access tokens already issued stay valid until they expire.
//! - All tokens of one code share a `grant` id (the code), so revoking a grant
//!   reaches every token descended from it.

use serde::{Deserialize, Serialize};

use super::{Table, World};
use crate::ids;

pub const CODE_TTL: i64 = 5 * 60;
pub const ACCESS_TTL: i64 = 60 * 60;
pub const REFRESH_TTL: i64 = 365 * 24 * 60 * 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthCode {
    pub code: String,
    pub app: String,
    pub account: String,
    pub redirect_uri: String,
    pub created: i64,
    pub used: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessToken {
    pub app: String,
    pub account: String,
    pub grant: String,
    pub expires_at: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshToken {
    pub app: String,
    pub account: String,
    pub grant: String,
    pub expires_at: i64,
    pub revoked: bool,
}

/// What the token endpoint hands out.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub account: String,
}

/// Why a grant was refused (always `invalid_grant` on the wire).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct GrantError(pub String);

impl World {
    pub fn issue_code(&mut self, app: &str, account: &str, redirect_uri: &str, now: i64) -> String {
        let code = ids::auth_code();
        self.codes.insert(
            code.clone(),
            AuthCode {
                code: code.clone(),
                app: app.to_string(),
                account: account.to_string(),
                redirect_uri: redirect_uri.to_string(),
                created: now,
                used: false,
            },
        );
        self.mark(Table::Code, &code);
        code
    }

    fn issue_pair(&mut self, app: &str, account: &str, grant: &str, now: i64) -> TokenPair {
        let access = ids::access_token();
        let refresh = ids::refresh_token();
        self.access_tokens.insert(
            access.clone(),
            AccessToken {
                app: app.to_string(),
                account: account.to_string(),
                grant: grant.to_string(),
                expires_at: now + ACCESS_TTL,
                revoked: false,
            },
        );
        self.refresh_tokens.insert(
            refresh.clone(),
            RefreshToken {
                app: app.to_string(),
                account: account.to_string(),
                grant: grant.to_string(),
                expires_at: now + REFRESH_TTL,
                revoked: false,
            },
        );
        self.mark(Table::Access, &access);
        self.mark(Table::Refresh, &refresh);
        TokenPair {
            access_token: access,
            refresh_token: refresh,
            account: account.to_string(),
        }
    }

    /// Revokes every live token for which `pred(app, account, grant)` holds.
    pub fn revoke_where(&mut self, pred: impl Fn(&str, &str, &str) -> bool) {
        let mut marked = Vec::new();
        for (k, t) in self.access_tokens.iter_mut() {
            if !t.revoked && pred(&t.app, &t.account, &t.grant) {
                t.revoked = true;
                marked.push((Table::Access, k.clone()));
            }
        }
        for (k, t) in self.refresh_tokens.iter_mut() {
            if !t.revoked && pred(&t.app, &t.account, &t.grant) {
                t.revoked = true;
                marked.push((Table::Refresh, k.clone()));
            }
        }
        for (t, k) in marked {
            self.mark(t, &k);
        }
    }

    /// `grant_type=authorization_code` for the developer `caller` (already
    /// checked to be a test-mode secret key).
    pub fn exchange_code(
        &mut self,
        caller: &str,
        code: &str,
        now: i64,
    ) -> Result<TokenPair, GrantError> {
        let c = self
            .codes
            .get(code)
            .cloned()
            .ok_or_else(|| GrantError(format!("Authorization code does not exist: {code}")))?;
        let owner = self
            .apps
            .get(&c.app)
            .map(|a| a.owner.clone())
            .unwrap_or_default();
        if owner != caller {
            return Err(GrantError(format!(
                "Authorization code provided does not belong to you: {code}"
            )));
        }
        if c.used {
            self.revoke_where(|_, _, grant| grant == code);
            return Err(GrantError(format!(
                "This authorization code has already been used. All tokens issued with this code have been revoked: {code}"
            )));
        }
        if now >= c.created + CODE_TTL {
            return Err(GrantError(format!(
                "This authorization code has expired: {code}"
            )));
        }
        if self.active_install(&c.app, &c.account).is_none() {
            return Err(GrantError(format!(
                "The app is no longer installed on {}",
                c.account
            )));
        }
        if let Some(entry) = self.codes.get_mut(code) {
            entry.used = true;
        }
        self.mark(Table::Code, code);
        Ok(self.issue_pair(&c.app, &c.account, code, now))
    }

    /// `grant_type=refresh_token`: rotates the refresh token.
    pub fn refresh(
        &mut self,
        caller: &str,
        token: &str,
        now: i64,
    ) -> Result<TokenPair, GrantError> {
        let invalid = || GrantError(format!("Invalid refresh token: {}", mask(token)));
        let t = self
            .refresh_tokens
            .get(token)
            .cloned()
            .ok_or_else(invalid)?;
        let owner = self
            .apps
            .get(&t.app)
            .map(|a| a.owner.clone())
            .unwrap_or_default();
        if owner != caller {
            return Err(GrantError(
                "Refresh token provided does not belong to you".to_string(),
            ));
        }
        if t.revoked || now >= t.expires_at || self.active_install(&t.app, &t.account).is_none() {
            return Err(invalid());
        }
        if let Some(old) = self.refresh_tokens.get_mut(token) {
            old.revoked = true;
        }
        self.mark(Table::Refresh, token);
        Ok(self.issue_pair(&t.app, &t.account, &t.grant, now))
    }
}

/// `rt_AbCd…` → `rt_****…wxyz`, for messages.
pub fn mask(token: &str) -> String {
    let prefix_end = token.rfind('_').map(|i| i + 1).unwrap_or(0);
    let rest: Vec<char> = token[prefix_end..].chars().collect();
    let tail: String = rest[rest.len().saturating_sub(4)..].iter().collect();
    format!("{}****{tail}", &token[..prefix_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_prefix_and_last_four() {
        assert_eq!(mask("sk_test_abcdefgh1234"), "sk_test_****1234");
        assert_eq!(mask("xy"), "****xy");
        assert_eq!(mask("sk_ééééé"), "sk_****éééé", "never splits a character");
    }
}
