//! The `sku` block both resources share: deployment type and capacity, their defaults, checks and mapping.

use modelrouter_arm::Sku;
use tf_provider::{Attribute, AttributePath, Block, Diagnostics, NestedBlock, Nesting, Type, Value};

use super::values::keep_prior_spelling;
use crate::provider::config::quoted_list;

/// Deployment types model router (and the Claude models it routes to) are offered in.
pub const SKU_NAMES: [&str; 2] = ["GlobalStandard", "DataZoneStandard"];
pub const DEFAULT_SKU_NAME: &str = "GlobalStandard";

/// The `sku` block. A GROUP block: it may be left out entirely, and its arguments still get their defaults.
pub fn block(name_description: &str, default_capacity: i64) -> NestedBlock {
    let block = Block::new()
        .describe("Deployment type and rate limit. The block may be omitted: every argument has a default.")
        .attribute(Attribute::optional("name", Type::String).computed().describe(name_description))
        .attribute(Attribute::optional("capacity", Type::Number).computed().describe(format!(
            "Rate limit in units of 1,000 tokens per minute; at least 1, default {default_capacity}. Updated in place."
        )));
    NestedBlock { type_name: "sku".into(), nesting: Nesting::Group, block, min_items: 0, max_items: 0 }
}

fn sku_path(attr: &str) -> AttributePath {
    AttributePath::root().attr("sku").attr(attr)
}

pub fn validate(config: &Value, diags: &mut Diagnostics) {
    let sku = config.get("sku");
    if let Some(name) = sku.get("name").as_str() {
        if !SKU_NAMES.contains(&name) {
            diags.error_at(
                sku_path("name"),
                "Unsupported SKU",
                format!(
                    "sku.name = {name:?} is not a deployment type model router supports. Allowed values: {}.",
                    quoted_list(&SKU_NAMES)
                ),
            );
        }
    }
    let capacity = sku.get("capacity");
    match capacity.as_i64() {
        Some(c) if c >= 1 => {}
        Some(c) => diags.error_at(
            sku_path("capacity"),
            "Invalid capacity",
            format!("sku.capacity = {c}: capacity is in units of 1,000 tokens per minute and must be at least 1."),
        ),
        None if matches!(capacity, Value::Number(_)) => diags.error_at(
            sku_path("capacity"),
            "Invalid capacity",
            "sku.capacity must be a whole number of at least 1.",
        ),
        None => {}
    }
}

/// The planned `sku`: the documented defaults apply whenever an argument is left out; a configured name that
/// differs from the prior one only in case keeps the prior spelling (no replacement for a case change).
pub fn plan(config: &Value, prior: &Value, default_capacity: i64) -> Value {
    let name = match config.get("name") {
        Value::Null => Value::string(DEFAULT_SKU_NAME),
        configured => match (configured.as_str(), prior.get("name").as_str()) {
            (Some(c), Some(p)) if c.eq_ignore_ascii_case(p) => Value::string(p),
            _ => configured.clone(),
        },
    };
    let capacity = match config.get("capacity") {
        Value::Null => Value::int(default_capacity),
        configured => configured.clone(),
    };
    Value::object([("name", name), ("capacity", capacity)])
}

/// The ARM `sku` for a planned block, keeping fields of the current one this provider does not model.
pub fn to_arm(planned: &Value, default_capacity: i64, current: Option<Sku>) -> Sku {
    Sku {
        name: planned.get("name").as_str().unwrap_or(DEFAULT_SKU_NAME).to_owned(),
        capacity: Some(planned.get("capacity").as_i64().unwrap_or(default_capacity)),
        extra: current.map(|s| s.extra).unwrap_or_default(),
    }
}

/// The state's `sku` for what Azure holds.
pub fn from_arm(base: &Value, sku: Option<&Sku>) -> Value {
    match sku {
        Some(sku) => Value::object([
            ("name", keep_prior_spelling(base.get("name"), &sku.name)),
            ("capacity", sku.capacity.map_or(Value::Null, Value::int)),
        ]),
        None => Value::object([("name", Value::Null), ("capacity", Value::Null)]),
    }
}

/// Lines for a read-back check: what was asked of the SKU and what Azure kept.
pub fn mismatches(asked: Option<&Sku>, got: Option<&Sku>, problems: &mut Vec<String>) {
    let name = |s: Option<&Sku>| s.map(|s| s.name.clone()).unwrap_or_else(|| "none".into());
    if !name(asked).eq_ignore_ascii_case(&name(got)) {
        problems.push(format!("sku.name: asked for {:?}, Azure kept {:?}", name(asked), name(got)));
    }
    let capacity = |s: Option<&Sku>| s.and_then(|s| s.capacity);
    if capacity(asked) != capacity(got) {
        let show = |c: Option<i64>| c.map_or_else(|| "nothing".to_owned(), |c| c.to_string());
        problems.push(format!("sku.capacity: asked for {}, Azure kept {}", show(capacity(asked)), show(capacity(got))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_left_out() {
        let config = Value::object([("name", Value::Null), ("capacity", Value::Null)]);
        assert_eq!(
            plan(&config, &Value::Null, 10),
            Value::object([("name", Value::string("GlobalStandard")), ("capacity", Value::int(10))])
        );
    }

    #[test]
    fn case_change_of_the_name_keeps_the_prior_spelling() {
        let config = Value::object([("name", Value::string("globalstandard")), ("capacity", Value::int(5))]);
        let prior = Value::object([("name", Value::string("GlobalStandard")), ("capacity", Value::int(5))]);
        assert_eq!(plan(&config, &prior, 10).get("name").as_str(), Some("GlobalStandard"));
    }

    #[test]
    fn mismatches_name_both_values() {
        let asked = Sku { name: "DataZoneStandard".into(), capacity: Some(5), extra: Default::default() };
        let got = Sku { name: "GlobalStandard".into(), capacity: Some(5), extra: Default::default() };
        let mut problems = Vec::new();
        mismatches(Some(&asked), Some(&got), &mut problems);
        assert_eq!(problems, ["sku.name: asked for \"DataZoneStandard\", Azure kept \"GlobalStandard\""]);
    }
}
