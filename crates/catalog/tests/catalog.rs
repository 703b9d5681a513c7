//! Checks the embedded catalog against the facts in shared/reference/azure-model-router.md §2 and §4, and the
//! public lookups the provider relies on.

use modelrouter_catalog::{ModelEntry, catalog, effective_context_window};

/// Router 2025-11-18, row by row as in the reference table: (format, name, version, preview, requires_deployment).
const ROUTER_2025_11_18: &[(&str, &str, &str, bool, bool)] = &[
    ("OpenAI", "gpt-4o", "2024-11-20", false, false),
    ("OpenAI", "gpt-4o-mini", "2024-07-18", false, false),
    ("OpenAI", "gpt-4.1", "2025-04-14", false, false),
    ("OpenAI", "gpt-4.1-mini", "2025-04-14", false, false),
    ("OpenAI", "gpt-4.1-nano", "2025-04-14", false, false),
    ("OpenAI", "o4-mini", "2025-04-16", false, false),
    ("OpenAI", "gpt-5-nano", "2025-08-07", false, false),
    ("OpenAI", "gpt-5-mini", "2025-08-07", false, false),
    ("OpenAI", "gpt-5", "2025-08-07", false, false),
    ("OpenAI", "gpt-5-chat", "2025-08-07", false, false),
    ("OpenAI", "gpt-5.2", "2025-12-11", false, false),
    ("OpenAI", "gpt-5.2-chat", "2025-12-11", false, false),
    ("OpenAI", "gpt-5.3-chat", "2026-03-03", false, false),
    ("OpenAI", "gpt-5.4-nano", "2026-03-17", false, false),
    ("OpenAI", "gpt-5.4-mini", "2026-03-17", false, false),
    ("OpenAI", "gpt-5.4", "2026-03-05", false, false),
    ("OpenAI", "gpt-5.5", "2026-04-24", false, false),
    ("DeepSeek", "DeepSeek-V3.1", "1", true, false),
    ("DeepSeek", "DeepSeek-V3.2", "1", true, false),
    ("OpenAI", "gpt-oss-120b", "1", true, false),
    ("Meta", "Llama-4-Maverick-17B-128E-Instruct-FP8", "1", true, false),
    ("xAI", "grok-4", "1", true, false),
    ("xAI", "grok-4-fast-reasoning", "1", true, false),
    ("Anthropic", "claude-haiku-4-5", "20251001", true, true),
    ("Anthropic", "claude-sonnet-4-5", "20250929", true, true),
    ("Anthropic", "claude-opus-4-1", "20250805", true, true),
    ("Anthropic", "claude-opus-4-6", "1", true, true),
    ("Anthropic", "claude-opus-4-7", "1", true, true),
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
    assert_eq!(catalog.table_revision(), "2026-03-18");
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
    assert_eq!(counts, [28, 8, 4]);
    assert_eq!(catalog.router_version("2025-11-18").unwrap().default_set().len(), 28);
}

#[test]
fn router_2025_11_18_rows_match_the_reference() {
    let router = catalog().router_version("2025-11-18").unwrap();
    for &(format, name, version, preview, requires_deployment) in ROUTER_2025_11_18 {
        let m = router.find_model(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(m.name, name, "stored spelling of {name}");
        assert_eq!(m.format, format, "format of {name}");
        assert_eq!(m.version, version, "version of {name}");
        assert_eq!(m.preview, preview, "preview flag of {name}");
        assert_eq!(m.requires_deployment, requires_deployment, "requires_deployment of {name}");
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
    assert_eq!(router.find_model("deepseek-v3.1").unwrap().name, "DeepSeek-V3.1");
    assert_eq!(router.find_model("Deepseek-V3.2").unwrap().name, "DeepSeek-V3.2");
    assert_eq!(router.find_model(" GPT-5-MINI ").unwrap().name, "gpt-5-mini");
    assert!(router.find_model("gpt-4").is_none());
    assert!(catalog().router_version("2025-08-07").unwrap().find_model("gpt-4.0").is_none());
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
    assert_eq!(router.suggest("claude-sonnet")[0], "claude-sonnet-4-5");
    assert_eq!(router.suggest("gtp-4.1")[0], "gpt-4.1");
    assert_eq!(router.suggest("gpt-4.0"), ["gpt-4o", "gpt-4.1", "gpt-4o-mini"]);
    assert_eq!(router.suggest("gpt-5.1"), ["gpt-5.2", "gpt-5.4", "gpt-5.5"]);
    assert_eq!(router.suggest("deepseek-v3"), ["DeepSeek-V3.1", "DeepSeek-V3.2"]);
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
    assert_eq!(catalog.find_anthropic_model("claude-opus-4-1").unwrap().version, "20250805");
    assert_eq!(catalog.find_anthropic_model("claude-opus-4-6").unwrap().version, "1");
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
    assert_eq!(model("2025-11-18", "claude-opus-4-1").context_window, None);
}

#[test]
fn effective_context_window_of_sets() {
    let router = catalog().default_router_version();
    let pick = |names: &[&str]| -> Vec<&ModelEntry> { names.iter().map(|n| router.find_model(n).unwrap()).collect() };

    let window = effective_context_window(pick(&["gpt-5", "gpt-4.1", "o4-mini"]));
    assert_eq!(window.tokens, Some(200_000));
    assert_eq!(window.smallest_models, ["o4-mini"]);
    assert!(!window.is_partial());

    let window = effective_context_window(pick(&["gpt-5.2", "gpt-5-chat", "gpt-5.2-chat"]));
    assert_eq!(window.tokens, Some(128_000));
    assert_eq!(window.smallest_models, ["gpt-5-chat", "gpt-5.2-chat"]);

    let window = effective_context_window(pick(&["claude-opus-4-1", "claude-sonnet-4-5"]));
    assert_eq!(window.tokens, Some(200_000));
    assert_eq!(window.unknown_models, ["claude-opus-4-1"]);
    assert!(window.is_partial());

    let window = effective_context_window(pick(&["claude-opus-4-1"]));
    assert_eq!(window.tokens, None);
    assert!(window.smallest_models.is_empty());

    let empty = effective_context_window(std::iter::empty());
    assert_eq!(empty, Default::default());

    // The full default set of 2025-05-19 (GPT-4.1 series + o4-mini) is bounded by o4-mini.
    let old = catalog().router_version("2025-05-19").unwrap();
    assert_eq!(effective_context_window(old.default_set()).tokens, Some(200_000));
}
