//! "No usable credential", raised at plan time when the first ARM read cannot authenticate.

use std::fmt;

use modelrouter_arm::{AuthError, CredentialTried};

use super::finding::{Finding, Rule, Target};

/// No credential of the chain produced a token. Lists every credential with why it was not used (no secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoCredentialError {
    pub tried: Vec<CredentialTried>,
    /// Why the selected credential failed (e.g. `az` not on PATH), or that none is configured.
    pub cause: String,
}

impl NoCredentialError {
    pub fn new(tried: &[CredentialTried], cause: &AuthError) -> NoCredentialError {
        NoCredentialError { tried: tried.to_vec(), cause: cause.to_string() }
    }

    /// The plan-time error on `cognitive_account_id`.
    pub fn to_finding(&self) -> Finding {
        Finding::error(
            Target::Account,
            Rule::NoCredential,
            "No usable Azure credential",
            format!(
                "Checking this deployment against Azure at plan time needs a credential. {self}\n\nConfigure one in \
                 the provider block or with ARM_* environment variables, or set preflight_checks = false to plan \
                 without Azure."
            ),
        )
    }
}

impl fmt::Display for NoCredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}. Credentials tried, in order:", self.cause)?;
        for t in &self.tried {
            write!(f, "\n  - {t}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NoCredentialError {}
