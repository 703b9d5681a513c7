//! Checks the embedded catalog against the facts in shared/reference/azure-model-router.md §2 and §4, and the
//! public lookups the provider relies on.

use modelrouter_catalog::{ModelEntry, catalog, effective_context_window};

/// Router 2025-11-18, row by row as in the 2026-09-01 table (shared/reference/model-router-table-2026-09.md §1):
/// (format, name, version, preview, requires_deployment, requires_feature).
type Row = (&'static str, &'static str, &'static str, bool, bool, Option<&'static str>);

const ROUTER_2025_11_18: &[Row] = &[
    ("OpenAI", "gpt-6-astra", "2026-09-03", false, false, None),
    ("OpenAI", "gpt-5.6-sol", "2026-07-09", false, false, None),
    ("OpenAI", "gpt-5.6-terra", "2026-07-09", false, false, None),
    ("OpenAI", "gpt-5.6-luna", "2026-07-09", false, false, None),
    ("OpenAI", "gpt-5.5", "2026-04-24", false, false, None),
    ("OpenAI", "gpt-5.4", "2026-03-05", false, false, None),
    ("OpenAI", "gpt-5.4-mini", "2026-03-17", false, false, None),
    ("OpenAI", "gpt-5.4-nano", "2026-03-17", false, false, None),
    ("OpenAI", "gpt-5.2", "2025-12-11", false, false, None),
    ("OpenAI", "gpt-5", "2025-08-07", false, false, None),
    ("OpenAI", "gpt-5-mini", "2025-08-07", false, false, None),
    ("OpenAI", "gpt-5-nano", "2025-08-07", false, false, None),
    ("OpenAI", "o4-mini", "2025-04-16", false, false, None),
    ("OpenAI", "gpt-4.1", "2025-04-14", false, false, None),
    ("OpenAI", "gpt-4.1-mini", "2025-04-14", false, false, None),
    ("OpenAI", "gpt-4.1-nano", "2025-04-14", false, false, None),
    ("OpenAI", "gpt-4o", "2024-11-20", false, false, None),
    ("OpenAI", "gpt-4o-mini", "2024-07-18", false, false, None),
    ("OpenAI", "gpt-oss-120b", "1", true, false, None),
    ("Anthropic", "claude-fable-5-1", "1", false, true, None),
    ("Anthropic", "claude-opus-5", "1", false, true, None),
    ("Anthropic", "claude-sonnet-5", "1", false, true, None),
    ("Anthropic", "claude-opus-4-8", "1", false, true, None),
    ("Anthropic", "claude-opus-4-7", "1", true, true, None),
    ("Anthropic", "claude-opus-4-6", "1", true, true, None),
    ("Anthropic", "claude-sonnet-4-5", "20250929", true, true, None),
    ("Anthropic", "claude-haiku-4-5", "20251001", true, true, None),
    ("xAI", "grok-4.6", "1", false, false, None),
    ("xAI", "grok-4-1-fast-reasoning", "1", false, false, None),
    ("xAI", "grok-4", "1", true, false, None),
    ("Fireworks", "FW-GLM-5.3", "1", false, false, Some("Fireworks.EnableDeploy")),
    ("Fireworks", "FW-GLM-5.3-Flash", "1", false, false, Some("Fireworks.EnableDeploy")),
    ("Fireworks", "FW-Kimi-K3", "1", false, false, Some("Fireworks.EnableDeploy")),
    ("DeepSeek", "DeepSeek-V3.2", "1", true, false, None),
    ("Meta", "Llama-4-Maverick-17B-128E-Instruct-FP8", "1", true, false, None),
];

/// The rows the 2026-09-01 table dropped: (name, version, retired on, replaced by).
const RETIRED_FROM_2025_11_18: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("gpt-5-chat", "2025-08-07", None, None),
    ("gpt-5.2-chat", "2025-12-11", None, None),
    ("gpt-5.3-chat", "2026-03-03", None, None),
    ("DeepSeek-V3.1", "1", Some("2026-07-13"), None),
    ("claude-opus-4-1", "20250805", Some("2026-08-05"), None),
    ("grok-4-fast-reasoning", "1", Some("2026-05-01"), Some("grok-4-1-fast-reasoning")),
];

/// Router 2025-08-07: (name, version, requires_registration).
const ROUTER_2025_08_07: &[(&str, &str, bool)] = &[
    ("gpt-4.1", "2025-04-14", false),
    ("gpt-4.1-mini", "2025-04-14", false),
    ("gpt-4.1-nano", "2025-04-14", false),
    ("o4-mini", "2025-04-16", false),
    ("gpt-5", "2025-08-07", true),
    ("gpt-5-mini", "2025-08-07", false),
    ("gpt-5-nano", "2025-08-07", false),
    ("gpt-5-chat", "2025-08-07", false),
];

const ROUTER_2025_05_19: &[(&str, &str)] = &[
    ("gpt-4.1", "2025-04-14"),
    ("gpt-4.1-mini", "2025-04-14"),
    ("gpt-4.1-nano", "2025-04-14"),
    ("o4-mini", "2025-04-16"),
];

fn model(router: &str, name: &str) -> &'static ModelEntry {
    catalog()
        .router_version(router)
        .unwrap_or_else(|| panic!("router version {router} missing"))
        .find_model(name)
        .unwrap_or_else(|| panic!("{name} missing from router {router}"))
}

#[test]
fn versions_are_newest_first_and_the_newest_is_default() {
    let catalog = catalog();
    assert_eq!(catalog.version_names(), ["2025-11-18", "2025-08-07", "2025-05-19"]);
    assert_eq!(catalog.default_router_version().version, "2025-11-18");
    assert!(catalog.default_router_version().is_default);
    assert_eq!(catalog.router_versions().iter().filter(|r| r.is_default).count(), 1);
    assert_eq!(catalog.table_revision(), "2026-09-01");
}

#[test]
fn only_2025_11_18_supports_routing() {
    let catalog = catalog();
    let routing: Vec<(&str, bool)> =
        catalog.router_versions().iter().map(|r| (r.version.as_str(), r.supports_routing)).collect();
    assert_eq!(routing, [("2025-11-18", true), ("2025-08-07", false), ("2025-05-19", false)]);
    assert!(catalog.router_versions().iter().all(|r| !r.notes.is_empty()));
}

#[test]
fn model_counts_per_version() {
    let catalog = catalog();
    let counts: Vec<usize> = catalog.router_versions().iter().map(|r| r.models.len()).collect();
    assert_eq!(counts, [35, 8, 4]);
    assert_eq!(catalog.router_version("2025-11-18").unwrap().default_set().len(), 35);
}

#[test]
fn router_2025_11_18_rows_match_the_reference() {
    let router = catalog().router_version("2025-11-18").unwrap();
    for &(format, name, version, preview, requires_deployment, requires_feature) in ROUTER_2025_11_18 {
        let m = router.find_model(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(m.name, name, "stored spelling of {name}");
        assert_eq!(m.format, format, "format of {name}");
        assert_eq!(m.version, version, "version of {name}");
        assert_eq!(m.preview, preview, "preview flag of {name}");
        assert_eq!(m.requires_deployment, requires_deployment, "requires_deployment of {name}");
        assert_eq!(m.requires_feature.as_deref(), requires_feature, "requires_feature of {name}");
        assert_eq!(m.requires_feature.is_some(), m.format == "Fireworks", "only Fireworks needs a feature: {name}");
        assert!(!m.requires_registration, "{name} needs no registration under 2025-11-18");
    }
    let listed: Vec<&str> = router.models.iter().map(|m| m.name.as_str()).collect();
    let expected: Vec<&str> = ROUTER_2025_11_18.iter().map(|row| row.1).collect();
    assert_eq!(listed, expected, "same rows in the table's order");
}

#[test]
fn older_versions_match_the_reference() {
    let router = catalog().router_version("2025-08-07").unwrap();
    for &(name, version, registration) in ROUTER_2025_08_07 {
        let m = router.find_model(name).unwrap();
        assert_eq!((m.format.as_str(), m.version.as_str()), ("OpenAI", version), "{name}");
        assert_eq!(m.requires_registration, registration, "registration of {name}");
        assert!(!m.preview && !m.requires_deployment, "{name}");
    }
    let router = catalog().router_version("2025-05-19").unwrap();
    for &(name, version) in ROUTER_2025_05_19 {
        let m = router.find_model(name).unwrap();
        assert_eq!((m.format.as_str(), m.version.as_str()), ("OpenAI", version), "{name}");
    }
    assert!(router.find_model("gpt-5").is_none());
}

#[test]
fn claude_rows_are_exactly_the_anthropic_rows_needing_deployment() {
    for router in catalog().router_versions() {
        for m in &router.models {
            assert_eq!(m.requires_deployment, m.format == "Anthropic", "{} in {}", m.name, router.version);
        }
    }
}

#[test]
fn aliases_and_case_insensitive_lookup() {
    let router = catalog().default_router_version();
    assert_eq!(router.find_model("gpt-4.0").unwrap().name, "gpt-4o");
    assert_eq!(router.find_model("gpt-4.0-mini").unwrap().name, "gpt-4o-mini");
    assert_eq!(router.find_model("deepseek-v3.2").unwrap().name, "DeepSeek-V3.2");
    assert_eq!(router.find_model("Deepseek-V3.2").unwrap().name, "DeepSeek-V3.2");
    assert_eq!(router.find_model("llama4-maverick-instruct").unwrap().name, "Llama-4-Maverick-17B-128E-Instruct-FP8");
    assert_eq!(router.find_model("fw-kimi-k3").unwrap().name, "FW-Kimi-K3");
    // A different model that replaced a retired one is never an alias of it.
    assert!(router.find_model("grok-4-fast-reasoning").is_none());
    assert!(router.find_model("gpt-5-chat").is_none());
    assert_eq!(router.find_model(" GPT-5-MINI ").unwrap().name, "gpt-5-mini");
    assert!(router.find_model("gpt-4").is_none());
    assert!(catalog().router_version("2025-08-07").unwrap().find_model("gpt-4.0").is_none());
}

#[test]
fn retired_models_of_2025_11_18_are_listed_with_their_retirement() {
    let router = catalog().router_version("2025-11-18").unwrap();
    let listed: Vec<&str> = router.retired_models.iter().map(|m| m.name.as_str()).collect();
    let expected: Vec<&str> = RETIRED_FROM_2025_11_18.iter().map(|row| row.0).collect();
    assert_eq!(listed, expected);
    for &(name, version, retired_on, replaced_by) in RETIRED_FROM_2025_11_18 {
        let retired = router.find_retired_model(&name.to_uppercase()).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(retired.version.as_deref(), Some(version), "{name}");
        assert_eq!(retired.retired_on.map(|d| d.to_string()).as_deref(), retired_on, "{name}");
        assert_eq!(retired.replaced_by.as_deref(), replaced_by, "{name}");
        assert!(router.find_model(name).is_none(), "{name} is no longer routable");
    }
    // The older versions keep their own tables: gpt-5-chat is still a row of 2025-08-07.
    assert!(catalog().router_version("2025-08-07").unwrap().retired_models.is_empty());
}

#[test]
fn router_version_lookup_is_exact() {
    let catalog = catalog();
    assert!(catalog.router_version("2025-08-07").is_some());
    assert!(catalog.router_version(" 2025-08-07 ").is_some());
    assert!(catalog.router_version("2025-04-15").is_none());
    assert!(catalog.router_version("latest").is_none());
}

#[test]
fn suggestions_for_near_misses() {
    let router = catalog().default_router_version();
    assert_eq!(router.suggest("gpt-4.0")[0], "gpt-4o");
    assert_eq!(router.suggest("gpt5-mini")[0], "gpt-5-mini");
    assert_eq!(router.suggest("claude-sonet-4-5")[0], "claude-sonnet-4-5");
    assert_eq!(router.suggest("claude-sonnet"), ["claude-sonnet-5", "claude-sonnet-4-5"]);
    assert_eq!(router.suggest("gtp-4.1")[0], "gpt-4.1");
    assert_eq!(router.suggest("gpt-4.0"), ["gpt-4o", "gpt-4.1", "gpt-4o-mini"]);
    assert_eq!(router.suggest("gpt-5.1"), ["gpt-5.2", "gpt-5.4", "gpt-5.5"]);
    assert_eq!(router.suggest("deepseek-v3"), ["DeepSeek-V3.2"]);
    assert_eq!(router.suggest("gpt-5.6-sool")[0], "gpt-5.6-sol");
    assert_eq!(router.suggest("claude-opus-4.8")[0], "claude-opus-4-8");
    assert!(router.suggest("mistral-large-3").is_empty());
}

#[test]
fn routable_by_for_claude_models() {
    let catalog = catalog();
    assert_eq!(catalog.models_routable_by("Anthropic", "claude-sonnet-4-5", "20250929"), ["2025-11-18"]);
    assert_eq!(catalog.models_routable_by("anthropic", "CLAUDE-OPUS-4-7", "1"), ["2025-11-18"]);
    // A version the router does not use, a wrong format, and a model no router knows.
    assert!(catalog.models_routable_by("Anthropic", "claude-sonnet-4-5", "1").is_empty());
    assert!(catalog.models_routable_by("OpenAI", "claude-sonnet-4-5", "20250929").is_empty());
    assert!(catalog.models_routable_by("Anthropic", "claude-sonnet-4-6", "1").is_empty());
    // Models present in several versions list all of them, newest first.
    assert_eq!(
        catalog.models_routable_by("OpenAI", "gpt-4.1", "2025-04-14"),
        ["2025-11-18", "2025-08-07", "2025-05-19"]
    );
}

#[test]
fn find_anthropic_model_returns_catalog_versions() {
    let catalog = catalog();
    let sonnet = catalog.find_anthropic_model("claude-sonnet-4-5").unwrap();
    assert_eq!(sonnet.version, "20250929");
    assert_eq!(catalog.find_anthropic_model("Claude-Haiku-4-5").unwrap().version, "20251001");
    assert_eq!(catalog.find_anthropic_model("claude-opus-4-6").unwrap().version, "1");
    assert_eq!(catalog.find_anthropic_model("claude-opus-5").unwrap().version, "1");
    assert!(catalog.find_anthropic_model("claude-opus-4-1").is_none(), "retired from every router version");
    assert!(catalog.find_anthropic_model("gpt-5").is_none(), "not an Anthropic model");
    assert!(catalog.find_anthropic_model("claude-3-opus").is_none());
}

#[test]
fn every_context_window_has_a_source() {
    for router in catalog().router_versions() {
        for m in &router.models {
            assert_eq!(m.context_window.is_some(), m.context_window_source.is_some(), "{}", m.name);
        }
    }
    assert_eq!(model("2025-11-18", "gpt-4o").context_window, Some(128_000));
    assert_eq!(model("2025-11-18", "o4-mini").context_window, Some(200_000));
    assert_eq!(model("2025-08-07", "gpt-5-chat").context_window, Some(128_000));
    // Microsoft's router table has no context-window column: models new since March have no documented figure.
    for name in ["gpt-6-astra", "gpt-5.6-sol", "claude-opus-5", "grok-4.6", "FW-Kimi-K3", "grok-4-1-fast-reasoning"] {
        assert_eq!(model("2025-11-18", name).context_window, None, "{name}");
    }
}

#[test]
fn effective_context_window_of_sets() {
    let router = catalog().default_router_version();
    let pick = |names: &[&str]| -> Vec<&ModelEntry> { names.iter().map(|n| router.find_model(n).unwrap()).collect() };

    let window = effective_context_window(pick(&["gpt-5", "gpt-4.1", "o4-mini"]));
    assert_eq!(window.tokens, Some(200_000));
    assert_eq!(window.smallest_models, ["o4-mini"]);
    assert!(!window.is_partial());

    let window = effective_context_window(pick(&["gpt-5.2", "gpt-4o", "DeepSeek-V3.2"]));
    assert_eq!(window.tokens, Some(128_000));
    assert_eq!(window.smallest_models, ["gpt-4o", "DeepSeek-V3.2"]);

    let window = effective_context_window(pick(&["claude-opus-5", "claude-sonnet-4-5"]));
    assert_eq!(window.tokens, Some(200_000));
    assert_eq!(window.unknown_models, ["claude-opus-5"]);
    assert!(window.is_partial());

    let window = effective_context_window(pick(&["claude-opus-5"]));
    assert_eq!(window.tokens, None);
    assert!(window.smallest_models.is_empty());

    let empty = effective_context_window(std::iter::empty());
    assert_eq!(empty, Default::default());

    // The full default set of 2025-05-19 (GPT-4.1 series + o4-mini) is bounded by o4-mini.
    let old = catalog().router_version("2025-05-19").unwrap();
    assert_eq!(effective_context_window(old.default_set()).tokens, Some(200_000));
}
