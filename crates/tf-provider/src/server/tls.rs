//! go-plugin AutoMTLS, done with rustls directly.
//!
//! Terraform generates a self-signed ECDSA **P-521** client certificate with `IsCA=true`, hands its PEM to the
//! plugin in `PLUGIN_CLIENT_CERT`, and pins the server certificate printed in the handshake line. Two things
//! rule out tonic's built-in TLS: webpki refuses a CA-flagged certificate as an end entity
//! (`CaUsedAsEndEntity`), and only the aws-lc-rs crypto provider can verify P-521 signatures. So this module
//! pins the client certificate by bytes, verifies handshake signatures with aws-lc-rs' algorithms, and feeds
//! tokio-rustls streams to the HTTP/2 server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::DigitallySignedStruct;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DistinguishedName, ServerConfig, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// How long one client gets to finish its TLS handshake before being dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// TLS setup failures.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("PLUGIN_CLIENT_CERT does not contain a PEM certificate")]
    NoClientCertificate,
    #[error("PLUGIN_CLIENT_CERT is not valid PEM: {0}")]
    InvalidClientPem(#[source] pem::Error),
    #[error("cannot generate the server certificate: {0}")]
    CertificateGeneration(#[from] rcgen::Error),
    #[error("cannot build the TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// The aws-lc-rs provider: the only rustls provider that verifies Terraform's P-521 certificates.
pub fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Makes aws-lc-rs the process-wide rustls provider (ignored if one is already installed), so any
/// `ServerConfig::builder()` / `ClientConfig::builder()` in the process (reqwest, tonic) works.
pub fn install_default_crypto_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// The first certificate of a PEM document (sections of other kinds, such as keys, are skipped).
pub fn parse_client_cert_pem(pem: &str) -> Result<CertificateDer<'static>, TlsError> {
    CertificateDer::from_pem_slice(pem.as_bytes()).map_err(|e| match e {
        pem::Error::NoItemsFound => TlsError::NoClientCertificate,
        other => TlsError::InvalidClientPem(other),
    })
}

/// The server's certificate and key, generated per process like go-plugin does.
pub struct ServerIdentity {
    pub cert_der: CertificateDer<'static>,
    key_der: PrivatePkcs8KeyDer<'static>,
}

/// The certificate shape go-plugin uses on both ends of AutoMTLS: SAN and CN `localhost`, O `HashiCorp`, CA=true,
/// server and client EKU, valid from 30 s ago for 30 years. The server signs it with a P-256 key; Terraform's own
/// client certificate has the same shape with a P-521 key (which is what tests and the bench imitate).
pub fn go_plugin_certificate_params() -> Result<rcgen::CertificateParams, rcgen::Error> {
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    params.distinguished_name.push(rcgen::DnType::CommonName, "localhost");
    params.distinguished_name.push(rcgen::DnType::OrganizationName, "HashiCorp");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyAgreement,
        rcgen::KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages =
        vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth, rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::hours(262_980);
    Ok(params)
}

impl ServerIdentity {
    /// A fresh self-signed ECDSA P-256 certificate: SAN and CN `localhost` (Terraform's client verifies
    /// that name), CA=true and server+client EKU like go-plugin's, valid from 30 s ago for 30 years.
    pub fn generate() -> Result<ServerIdentity, TlsError> {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
        let cert = go_plugin_certificate_params()?.self_signed(&key)?;
        Ok(ServerIdentity { cert_der: cert.der().clone(), key_der: PrivatePkcs8KeyDer::from(key.serialize_der()) })
    }
}

/// Accepts exactly one client certificate, compared byte for byte, and checks that the client proves
/// possession of its key.
#[derive(Debug)]
pub struct PinnedClientCertVerifier {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientCertVerifier {
    pub fn new(expected: CertificateDer<'static>, provider: &CryptoProvider) -> PinnedClientCertVerifier {
        PinnedClientCertVerifier { expected, algorithms: provider.signature_verification_algorithms }
    }
}

impl ClientCertVerifier for PinnedClientCertVerifier {
    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The rustls server configuration: our identity, mandatory pinned client certificate, ALPN h2 (newer
/// grpc-go clients refuse a TLS server that does not negotiate it).
pub fn server_config(
    identity: &ServerIdentity,
    client_cert: CertificateDer<'static>,
) -> Result<Arc<ServerConfig>, TlsError> {
    let provider = crypto_provider();
    let verifier = Arc::new(PinnedClientCertVerifier::new(client_cert, &provider));
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![identity.cert_der.clone()], PrivateKeyDer::Pkcs8(identity.key_der.clone_key()))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

/// Completes the TLS handshake on an accepted connection, or logs why not (a refused client certificate, a
/// client that stalls) and gives up after [`HANDSHAKE_TIMEOUT`]. Runs in the connection's own task, so a slow or
/// hostile client cannot hold up the others.
pub async fn accept(acceptor: &TlsAcceptor, tcp: TcpStream, peer: SocketAddr) -> Option<TlsStream<TcpStream>> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(stream)) => Some(stream),
        Ok(Err(e)) => {
            tracing::warn!(%peer, error = %e, "TLS handshake refused");
            None
        }
        Err(_) => {
            tracing::warn!(%peer, "TLS handshake timed out");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_identity_is_parseable_and_pins() {
        let identity = ServerIdentity::generate().unwrap();
        assert!(identity.cert_der.len() > 100);
        let pem = pem_of(&identity.cert_der);
        assert_eq!(parse_client_cert_pem(&pem).unwrap(), identity.cert_der);
        let verifier = PinnedClientCertVerifier::new(identity.cert_der.clone(), &crypto_provider());
        let now = UnixTime::now();
        assert!(verifier.verify_client_cert(&identity.cert_der, &[], now).is_ok());
        let other = ServerIdentity::generate().unwrap();
        assert!(verifier.verify_client_cert(&other.cert_der, &[], now).is_err());
        assert!(verifier.client_auth_mandatory());
        assert!(verifier.supported_verify_schemes().contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn bad_pem_is_an_error() {
        assert!(matches!(parse_client_cert_pem("hello"), Err(TlsError::NoClientCertificate)));
        // A certificate section without its end marker is malformed, not merely absent.
        let identity = ServerIdentity::generate().unwrap();
        let pem = pem_of(&identity.cert_der);
        let truncated = &pem[..pem.find("-----END").unwrap()];
        assert!(matches!(parse_client_cert_pem(truncated), Err(TlsError::InvalidClientPem(_))));
    }

    #[test]
    fn the_first_certificate_after_other_sections_is_taken() {
        let first = ServerIdentity::generate().unwrap();
        let second = ServerIdentity::generate().unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n{}{}",
            pem_of(&first.cert_der),
            pem_of(&second.cert_der)
        );
        assert_eq!(parse_client_cert_pem(&pem).unwrap(), first.cert_der);
    }

    fn pem_of(der: &[u8]) -> String {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
    }
}
