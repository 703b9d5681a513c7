//! Each credential kind obtains a token from the emulator and the ARM call carries it.
//! These tests pass settings explicitly (no process environment); the ones that need the environment
//! (managed identity, Azure CLI) live in their own test binaries.

mod common;

use base64::Engine;
use common::*;
use modelrouter_arm::{
    ArmClient, ArmError, ArmErrorKind, AuthError, AuthSettings, CertificateError, ClientConfig, ConfigError, Secret,
};
use modelrouter_emulator::{Emulator, Settings};
use serde_json::Value;

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT: &str = "0b1c2d3e-aaaa-bbbb-cccc-1234567890ab";

/// Login endpoint = the emulator's TLS token endpoint, trusting its self-signed certificate.
fn tls_settings(emu: &Emulator, dir: &tempfile::TempDir) -> AuthSettings {
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, emu.ca_certificate_pem()).unwrap();
    AuthSettings {
        tenant_id: Some(TENANT.into()),
        client_id: Some(CLIENT.into()),
        authority_host: Some(emu.authority_url()),
        ca_cert_file: Some(ca.to_string_lossy().into_owned()),
        use_cli: Some(false),
        ..Default::default()
    }
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// Two reads; returns the bearer tokens the emulator saw.
async fn two_reads(arm: &ArmClient, emu: &Emulator) -> Vec<String> {
    for _ in 0..2 {
        assert!(arm.get_deployment(&deployment_id("probe"), deadline(10)).await.expect("authorised").is_none());
    }
    emu.requests().into_iter().map(|r| r.bearer_token.expect("bearer sent")).collect()
}

/// The issued token went to ARM, carrying our client id and the ARM audience; it was fetched once and cached.
fn assert_issued_token_used(emu: &Emulator, bearers: &[String], grant: &str) {
    assert_eq!(bearers.len(), 2);
    assert_eq!(bearers[0], bearers[1], "token cached between calls");
    assert_ne!(bearers[0], STATIC_TOKEN);
    let c = claims(&bearers[0]);
    assert_eq!(c["appid"], CLIENT);
    assert_eq!(c["tid"], TENANT);
    assert_eq!(c["aud"], emu.base_url(), "scope is <ARM base>/.default");
    let grants = emu.token_grants();
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!(grants[0].grant, grant);
    assert_eq!(grants[0].scope.as_deref(), Some(format!("{}/.default", emu.base_url()).as_str()));
}

#[tokio::test]
async fn static_access_token() {
    let emu = emulator(Settings::default()).await;
    let arm = client_with(&emu, AuthSettings { access_token: Some(Secret::new(STATIC_TOKEN)), ..Default::default() });
    let bearers = two_reads(&arm, &emu).await;
    assert_eq!(bearers, [STATIC_TOKEN, STATIC_TOKEN]);
    assert!(emu.token_grants().is_empty());
}

#[tokio::test]
async fn client_secret() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = AuthSettings { client_secret: Some(Secret::new("s3cr3t-value")), ..tls_settings(&emu, &dir) };
    let arm = client_with(&emu, settings);
    let bearers = two_reads(&arm, &emu).await;
    assert_issued_token_used(&emu, &bearers, "client_secret");
}

#[tokio::test]
async fn oidc_token() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = AuthSettings {
        use_oidc: Some(true),
        oidc_token: Some(Secret::new("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln")),
        ..tls_settings(&emu, &dir)
    };
    let arm = client_with(&emu, settings);
    let bearers = two_reads(&arm, &emu).await;
    assert_issued_token_used(&emu, &bearers, "client_assertion");
}

#[tokio::test]
async fn oidc_token_file() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("federated-token");
    std::fs::write(&file, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJmaWxlIn0.c2ln\n").unwrap();
    let settings = AuthSettings {
        use_oidc: Some(true),
        oidc_token_file_path: Some(file.to_string_lossy().into_owned()),
        ..tls_settings(&emu, &dir)
    };
    let arm = client_with(&emu, settings);
    let bearers = two_reads(&arm, &emu).await;
    assert_issued_token_used(&emu, &bearers, "client_assertion");
}

#[tokio::test]
async fn github_actions_request_url() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = AuthSettings {
        use_oidc: Some(true),
        oidc_request_url: Some(format!("{}/github/oidc", emu.base_url())),
        oidc_request_token: Some(Secret::new("ghs_requesttoken")),
        ..tls_settings(&emu, &dir)
    };
    let arm = client_with(&emu, settings.clone());
    let bearers = two_reads(&arm, &emu).await;
    assert_issued_token_used(&emu, &bearers, "client_assertion");

    // The request URL really is used: pointing it elsewhere fails with an authentication error.
    let broken = AuthSettings { oidc_request_url: Some(format!("{}/github/nowhere", emu.base_url())), ..settings };
    let err = client_with(&emu, broken).get_deployment(&deployment_id("probe"), deadline(10)).await.unwrap_err();
    assert!(matches!(err, ArmError { kind: ArmErrorKind::Auth(_), .. }), "{err:?}");
    assert!(err.to_string().contains("GitHub Actions"), "{err}");
}

#[tokio::test]
async fn a_failing_credential_is_an_auth_error_without_the_secret() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    // No trusted CA: the TLS handshake with the authority fails.
    let settings = AuthSettings {
        client_secret: Some(Secret::new("never-shown-1234")),
        ca_cert_file: None,
        ..tls_settings(&emu, &dir)
    };
    let err = client_with(&emu, settings).get_deployment(&deployment_id("probe"), deadline(10)).await.unwrap_err();
    assert!(matches!(err, ArmError { kind: ArmErrorKind::Auth(_), .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("never-shown-1234"));
    assert!(err.to_string().starts_with("client secret credential could not obtain a token"), "{err}");
    assert!(err.to_string().contains("certificate"), "the cause (TLS) is named: {err}");
    assert!(emu.requests().is_empty(), "no ARM request without a token");
}

/// A self-signed RSA certificate and its key, as one PEM file's content, plus the certificate alone.
fn rsa_certificate() -> (String, String) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let cert = rcgen::CertificateParams::new(vec!["modelrouter-sp".into()]).unwrap().self_signed(&key).unwrap();
    (format!("{}{}", cert.pem(), key.serialize_pem()), cert.pem())
}

#[tokio::test]
async fn client_certificate() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let (pem, certificate) = rsa_certificate();
    emu.register_client_certificate(CLIENT, &certificate).unwrap();
    let path = dir.path().join("sp.pem");
    std::fs::write(&path, pem).unwrap();
    let settings =
        AuthSettings { client_certificate_path: Some(path.to_string_lossy().into_owned()), ..tls_settings(&emu, &dir) };
    let arm = client_with(&emu, settings);
    let bearers = two_reads(&arm, &emu).await;
    // The emulator verified the RS256 signature against the registered certificate, the audience and the issuer.
    assert_issued_token_used(&emu, &bearers, "client_certificate");
}

#[tokio::test]
async fn a_client_certificate_the_tenant_does_not_know_is_refused_naming_the_cause() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let (pem, certificate) = rsa_certificate();
    // Registered for another application: refused, as is an unregistered one.
    emu.register_client_certificate("another-app", &certificate).unwrap();
    let path = dir.path().join("sp.pem");
    std::fs::write(&path, &pem).unwrap();
    let settings =
        AuthSettings { client_certificate_path: Some(path.to_string_lossy().into_owned()), ..tls_settings(&emu, &dir) };
    let arm = client_with(&emu, settings.clone());
    let err = arm.get_deployment(&deployment_id("probe"), deadline(10)).await.unwrap_err();
    assert!(matches!(err, ArmError { kind: ArmErrorKind::Auth(_), .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("client certificate credential") && text.contains("AADSTS700027"), "{text}");
    assert!(!text.contains("PRIVATE KEY"));
    assert!(emu.requests().is_empty(), "nothing reached ARM");
    // A signature by another key under the registered certificate's thumbprint fails verification.
    let (other_pem, _) = rsa_certificate();
    let other_key = &other_pem[other_pem.find("-----BEGIN PRIVATE KEY").unwrap()..];
    emu.register_client_certificate(CLIENT, &certificate).unwrap();
    std::fs::write(&path, format!("{certificate}{other_key}")).unwrap();
    let err = client_with(&emu, settings).get_deployment(&deployment_id("probe"), deadline(10)).await.unwrap_err();
    assert!(err.to_string().contains("failed signature validation"), "{err}");
}

/// azurerm users' usual file: a password-protected PKCS#12 export. Also one exported without a password, used with
/// client_certificate_password unset.
#[tokio::test]
async fn client_certificate_from_a_pkcs12_file() {
    for password in ["pfx-Pa55word", ""] {
        let emu = emulator(Settings::default()).await;
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
        let cert = rcgen::CertificateParams::new(vec!["modelrouter-sp".into()]).unwrap().self_signed(&key).unwrap();
        emu.register_client_certificate(CLIENT, &cert.pem()).unwrap();
        // Recognised by content: the name says nothing.
        let path = dir.path().join("sp.cert");
        std::fs::write(&path, pkcs12(&cert, Some(&key), password)).unwrap();
        let settings = AuthSettings {
            client_certificate_path: Some(path.to_string_lossy().into_owned()),
            client_certificate_password: (!password.is_empty()).then(|| Secret::new(password)),
            ..tls_settings(&emu, &dir)
        };
        let arm = client_with(&emu, settings);
        let bearers = two_reads(&arm, &emu).await;
        // The emulator verified the RS256 signature against the certificate taken out of the PKCS#12 file.
        assert_issued_token_used(&emu, &bearers, "client_certificate");
    }
}

#[tokio::test]
async fn a_client_certificate_file_that_cannot_be_used_fails_when_the_client_is_built() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let rsa = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let rsa_cert = rcgen::CertificateParams::new(vec!["sp".into()]).unwrap().self_signed(&rsa).unwrap();
    let ec = rcgen::KeyPair::generate().unwrap();
    let ec_cert = rcgen::CertificateParams::new(vec!["sp".into()]).unwrap().self_signed(&ec).unwrap();
    let password = "pfx-password-7Qz";
    let cases = [
        // (file, the error expected with `password`)
        (pkcs12(&rsa_cert, Some(&rsa), "the-real-password"), CertificateError::WrongPassword),
        (pkcs12(&rsa_cert, None, password), CertificateError::NoPrivateKey),
        (pkcs12(&ec_cert, Some(&ec), password), CertificateError::NotRsa { algorithm: "ECDSA".into() }),
        (vec![0x30, 0x82, 0x05, 0x00, 0x02, 0x01, 0x03], CertificateError::NotACertificateFile),
    ];
    for (bytes, expected) in cases {
        let path = dir.path().join("sp.pfx");
        std::fs::write(&path, bytes).unwrap();
        let settings = AuthSettings {
            resource_manager_endpoint: Some(emu.base_url()),
            client_certificate_path: Some(path.to_string_lossy().into_owned()),
            client_certificate_password: Some(Secret::new(password)),
            ..tls_settings(&emu, &dir)
        };
        let err = ArmClient::new(ClientConfig::new(settings)).unwrap_err();
        let text = err.to_string();
        let ConfigError::Auth(AuthError::Certificate { path: shown, error }) = err else {
            panic!("expected a certificate error, got {text}")
        };
        assert_eq!(error, expected, "{text}");
        assert_eq!(shown, path.display().to_string());
        assert!(text.starts_with(&format!("invalid {}: certificate file ", expected.setting())), "{text}");
        assert!(!text.contains(password) && !text.contains("the-real-password"), "no password in: {text}");
    }
    assert_eq!(CertificateError::WrongPassword.setting(), "client_certificate_password");
    assert!(emu.token_grants().is_empty(), "refused before any token request");
}

#[tokio::test]
async fn oidc_azure_devops_service_connection() {
    let emu = emulator(Settings::default()).await;
    let dir = tempfile::tempdir().unwrap();
    // What an Azure DevOps job sets (SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN) plus the service connection id;
    // the token the provider exchanges is requested from the pipeline's endpoint, not given to it.
    let base = emu.base_url();
    let env = move |name: &str| match name {
        "SYSTEM_OIDCREQUESTURI" => Some(format!("{base}/ado/oidc")),
        "SYSTEM_ACCESSTOKEN" => Some("ado-job-access-token".to_string()),
        "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID" => Some("sc-42".to_string()),
        "ARM_USE_OIDC" => Some("true".to_string()),
        _ => None,
    };
    let settings = tls_settings(&emu, &dir).with_env_fallbacks(env);
    let arm = client_with(&emu, settings);
    let bearers = two_reads(&arm, &emu).await;
    assert_issued_token_used(&emu, &bearers, "client_assertion");
}
