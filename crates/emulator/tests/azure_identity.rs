//! The real azure_identity 1.0 client-secret flow against the emulator's TLS authority.

mod common;

use azure_core::cloud::CustomConfiguration;
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::{ClientOptions, Transport};
use azure_identity::{ClientSecretCredential, ClientSecretCredentialOptions};
use common::*;
use modelrouter_emulator::Settings;
use reqwest::StatusCode;
use std::sync::Arc;

#[tokio::test]
async fn client_secret_credential_gets_a_token_the_arm_routes_accept() {
    let emulator = start(Settings::default()).await;
    let certificate = reqwest::Certificate::from_pem(emulator.ca_certificate_pem().as_bytes()).expect("PEM");
    let http = reqwest::Client::builder().no_proxy().tls_certs_only([certificate]).build().expect("client");
    let mut cloud = CustomConfiguration::default();
    cloud.authority_host = emulator.authority_url();
    let client_options = ClientOptions {
        cloud: Some(Arc::new(cloud.into())),
        transport: Some(Transport::new(Arc::new(http))),
        ..Default::default()
    };
    let credential = ClientSecretCredential::new(
        "00000000-0000-0000-0000-00000000000a",
        "app-client-id".to_string(),
        Secret::new("app-secret"),
        Some(ClientSecretCredentialOptions { client_options }),
    )
    .expect("credential");
    let token =
        credential.get_token(&["https://management.azure.com/.default"], None).await.expect("token from the emulator");
    assert!(token.expires_on > time::OffsetDateTime::now_utc());

    let grants = emulator.token_grants();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].grant, "client_secret");
    assert_eq!(grants[0].client_id.as_deref(), Some("app-client-id"));

    let arm = client().get(url(&emulator, ACCOUNT)).bearer_auth(token.token.secret()).send().await.expect("answered");
    assert_eq!(arm.status(), StatusCode::OK);
}
