//! Shared helpers for the integration tests: an in-process emulator and a client with fast retry timings.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use modelrouter_arm::{
    AccountId, ArmClient, AuthSettings, ClientConfig, Deployment, DeploymentId, DeploymentModel, DeploymentProperties,
    RetryPolicy, Secret, Sku,
};
use modelrouter_emulator::{AccountSpec, Emulator, EmulatorOptions, RecordedRequest, Settings};

pub const ACCOUNT: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-arm/providers/Microsoft.CognitiveServices/accounts/acct1";
pub const STATIC_TOKEN: &str = "static-arm-token-7c1e";

pub async fn emulator(settings: Settings) -> Emulator {
    emulator_with_token(settings, Some(STATIC_TOKEN)).await
}

pub async fn emulator_with_token(settings: Settings, static_token: Option<&str>) -> Emulator {
    Emulator::start(EmulatorOptions {
        port: 0,
        accounts: vec![AccountSpec::new(ACCOUNT)],
        static_token: static_token.map(str::to_string),
        settings,
    })
    .await
    .expect("emulator starts")
}

/// Short waits so LRO and retry tests take milliseconds, not minutes.
pub fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        max_server_delay: Duration::from_secs(5),
        default_poll_interval: Duration::from_millis(50),
        request_timeout: Duration::from_secs(5),
        retry_conflicts: true,
        unreachable_budget: Duration::from_millis(500),
    }
}

/// A client on the emulator authenticating with the static token.
pub fn client(emulator: &Emulator) -> ArmClient {
    client_with(emulator, AuthSettings { access_token: Some(Secret::new(STATIC_TOKEN)), ..Default::default() })
}

/// A client on the emulator with the given auth settings (the endpoint is filled in).
pub fn client_with(emulator: &Emulator, settings: AuthSettings) -> ArmClient {
    let settings = AuthSettings { resource_manager_endpoint: Some(emulator.base_url()), ..settings };
    let config = ClientConfig { retry: fast_policy(), ..ClientConfig::new(settings) };
    ArmClient::new(config).expect("client builds")
}

pub fn account() -> AccountId {
    AccountId::parse(ACCOUNT).expect("account id")
}

pub fn deployment_id(name: &str) -> DeploymentId {
    account().deployment(name)
}

/// A minimal valid deployment body.
pub fn body(capacity: i64) -> Deployment {
    Deployment {
        sku: Some(Sku { name: "GlobalStandard".into(), capacity: Some(capacity), ..Default::default() }),
        properties: DeploymentProperties {
            model: Some(DeploymentModel {
                format: Some("OpenAI".into()),
                name: "gpt-4.1".into(),
                version: Some("2025-04-14".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    }
}

pub fn deadline(secs: u64) -> Instant {
    Instant::now() + Duration::from_secs(secs)
}

/// Requests whose path ends with `suffix` (case-insensitive) and that used `method`.
pub fn count(requests: &[RecordedRequest], method: &str, path_suffix: &str) -> usize {
    requests
        .iter()
        .filter(|r| {
            r.method.eq_ignore_ascii_case(method) && r.path.to_lowercase().ends_with(&path_suffix.to_lowercase())
        })
        .count()
}

pub fn count_containing(requests: &[RecordedRequest], method: &str, needle: &str) -> usize {
    requests
        .iter()
        .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path.to_lowercase().contains(&needle.to_lowercase()))
        .count()
}

/// A PKCS#12 (.pfx) file as `az`, PowerShell or Key Vault export a service principal's certificate: the certificate
/// and its PKCS#8 key, encrypted and MAC-protected with `password` (PBES2 AES-256-CBC, HMAC-SHA256). `key = None`
/// gives a file with the certificate alone.
pub fn pkcs12(certificate: &rcgen::Certificate, key: Option<&rcgen::KeyPair>, password: &str) -> Vec<u8> {
    use p12_keystore::{KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
    let certificate = p12_keystore::Certificate::from_der(certificate.der()).expect("certificate DER");
    let entry = match key {
        Some(key) => {
            let key = PrivateKey::from_der(&key.serialize_der()).expect("PKCS#8 key");
            KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new("sp", key, [certificate]))
        }
        None => KeyStoreEntry::Certificate(certificate),
    };
    let mut store = KeyStore::new();
    store.add_entry("sp", entry);
    store.writer(password).write().expect("PKCS#12 written")
}

/// A log sink the tests read back: everything the subscriber wrote, to search for secrets.
#[derive(Clone, Default)]
pub struct Capture(pub Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// Installs a trace-level subscriber writing everything into a new capture. It is the process's global
    /// subscriber, so a test binary that uses it holds one test.
    pub fn install_trace_subscriber() -> Capture {
        let capture = Capture::default();
        let writer = capture.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init()
            .expect("the only subscriber of this test binary");
        capture
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
