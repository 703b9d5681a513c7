//! Date-aware lookups on the embedded catalog: retired router versions, model retirement warnings, retired models
//! and the table's age. The date is always passed in.

use modelrouter_catalog::{CatalogDate, RETIREMENT_WARNING_DAYS, RouterVersion, catalog};

fn day(text: &str) -> CatalogDate {
    CatalogDate::parse(text).unwrap()
}

#[test]
fn router_versions_retire_on_their_retirement_date() {
    let catalog = catalog();
    let old = catalog.router_version("2025-05-19").unwrap();
    assert_eq!(old.retirement_date, Some(day("2026-08-30")));
    assert_eq!(old.lifecycle.as_deref(), Some("Preview"));
    assert!(!old.retired_on(day("2026-08-29")));
    assert!(old.retired_on(day("2026-08-30")), "retired from the retirement date on");
    assert!(old.retired_on(day("2026-11-28")));

    let names = |date| catalog.retired_router_versions(day(date)).iter().map(|r| r.version.clone()).collect::<Vec<_>>();
    assert!(names("2026-08-29").is_empty());
    assert_eq!(names("2026-09-01"), ["2025-08-07", "2025-05-19"]);
    assert_eq!(names("2027-05-20"), ["2025-11-18", "2025-08-07", "2025-05-19"]);
    assert_eq!(catalog.default_router_version().retirement_date, Some(day("2027-05-20")));
    assert!(catalog.router_versions().iter().all(|r| r.retirement_source.is_some()));
}

#[test]
fn model_retirements_warn_within_the_window_and_after_the_date() {
    let o4_mini = catalog().default_router_version().find_model("o4-mini").unwrap();
    assert_eq!(o4_mini.retirement_date, Some(day("2026-10-16")));
    // 31 days before: no warning; 30 days before: a warning naming the date; after: past.
    assert_eq!(o4_mini.retirement_within(day("2026-09-15"), RETIREMENT_WARNING_DAYS), None);
    let soon = o4_mini.retirement_within(day("2026-09-16"), RETIREMENT_WARNING_DAYS).unwrap();
    assert_eq!((soon.name.as_str(), soon.date.to_string().as_str(), soon.days_left), ("o4-mini", "2026-10-16", 30));
    assert!(!soon.is_past());
    assert!(soon.source.contains("schedule"));
    let past = o4_mini.retirement_within(day("2026-11-28"), RETIREMENT_WARNING_DAYS).unwrap();
    assert!(past.is_past());
    assert_eq!(past.days_left, -43);

    // A model without a published date for its exact version never warns (claude-sonnet-4-5 20250929: the schedule's
    // date is for version 1).
    let sonnet = catalog().default_router_version().find_model("claude-sonnet-4-5").unwrap();
    assert_eq!(sonnet.retirement_date, None);
    assert_eq!(sonnet.retirement_within(day("2026-10-19"), RETIREMENT_WARNING_DAYS), None);
}

#[test]
fn retirements_of_a_set_are_listed_in_input_order() {
    let router = catalog().default_router_version();
    let set = ["gpt-5", "gpt-4.1", "o4-mini", "claude-fable-5-1"].map(|n| router.find_model(n).unwrap());
    let on = |date| {
        RouterVersion::retirements_within(set, day(date), RETIREMENT_WARNING_DAYS)
            .into_iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
    };
    assert!(on("2026-09-01").is_empty());
    assert_eq!(on("2026-10-01"), ["o4-mini"]);
    assert_eq!(on("2027-03-20"), ["gpt-4.1", "o4-mini"]);
    assert_eq!(on("2027-12-05"), ["gpt-4.1", "o4-mini", "claude-fable-5-1"]);
}

#[test]
fn only_sourced_model_retirement_dates_are_in_the_table() {
    let dated: Vec<(String, String)> = catalog()
        .default_router_version()
        .models
        .iter()
        .filter_map(|m| m.retirement_date.map(|d| (m.name.clone(), d.to_string())))
        .collect();
    let expected = [
        ("o4-mini", "2026-10-16"),
        ("gpt-4.1", "2027-04-14"),
        ("gpt-4.1-mini", "2027-04-14"),
        ("gpt-4.1-nano", "2027-04-14"),
        ("claude-fable-5-1", "2027-12-05"),
    ];
    assert_eq!(dated, expected.map(|(n, d)| (n.to_owned(), d.to_owned())));
    // The same model and version keeps its date under the older router versions.
    let old = catalog().router_version("2025-05-19").unwrap().find_model("gpt-4.1").unwrap();
    assert_eq!(old.retirement_date, Some(day("2027-04-14")));
}

#[test]
fn retired_model_lookup_explains_the_retirement() {
    let catalog = catalog();
    let grok = catalog.find_retired_model("2025-11-18", "grok-4-fast-reasoning").unwrap();
    assert_eq!(
        grok.describe(),
        "`grok-4-fast-reasoning` (version 1) was retired on 2026-05-01; it was replaced by `grok-4-1-fast-reasoning`."
    );
    let chat = catalog.find_retired_model("2025-11-18", "GPT-5-CHAT").unwrap();
    assert_eq!(chat.retired_on, None);
    assert!(chat.describe().starts_with("`gpt-5-chat` (version 2025-08-07) was retired ("), "{}", chat.describe());
    for name in ["gpt-5.2-chat", "gpt-5.3-chat", "DeepSeek-V3.1", "claude-opus-4-1"] {
        assert!(catalog.find_retired_model("2025-11-18", name).is_some(), "{name}");
    }
    assert!(catalog.find_retired_model("2025-11-18", "gpt-5").is_none(), "routable, not retired");
    assert!(catalog.find_retired_model("2025-08-07", "gpt-5-chat").is_none(), "still a row of 2025-08-07");
    assert!(catalog.find_retired_model("2024-01-01", "gpt-5-chat").is_none());
}

#[test]
fn table_age_is_counted_from_the_revision() {
    let catalog = catalog();
    assert_eq!(catalog.table_revision_date(), day("2026-09-01"));
    assert_eq!(catalog.table_age_days(day("2026-09-01")), 0);
    assert_eq!(catalog.table_age_days(day("2026-11-28")), 88);
}

#[test]
fn fireworks_models_name_their_subscription_feature() {
    let router = catalog().default_router_version();
    let fireworks: Vec<&str> =
        router.models.iter().filter(|m| m.requires_feature.is_some()).map(|m| m.name.as_str()).collect();
    assert_eq!(fireworks, ["FW-GLM-5.3", "FW-GLM-5.3-Flash", "FW-Kimi-K3"]);
    let kimi = router.find_model("FW-Kimi-K3").unwrap();
    assert_eq!(kimi.format, "Fireworks");
    assert_eq!(kimi.required_feature_id().as_deref(), Some("Microsoft.CognitiveServices/Fireworks.EnableDeploy"));
    assert!(catalog().formats().iter().any(|f| f == "Fireworks"));
}
