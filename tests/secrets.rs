//! No secret leaks: for every credential kind the provider block supports that works offline against the emulator,
//! apply, import and plan run under `TF_LOG=trace` (Terraform's and the provider's logs in one file), and neither
//! the log, nor Terraform's output, nor the state file contains the credential or a token derived from it.

mod support;

use std::os::unix::fs::PermissionsExt;

use modelrouter_emulator::MSI_IDENTITY_HEADER;
use support::{ACCOUNT, REQUIRED_PROVIDERS, TOKEN, TestEmulator, Workdir};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT: &str = "0b1c2d3e-aaaa-bbbb-cccc-1234567890ab";
const CLIENT_SECRET: &str = "Xq8~client-secret-value-7f3a9c";
const OIDC_TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJvaWRjLWlubGluZSJ9.b2lkYy1pbmxpbmUtc2lnbmF0dXJl";
const OIDC_FILE_TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJvaWRjLWZpbGUifQ.b2lkYy1maWxlLXNpZ25hdHVyZQ";
const GITHUB_REQUEST_TOKEN: &str = "ghs_request-token-9b41e2";

/// One way of signing in: provider block arguments, environment, and the secrets it involves.
struct Credential {
    arguments: String,
    env: Vec<(String, String)>,
    secrets: Vec<String>,
}

fn provider_block(emu: &TestEmulator, arguments: &str) -> String {
    format!(
        "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{\n  resource_manager_endpoint = \"{}\"\n{arguments}}}\n",
        emu.emulator.base_url()
    )
}

const ROUTER: &str = r#"
resource "modelrouter_deployment" "r" {
  name                 = "router-secrets"
  cognitive_account_id = "ACCOUNT"
  routing {
    mode = "quality"
    model { name = "gpt-5-mini" }
    model { name = "gpt-4.1" }
  }
}
"#;

/// Login through the emulator's TLS token endpoint, trusting its certificate.
fn entra_env(emu: &TestEmulator, wd_dir: &std::path::Path) -> Vec<(String, String)> {
    let ca = wd_dir.join("emulator-ca.pem");
    std::fs::write(&ca, emu.emulator.ca_certificate_pem()).expect("write CA");
    vec![
        ("AZURE_AUTHORITY_HOST".into(), emu.emulator.authority_url()),
        ("ARM_TEST_CA_CERT_FILE".into(), ca.display().to_string()),
    ]
}

/// Runs apply, import and plan at trace level with `credential`; asserts no secret appears anywhere.
fn assert_no_leak(emu: &TestEmulator, make: impl FnOnce(&Workdir) -> Credential, expected_grant: Option<&str>) {
    let mut wd = Workdir::new("");
    let credential = make(&wd);
    wd.write(
        "main.tf",
        &format!("{}\n{}", provider_block(emu, &credential.arguments), ROUTER.replace("ACCOUNT", ACCOUNT)),
    );
    let log = wd.path().join("terraform-trace.log");
    wd.set_env("TF_LOG", "trace");
    wd.set_env("TF_LOG_PATH", &log.display().to_string());
    for (key, value) in &credential.env {
        wd.set_env(key, value);
    }

    let mut outputs = vec![wd.init(), wd.apply()];
    let id = TestEmulator::deployment_id("router-secrets");
    outputs.push(wd.ok(&["state", "rm", "modelrouter_deployment.r"]));
    outputs.push(wd.ok(&["import", "-no-color", "-input=false", "modelrouter_deployment.r", &id]));
    outputs.push(wd.plan(&[]));
    assert_eq!(outputs.last().map(|o| o.code), Some(0), "plan after import is empty: {:?}", outputs.last());
    assert!(emu.stored("router-secrets").is_some(), "the credential worked: the deployment was created");

    // The bearer tokens the provider sent are secrets too (issued by the emulator for every kind but access_token).
    let mut secrets = credential.secrets.clone();
    for request in emu.emulator.requests() {
        if let Some(token) = request.bearer_token
            && !secrets.contains(&token)
        {
            secrets.push(token);
        }
    }
    if let Some(grant) = expected_grant {
        let grants = emu.emulator.token_grants();
        assert!(grants.iter().any(|g| g.grant == grant), "the {grant} grant was used: {grants:?}");
    }

    let log_text = std::fs::read_to_string(&log).expect("TF_LOG_PATH written");
    assert!(log_text.contains("ARM request"), "the provider's own debug/trace lines reached the log");
    assert!(log_text.contains("[TRACE]"), "Terraform traced the run");
    let state = std::fs::read_to_string(wd.path().join("terraform.tfstate")).expect("state file");
    for secret in &secrets {
        assert!(!secret.is_empty());
        // A JWT's signature alone is enough to replay it; check the whole value and its last segment.
        let needles: Vec<&str> = std::iter::once(secret.as_str())
            .chain(secret.rsplit('.').next().filter(|s| s.len() >= 12 && *s != secret))
            .collect();
        for needle in needles {
            assert!(!log_text.contains(needle), "the trace log contains a secret ({} chars)", needle.len());
            assert!(!state.contains(needle), "the state file contains a secret");
            for out in &outputs {
                assert!(!out.combined().contains(needle), "terraform's output contains a secret");
            }
        }
    }
}

/// The ARM bearer check only accepts TOKEN and tokens the emulator issued.
fn emulator() -> TestEmulator {
    TestEmulator::start()
}

#[test]
fn access_token_never_appears_in_logs_output_or_state() {
    let emu = emulator();
    assert_no_leak(
        &emu,
        |_| Credential {
            arguments: format!("  access_token = \"{TOKEN}\"\n"),
            env: Vec::new(),
            secrets: vec![TOKEN.to_owned()],
        },
        None,
    );
}

#[test]
fn access_token_from_the_environment_never_appears() {
    let emu = emulator();
    assert_no_leak(
        &emu,
        |_| Credential {
            arguments: String::new(),
            env: vec![("ARM_ACCESS_TOKEN".into(), TOKEN.into()), ("ARM_USE_CLI".into(), "false".into())],
            secrets: vec![TOKEN.to_owned()],
        },
        None,
    );
}

#[test]
fn client_secret_never_appears() {
    let emu = emulator();
    assert_no_leak(
        &emu,
        |wd| Credential {
            arguments: format!(
                "  tenant_id     = \"{TENANT}\"\n  client_id     = \"{CLIENT}\"\n  client_secret = \"{CLIENT_SECRET}\"\n  use_cli       = false\n"
            ),
            env: entra_env(&emu, wd.path()),
            secrets: vec![CLIENT_SECRET.to_owned()],
        },
        Some("client_secret"),
    );
}

#[test]
fn oidc_token_never_appears() {
    let emu = emulator();
    assert_no_leak(
        &emu,
        |wd| Credential {
            arguments: format!(
                "  tenant_id  = \"{TENANT}\"\n  client_id  = \"{CLIENT}\"\n  use_oidc   = true\n  oidc_token = \"{OIDC_TOKEN}\"\n  use_cli    = false\n"
            ),
            env: entra_env(&emu, wd.path()),
            secrets: vec![OIDC_TOKEN.to_owned()],
        },
        Some("client_assertion"),
    );
}

#[test]
fn oidc_token_file_content_never_appears() {
    let emu = emulator();
    assert_no_leak(
        &emu,
        |wd| {
            let file = wd.path().join("federated-token");
            std::fs::write(&file, format!("{OIDC_FILE_TOKEN}\n")).expect("token file");
            Credential {
                arguments: format!(
                    "  tenant_id            = \"{TENANT}\"\n  client_id            = \"{CLIENT}\"\n  use_oidc             = true\n  oidc_token_file_path = \"{}\"\n  use_cli              = false\n",
                    file.display()
                ),
                env: entra_env(&emu, wd.path()),
                secrets: vec![OIDC_FILE_TOKEN.to_owned()],
            }
        },
        Some("client_assertion"),
    );
}

#[test]
fn github_actions_request_token_never_appears() {
    let emu = emulator();
    assert_no_leak(
        &emu,
        |wd| {
            let mut env = entra_env(&emu, wd.path());
            env.push(("ACTIONS_ID_TOKEN_REQUEST_URL".into(), format!("{}/github/oidc", emu.emulator.base_url())));
            env.push(("ACTIONS_ID_TOKEN_REQUEST_TOKEN".into(), GITHUB_REQUEST_TOKEN.into()));
            Credential {
                arguments: format!(
                    "  tenant_id = \"{TENANT}\"\n  client_id = \"{CLIENT}\"\n  use_oidc  = true\n  use_cli   = false\n"
                ),
                env,
                secrets: vec![GITHUB_REQUEST_TOKEN.to_owned()],
            }
        },
        Some("client_assertion"),
    );
}

#[test]
fn managed_identity_header_and_token_never_appear() {
    let emu = emulator();
    assert_no_leak(
        &emu,
        |_| Credential {
            arguments: "  use_msi = true\n  use_cli = false\n".into(),
            env: vec![
                ("IDENTITY_ENDPOINT".into(), format!("{}/msi/token", emu.emulator.base_url())),
                ("IDENTITY_HEADER".into(), MSI_IDENTITY_HEADER.into()),
            ],
            secrets: vec![MSI_IDENTITY_HEADER.to_owned()],
        },
        None,
    );
}

#[test]
fn azure_cli_token_never_appears() {
    let emu = emulator();
    assert_no_leak(
        &emu,
        |wd| {
            // A fake `az` that answers `az account get-access-token` with the token the emulator accepts.
            let bin = wd.path().join("fake-bin");
            std::fs::create_dir_all(&bin).expect("bin dir");
            let expires_on = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() + 3600)
                .unwrap_or(4_102_444_800);
            let script = format!(
                "#!/bin/sh\ncat <<JSON\n{{\"accessToken\": \"{TOKEN}\", \"expiresOn\": \"2099-01-01 00:00:00.000000\", \
                 \"expires_on\": {expires_on}, \"subscription\": \"s\", \"tenant\": \"{TENANT}\", \"tokenType\": \"Bearer\"}}\nJSON\n"
            );
            let az = bin.join("az");
            std::fs::write(&az, script).expect("fake az");
            std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).expect("chmod az");
            let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
            Credential { arguments: String::new(), env: vec![("PATH".into(), path)], secrets: vec![TOKEN.to_owned()] }
        },
        None,
    );
}

#[test]
fn a_rejected_access_token_is_not_echoed_by_the_error_path() {
    const WRONG: &str = "wrong-token-4c1e9d7a2b";
    let emu = emulator();
    let mut wd = Workdir::new(&format!(
        "{}\n{}",
        provider_block(&emu, &format!("  access_token = \"{WRONG}\"\n")),
        ROUTER.replace("ACCOUNT", ACCOUNT)
    ));
    let log = wd.path().join("terraform-trace.log");
    wd.set_env("TF_LOG", "trace");
    wd.set_env("TF_LOG_PATH", &log.display().to_string());
    wd.init();
    let out = wd.run(&["apply", "-no-color", "-auto-approve", "-input=false"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.text().contains("InvalidAuthenticationToken"), "the error names the cause: {out:?}");
    assert!(emu.emulator.requests().iter().any(|r| r.bearer_token.as_deref() == Some(WRONG)), "the token was sent");
    let log_text = std::fs::read_to_string(&log).expect("TF_LOG_PATH written");
    assert!(log_text.contains("InvalidAuthenticationToken"), "the failure itself is logged");
    assert!(!log_text.contains(WRONG), "the trace log contains the rejected token");
    assert!(!out.combined().contains(WRONG), "terraform's output contains the rejected token");
}

/// A service principal with a client certificate (PEM): the provider signs a client assertion with the key; the
/// emulator's token endpoint verifies it against the registered certificate. Neither the key nor the tokens leak.
#[test]
fn client_certificate_never_appears() {
    let emu = emulator();
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).expect("an RSA key");
    let certificate = rcgen::CertificateParams::new(vec!["modelrouter-sp".into()]).unwrap().self_signed(&key).unwrap();
    emu.emulator.register_client_certificate(CLIENT, &certificate.pem()).expect("register the certificate");
    let key_pem = key.serialize_pem();
    // The key's base64 body, line by line: any of them in a log would be a leak.
    let key_lines: Vec<String> =
        key_pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 40).map(str::to_owned).collect();
    assert_no_leak(
        &emu,
        |wd| {
            let path = wd.path().join("sp.pem");
            std::fs::write(&path, format!("{}{key_pem}", certificate.pem())).expect("write the PEM");
            Credential {
                arguments: format!(
                    "  tenant_id               = \"{TENANT}\"\n  client_id               = \"{CLIENT}\"\n  client_certificate_path = \"{}\"\n  use_cli                 = false\n",
                    path.display()
                ),
                env: entra_env(&emu, wd.path()),
                secrets: key_lines,
            }
        },
        Some("client_certificate"),
    );
}
