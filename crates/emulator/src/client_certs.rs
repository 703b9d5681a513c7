//! Client certificate credentials: certificates registered per client id (`Emulator::register_client_certificate`,
//! `POST /admin/client-certificates`), and the verification of assertions that name one by `x5t#S256`: the
//! RS256 signature against the certificate's key, the audience (this token endpoint), issuer and subject (the
//! client id) and the validity window, as Entra ID checks them.

use crate::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Clock skew tolerated on `nbf` and `exp`.
const SKEW_SECS: i64 = 300;

#[derive(Debug, Clone)]
pub(crate) struct RegisteredCertificate {
    pub client_id: String,
    pub der: Vec<u8>,
}

impl Shared {
    /// Registers the first certificate of `pem` for `client_id`; returns its `x5t#S256` thumbprint.
    pub(crate) fn register_client_certificate(&self, client_id: &str, pem: &str) -> Result<String, String> {
        let der = CertificateDer::pem_slice_iter(pem.as_bytes())
            .next()
            .ok_or("no CERTIFICATE block in the PEM")?
            .map_err(|e| format!("bad certificate PEM: {e}"))?;
        webpki::EndEntityCert::try_from(&der).map_err(|e| format!("not a usable certificate: {e}"))?;
        let thumbprint = URL_SAFE_NO_PAD.encode(Sha256::digest(der.as_ref()));
        let registered = RegisteredCertificate { client_id: client_id.to_string(), der: der.as_ref().to_vec() };
        self.lock().client_certificates.insert(thumbprint.clone(), registered);
        Ok(thumbprint)
    }
}

fn decode_part(part: &str) -> Option<Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}

/// `Ok(true)`: a valid certificate assertion; `Ok(false)`: not a certificate assertion (no `x5t#S256`);
/// `Err`: a certificate assertion that fails, with an AADSTS-style reason.
pub(crate) fn verify(shared: &Shared, assertion: &str, client_id: &str, audience: &str) -> Result<bool, String> {
    let parts: Vec<&str> = assertion.split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Ok(false);
    };
    let Some(header) = decode_part(header) else {
        return Ok(false);
    };
    let Some(thumbprint) = header.get("x5t#S256").and_then(Value::as_str) else {
        return Ok(false);
    };
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err("AADSTS5002730: certificate assertions must be signed with RS256.".into());
    }
    let registered = shared.lock().client_certificates.get(thumbprint).cloned().ok_or_else(|| {
        format!("AADSTS700027: no certificate with thumbprint {thumbprint} is registered for this application.")
    })?;
    if registered.client_id != client_id {
        return Err(format!("AADSTS700027: the certificate {thumbprint} is registered for another application."));
    }
    let der = CertificateDer::from(registered.der);
    let certificate = webpki::EndEntityCert::try_from(&der).map_err(|e| format!("AADSTS700027: {e}"))?;
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| "AADSTS700027: the signature is not base64url.")?;
    let signed = &assertion[..assertion.len() - parts[2].len() - 1];
    certificate
        .verify_signature(webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
        .map_err(|_| "AADSTS700027: Client assertion failed signature validation.".to_string())?;
    let claims = decode_part(claims).ok_or("AADSTS700027: the claims are not JSON.")?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
    if text("aud") != audience {
        return Err(format!("AADSTS700212: the assertion's audience '{}' is not {audience}.", text("aud")));
    }
    if text("iss") != client_id || text("sub") != client_id {
        return Err("AADSTS700023: the assertion's iss and sub must be the client id.".into());
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let number = |name: &str| claims.get(name).and_then(Value::as_i64);
    match (number("nbf"), number("exp")) {
        (Some(nbf), Some(exp)) if nbf <= now + SKEW_SECS && exp >= now - SKEW_SECS => Ok(true),
        _ => Err("AADSTS700024: the assertion is not within its valid time range.".into()),
    }
}

#[derive(Deserialize)]
struct Registration {
    client_id: String,
    certificate_pem: String,
}

/// `POST /admin/client-certificates {"client_id", "certificate_pem"}` → `{"x5t#S256": ...}`.
pub(crate) fn admin_router() -> Router<Arc<Shared>> {
    Router::new().route("/admin/client-certificates", post(register))
}

async fn register(State(shared): State<Arc<Shared>>, Json(body): Json<Registration>) -> Response {
    match shared.register_client_certificate(&body.client_id, &body.certificate_pem) {
        Ok(thumbprint) => Json(json!({"x5t#S256": thumbprint})).into_response(),
        Err(reason) => {
            (StatusCode::BAD_REQUEST, Json(json!({"error": {"code": "AdminError", "message": reason}}))).into_response()
        }
    }
}
