//! The preflight rules against the in-process emulator.

use std::time::Duration;

use modelrouter_arm::{AccountId, ArmClient, AuthSettings, ClientConfig, RetryPolicy, Secret};
use modelrouter_emulator::{AccountSpec, Emulator, EmulatorOptions, ModelOffer, Offers, Quota, Settings, SkuOffer};
use serde_json::json;

use super::*;

const SUB: &str = "11111111-2222-3333-4444-555555555555";
const TOKEN: &str = "preflight-token";

fn account_id(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/{name}")
}

fn spec(name: &str, kind: &str, location: &str) -> AccountSpec {
    AccountSpec { id: account_id(name), kind: kind.into(), location: location.into() }
}

async fn start(offers: Offers) -> Emulator {
    Emulator::start(EmulatorOptions {
        port: 0,
        accounts: vec![
            spec("acct", "AIServices", "eastus2"),
            spec("openai", "OpenAI", "eastus2"),
            spec("speech", "SpeechServices", "eastus2"),
            spec("sweden", "AIServices", "swedencentral"),
        ],
        static_token: Some(TOKEN.into()),
        settings: Settings { offers, ..Default::default() },
    })
    .await
    .expect("emulator starts")
}

fn client_with(emulator: &Emulator, settings: AuthSettings) -> ArmClient {
    let settings = AuthSettings { resource_manager_endpoint: Some(emulator.base_url()), ..settings };
    let retry = RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        unreachable_budget: Duration::from_millis(200),
        ..Default::default()
    };
    ArmClient::new(ClientConfig { retry, ..ClientConfig::new(settings) }).expect("client")
}

fn client(emulator: &Emulator) -> ArmClient {
    client_with(emulator, AuthSettings { access_token: Some(Secret::new(TOKEN)), ..Default::default() })
}

fn router(account: &str, version: &str, sku: &str, capacity: i64) -> PreflightRequest {
    PreflightRequest {
        kind: DeploymentKind::Router,
        account: AccountId::parse(&account_id(account)).unwrap(),
        model_name: "model-router".into(),
        format: "OpenAI".into(),
        version: Some(version.into()),
        sku_name: sku.into(),
        capacity,
        held_capacity: 0,
        newest_catalog_version: Some("2025-11-18".into()),
        check_offer: true,
        claude: ClaudePlan::None,
    }
}

fn claude(account: &str, model: &str, version: &str) -> PreflightRequest {
    PreflightRequest {
        kind: DeploymentKind::Claude,
        model_name: model.into(),
        format: "Anthropic".into(),
        newest_catalog_version: None,
        ..router(account, version, "GlobalStandard", 10)
    }
}

fn sku(name: &str, usage: &str) -> SkuOffer {
    SkuOffer { name: name.into(), usage_name: usage.into(), maximum: Some(200), ..Default::default() }
}

fn router_offer(regions: &[&str], version: &str, skus: Vec<SkuOffer>) -> ModelOffer {
    ModelOffer {
        regions: regions.iter().map(|r| r.to_string()).collect(),
        name: "model-router".into(),
        version: version.into(),
        skus,
        ..Default::default()
    }
}

/// eastus2 offers router 2025-11-18 with GlobalStandard only (max 200, quota 60 with 45 used elsewhere);
/// swedencentral offers nothing.
fn narrow_offers() -> Offers {
    Offers {
        models: vec![router_offer(&["eastus2"], "2025-11-18", vec![sku("GlobalStandard", "Router.GS")])],
        quotas: vec![Quota { usage_name: "Router.GS".into(), limit: 60, used_elsewhere: 45 }],
        forbid_reads: false,
    }
}

fn only(findings: &[Finding]) -> &Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    &findings[0]
}

#[tokio::test]
async fn a_deployment_the_region_offers_with_quota_left_has_no_findings() {
    let emu = start(Offers::default()).await;
    let findings = Preflight::default().check(&client(&emu), &router("acct", "2025-11-18", "GlobalStandard", 10)).await;
    assert!(findings.is_empty(), "{findings:#?}");
    let findings = Preflight::default().check(&client(&emu), &claude("acct", "claude-sonnet-4-5", "20250929")).await;
    assert!(findings.is_empty(), "{findings:#?}");
}

#[tokio::test]
async fn an_account_of_the_wrong_kind_is_an_error_on_the_account_naming_the_kind() {
    let emu = start(Offers::default()).await;
    let arm = client(&emu);
    let finding =
        only(&Preflight::default().check(&arm, &router("speech", "2025-11-18", "GlobalStandard", 10)).await).clone();
    assert_eq!((finding.severity, finding.target, finding.rule), (Severity::Error, Target::Account, Rule::AccountKind));
    assert!(
        finding.detail.contains("`SpeechServices`") && finding.detail.contains("AIServices or OpenAI"),
        "{finding}"
    );
    // Claude needs a Foundry (AIServices) account; an OpenAI account hosts a router but not Claude.
    let findings = Preflight::default().check(&arm, &router("openai", "2025-11-18", "GlobalStandard", 10)).await;
    assert!(findings.iter().all(|f| !f.is_error()), "{findings:#?}");
    let finding =
        only(&Preflight::default().check(&arm, &claude("openai", "claude-sonnet-4-5", "20250929")).await).clone();
    assert_eq!(finding.rule, Rule::AccountKind);
    let diagnostic = finding.to_diagnostic(DeploymentKind::Claude);
    assert!(diagnostic.is_error());
}

#[tokio::test]
async fn a_version_the_region_does_not_list_is_an_error_naming_the_listed_versions() {
    let emu = start(Offers::default()).await;
    let arm = client(&emu);
    let finding =
        only(&Preflight::default().check(&arm, &router("acct", "2025-05-19", "GlobalStandard", 10)).await).clone();
    assert_eq!(
        (finding.severity, finding.target, finding.rule),
        (Severity::Error, Target::Version, Rule::VersionNotOffered)
    );
    assert!(
        finding.detail.contains("router_version = \"2025-05-19\"") && finding.detail.contains("2025-11-18"),
        "{finding}"
    );
    assert_eq!(Target::Version.path(DeploymentKind::Router), tf_provider::AttributePath::root().attr("router_version"));
    let finding =
        only(&Preflight::default().check(&arm, &claude("acct", "claude-sonnet-4-5", "20240101")).await).clone();
    assert!(finding.detail.contains("version = \"20240101\"") && finding.detail.contains("20250929"), "{finding}");
    assert_eq!(Target::Version.path(DeploymentKind::Claude), tf_provider::AttributePath::root().attr("version"));
}

#[tokio::test]
async fn a_sku_the_version_does_not_offer_is_an_error_on_sku_name() {
    let emu = start(narrow_offers()).await;
    let finding =
        only(&Preflight::default().check(&client(&emu), &router("acct", "2025-11-18", "DataZoneStandard", 10)).await)
            .clone();
    assert_eq!(
        (finding.severity, finding.target, finding.rule),
        (Severity::Error, Target::SkuName, Rule::SkuNotOffered)
    );
    assert!(finding.detail.contains("it offers: GlobalStandard"), "{finding}");
    assert_eq!(
        Target::SkuName.path(DeploymentKind::Router),
        tf_provider::AttributePath::root().attr("sku").attr("name")
    );
}

#[tokio::test]
async fn capacity_outside_the_sku_limits_is_an_error_with_the_limits() {
    let emu = start(narrow_offers()).await;
    let findings =
        Preflight::default().check(&client(&emu), &router("acct", "2025-11-18", "GlobalStandard", 250)).await;
    let rules: Vec<(Severity, Target, Rule)> = findings.iter().map(|f| (f.severity, f.target, f.rule)).collect();
    // Limits first; the quota check still runs and reports its own numbers (15 of 60 left).
    assert_eq!(
        rules,
        [
            (Severity::Error, Target::SkuCapacity, Rule::CapacityLimits),
            (Severity::Error, Target::SkuCapacity, Rule::Quota)
        ]
    );
    assert!(findings[0].detail.contains("is above the maximum 200") && findings[0].detail.contains("minimum 1"));
    assert!(findings[1].detail.contains("leaving 15"), "{}", findings[1]);
    let finding =
        only(&Preflight::default().check(&client(&emu), &router("acct", "2025-11-18", "GlobalStandard", 0)).await)
            .clone();
    assert!(finding.detail.contains("is below the minimum 1"), "{finding}");
}

#[tokio::test]
async fn capacity_above_the_remaining_quota_is_an_error_unless_the_deployment_already_holds_it() {
    let emu = start(narrow_offers()).await;
    // This deployment exists with 8 units: usage is 45 elsewhere + 8 = 53 of 60, 7 left.
    emu.seed_deployment(
        &format!("{}/deployments/router", account_id("acct")),
        json!({"sku": {"name": "GlobalStandard", "capacity": 8},
               "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}}}),
    );
    let arm = client(&emu);
    let create = router("acct", "2025-11-18", "GlobalStandard", 15);
    let finding = only(&Preflight::default().check(&arm, &create).await).clone();
    assert_eq!((finding.severity, finding.target, finding.rule), (Severity::Error, Target::SkuCapacity, Rule::Quota));
    assert!(
        finding.detail.contains("needs 15 units of Router.GS")
            && finding.detail.contains("53 of 60 in use")
            && finding.detail.contains("leaving 7"),
        "{finding}"
    );
    // An update to 15 of a deployment holding 8 needs 7 more: it fits exactly.
    let update = PreflightRequest { held_capacity: 8, ..create.clone() };
    assert!(Preflight::default().check(&arm, &update).await.is_empty());
    let too_much = PreflightRequest { capacity: 16, held_capacity: 8, ..create };
    let finding = only(&Preflight::default().check(&arm, &too_much).await).clone();
    assert!(finding.detail.contains("needs 8 units (16 planned minus 8 this deployment already holds)"), "{finding}");
}

#[tokio::test]
async fn a_region_without_an_entry_for_the_model_is_a_warning_saying_what_was_not_checked() {
    let emu = start(narrow_offers()).await;
    let finding =
        only(&Preflight::default().check(&client(&emu), &router("sweden", "2025-11-18", "GlobalStandard", 999)).await)
            .clone();
    assert_eq!((finding.severity, finding.rule), (Severity::Warning, Rule::NotChecked));
    assert!(finding.detail.contains("region swedencentral has no entry for model-router"), "{finding}");
    assert!(finding.detail.contains("remaining quota"), "{finding}");
}

#[tokio::test]
async fn with_reads_forbidden_every_plan_gets_a_warning_and_no_error() {
    let emu = start(Offers { forbid_reads: true, ..narrow_offers() }).await;
    let arm = client(&emu);
    for request in [
        router("acct", "2025-05-19", "GlobalStandard", 10),
        router("acct", "2025-11-18", "DataZoneStandard", 10),
        router("acct", "2025-11-18", "GlobalStandard", 250),
    ] {
        let finding = only(&Preflight::default().check(&arm, &request).await).clone();
        assert_eq!((finding.severity, finding.rule), (Severity::Warning, Rule::NotChecked), "{finding}");
        assert!(
            finding.detail.contains("may not read the models list of region eastus2 (403 AuthorizationFailed"),
            "{finding}"
        );
    }
    // Models readable, usages forbidden: the quota warning alone.
    emu.update_settings(|s| s.offers.forbid_reads = false);
    let arm = client(&emu);
    arm.list_location_models(SUB, "eastus2", std::time::Instant::now() + Duration::from_secs(5)).await.unwrap();
    emu.update_settings(|s| s.offers.forbid_reads = true);
    let finding =
        only(&Preflight::default().check(&arm, &router("acct", "2025-11-18", "GlobalStandard", 10)).await).clone();
    assert_eq!((finding.severity, finding.target), (Severity::Warning, Target::SkuCapacity));
    assert!(finding.detail.contains("usages of region eastus2"), "{finding}");
}

#[tokio::test]
async fn a_newer_router_version_in_the_region_is_one_warning_naming_it() {
    let mut offers = narrow_offers();
    offers.models.push(router_offer(&["eastus2"], "2026-08-01", vec![sku("GlobalStandard", "Router.GS")]));
    let emu = start(offers).await;
    let finding =
        only(&Preflight::default().check(&client(&emu), &router("acct", "2025-11-18", "GlobalStandard", 5)).await)
            .clone();
    assert_eq!(
        (finding.severity, finding.target, finding.rule),
        (Severity::Warning, Target::Version, Rule::NewerRouterVersion)
    );
    assert!(finding.summary.contains("2026-08-01") && finding.detail.contains("strict_catalog = false"), "{finding}");
}

#[tokio::test]
async fn no_usage_by_the_skus_usage_name_is_a_warning() {
    let emu = start(Offers { quotas: vec![], ..narrow_offers() }).await;
    let finding =
        only(&Preflight::default().check(&client(&emu), &router("acct", "2025-11-18", "GlobalStandard", 5)).await)
            .clone();
    assert_eq!((finding.severity, finding.rule), (Severity::Warning, Rule::NotChecked));
    assert!(finding.detail.contains("no entry named Router.GS"), "{finding}");
}

#[tokio::test]
async fn a_missing_account_is_an_error_on_the_account() {
    let emu = start(Offers::default()).await;
    let finding =
        only(&Preflight::default().check(&client(&emu), &router("nope", "2025-11-18", "GlobalStandard", 5)).await)
            .clone();
    assert_eq!(
        (finding.severity, finding.target, finding.rule),
        (Severity::Error, Target::Account, Rule::AccountMissing)
    );
}

#[tokio::test]
async fn no_usable_credential_is_an_error_listing_the_credentials_tried() {
    let emu = start(Offers::default()).await;
    // A client secret whose login endpoint refuses connections: the token request fails.
    let arm = client_with(
        &emu,
        AuthSettings {
            tenant_id: Some("t".into()),
            client_id: Some("c".into()),
            client_secret: Some(Secret::new("never-logged-secret")),
            authority_host: Some("https://127.0.0.1:1".into()),
            ..Default::default()
        },
    );
    let finding =
        only(&Preflight::default().check(&arm, &router("acct", "2025-11-18", "GlobalStandard", 5)).await).clone();
    assert_eq!(
        (finding.severity, finding.target, finding.rule),
        (Severity::Error, Target::Account, Rule::NoCredential)
    );
    for expected in ["client secret: selected", "access token: not set", "managed identity: not enabled", "Azure CLI"] {
        assert!(finding.detail.contains(expected), "{expected}: {finding}");
    }
    assert!(!finding.detail.contains("never-logged-secret"));
    assert!(emu.requests().is_empty(), "nothing reached ARM");
}

#[tokio::test]
async fn reads_are_shared_by_every_check_of_the_process() {
    let emu = start(Offers::default()).await;
    let arm = client(&emu);
    let preflight = Preflight::default();
    let requests = [
        router("acct", "2025-11-18", "GlobalStandard", 10),
        router("acct", "2025-11-18", "DataZoneStandard", 10),
        claude("acct", "claude-haiku-4-5", "20251001"),
    ];
    // Concurrently, as Terraform plans several resources at once.
    let (a, b, c) = tokio::join!(
        preflight.check(&arm, &requests[0]),
        preflight.check(&arm, &requests[1]),
        preflight.check(&arm, &requests[2])
    );
    for findings in [a, b, c] {
        assert!(findings.is_empty(), "{findings:#?}");
    }
    let seen = emu.requests();
    let count = |needle: &str| seen.iter().filter(|r| r.path.contains(needle)).count();
    assert_eq!((count("/accounts/acct"), count("/models"), count("/usages")), (1, 1, 1), "{seen:#?}");
}

#[tokio::test]
async fn a_region_offering_the_model_only_to_other_account_kinds_is_an_error_on_the_account() {
    let offers = Offers {
        models: vec![ModelOffer {
            kinds: vec!["AIServices".into()],
            ..router_offer(&["*"], "2025-11-18", vec![sku("GlobalStandard", "Router.GS")])
        }],
        ..narrow_offers()
    };
    let emu = start(offers).await;
    let finding =
        only(&Preflight::default().check(&client(&emu), &router("openai", "2025-11-18", "GlobalStandard", 5)).await)
            .clone();
    assert_eq!((finding.severity, finding.target, finding.rule), (Severity::Error, Target::Account, Rule::AccountKind));
    assert!(
        finding.detail.contains("to accounts of kind AIServices") && finding.detail.contains("`OpenAI`"),
        "{finding}"
    );
}
