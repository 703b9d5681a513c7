//! The plugin server: what `main()` calls.
//!
//! [`serve`] does what a go-plugin plugin must: check the magic cookie (and explain itself when run by
//! hand), pick protocol 5, listen on 127.0.0.1 in the allowed port range, set up AutoMTLS when Terraform
//! sent its certificate, print the single handshake line on stdout, then serve `tfplugin5.Provider`,
//! `plugin.GRPCController` and gRPC health until Terraform calls Shutdown. SIGINT is ignored: on Ctrl-C
//! Terraform sends the Stop RPC instead.

pub mod controller;
pub mod convert;
pub mod grpc;
pub mod handshake;
mod http2;
mod identity;
mod list;
mod routes;
pub mod tls;

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::tfplugin5::provider_server::ProviderServer;
use crate::provider::Provider;

pub use handshake::HandshakeError;
pub use tls::TlsError;

/// Largest gRPC message accepted or sent (what Go providers allow; tonic's default is 4 MiB).
pub const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;

/// How long in-flight requests get to finish after Shutdown (Terraform kills the process after 2 s).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1000);

/// Identity of the provider, for messages.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// Provider type name, e.g. `"modelrouter"`.
    pub provider_name: &'static str,
    /// Provider version, e.g. `env!("CARGO_PKG_VERSION")`.
    pub version: &'static str,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("cannot write the handshake line: {0}")]
    Stdout(#[source] std::io::Error),
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("cannot read the listener address: {0}")]
    Listener(#[source] std::io::Error),
}

/// Runs the plugin until Terraform shuts it down. Exit code 0 after Shutdown, 1 on any startup failure
/// (explained on stderr).
pub fn serve(provider: Arc<dyn Provider>, options: ServeOptions) -> ExitCode {
    tls::install_default_crypto_provider();
    if !handshake::cookie_is_valid(|name| std::env::var(name).ok()) {
        eprintln!("{}", handshake::not_a_plugin_explanation(options.provider_name));
        return ExitCode::from(1);
    }
    crate::logging::init_from_env();
    install_panic_hook();

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("Error: {}", ServeError::Runtime(e));
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(run(provider, options));
    // Do not wait for stuck blocking tasks: Terraform is waiting for us to exit.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "provider server failed");
            eprintln!("Error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn run(provider: Arc<dyn Provider>, options: ServeOptions) -> Result<(), ServeError> {
    let env = |name: &str| std::env::var(name).ok();
    handshake::negotiate_protocol(env)?;
    let range = handshake::port_range(env)?;
    ignore_interrupts();

    let tls = match std::env::var("PLUGIN_CLIENT_CERT").ok().filter(|pem| !pem.trim().is_empty()) {
        Some(pem) => {
            let client_cert = tls::parse_client_cert_pem(&pem)?;
            let identity = tls::ServerIdentity::generate()?;
            Some((tls::server_config(&identity, client_cert)?, identity.cert_der))
        }
        None => None,
    };
    let listener = handshake::bind_in_range(range).await?;
    let addr = listener.local_addr().map_err(ServeError::Listener)?;
    let shutdown = CancellationToken::new();
    exit_when_orphaned(shutdown.clone());
    let server = {
        let shutdown = shutdown.clone();
        let config = tls.as_ref().map(|(config, _)| config.clone());
        tokio::spawn(async move { serve_listener(provider, listener, config, shutdown).await })
    };

    let line = handshake::handshake_line(addr, tls.as_ref().map(|(_, der)| der.as_ref()));
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").and_then(|()| stdout.flush()).map_err(ServeError::Stdout)?;
    drop(stdout);
    tracing::info!(
        provider = options.provider_name,
        version = options.version,
        %addr,
        tls = tls.is_some(),
        "plugin server started"
    );

    if let Err(join_error) = server.await {
        tracing::error!(error = %join_error, "server task ended abnormally");
    }
    Ok(())
}

/// Serves the provider on a bound listener until `shutdown` is cancelled (the Shutdown RPC cancels it
/// too). With `tls`, every connection must complete the mutual-TLS handshake first. Used by [`serve`];
/// public so tests and debug tooling can run a provider in-process.
pub async fn serve_listener(
    provider: Arc<dyn Provider>,
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: CancellationToken,
) {
    let provider_service = ProviderServer::new(grpc::ProviderService::new(provider))
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    let controller = GrpcControllerServer::new(controller::Controller::new(shutdown.clone()));
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter.set_service_status("plugin", tonic_health::ServingStatus::Serving).await;

    let services = routes::PluginServices { provider: provider_service, controller, health: health_service };
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);

    let connections = TaskTracker::new();
    loop {
        let (tcp, peer) = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // gRPC answers go out as several small writes (headers, data, trailers): with Nagle on, each RPC can wait
        // for the client's delayed ACK (~40 ms). grpc-go disables Nagle; so do we.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(%peer, error = %e, "cannot disable Nagle's algorithm");
        }
        let (services, shutdown, acceptor) = (services.clone(), shutdown.clone(), acceptor.clone());
        connections.spawn(async move {
            match acceptor {
                Some(acceptor) => {
                    if let Some(stream) = tls::accept(&acceptor, tcp, peer).await {
                        http2::serve_connection(stream, services, shutdown).await;
                    }
                }
                None => http2::serve_connection(tcp, services, shutdown).await,
            }
        });
    }

    // After Shutdown, give in-flight requests a moment, then stop regardless of open connections.
    connections.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, connections.wait()).await.is_err() {
        tracing::debug!("connections still open after the shutdown grace period; exiting anyway");
    }
}

/// If Terraform dies without calling Shutdown (killed, crashed, a closed pipe), the plugin is re-parented.
/// Go plugins die on their next write to the closed stderr pipe; Rust ignores SIGPIPE, so watch the parent
/// instead and shut down rather than linger with an open port.
fn exit_when_orphaned(shutdown: CancellationToken) {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    _ = tick.tick() => {}
                }
                if std::os::unix::process::parent_id() != parent {
                    tracing::warn!("Terraform went away without shutting the plugin down; exiting");
                    shutdown.cancel();
                    return;
                }
            }
        });
    }
    #[cfg(not(unix))]
    let _ = shutdown;
}

/// Ctrl-C reaches the whole process group; Terraform handles it and sends Stop, so the plugin must not die.
fn ignore_interrupts() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::interrupt()) {
            Ok(mut interrupts) => {
                tokio::spawn(async move {
                    while interrupts.recv().await.is_some() {
                        tracing::debug!("SIGINT ignored; waiting for Terraform's Stop or Shutdown");
                    }
                });
            }
            Err(e) => tracing::warn!(error = %e, "cannot install the SIGINT handler"),
        }
    }
    #[cfg(not(unix))]
    tokio::spawn(async {
        while tokio::signal::ctrl_c().await.is_ok() {
            tracing::debug!("Ctrl-C ignored; waiting for Terraform's Stop or Shutdown");
        }
    });
}

/// Terraform recognises a crashed plugin by a stderr line starting with `panic: `. Panics inside RPC
/// handlers are caught and reported as diagnostics, so those are only logged.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".to_string());
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        if let Ok(rpc) = grpc::IN_RPC_HANDLER.try_with(|rpc| *rpc) {
            tracing::error!(rpc, "panic in RPC handler (recovered): {message}{location}");
        } else {
            let backtrace = std::backtrace::Backtrace::force_capture();
            eprintln!("panic: {message}{location}\n\n{backtrace}");
        }
    }));
}
