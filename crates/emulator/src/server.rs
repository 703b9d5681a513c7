//! Serving connections ourselves (one task per connection, hyper-util's auto HTTP/1+2 builder) so that a
//! fault rule can drop a connection: the request's [`ConnectionKiller`] makes the task drop the connection
//! future, which closes the socket without writing a response.

use crate::faults::ConnectionKiller;
use axum::{Extension, Router};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

/// Accepts connections until `shutdown` turns true.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    router: Router,
    tls: Option<TlsAcceptor>,
    shutdown: watch::Receiver<bool>,
) {
    let mut stop = shutdown.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let tls = tls.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => match acceptor.accept(stream).await {
                            Ok(stream) => serve_connection(stream, router, shutdown).await,
                            Err(error) => tracing::debug!(%error, "TLS handshake failed"),
                        },
                        None => serve_connection(stream, router, shutdown).await,
                    }
                });
            }
            _ = stop.wait_for(|stop| *stop) => break,
        }
    }
}

async fn serve_connection<S>(stream: S, router: Router, mut shutdown: watch::Receiver<bool>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let killer = ConnectionKiller::default();
    let service = TowerToHyperService::new(router.layer(Extension(killer.clone())));
    let builder = auto::Builder::new(TokioExecutor::new());
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    drive(connection, &killer, &mut shutdown).await;
}

/// Runs the connection until it ends, a fault kills it, or the emulator shuts down; the latter two drop it.
async fn drive<F: Future>(connection: F, killer: &ConnectionKiller, shutdown: &mut watch::Receiver<bool>) {
    tokio::select! {
        _ = connection => {}
        _ = killer.0.notified() => {}
        _ = shutdown.wait_for(|stop| *stop) => {}
    }
}
