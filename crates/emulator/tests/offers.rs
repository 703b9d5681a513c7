//! The location models list, location and account usages, the 403 switch and the account admin route.

mod common;

use common::*;
use modelrouter_emulator::{ModelOffer, Offers, Quota, Settings, SkuOffer};
use reqwest::Method;
use serde_json::{Value, json};

const LOCATION: &str =
    "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.CognitiveServices/locations";

async fn list(emulator: &modelrouter_emulator::Emulator, path: &str) -> (u16, Value) {
    let response = send(Method::GET, &url(emulator, path), None).await;
    let status = response.status().as_u16();
    (status, json_of(response).await)
}

fn router_offer(regions: &[&str], version: &str, skus: Vec<SkuOffer>) -> ModelOffer {
    ModelOffer {
        regions: regions.iter().map(|r| r.to_string()).collect(),
        kinds: vec!["AIServices".into()],
        name: "model-router".into(),
        version: version.into(),
        skus,
        ..Default::default()
    }
}

fn sku(name: &str, usage: &str, max: i64) -> SkuOffer {
    SkuOffer { name: name.into(), usage_name: usage.into(), maximum: Some(max), ..Default::default() }
}

#[tokio::test]
async fn models_are_listed_only_in_the_regions_offering_them() {
    let offers = Offers {
        models: vec![
            router_offer(&["eastus2", "Sweden Central"], "2025-11-18", vec![sku("GlobalStandard", "U.router", 300)]),
            router_offer(
                &["swedencentral"],
                "2026-06-01",
                vec![SkuOffer {
                    name: "DataZoneStandard".into(),
                    usage_name: "U.router.dz".into(),
                    allowed_values: vec![10, 20],
                    ..Default::default()
                }],
            ),
        ],
        ..Default::default()
    };
    let emulator = start(Settings { offers, ..Default::default() }).await;
    let (status, body) = list(&emulator, &format!("{LOCATION}/eastus2/models")).await;
    assert_eq!(status, 200);
    let entries = body["value"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    let model = &entries[0]["model"];
    assert_eq!((model["name"].as_str(), model["version"].as_str()), (Some("model-router"), Some("2025-11-18")));
    assert_eq!(entries[0]["kind"], "AIServices");
    assert_eq!(
        model["skus"][0],
        json!({"name": "GlobalStandard", "usageName": "U.router",
        "capacity": {"minimum": 1, "maximum": 300, "step": 1, "default": 10}})
    );

    let (_, body) = list(&emulator, &format!("{LOCATION}/SwedenCentral/models")).await;
    let versions: Vec<&str> =
        body["value"].as_array().unwrap().iter().map(|e| e["model"]["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["2025-11-18", "2026-06-01"]);
    assert_eq!(body["value"][1]["model"]["skus"][0]["capacity"]["allowedValues"], json!([10, 20]));

    let (_, body) = list(&emulator, &format!("{LOCATION}/westus/models")).await;
    assert_eq!(body["value"], json!([]), "a region offering nothing lists nothing");
}

#[tokio::test]
async fn default_offers_cover_the_router_and_claude_in_every_region() {
    let emulator = start(Settings::default()).await;
    let (_, body) = list(&emulator, &format!("{LOCATION}/brazilsouth/models")).await;
    let names: Vec<&str> =
        body["value"].as_array().unwrap().iter().map(|e| e["model"]["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"model-router") && names.contains(&"claude-sonnet-4-5"), "{names:?}");
}

#[tokio::test]
async fn usages_follow_the_deployments_held() {
    let offers = Offers {
        models: vec![router_offer(&["*"], "2025-11-18", vec![sku("GlobalStandard", "U.router", 1000)])],
        quotas: vec![Quota { usage_name: "U.router".into(), limit: 50, used_elsewhere: 5 }],
        ..Default::default()
    };
    let emulator = start(Settings { offers, ..Default::default() }).await;
    let router = |capacity: i64| {
        json!({"sku": {"name": "GlobalStandard", "capacity": capacity},
               "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}}})
    };
    emulator.seed_deployment(&deployment_id("r1"), router(10));
    emulator.seed_deployment(&deployment_id("r2"), router(7));
    // Another model and another SKU do not count.
    emulator.seed_deployment(
        &deployment_id("other"),
        json!({"sku": {"name": "GlobalStandard", "capacity": 99},
        "properties": {"model": {"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"}}}),
    );

    let (status, body) = list(&emulator, &format!("{LOCATION}/eastus2/usages")).await;
    assert_eq!(status, 200);
    assert_eq!(body["value"].as_array().unwrap().len(), 1);
    let usage = &body["value"][0];
    assert_eq!(usage["name"]["value"], "U.router");
    assert_eq!((usage["currentValue"].as_f64(), usage["limit"].as_f64()), (Some(22.0), Some(50.0)));

    let (_, body) = list(&emulator, &format!("{ACCOUNT}/usages")).await;
    assert_eq!(body["value"][0]["currentValue"].as_f64(), Some(17.0), "the account's own deployments only");

    // A region where the account is not: nothing held there.
    let (_, body) = list(&emulator, &format!("{LOCATION}/westus/usages")).await;
    assert_eq!(body["value"][0]["currentValue"].as_f64(), Some(5.0));

    emulator.delete_deployment(&deployment_id("r1"));
    let (_, body) = list(&emulator, &format!("{LOCATION}/eastus2/usages")).await;
    assert_eq!(body["value"][0]["currentValue"].as_f64(), Some(12.0));
}

#[tokio::test]
async fn the_forbid_switch_answers_403_on_the_read_apis_only() {
    let emulator = start(Settings::default()).await;
    let admin = client()
        .patch(format!("{}/admin/settings", emulator.base_url()))
        .json(&json!({"offers": {"forbid_reads": true}}))
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status().as_u16(), 200);
    for path in
        [format!("{LOCATION}/eastus2/models"), format!("{LOCATION}/eastus2/usages"), format!("{ACCOUNT}/usages")]
    {
        let (status, body) = list(&emulator, &path).await;
        assert_eq!(status, 403, "{path}");
        assert_eq!(body["error"]["code"], "AuthorizationFailed");
    }
    let account = send(Method::GET, &url(&emulator, ACCOUNT), None).await;
    assert_eq!(account.status().as_u16(), 200, "the account itself stays readable");
    // The models offered are unchanged by the merge patch.
    let (_, body) = list(&emulator, "/admin/settings").await;
    assert!(body["offers"]["models"].as_array().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn account_kind_and_location_are_configurable() {
    let emulator = start(Settings::default()).await;
    let patch = |body: Value, id: &str| {
        client().patch(format!("{}/admin/accounts{id}", emulator.base_url())).json(&body).send()
    };
    assert_eq!(
        patch(json!({"kind": "OpenAI", "location": "swedencentral"}), ACCOUNT).await.unwrap().status().as_u16(),
        204
    );
    let account = json_of(send(Method::GET, &url(&emulator, ACCOUNT), None).await).await;
    assert_eq!((account["kind"].as_str(), account["location"].as_str()), (Some("OpenAI"), Some("swedencentral")));
    let missing = patch(json!({"kind": "OpenAI"}), &ACCOUNT.replace("acct1", "nope")).await.unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}

#[tokio::test]
async fn read_apis_need_a_token_and_an_api_version_and_only_answer_get() {
    let emulator = start(Settings::default()).await;
    let path = format!("{LOCATION}/eastus2/models");
    let anonymous = client().get(url(&emulator, &path)).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let no_version = send(Method::GET, &format!("{}{path}", emulator.base_url()), None).await;
    assert_eq!(no_version.status().as_u16(), 400);
    let post = send(Method::POST, &url(&emulator, &path), Some(&json!({}))).await;
    assert_eq!(post.status().as_u16(), 405);
}
