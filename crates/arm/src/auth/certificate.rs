//! The client certificate credential's assertion: a JWT signed with the certificate's RSA key (RS256), naming the
//! certificate by its SHA-256 thumbprint (`x5t#S256`), as Microsoft Entra ID's certificate credentials expect.
//!
//! azure_identity 1.0's `ClientCertificateCredential` needs OpenSSL (a system library this provider does not link),
//! so the assertion is built here with rustls' aws-lc-rs signer and handed to `ClientAssertionCredential`.
//! Supported: a PEM file holding the certificate and an unencrypted private key (PKCS#8, PKCS#1 or SEC1 blocks).
//! A PKCS#12 (`.pfx`) file or an encrypted key is refused with the command that converts it.

use std::fmt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rustls::SignatureScheme;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::Signer;
use sha2::{Digest, Sha256};

use super::settings::{AuthError, Secret};

/// How long an assertion is valid (Entra ID accepts up to 10 minutes of clock skew around `nbf`/`exp`).
const ASSERTION_LIFETIME_SECS: i64 = 600;
const SETTING: &str = "client_certificate_path";

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

fn invalid(reason: impl Into<String>) -> AuthError {
    AuthError::InvalidSetting { setting: SETTING, reason: reason.into() }
}

impl CertificateAssertion {
    /// Reads and checks the file now, so a wrong path or key fails at configure time, not at the first request.
    pub(super) fn load(
        path: &Path,
        password: Option<&Secret>,
        client_id: &str,
        audience: String,
    ) -> Result<CertificateAssertion, AuthError> {
        let shown = path.display();
        let bytes = std::fs::read(path).map_err(|e| invalid(format!("cannot read {shown}: {e}")))?;
        if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            return Err(invalid(format!(
                "{shown} is not PEM; PKCS#12 (.pfx) files are not supported: convert it with \
                 `openssl pkcs12 -in cert.pfx -out cert.pem -nodes` (then client_certificate_password is not needed)"
            )));
        }
        if bytes.windows(21).any(|w| w == b"ENCRYPTED PRIVATE KEY") {
            return Err(invalid(format!(
                "{shown} holds an encrypted private key, which is not supported: decrypt it with \
                 `openssl pkey -in cert.pem -out key.pem` and put the certificate and key in one PEM file"
            )));
        }
        if password.is_some() {
            tracing::debug!(path = %shown, "client_certificate_password is ignored: the PEM key is not encrypted");
        }
        let certificate = CertificateDer::pem_slice_iter(&bytes)
            .next()
            .ok_or_else(|| invalid(format!("{shown} holds no CERTIFICATE block")))?
            .map_err(|e| invalid(format!("{shown}: bad certificate PEM: {e}")))?;
        let key = PrivateKeyDer::from_pem_slice(&bytes)
            .map_err(|e| invalid(format!("{shown} holds no readable private key: {e}")))?;
        let signing_key = rustls::crypto::aws_lc_rs::sign::any_supported_type(&key)
            .map_err(|e| invalid(format!("{shown}: unsupported private key: {e}")))?;
        let signer = signing_key.choose_scheme(&[SignatureScheme::RSA_PKCS1_SHA256]).ok_or_else(|| {
            invalid(format!("{shown}: the key is not an RSA key; Microsoft Entra ID certificate credentials need RSA"))
        })?;
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

    #[test]
    fn refuses_pfx_encrypted_keys_non_rsa_keys_and_missing_parts_with_a_reason() {
        let load = |bytes: &[u8]| {
            let file = write(bytes);
            CertificateAssertion::load(file.path(), None, "c", "a".into()).unwrap_err().to_string()
        };
        assert!(load(&[0x30, 0x82, 0x01, 0x00]).contains("openssl pkcs12"));
        assert!(
            load(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----\n")
                .contains("encrypted")
        );
        let (cert, _) = rsa_pem();
        assert!(load(cert.as_bytes()).contains("no readable private key"));
        let ec = rcgen::KeyPair::generate().unwrap();
        let ec_cert = rcgen::CertificateParams::new(vec!["c".into()]).unwrap().self_signed(&ec).unwrap();
        assert!(load(format!("{}{}", ec_cert.pem(), ec.serialize_pem()).as_bytes()).contains("not an RSA key"));
        let missing = CertificateAssertion::load(Path::new("/nonexistent/c.pem"), None, "c", "a".into()).unwrap_err();
        assert!(
            missing.to_string().contains("client_certificate_path") && missing.to_string().contains("/nonexistent")
        );
    }
}
