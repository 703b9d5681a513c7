//! Catalog lookups with names straight from configuration: arbitrary text never panics, suggestions are bounded
//! and name real models, and the context window of any found set is that of one of its models.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelrouter_catalog::{catalog, effective_context_window, suggest::MAX_SUGGESTIONS};

fuzz_target!(|input: (&str, &str, &str)| {
    let (name, version, format) = input;
    let catalog = catalog();
    let _ = catalog.router_version(version);
    let _ = catalog.models_routable_by(format, name, version);
    let _ = catalog.find_anthropic_model(name);
    for router in catalog.router_versions() {
        let found: Vec<_> = name.split(',').filter_map(|n| router.find_model(n)).collect();
        if let Some(model) = router.find_model(name) {
            assert!(model.answers_to(name));
        }
        let suggestions = router.suggest(name);
        assert!(suggestions.len() <= MAX_SUGGESTIONS);
        for s in &suggestions {
            assert!(router.find_model(s).is_some(), "suggested {s:?} is not a model of {}", router.version);
        }
        let window = effective_context_window(found.iter().copied());
        if let Some(tokens) = window.tokens {
            assert!(found.iter().any(|m| m.context_window == Some(tokens)));
            assert!(found.iter().all(|m| m.context_window.is_none_or(|w| w >= tokens)));
        }
        assert_eq!(window.unknown_models.len(), found.iter().filter(|m| m.context_window.is_none()).count());
    }
});
