//! Which model answers: a model deployment answers as its own model; a model router as one of the models it routes
//! to *now* (its subset, or the router version's default set from the catalog), chosen deterministically from the
//! prompt and its routing mode. Names are spelled as Azure spells them in responses.

use serde_json::Value;

/// A model as Azure names it in responses: `gpt-5-mini-2025-08-07`; a version that is not a date
/// (`DeepSeek-V3.1` version `1`) is not appended.
pub(crate) fn response_model_name(name: &str, version: &str) -> String {
    let date_like = version.len() >= 8 && version.chars().all(|c| c.is_ascii_digit() || c == '-');
    if date_like { format!("{name}-{version}") } else { name.to_owned() }
}

/// A routable model: name, version and the catalog's context window (for ordering by size).
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    name: String,
    version: String,
    context_window: Option<u64>,
}

/// The models a router deployment routes to now: its subset, or its version's default set.
fn router_candidates(body: &Value, router_version: &str) -> Result<Vec<Candidate>, String> {
    let router = modelrouter_catalog::catalog().router_version(router_version);
    let window = |name: &str| router.and_then(|r| r.find_model(name)).and_then(|m| m.context_window);
    let subset = body["properties"]["routing"]["models"].as_array().filter(|m| !m.is_empty());
    let candidates: Vec<Candidate> = match subset {
        Some(models) => models
            .iter()
            .filter_map(|m| {
                let name = m["name"].as_str()?;
                let version = m["version"]
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| router.and_then(|r| r.find_model(name)).map(|entry| entry.version.clone()))?;
                Some(Candidate { name: name.to_owned(), version, context_window: window(name) })
            })
            .collect(),
        None => router
            .map(|r| {
                r.default_set()
                    .iter()
                    .map(|m| Candidate {
                        name: m.name.clone(),
                        version: m.version.clone(),
                        context_window: m.context_window,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    if candidates.is_empty() {
        return Err(format!("The emulator knows no models for model router version {router_version:?}."));
    }
    Ok(candidates)
}

/// Smallest context window first: unknown windows count as large (the catalog documents the small ones), then by
/// name.
fn by_size(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| {
        a.context_window.unwrap_or(u64::MAX).cmp(&b.context_window.unwrap_or(u64::MAX)).then(a.name.cmp(&b.name))
    });
}

/// FNV-1a: a stable hash (std's hasher is randomly seeded per process).
pub(crate) fn fnv1a(text: &str, seed: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ seed;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Which model answers `prompt` on this deployment (its stored JSON), as Azure spells it in the response.
pub(crate) fn answering_model(body: &Value, prompt: &str) -> Result<String, String> {
    let model = &body["properties"]["model"];
    let name = model["name"].as_str().unwrap_or_default();
    let version = model["version"].as_str().unwrap_or_default();
    if !name.eq_ignore_ascii_case("model-router") {
        return Ok(response_model_name(name, version));
    }
    let mut candidates = router_candidates(body, version)?;
    by_size(&mut candidates);
    let mode = body["properties"]["routing"]["mode"].as_str().unwrap_or("balanced").to_ascii_lowercase();
    let n = candidates.len() as u64;
    let (first, second) = (fnv1a(prompt, 1) % n, fnv1a(prompt, 2) % n);
    // The smaller of two draws leans to the start of the ordering, the larger to its end.
    let index = match mode.as_str() {
        "cost" => first.min(second),
        "quality" => first.max(second),
        _ => first,
    };
    let chosen = &candidates[index as usize];
    Ok(response_model_name(&chosen.name, &chosen.version))
}

/// Whether a model thinks before it answers (and so reports reasoning tokens): the gpt-5 family but its chat
/// variants, the o-series, DeepSeek-R1 and the models named as reasoning ones.
pub(crate) fn is_reasoning_model(response_model: &str) -> bool {
    let name = response_model.to_ascii_lowercase();
    let o_series = name.strip_prefix('o').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    (name.starts_with("gpt-5") && !name.contains("-chat"))
        || o_series
        || name.contains("deepseek-r1")
        || (name.contains("reasoning") && !name.contains("non-reasoning"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn router(mode: &str, models: &[(&str, &str)]) -> Value {
        json!({"properties": {
            "model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"},
            "routing": {"mode": mode, "models": models.iter().map(|(n, v)| json!({"name": n, "version": v})).collect::<Vec<_>>()},
        }})
    }

    #[test]
    fn azure_spells_dated_versions_into_the_model_name() {
        assert_eq!(response_model_name("gpt-5-mini", "2025-08-07"), "gpt-5-mini-2025-08-07");
        assert_eq!(response_model_name("claude-sonnet-4-5", "20250929"), "claude-sonnet-4-5-20250929");
        assert_eq!(response_model_name("DeepSeek-V3.1", "1"), "DeepSeek-V3.1");
    }

    #[test]
    fn the_choice_is_deterministic_and_within_the_subset() {
        let body =
            router("balanced", &[("gpt-5-mini", "2025-08-07"), ("gpt-5.2", "2025-12-11"), ("gpt-4.1", "2025-04-14")]);
        let allowed = ["gpt-5-mini-2025-08-07", "gpt-5.2-2025-12-11", "gpt-4.1-2025-04-14"];
        let mut seen = std::collections::HashSet::new();
        for i in 0..50 {
            let prompt = format!("question number {i}");
            let model = answering_model(&body, &prompt).unwrap();
            assert!(allowed.contains(&model.as_str()), "{model}");
            assert_eq!(answering_model(&body, &prompt).unwrap(), model, "same prompt, same model");
            seen.insert(model);
        }
        assert_eq!(seen.len(), 3, "balanced spreads over the whole subset: {seen:?}");
    }

    #[test]
    fn cost_leans_small_and_quality_leans_large() {
        let models = [("gpt-5-mini", "2025-08-07"), ("gpt-4.1", "2025-04-14"), ("gpt-5.2", "2025-12-11")];
        let mut ordered = router_candidates(&router("cost", &models), "2025-11-18").unwrap();
        by_size(&mut ordered);
        let ordered: Vec<String> = ordered.iter().map(|c| response_model_name(&c.name, &c.version)).collect();
        let count = |mode: &str, model: &str| {
            (0..200).filter(|i| answering_model(&router(mode, &models), &format!("p{i}")).unwrap() == model).count()
        };
        let (smallest, largest) = (&ordered[0], &ordered[2]);
        assert!(count("cost", smallest) > count("quality", smallest), "cost favours {smallest}");
        assert!(count("quality", largest) > count("cost", largest), "quality favours {largest}");
    }

    #[test]
    fn no_subset_routes_over_the_default_set() {
        let body = json!({"properties": {"model": {"name": "model-router", "version": "2025-11-18"}}});
        let defaults: Vec<String> = modelrouter_catalog::catalog()
            .router_version("2025-11-18")
            .unwrap()
            .default_set()
            .iter()
            .map(|m| response_model_name(&m.name, &m.version))
            .collect();
        for i in 0..20 {
            let model = answering_model(&body, &format!("q{i}")).unwrap();
            assert!(defaults.contains(&model), "{model}");
        }
    }

    #[test]
    fn a_plain_deployment_answers_with_its_own_model() {
        let body = json!({"properties": {"model": {"name": "gpt-4o", "version": "2024-11-20"}}});
        assert_eq!(answering_model(&body, "hi").unwrap(), "gpt-4o-2024-11-20");
    }

    #[test]
    fn reasoning_models_by_name() {
        for model in ["gpt-5-mini-2025-08-07", "o4-mini-2025-04-16", "DeepSeek-R1-0528", "grok-4-fast-reasoning"] {
            assert!(is_reasoning_model(model), "{model}");
        }
        for model in ["gpt-4.1-2025-04-14", "gpt-5-chat-2025-10-03", "grok-4-fast-non-reasoning", "DeepSeek-V3.1"] {
            assert!(!is_reasoning_model(model), "{model}");
        }
    }
}
