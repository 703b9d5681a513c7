//! Ephemeral resources (protocol 5.7, Terraform >= 1.10): `ephemeral "type" "name" { ... }`.
//!
//! Terraform opens one in every phase that needs it (plan and apply each open their own, nothing is carried
//! over), may renew it while it is in use, and closes it when its dependents are done. Its result is never
//! written to a plan or state file. Terraform validates the config again right before Open, and Open is only
//! called once the config is wholly known.

use std::time::SystemTime;

use async_trait::async_trait;

use crate::diagnostics::Diagnostics;
use crate::schema::Schema;
use crate::value::Value;

/// One ephemeral resource type.
#[async_trait]
pub trait EphemeralResource: Send + Sync + 'static {
    /// Full type name, e.g. `"modelrouter_account_keys"`.
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// ValidateEphemeralResourceConfig. `config` may hold unknowns.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// OpenEphemeralResource. `config` is wholly known.
    async fn open(&self, req: OpenRequest) -> OpenResponse;

    /// RenewEphemeralResource, called at the `renew_at` of the previous answer. The default stops renewing.
    async fn renew(&self, req: RenewRequest) -> RenewResponse {
        RenewResponse { private: req.private, renew_at: None, diagnostics: Diagnostics::new() }
    }

    /// CloseEphemeralResource, with the private bytes Open returned. The default has nothing to release.
    async fn close(&self, _req: CloseRequest) -> Diagnostics {
        Diagnostics::new()
    }
}

/// Input of [`EphemeralResource::open`].
#[derive(Debug, Clone)]
pub struct OpenRequest {
    pub config: Value,
}

/// Output of [`EphemeralResource::open`].
#[derive(Debug, Clone)]
pub struct OpenResponse {
    /// The config with its computed attributes filled in (non-computed attributes must equal the config).
    pub result: Value,
    /// Handed back to renew and close; empty for none.
    pub private: Vec<u8>,
    /// When to call renew; `None` for never.
    pub renew_at: Option<SystemTime>,
    pub diagnostics: Diagnostics,
}

impl OpenResponse {
    /// A response carrying only diagnostics (a failed open).
    pub fn failed(diagnostics: Diagnostics) -> OpenResponse {
        OpenResponse { result: Value::Null, private: Vec::new(), renew_at: None, diagnostics }
    }
}

/// Input of [`EphemeralResource::renew`].
#[derive(Debug, Clone)]
pub struct RenewRequest {
    pub private: Vec<u8>,
}

/// Output of [`EphemeralResource::renew`].
#[derive(Debug, Clone)]
pub struct RenewResponse {
    pub private: Vec<u8>,
    /// `None` stops renewing.
    pub renew_at: Option<SystemTime>,
    pub diagnostics: Diagnostics,
}

/// Input of [`EphemeralResource::close`].
#[derive(Debug, Clone)]
pub struct CloseRequest {
    pub private: Vec<u8>,
}
