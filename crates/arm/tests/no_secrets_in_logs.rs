//! A trace-level capture of everything (this crate, reqwest, hyper, rustls, azure_core/azure_identity) while
//! every file-free credential kind (and the client certificate, PEM and PKCS#12) authenticates and a create/read/list/delete with faults runs: no secret and no
//! token may appear in it. One test per binary, because it installs the global subscriber.

mod common;

use common::*;
use modelrouter_arm::{ArmClient, AuthSettings, ClientConfig, Secret};
use modelrouter_emulator::{FaultAction, FaultRule, Settings};

const CLIENT_SECRET: &str = "cs-Zq8~very-secret-client-secret";
const OIDC_TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJsb2ctdGVzdCJ9.b2lkYy1zZWNyZXQtc2ln";
const FILE_TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJmaWxlLXRlc3QifQ.ZmlsZS1zZWNyZXQtc2ln";
const GITHUB_REQUEST_TOKEN: &str = "ghs_RequestTokenThatMustNotLeak";
const CERT_PASSWORD: &str = "cert-password-that-must-not-leak";
const PFX_PASSWORD: &str = "pfx-password-that-must-not-leak";
const WRONG_PFX_PASSWORD: &str = "wrong-pfx-password-that-must-not-leak";

#[tokio::test]
async fn trace_logs_contain_no_secret_and_no_token() {
    let capture = Capture::install_trace_subscriber();

    let emu = emulator(Settings { operation_delay_ms: 100, page_size: 1, ..Default::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, emu.ca_certificate_pem()).unwrap();
    // A client certificate: its private key must never be logged.
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let cert = rcgen::CertificateParams::new(vec!["sp".into()]).unwrap().self_signed(&key).unwrap();
    emu.register_client_certificate("client-1", &cert.pem()).unwrap();
    let key_pem = key.serialize_pem();
    let cert_file = dir.path().join("sp.pem");
    std::fs::write(&cert_file, format!("{}{key_pem}", cert.pem())).unwrap();
    // The same certificate and key in a password-protected PKCS#12 file.
    let pfx_file = dir.path().join("sp.pfx");
    std::fs::write(&pfx_file, pkcs12(&cert, Some(&key), PFX_PASSWORD)).unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, FILE_TOKEN).unwrap();
    let tls = AuthSettings {
        tenant_id: Some("tenant-1".into()),
        client_id: Some("client-1".into()),
        authority_host: Some(emu.authority_url()),
        ca_cert_file: Some(ca.to_string_lossy().into_owned()),
        use_cli: Some(false),
        ..Default::default()
    };

    // A full lifecycle with retries on the static token.
    let arm = client(&emu);
    emu.inject(FaultRule {
        method: Some("PUT".into()),
        path_contains: None,
        times: 1,
        action: FaultAction::Status {
            status: 503,
            code: "ServiceUnavailable".into(),
            message: "x".into(),
            retry_after_secs: None,
        },
    });
    emu.inject(FaultRule {
        method: Some("GET".into()),
        path_contains: Some("/operations/".into()),
        times: 1,
        action: FaultAction::DropConnection,
    });
    let id = deployment_id("logged");
    arm.put_deployment(&id, &body(1), deadline(20)).await.unwrap();
    arm.put_deployment(&deployment_id("logged-2"), &body(1), deadline(20)).await.unwrap();
    assert_eq!(arm.list_deployments(&account(), deadline(5)).await.unwrap().len(), 2);
    arm.delete_deployment(&id, deadline(20)).await.unwrap();

    // Every credential kind that needs no process environment, each making an ARM call.
    let kinds = [
        AuthSettings { client_secret: Some(Secret::new(CLIENT_SECRET)), ..tls.clone() },
        AuthSettings { use_oidc: Some(true), oidc_token: Some(Secret::new(OIDC_TOKEN)), ..tls.clone() },
        AuthSettings {
            client_certificate_path: Some(cert_file.to_string_lossy().into_owned()),
            client_certificate_password: Some(Secret::new(CERT_PASSWORD)),
            ..tls.clone()
        },
        AuthSettings {
            client_certificate_path: Some(pfx_file.to_string_lossy().into_owned()),
            client_certificate_password: Some(Secret::new(PFX_PASSWORD)),
            ..tls.clone()
        },
        AuthSettings {
            use_oidc: Some(true),
            oidc_token_file_path: Some(token_file.to_string_lossy().into_owned()),
            ..tls.clone()
        },
        AuthSettings {
            use_oidc: Some(true),
            oidc_request_url: Some(format!("{}/github/oidc", emu.base_url())),
            oidc_request_token: Some(Secret::new(GITHUB_REQUEST_TOKEN)),
            ..tls.clone()
        },
    ];
    for settings in kinds {
        let arm = client_with(&emu, settings);
        arm.get_deployment(&deployment_id("logged-2"), deadline(10)).await.expect("authenticated");
    }
    // A wrong PKCS#12 password is refused; neither password reaches the error or the logs.
    let wrong = AuthSettings {
        resource_manager_endpoint: Some(emu.base_url()),
        client_certificate_path: Some(pfx_file.to_string_lossy().into_owned()),
        client_certificate_password: Some(Secret::new(WRONG_PFX_PASSWORD)),
        ..tls.clone()
    };
    let refused = ArmClient::new(ClientConfig::new(wrong)).expect_err("wrong password").to_string();
    assert!(refused.contains("client_certificate_password"), "{refused}");
    assert!(!refused.contains(WRONG_PFX_PASSWORD) && !refused.contains(PFX_PASSWORD), "{refused}");

    let log = String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned();
    let requests = emu.requests();
    let mut secrets: Vec<String> = vec![
        STATIC_TOKEN.into(),
        CLIENT_SECRET.into(),
        OIDC_TOKEN.into(),
        FILE_TOKEN.into(),
        GITHUB_REQUEST_TOKEN.into(),
        CERT_PASSWORD.into(),
        PFX_PASSWORD.into(),
        WRONG_PFX_PASSWORD.into(),
    ];
    // Every line of the private key's base64 body.
    secrets.extend(key_pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 16).map(String::from));
    secrets.extend(requests.iter().filter_map(|r| r.bearer_token.clone()));
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() >= 7, "issued tokens collected: {}", secrets.len());
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "a secret or token leaked into the logs (len {})", secret.len());
        // Also no distinctive fragment (e.g. a JWT signature part logged on its own).
        if let Some(tail) = secret.rsplit('.').next().filter(|t| t.len() >= 16) {
            assert!(!log.contains(tail), "a token fragment leaked into the logs");
        }
    }
    // The capture did see the traffic: correlation ids, statuses and retries are logged.
    let cid = requests[0].correlation_id.clone().expect("correlation id");
    assert!(log.contains(&cid), "correlation id logged");
    assert!(log.contains("ARM request") && log.contains("retrying ARM request"), "request logs present");
    assert!(log.contains("obtained an access token"));
    assert!(log.len() > 10_000, "trace output from the HTTP stack is captured too ({} bytes)", log.len());
}
