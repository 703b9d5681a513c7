//! PKCS#12 (`.pfx`/`.p12`) certificate files: recognising one by its content and taking out the certificate and
//! its private key with the file's password. The format is what `az`/PowerShell/Key Vault exports and what azurerm
//! users' `client_certificate_path` usually names.

use p12_keystore::Pkcs12Archive;
use p12_keystore::error::Error as Pkcs12Error;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::certificate::CertificateError;

/// Whether `bytes` is shaped like a PFX: one DER SEQUENCE filling the whole file whose first element is
/// `INTEGER 3` (RFC 7292 §4, `PFX ::= SEQUENCE { version INTEGER {v3(3)}, ... }`). Checked before decrypting so a
/// file that is no certificate at all is reported as such, not as a wrong password.
pub(super) fn looks_like_pkcs12(bytes: &[u8]) -> bool {
    let [0x30, first, rest @ ..] = bytes else { return false };
    let (length, body) = if *first < 0x80 {
        (usize::from(*first), rest)
    } else {
        // Long form: the low bits count the length octets (DER: at most a few for any real file).
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return false;
        }
        let (octets, body) = rest.split_at(count);
        (octets.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b)), body)
    };
    length == body.len() && body.starts_with(&[0x02, 0x01, 0x03])
}

/// The certificate and private key of a PKCS#12 file. `password` is the file's password (`""` when none is set:
/// files exported without one use the empty password).
pub(super) fn certificate_and_key(
    bytes: &[u8],
    password: &str,
) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), CertificateError> {
    let archive = Pkcs12Archive::from_pkcs12(bytes, password).map_err(open_error)?;
    let key = archive.keys.first().ok_or(CertificateError::NoPrivateKey)?;
    // The key's certificate carries the same localKeyId; files without the attribute list the leaf first
    // (OpenSSL, Windows), so that is the fallback.
    let certificate = key
        .local_key_id
        .as_ref()
        .and_then(|id| archive.certs.iter().find(|c| c.local_key_id.as_deref() == Some(id.0.as_slice())))
        .or_else(|| archive.certs.first())
        .ok_or(CertificateError::NoCertificate)?;
    Ok((
        CertificateDer::from(certificate.cert.as_der().to_vec()),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.key.as_der().to_vec())),
    ))
}

/// Names why a file that looks like PKCS#12 could not be opened. The library's messages never hold the password.
fn open_error(error: Pkcs12Error) -> CertificateError {
    match error {
        // The MAC over the contents is keyed by the password: a mismatch means the password is wrong.
        Pkcs12Error::MacError(_) => CertificateError::WrongPassword,
        // A file without a MAC shows a wrong password only when a decrypted bag has bad padding.
        Pkcs12Error::UnpadError | Pkcs12Error::Pkcs5Error(_) => {
            CertificateError::Undecryptable { reason: error.to_string() }
        }
        Pkcs12Error::UnsupportedEncryptionScheme | Pkcs12Error::UnsupportedMacAlgorithm => {
            CertificateError::Unsupported { reason: error.to_string() }
        }
        other => CertificateError::Malformed { format: "PKCS#12", reason: other.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_pfx_outline_and_nothing_else() {
        assert!(looks_like_pkcs12(&[0x30, 0x03, 0x02, 0x01, 0x03]));
        assert!(looks_like_pkcs12(&[&[0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03][..], &[0u8; 253]].concat()));
        // Wrong version, a length that does not cover the file, truncated, PEM, empty.
        assert!(!looks_like_pkcs12(&[0x30, 0x03, 0x02, 0x01, 0x01]));
        assert!(!looks_like_pkcs12(&[0x30, 0x82, 0x05, 0x00, 0x02, 0x01, 0x03]));
        assert!(!looks_like_pkcs12(&[0x30, 0x84]));
        assert!(!looks_like_pkcs12(b"-----BEGIN CERTIFICATE-----"));
        assert!(!looks_like_pkcs12(&[]));
    }
}
