//! Token endpoints: OAuth2 over TLS (trusting the emulator's certificate), managed identity, GitHub OIDC;
//! issued tokens pass the ARM bearer check.

mod common;

use common::*;
use modelrouter_emulator::{MSI_IDENTITY_HEADER, Settings};
use reqwest::StatusCode;

/// A form body; the values here need escaping of `&`, `=`, `+`, `%` and spaces only.
fn form(pairs: &[(&str, &str)]) -> String {
    let escape = |text: &str| {
        text.replace('%', "%25").replace('&', "%26").replace('=', "%3D").replace('+', "%2B").replace(' ', "+")
    };
    pairs.iter().map(|(k, v)| format!("{}={}", escape(k), escape(v))).collect::<Vec<_>>().join("&")
}

fn tls_client(pem: &str) -> reqwest::Client {
    let certificate = reqwest::Certificate::from_pem(pem.as_bytes()).expect("PEM certificate");
    reqwest::Client::builder().no_proxy().tls_certs_only([certificate]).build().expect("TLS client")
}

#[tokio::test]
async fn oauth2_token_endpoint_over_tls() {
    let emulator = start(Settings::default()).await;
    assert!(emulator.authority_url().starts_with("https://localhost:"));
    let client = tls_client(&emulator.ca_certificate_pem());
    let token_url = format!("{}/tenant-1/oauth2/v2.0/token", emulator.authority_url());

    let response = client
        .post(&token_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "app-1"),
            ("client_secret", "s3cret"),
            ("scope", "https://management.azure.com/.default"),
        ]))
        .send()
        .await
        .expect("TLS request succeeds with the emulator's CA");
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["ext_expires_in"], 3600);
    let token = body["access_token"].as_str().expect("token").to_string();
    assert_eq!(token.split('.').count(), 3, "JWT-shaped");

    let assertion = client
        .post(&token_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "app-1"),
            ("client_assertion", "header.payload.sig"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("scope", "https://management.azure.com/.default"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(assertion.status(), StatusCode::OK);

    let neither = client
        .post(&token_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("grant_type", "client_credentials"), ("client_id", "app-1"), ("scope", "x/.default")]))
        .send()
        .await
        .unwrap();
    assert_eq!(neither.status(), StatusCode::UNAUTHORIZED);

    let grants: Vec<String> = emulator.token_grants().into_iter().map(|g| g.grant).collect();
    assert_eq!(grants, ["client_secret", "client_assertion"]);

    // The issued token passes the ARM check although a different static token is configured.
    let arm = reqwest::Client::new().get(url(&emulator, ACCOUNT)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(arm.status(), StatusCode::OK);

    // A client that does not trust the certificate fails.
    let untrusting = reqwest::Client::builder().no_proxy().tls_certs_only([]).build().unwrap();
    assert!(untrusting.post(&token_url).send().await.is_err());
}

#[tokio::test]
async fn managed_identity_endpoint() {
    let emulator = start(Settings::default()).await;
    let msi = format!("{}/msi/token?api-version=2019-08-01&resource=https://management.azure.com", emulator.base_url());
    let refused = client().get(&msi).header("X-IDENTITY-HEADER", "wrong").send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let response = client().get(&msi).header("X-IDENTITY-HEADER", MSI_IDENTITY_HEADER).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    assert_eq!(body["resource"], "https://management.azure.com");
    assert_eq!(body["token_type"], "Bearer");
    let expires_on: i64 = body["expires_on"].as_str().expect("string epoch").parse().expect("number");
    assert!(expires_on > time::OffsetDateTime::now_utc().unix_timestamp());
    let token = body["access_token"].as_str().unwrap();
    let arm = client().get(url(&emulator, ACCOUNT)).bearer_auth(token).send().await.unwrap();
    assert_eq!(arm.status(), StatusCode::OK);
    assert_eq!(emulator.token_grants()[0].grant, "managed_identity");
}

#[tokio::test]
async fn github_oidc_endpoint() {
    let emulator = start(Settings::default()).await;
    let oidc = format!("{}/github/oidc?audience=api://AzureADTokenExchange", emulator.base_url());
    assert_eq!(client().get(&oidc).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let body = json_of(client().get(&oidc).bearer_auth("request-token").send().await.unwrap()).await;
    let jwt = body["value"].as_str().expect("value");
    assert_eq!(jwt.split('.').count(), 3);
}
