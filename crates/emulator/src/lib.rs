//! `modelrouter-emulator`: a local stand-in for the Azure Resource Manager endpoints that
//! terraform-provider-modelrouter uses (Cognitive Services accounts and their deployments), plus the token
//! endpoints its credentials talk to. For demos, tests and offline pipelines; it listens on 127.0.0.1 only.
//!
//! See `README.md` in this crate for the routes, the long-running-operation styles and the admin API.

mod admin;
mod api_versions;
mod arm;
mod cli;
mod client_certs;
mod faults;
mod ids;
mod inference;
mod lro;
mod offers;
mod pipelines;
mod server;
mod state;
mod tls;
mod tokens;
mod validate;

pub use api_versions::{ApiVersionPolicy, KNOWN_API_VERSIONS};
pub use cli::run_cli;
pub use faults::{FaultAction, FaultRule};
pub use offers::{ModelOffer, Offers, Quota, SkuOffer};
pub use state::{LroStyle, Outcome, Quirks, RecordedRequest, Settings, TokenGrant};
pub use tokens::MSI_IDENTITY_HEADER;
pub use validate::{ServiceRule, ValidationSettings};

use axum::Router;
use axum::routing::{get, post};
use state::Store;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The account the CLI serves when given none.
pub const DEMO_ACCOUNT_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-modelrouter-demo/providers/Microsoft.CognitiveServices/accounts/foundry-demo";

#[derive(Debug, Clone, Default)]
pub struct EmulatorOptions {
    /// Port of the base (HTTP) listener; 0 = any free port. The TLS listener always takes a free port.
    pub port: u16,
    pub accounts: Vec<AccountSpec>,
    /// When set, only this token and tokens the emulator issued are accepted; otherwise any bearer is.
    pub static_token: Option<String>,
    pub settings: Settings,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountSpec {
    /// ARM account id.
    pub id: String,
    #[serde(default = "default_location")]
    pub location: String,
    #[serde(default = "default_kind")]
    pub kind: String,
}

fn default_location() -> String {
    "eastus2".into()
}

fn default_kind() -> String {
    "AIServices".into()
}

impl AccountSpec {
    /// An account in eastus2 of kind AIServices.
    pub fn new(id: impl Into<String>) -> AccountSpec {
        AccountSpec { id: id.into(), location: default_location(), kind: default_kind() }
    }

    /// The demo account [`DEMO_ACCOUNT_ID`].
    pub fn demo() -> AccountSpec {
        AccountSpec::new(DEMO_ACCOUNT_ID)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error(
        "'{id}' is not a Cognitive Services account id (/subscriptions/{{s}}/resourceGroups/{{rg}}/providers/Microsoft.CognitiveServices/accounts/{{name}})"
    )]
    InvalidAccountId { id: String },
    #[error("TLS setup failed: {0}")]
    Tls(String),
}

/// State shared by every handler.
pub(crate) struct Shared {
    store: Mutex<Store>,
    pub(crate) base_url: String,
    pub(crate) authority_url: String,
    pub(crate) static_token: Option<String>,
    pub(crate) initial_settings: Settings,
    /// Account keys for listKeys and inference (`inference.rs`).
    pub(crate) keys: inference::Keys,
    /// Prompts seen per deployment, for the `cached_tokens` of inference usage.
    pub(crate) prompt_cache: inference::PromptCache,
}

impl Shared {
    /// The store; a panic in another handler does not make it unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The store with every due operation applied.
    pub(crate) fn lock_advanced(&self) -> MutexGuard<'_, Store> {
        let mut store = self.lock();
        store.advance(Instant::now());
        store
    }
}

/// A running emulator. Dropping it (or [`Emulator::shutdown`]) stops both listeners.
pub struct Emulator {
    shared: Arc<Shared>,
    ca_certificate_pem: String,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Emulator {
    /// Binds 127.0.0.1:`port` (HTTP: ARM, admin, managed identity, GitHub OIDC) and 127.0.0.1:0 (TLS: OAuth2).
    pub async fn start(options: EmulatorOptions) -> Result<Emulator, EmulatorError> {
        for spec in &options.accounts {
            if ids::AccountPath::parse(&spec.id).is_none() {
                return Err(EmulatorError::InvalidAccountId { id: spec.id.clone() });
            }
        }
        let bind = |port: u16| async move {
            TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
                .await
                .map_err(|source| EmulatorError::Bind { port, source })
        };
        let base_listener = bind(options.port).await?;
        let tls_listener = bind(0).await?;
        let local_port = |listener: &TcpListener, requested: u16| {
            listener.local_addr().map(|a| a.port()).map_err(|source| EmulatorError::Bind { port: requested, source })
        };
        let base_url = format!("http://127.0.0.1:{}", local_port(&base_listener, options.port)?);
        let authority_url = format!("https://localhost:{}", local_port(&tls_listener, 0)?);
        let identity = tls::self_signed_identity()?;

        let mut settings = options.settings.clone();
        settings.page_size = settings.page_size.max(1);
        let shared = Arc::new(Shared {
            store: Mutex::new(Store { settings: settings.clone(), ..Store::default() }),
            base_url,
            authority_url,
            static_token: options.static_token.clone().filter(|t| !t.is_empty()),
            initial_settings: settings,
            keys: inference::Keys::default(),
            prompt_cache: inference::PromptCache::default(),
        });
        for spec in &options.accounts {
            shared.add_account(spec);
        }

        let base_router = admin::router()
            .merge(offers::admin_router())
            .merge(client_certs::admin_router())
            .route("/msi/token", get(tokens::msi_token))
            .route("/github/oidc", get(tokens::github_oidc))
            .route("/ado/oidc", post(pipelines::azure_devops_oidc))
            .merge(inference::routes())
            .fallback(arm::entry)
            .with_state(shared.clone());
        let token_router = Router::new()
            .route("/{tenant}/oauth2/v2.0/token", post(tokens::oauth2_token))
            .route("/{tenant}/v2.0/.well-known/openid-configuration", get(tokens::openid_configuration))
            .with_state(shared.clone());

        let (shutdown, shutdown_rx) = watch::channel(false);
        let tasks = vec![
            tokio::spawn(server::accept_loop(base_listener, base_router, None, shutdown_rx.clone())),
            tokio::spawn(server::accept_loop(tls_listener, token_router, Some(identity.acceptor), shutdown_rx)),
        ];
        tracing::info!(base_url = %shared.base_url, authority_url = %shared.authority_url, "emulator started");
        Ok(Emulator { shared, ca_certificate_pem: identity.certificate_pem, shutdown, tasks })
    }

    /// `http://127.0.0.1:PORT`: ARM routes, admin API, managed-identity and GitHub OIDC endpoints.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// `https://localhost:PORT2`: the OAuth2 authority (`/{tenant}/oauth2/v2.0/token`) over TLS.
    pub fn authority_url(&self) -> String {
        self.shared.authority_url.clone()
    }

    /// PEM of the TLS listener's self-signed certificate (SAN localhost and 127.0.0.1); trust it as a root.
    pub fn ca_certificate_pem(&self) -> String {
        self.ca_certificate_pem.clone()
    }

    /// Every ARM and operation-poll request, in order of arrival.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests()
    }

    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Which grants the token endpoints served (no secrets), in order.
    pub fn token_grants(&self) -> Vec<TokenGrant> {
        self.shared.token_grants()
    }

    pub fn inject(&self, rule: FaultRule) {
        self.shared.inject(rule);
    }

    pub fn update_settings(&self, f: impl FnOnce(&mut Settings)) {
        self.shared.update_settings(f);
    }

    /// Adds (or replaces) an account; false when the id does not parse.
    /// Registers a certificate (PEM) for a client certificate credential of `client_id`; returns its `x5t#S256`.
    pub fn register_client_certificate(&self, client_id: &str, certificate_pem: &str) -> Result<String, String> {
        self.shared.register_client_certificate(client_id, certificate_pem)
    }

    pub fn add_account(&self, spec: AccountSpec) -> bool {
        self.shared.add_account(&spec)
    }

    /// The stored ARM JSON of a deployment (case-insensitive id), modelProviderData included, no quirks.
    pub fn deployment(&self, id: &str) -> Option<serde_json::Value> {
        self.shared.deployment(id)
    }

    /// Creates or replaces a deployment directly, Succeeded, without LRO or validation. An unknown account is
    /// added (eastus2, AIServices). Ids that are not deployment ids are ignored (logged).
    pub fn seed_deployment(&self, id: &str, body: serde_json::Value) {
        if !self.shared.seed_deployment(id, body) {
            tracing::warn!(id, "seed_deployment: not a deployment id or not a JSON object; ignored");
        }
    }

    /// JSON merge-patch of a stored deployment, out of band; false when it does not exist.
    pub fn patch_deployment(&self, id: &str, merge: serde_json::Value) -> bool {
        self.shared.patch_deployment(id, &merge)
    }

    /// Arms an out-of-band edit (JSON merge patch, new etag) that lands right after the next GET of the deployment:
    /// a portal edit between a client's read and its write. False when the id is not a deployment id.
    pub fn edit_after_next_read(&self, id: &str, merge: serde_json::Value) -> bool {
        self.shared.edit_after_reads(id, merge, 1)
    }

    /// [`Emulator::edit_after_next_read`] for each of the next `reads` GETs: a writer that keeps changing it.
    pub fn edit_after_reads(&self, id: &str, merge: serde_json::Value, reads: u32) -> bool {
        self.shared.edit_after_reads(id, merge, reads)
    }

    /// Removes a deployment out of band; false when it did not exist.
    pub fn delete_deployment(&self, id: &str) -> bool {
        self.shared.delete_deployment(id)
    }

    /// Pretends another writer works on the account: PUT/DELETE of its deployments get 409 for `for_ms`.
    pub fn hold_account(&self, account_id: &str, for_ms: u64) {
        self.shared.hold_account(account_id, for_ms);
    }

    /// Clears deployments, operations, holds, requests, faults and token grants; restores the start settings.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops both listeners and closes open connections.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}
