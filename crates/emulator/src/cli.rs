//! The command line of the `modelrouter-emulator` binary: flags → options, start, print the base URL as the
//! first stdout line, run until SIGINT/SIGTERM.

use crate::{AccountSpec, Emulator, EmulatorOptions, LroStyle, MSI_IDENTITY_HEADER};
use std::process::ExitCode;

const USAGE: &str = "\
modelrouter-emulator: local stand-in for the Azure Resource Manager endpoints of terraform-provider-modelrouter

Usage: modelrouter-emulator [OPTIONS]

Options:
  --port N                 port of the HTTP listener on 127.0.0.1 (default: any free port)
  --account ARM_ID         serve this Cognitive Services account (repeatable)
  --accounts-file FILE     JSON array of {\"id\", \"location\", \"kind\"} accounts
  --token TOKEN            accept only this bearer token (and tokens the emulator issued)
  --lro STYLE              async | location | provisioning-state | sync   (default: async)
  --operation-delay-ms N   how long PUT/DELETE operations run (default: 0)
  --page-size N            deployments per list page (default: 100)
  --offers-file FILE       JSON of what regions offer: {\"models\": [...], \"quotas\": [...], \"forbid_reads\"}
                           (see README; default: model-router 2025-11-18 and the Claude models everywhere)
  --forbid-reads           answer 403 on the location models and usages lists
  --refuse-preview-api-versions
                           answer 400 NoRegisteredProviderFound to every -preview api-version (retired previews)
  --refuse-api-version V   answer 400 NoRegisteredProviderFound to api-version V too (repeatable; a lagging cloud)
  --service-rule P=VALUE   refuse deployment bodies whose JSON value at pointer P equals VALUE (PUT and
                           template validation alike; a rule \"only the service knows\")
  --validate-long-running  answer template validation with 202 + Location (the poll gives the result)
  --validate-never-finishes  answer template validation with 202 + Location and never finish
  --forbid-validate        answer 403 on template validation (no deployments/validate/action)
  --ca-cert-out FILE       write the TLS listener's certificate (PEM) to FILE
  --help                   print this help

Without --account/--accounts-file one demo account is served:
  /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-modelrouter-demo/providers/Microsoft.CognitiveServices/accounts/foundry-demo
The first line printed on stdout is the base URL (http://127.0.0.1:PORT).";

#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error("unknown argument '{0}' (see --help)")]
    UnknownArgument(String),
    #[error("{flag} needs a value")]
    MissingValue { flag: String },
    #[error("{flag}: '{value}' is not valid: {reason}")]
    InvalidValue { flag: String, value: String, reason: String },
    #[error("cannot read {path}: {source}")]
    ReadFile { path: String, source: std::io::Error },
    #[error("{path} is not a JSON array of {{id, location, kind}}: {source}")]
    AccountsFile { path: String, source: serde_json::Error },
    #[error("{path} is not a JSON object of offers {{models, quotas, forbid_reads}}: {source}")]
    OffersFile { path: String, source: serde_json::Error },
}

#[derive(Debug, Default)]
pub(crate) struct CliArgs {
    pub help: bool,
    pub options: EmulatorOptions,
    pub ca_cert_out: Option<String>,
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, CliError>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e: T::Err| CliError::InvalidValue {
        flag: flag.into(),
        value: value.into(),
        reason: e.to_string(),
    })
}

fn parse_lro(value: &str) -> Result<LroStyle, CliError> {
    match value.to_ascii_lowercase().as_str() {
        "async" | "async-operation" | "asyncoperation" => Ok(LroStyle::AsyncOperation),
        "location" => Ok(LroStyle::Location),
        "provisioning-state" | "provisioningstate" => Ok(LroStyle::ProvisioningState),
        "sync" | "synchronous" => Ok(LroStyle::Synchronous),
        _ => Err(CliError::InvalidValue {
            flag: "--lro".into(),
            value: value.into(),
            reason: "use async, location, provisioning-state or sync".into(),
        }),
    }
}

/// Parses the arguments after the program name. Accepts `--flag value` and `--flag=value`.
pub(crate) fn parse_args(args: &[String]) -> Result<CliArgs, CliError> {
    let mut parsed = CliArgs::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        if flag == "--help" || flag == "-h" {
            parsed.help = true;
            continue;
        }
        let validation = &mut parsed.options.settings.validation;
        let switch = match flag {
            "--forbid-reads" => Some(&mut parsed.options.settings.offers.forbid_reads),
            "--forbid-validate" => Some(&mut validation.forbid),
            "--validate-long-running" => Some(&mut validation.long_running),
            "--validate-never-finishes" => Some(&mut validation.never_finishes),
            _ => None,
        };
        if let Some(switch) = switch {
            *switch = true;
            continue;
        }
        if flag == "--refuse-preview-api-versions" {
            parsed.options.settings.api_versions.refuse_previews = true;
            continue;
        }
        if !matches!(
            flag,
            "--port"
                | "--account"
                | "--accounts-file"
                | "--token"
                | "--lro"
                | "--operation-delay-ms"
                | "--page-size"
                | "--ca-cert-out"
                | "--offers-file"
                | "--refuse-api-version"
                | "--service-rule"
        ) {
            return Err(CliError::UnknownArgument(arg.clone()));
        }
        let value = match inline {
            Some(value) => value,
            None => iter.next().cloned().ok_or_else(|| CliError::MissingValue { flag: flag.into() })?,
        };
        match flag {
            "--port" => parsed.options.port = parse_number(flag, &value)?,
            "--account" => parsed.options.accounts.push(AccountSpec::new(value)),
            "--accounts-file" => {
                let text = std::fs::read_to_string(&value)
                    .map_err(|source| CliError::ReadFile { path: value.clone(), source })?;
                let accounts: Vec<AccountSpec> =
                    serde_json::from_str(&text).map_err(|source| CliError::AccountsFile { path: value, source })?;
                parsed.options.accounts.extend(accounts);
            }
            "--token" => parsed.options.static_token = Some(value),
            "--service-rule" => {
                let rule = crate::ServiceRule::parse(&value).ok_or_else(|| CliError::InvalidValue {
                    flag: flag.into(),
                    value: value.clone(),
                    reason: "use JSON_POINTER=VALUE, e.g. /properties/raiPolicyName=Blocked".into(),
                })?;
                parsed.options.settings.validation.service_rule = Some(rule);
            }
            "--lro" => parsed.options.settings.lro_style = parse_lro(&value)?,
            "--operation-delay-ms" => parsed.options.settings.operation_delay_ms = parse_number(flag, &value)?,
            "--page-size" => {
                let size: usize = parse_number(flag, &value)?;
                if size == 0 {
                    return Err(CliError::InvalidValue {
                        flag: flag.into(),
                        value,
                        reason: "must be at least 1".into(),
                    });
                }
                parsed.options.settings.page_size = size;
            }
            "--ca-cert-out" => parsed.ca_cert_out = Some(value),
            "--refuse-api-version" => parsed.options.settings.api_versions.refused.push(value),
            "--offers-file" => {
                let text = std::fs::read_to_string(&value)
                    .map_err(|source| CliError::ReadFile { path: value.clone(), source })?;
                let forbid = parsed.options.settings.offers.forbid_reads;
                parsed.options.settings.offers =
                    serde_json::from_str(&text).map_err(|source| CliError::OffersFile { path: value, source })?;
                parsed.options.settings.offers.forbid_reads |= forbid;
            }
            _ => return Err(CliError::UnknownArgument(arg.clone())),
        }
    }
    if parsed.options.accounts.is_empty() {
        parsed.options.accounts.push(AccountSpec::demo());
    }
    Ok(parsed)
}

/// Entry point of the `modelrouter-emulator` binary. `args` excludes the program name.
pub async fn run_cli(args: Vec<String>) -> ExitCode {
    let parsed = match parse_args(&args) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("modelrouter-emulator: {error}");
            return ExitCode::from(2);
        }
    };
    if parsed.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();

    let accounts = parsed.options.accounts.clone();
    let emulator = match Emulator::start(parsed.options).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("modelrouter-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &parsed.ca_cert_out
        && let Err(error) = std::fs::write(path, emulator.ca_certificate_pem())
    {
        eprintln!("modelrouter-emulator: cannot write {path}: {error}");
        return ExitCode::FAILURE;
    }
    let base = emulator.base_url();
    println!("{base}");
    println!("authority (OAuth2 token endpoint, TLS): {}", emulator.authority_url());
    if let Some(path) = &parsed.ca_cert_out {
        println!("TLS certificate written to {path}");
    }
    for account in &accounts {
        println!("account: {} ({}, {})", account.id, account.location, account.kind);
    }
    println!("managed identity: IDENTITY_ENDPOINT={base}/msi/token IDENTITY_HEADER={MSI_IDENTITY_HEADER}");
    println!("GitHub OIDC: ACTIONS_ID_TOKEN_REQUEST_URL={base}/github/oidc (any request token)");
    println!(
        "admin API: {base}/admin/requests, /admin/settings, /admin/faults, /admin/deployments/<ARM id>, /admin/hold, /admin/reset"
    );
    println!("Press Ctrl-C to stop.");

    wait_for_signal().await;
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_to_the_demo_account() {
        let parsed = parse_args(&[]).expect("no args is fine");
        assert_eq!(parsed.options.accounts, vec![AccountSpec::demo()]);
        assert_eq!(parsed.options.settings.page_size, 100);
    }

    #[test]
    fn offers_file_and_forbid_reads() {
        let dir = std::env::temp_dir().join(format!("offers-{}", uuid::Uuid::new_v4()));
        std::fs::write(
            &dir,
            r#"{"models": [{"regions": ["westus"], "name": "model-router", "version": "2026-01-01",
                "skus": [{"name": "GlobalStandard", "usage_name": "U", "allowed_values": [5]}]}],
                "quotas": [{"usage_name": "U", "limit": 7}]}"#,
        )
        .unwrap();
        let path = dir.to_string_lossy().into_owned();
        // The switch holds whatever the order of the flags.
        let parsed = parse_args(&args(&["--forbid-reads", "--offers-file", &path])).unwrap();
        let offers = &parsed.options.settings.offers;
        assert!(offers.forbid_reads);
        assert_eq!(offers.models[0].regions, ["westus"]);
        assert_eq!(offers.models[0].kinds, ["AIServices", "OpenAI"], "defaults fill what the file omits");
        assert_eq!(offers.models[0].skus[0].allowed_values, [5]);
        assert_eq!((offers.quotas[0].limit, offers.quotas[0].used_elsewhere), (7, 0));
        std::fs::write(&dir, "[1, 2]").unwrap();
        let err = parse_args(&args(&["--offers-file", &path])).unwrap_err();
        assert!(err.to_string().contains("is not a JSON object of offers"), "{err}");
        std::fs::remove_file(&dir).unwrap();
    }

    #[test]
    fn parses_every_flag() {
        let parsed = parse_args(&args(&[
            "--port",
            "8080",
            "--account",
            "/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a",
            "--token=t0k",
            "--lro",
            "provisioning-state",
            "--operation-delay-ms",
            "250",
            "--page-size",
            "2",
            "--ca-cert-out",
            "/tmp/ca.pem",
        ]))
        .expect("valid flags");
        assert_eq!(parsed.options.port, 8080);
        assert_eq!(parsed.options.accounts.len(), 1);
        assert_eq!(parsed.options.static_token.as_deref(), Some("t0k"));
        assert_eq!(parsed.options.settings.lro_style, LroStyle::ProvisioningState);
        assert_eq!(parsed.options.settings.operation_delay_ms, 250);
        assert_eq!(parsed.options.settings.page_size, 2);
        assert_eq!(parsed.ca_cert_out.as_deref(), Some("/tmp/ca.pem"));
    }

    #[test]
    fn api_version_refusals() {
        let parsed = parse_args(&args(&[
            "--refuse-preview-api-versions",
            "--refuse-api-version",
            "2026-09-01",
            "--refuse-api-version=2026-07-01",
        ]))
        .expect("valid flags");
        let policy = &parsed.options.settings.api_versions;
        assert!(policy.refuse_previews);
        assert_eq!(policy.refused, ["2026-09-01", "2026-07-01"]);
    }

    #[test]
    fn validation_switches() {
        let parsed = parse_args(&args(&[
            "--forbid-validate",
            "--validate-long-running",
            "--validate-never-finishes",
            "--service-rule=/properties/raiPolicyName=Blocked",
        ]))
        .expect("valid flags");
        let validation = &parsed.options.settings.validation;
        assert!(validation.forbid && validation.long_running && validation.never_finishes);
        let rule = validation.service_rule.as_ref().expect("a service rule");
        assert_eq!((rule.pointer.as_str(), &rule.equals), ("/properties/raiPolicyName", &serde_json::json!("Blocked")));
        assert!(matches!(parse_args(&args(&["--service-rule", "raiPolicyName"])), Err(CliError::InvalidValue { .. })));
    }

    #[test]
    fn refuses_bad_input() {
        assert!(matches!(parse_args(&args(&["--bogus"])), Err(CliError::UnknownArgument(_))));
        assert!(matches!(parse_args(&args(&["--port"])), Err(CliError::MissingValue { .. })));
        assert!(matches!(parse_args(&args(&["--lro", "fast"])), Err(CliError::InvalidValue { .. })));
        assert!(matches!(parse_args(&args(&["--page-size", "0"])), Err(CliError::InvalidValue { .. })));
    }
}
