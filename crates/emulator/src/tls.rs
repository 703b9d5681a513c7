//! The self-signed certificate of the token listener (azure_identity refuses an authority that is not https).

use crate::EmulatorError;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

pub(crate) struct TlsIdentity {
    pub certificate_pem: String,
    pub acceptor: TlsAcceptor,
}

/// A fresh self-signed certificate for `localhost` and `127.0.0.1`, and a rustls acceptor serving it
/// (HTTP/2 and HTTP/1.1 by ALPN). Uses aws-lc-rs explicitly, so no process-wide crypto provider is needed.
pub(crate) fn self_signed_identity() -> Result<TlsIdentity, EmulatorError> {
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .map_err(|e| EmulatorError::Tls(e.to_string()))?;
    let certificate_pem = generated.cert.pem();
    let certificate = CertificateDer::from(generated.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(generated.signing_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| EmulatorError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .map_err(|e| EmulatorError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsIdentity { certificate_pem, acceptor: TlsAcceptor::from(Arc::new(config)) })
}
