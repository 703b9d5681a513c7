//! The client certificate credential's assertion: a JWT signed with the certificate's RSA key (RS256), naming the
//! certificate by its SHA-256 thumbprint (`x5t#S256`), as Microsoft Entra ID's certificate credentials expect.
//!
//! azure_identity 1.0's `ClientCertificateCredential` needs OpenSSL (a system library this provider does not link),
//! so the assertion is built here with rustls' aws-lc-rs signer and handed to `ClientAssertionCredential`.
//! The file is recognised by its content, whatever its name: a PKCS#12 (`.pfx`/`.p12`) file opened with
//! `client_certificate_password` (see `pfx`), or a PEM file holding the certificate and an unencrypted private key
//! (PKCS#8, PKCS#1 or SEC1 blocks).

use std::fmt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rustls::SignatureScheme;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::Signer;
use sha2::{Digest, Sha256};

use super::pfx;
use super::settings::{AuthError, Secret};

/// How long an assertion is valid (Entra ID accepts up to 10 minutes of clock skew around `nbf`/`exp`).
const ASSERTION_LIFETIME_SECS: i64 = 600;

/// Why a client certificate file cannot be used. No variant holds the password or any key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error(
        "not a certificate file: expected a PKCS#12 file (.pfx/.p12, DER) or a PEM file with a CERTIFICATE block and \
         an unencrypted private key"
    )]
    NotACertificateFile,
    #[error("the PKCS#12 file's integrity check fails with this password: the password is wrong")]
    WrongPassword,
    #[error(
        "the PKCS#12 file cannot be decrypted with this password ({reason}): the password is wrong or the file is damaged"
    )]
    Undecryptable { reason: String },
    #[error("the PKCS#12 file uses a scheme this provider cannot read ({reason}); export it with AES-256 or 3DES")]
    Unsupported { reason: String },
    #[error("the file holds no private key; it must hold the service principal's certificate with its private key")]
    NoPrivateKey,
    #[error("the file holds no certificate")]
    NoCertificate,
    #[error("the private key is an {algorithm} key, not RSA; Microsoft Entra ID certificate credentials need RSA")]
    NotRsa { algorithm: String },
    #[error(
        "the PEM file holds an encrypted private key, which is not supported: use the PKCS#12 (.pfx) file with \
         client_certificate_password, or decrypt the key (`openssl pkey -in cert.pem -out key.pem`) and put the \
         certificate and key in one PEM file"
    )]
    EncryptedPemKey,
    #[error("malformed {format}: {reason}")]
    Malformed { format: &'static str, reason: String },
}

impl CertificateError {
    /// The provider setting to correct: the password for a file it does not open, the path otherwise.
    pub fn setting(&self) -> &'static str {
        match self {
            CertificateError::WrongPassword | CertificateError::Undecryptable { .. } => "client_certificate_password",
            _ => "client_certificate_path",
        }
    }
}

/// A loaded certificate and key, ready to sign assertions for one client and token endpoint.
pub(super) struct CertificateAssertion {
    client_id: String,
    /// `{authority}/{tenant}/oauth2/v2.0/token`: the assertion's audience.
    audience: String,
    /// base64url(SHA-256(certificate DER)).
    thumbprint: String,
    signer: Box<dyn Signer>,
}

impl fmt::Debug for CertificateAssertion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateAssertion")
            .field("client_id", &self.client_id)
            .field("audience", &self.audience)
            .field("x5t#S256", &self.thumbprint)
            .finish_non_exhaustive()
    }
}

impl CertificateAssertion {
    /// Reads and checks the file now, so a wrong path, password or key fails at configure time, not at the first
    /// request.
    pub(super) fn load(
        path: &Path,
        password: Option<&Secret>,
        client_id: &str,
        audience: String,
    ) -> Result<CertificateAssertion, AuthError> {
        let fail = |error| AuthError::Certificate { path: path.display().to_string(), error };
        let bytes = std::fs::read(path).map_err(|e| fail(CertificateError::Unreadable(e.to_string())))?;
        let (certificate, key) = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            if password.is_some() {
                tracing::debug!(path = %path.display(), "client_certificate_password is ignored: the PEM key is not encrypted");
            }
            pem_certificate_and_key(&bytes)
        } else if pfx::looks_like_pkcs12(&bytes) {
            pfx::certificate_and_key(&bytes, password.map_or("", Secret::expose))
        } else {
            Err(CertificateError::NotACertificateFile)
        }
        .map_err(fail)?;
        let signer = rs256_signer(&key).map_err(fail)?;
        let thumbprint = URL_SAFE_NO_PAD.encode(Sha256::digest(certificate.as_ref()));
        Ok(CertificateAssertion { client_id: client_id.to_string(), audience, thumbprint, signer })
    }

    /// A fresh signed assertion (`header.claims.signature`, base64url).
    pub(super) fn assertion(&self) -> Result<String, String> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t#S256": self.thumbprint});
        let claims = serde_json::json!({
            "aud": self.audience,
            "iss": self.client_id,
            "sub": self.client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECS,
        });
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature =
            self.signer.sign(signing_input.as_bytes()).map_err(|e| format!("signing the client assertion: {e}"))?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

/// The first certificate and the private key of a PEM file.
fn pem_certificate_and_key(
    bytes: &[u8],
) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), CertificateError> {
    if bytes.windows(21).any(|w| w == b"ENCRYPTED PRIVATE KEY") {
        return Err(CertificateError::EncryptedPemKey);
    }
    let malformed = |e: pem::Error| CertificateError::Malformed { format: "PEM", reason: e.to_string() };
    let certificate =
        CertificateDer::pem_slice_iter(bytes).next().ok_or(CertificateError::NoCertificate)?.map_err(malformed)?;
    let key = PrivateKeyDer::from_pem_slice(bytes).map_err(|e| match e {
        pem::Error::NoItemsFound => CertificateError::NoPrivateKey,
        e => malformed(e),
    })?;
    Ok((certificate, key))
}

/// An RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signer over the key: the only scheme Entra ID accepts here.
fn rs256_signer(key: &PrivateKeyDer<'_>) -> Result<Box<dyn Signer>, CertificateError> {
    let signing_key = rustls::crypto::aws_lc_rs::sign::any_supported_type(key)
        .map_err(|e| CertificateError::Malformed { format: "private key", reason: e.to_string() })?;
    signing_key
        .choose_scheme(&[SignatureScheme::RSA_PKCS1_SHA256])
        .ok_or_else(|| CertificateError::NotRsa { algorithm: format!("{:?}", signing_key.algorithm()) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn rsa_pem() -> (String, String) {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
        let cert = rcgen::CertificateParams::new(vec!["client".into()]).unwrap().self_signed(&key).unwrap();
        (cert.pem(), key.serialize_pem())
    }

    fn write(content: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(content).unwrap();
        file
    }

    fn part(jwt: &str, i: usize) -> serde_json::Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').nth(i).unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn signs_an_rs256_assertion_naming_the_certificate_by_sha256_thumbprint() {
        let (cert, key) = rsa_pem();
        let file = write(format!("{cert}{key}").as_bytes());
        let audience = "https://login.example/t1/oauth2/v2.0/token".to_string();
        let signer = CertificateAssertion::load(file.path(), None, "client-1", audience.clone()).unwrap();
        let jwt = signer.assertion().unwrap();
        let header = part(&jwt, 0);
        assert_eq!(header["alg"], "RS256");
        let der = CertificateDer::from_pem_slice(cert.as_bytes()).unwrap();
        assert_eq!(header["x5t#S256"], URL_SAFE_NO_PAD.encode(Sha256::digest(der.as_ref())));
        let claims = part(&jwt, 1);
        assert_eq!((claims["aud"].as_str(), claims["iss"].as_str()), (Some(audience.as_str()), Some("client-1")));
        assert_eq!(claims["exp"].as_i64().unwrap() - claims["nbf"].as_i64().unwrap(), ASSERTION_LIFETIME_SECS);
        assert_ne!(part(&signer.assertion().unwrap(), 1)["jti"], claims["jti"], "a fresh jti each time");
        assert!(!format!("{signer:?}").contains("PRIVATE"));
    }

    /// PKCS#12 files written by OpenSSL 3: its default (PBES2 AES-256-CBC, HMAC-SHA256 MAC), also with an empty
    /// password, and the 3DES/SHA-1 scheme of Windows exports, for one throwaway RSA key whose certificate is
    /// `openssl-sp-cert.pem`.
    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    const FIXTURE_PASSWORD: &str = "fixture-pfx-password";

    fn load_fixture(name: &str, password: Option<&str>) -> Result<CertificateAssertion, AuthError> {
        let path = Path::new(FIXTURES).join(name);
        CertificateAssertion::load(&path, password.map(Secret::new).as_ref(), "c", "a".into())
    }

    fn certificate_error(result: Result<CertificateAssertion, AuthError>) -> (CertificateError, String) {
        match result.unwrap_err() {
            e @ AuthError::Certificate { .. } => {
                let text = e.to_string();
                let AuthError::Certificate { error, .. } = e else { unreachable!() };
                (error, text)
            }
            other => panic!("expected a certificate error, got {other:?}"),
        }
    }

    #[test]
    fn opens_openssl_pkcs12_files_with_their_password() {
        let pem = std::fs::read(Path::new(FIXTURES).join("openssl-sp-cert.pem")).unwrap();
        let expected = URL_SAFE_NO_PAD.encode(Sha256::digest(CertificateDer::from_pem_slice(&pem).unwrap().as_ref()));
        let files = [
            ("openssl-aes256.pfx", Some(FIXTURE_PASSWORD)),
            ("openssl-3des.pfx", Some(FIXTURE_PASSWORD)),
            // Exported with an empty password (`-passout pass:`), read with client_certificate_password unset.
            ("openssl-aes256-no-password.pfx", None),
        ];
        for (name, password) in files {
            let signer = load_fixture(name, password).unwrap_or_else(|e| panic!("{name}: {e}"));
            let jwt = signer.assertion().unwrap();
            assert_eq!(part(&jwt, 0)["x5t#S256"], expected.as_str(), "{name}: the certificate's thumbprint");
            assert_eq!(part(&jwt, 0)["alg"], "RS256");
        }
    }

    #[test]
    fn a_wrong_or_missing_pkcs12_password_is_named_without_the_password() {
        for name in ["openssl-aes256.pfx", "openssl-3des.pfx"] {
            let (error, text) = certificate_error(load_fixture(name, Some("not-the-fixture-password")));
            assert_eq!(error, CertificateError::WrongPassword, "{name}");
            assert!(text.starts_with("invalid client_certificate_password: certificate file "), "{text}");
            assert!(text.contains(name) && !text.contains("not-the-fixture-password"), "{text}");
            assert_eq!(certificate_error(load_fixture(name, None)).0, CertificateError::WrongPassword);
        }
    }

    #[test]
    fn refuses_unusable_files_with_a_typed_reason() {
        let load = |bytes: &[u8]| {
            let file = write(bytes);
            certificate_error(CertificateAssertion::load(file.path(), None, "c", "a".into()))
        };
        // Neither PEM nor PKCS#12: a truncated DER header, text, an empty file.
        for bytes in [&[0x30, 0x82, 0x05, 0x00, 0x02, 0x01, 0x03][..], b"hello", b""] {
            let (error, text) = load(bytes);
            assert_eq!(error, CertificateError::NotACertificateFile);
            assert!(text.contains("client_certificate_path") && text.contains("PKCS#12"), "{text}");
        }
        let encrypted = b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(load(encrypted).0, CertificateError::EncryptedPemKey);
        let (cert, key) = rsa_pem();
        assert_eq!(load(cert.as_bytes()).0, CertificateError::NoPrivateKey);
        assert_eq!(load(key.as_bytes()).0, CertificateError::NoCertificate);
        let ec = rcgen::KeyPair::generate().unwrap();
        let ec_cert = rcgen::CertificateParams::new(vec!["c".into()]).unwrap().self_signed(&ec).unwrap();
        let (error, text) = load(format!("{}{}", ec_cert.pem(), ec.serialize_pem()).as_bytes());
        assert_eq!(error, CertificateError::NotRsa { algorithm: "ECDSA".into() });
        assert!(text.contains("not RSA"), "{text}");
        let (error, text) =
            certificate_error(CertificateAssertion::load(Path::new("/nonexistent/c.pem"), None, "c", "a".into()));
        assert!(matches!(error, CertificateError::Unreadable(_)));
        assert!(text.contains("client_certificate_path") && text.contains("/nonexistent/c.pem"), "{text}");
    }
}
