//! The `sku` block both resources share: its typed model, defaults, checks and mapping to ARM.

use modelrouter_arm::Sku;
use tf_provider::{Attribute, AttributePath, Block, Diagnostics, NestedBlock, Nesting, Type, Value};

use super::field::{Field, Nested, Num, keep_prior_spelling, plan_case_insensitive, same_ignoring_case};
use super::identity::Identity;
use super::text::{check_one_of, check_trimmed};

pub mod attr {
    pub const SKU: &str = "sku";
    pub const NAME: &str = "name";
    pub const CAPACITY: &str = "capacity";
}

/// Deployment types model router (and the Claude models it routes to) are offered in.
pub const SKU_NAMES: [&str; 2] = ["GlobalStandard", "DataZoneStandard"];
pub const DEFAULT_SKU_NAME: &str = "GlobalStandard";

/// The `sku` block. A GROUP block: it may be left out entirely, and its arguments still get their defaults.
pub fn block(name_description: &str, default_capacity: i64) -> NestedBlock {
    let block = Block::new()
        .describe("Deployment type and rate limit. The block may be omitted: every argument has a default.")
        .attribute(Attribute::optional(attr::NAME, Type::String).computed().describe(name_description))
        .attribute(Attribute::optional(attr::CAPACITY, Type::Number).computed().describe(format!(
            "Rate limit in units of 1,000 tokens per minute; at least 1, default {default_capacity}. Updated in place."
        )));
    NestedBlock { type_name: attr::SKU.into(), nesting: Nesting::Group, block, min_items: 0, max_items: 0 }
}

fn path(attr: &str) -> AttributePath {
    AttributePath::root().attr(attr::SKU).attr(attr)
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SkuModel {
    pub name: Field<String>,
    pub capacity: Field<Num>,
}

impl Nested for SkuModel {
    fn parse(value: &Value) -> SkuModel {
        SkuModel { name: Field::parse(value.get(attr::NAME)), capacity: Field::parse(value.get(attr::CAPACITY)) }
    }

    /// Always an object: a GROUP block is never null.
    fn to_value(&self) -> Value {
        Value::object([(attr::NAME, self.name.to_value()), (attr::CAPACITY, self.capacity.to_value())])
    }
}

impl SkuModel {
    pub fn validate(&self, diags: &mut Diagnostics) {
        if check_trimmed(&self.name, &path(attr::NAME), diags) {
            check_one_of(&self.name, &path(attr::NAME), "SKU", &SKU_NAMES, diags);
        }
        match (&self.capacity, self.capacity.whole()) {
            (_, Some(c)) if c >= 1 => {}
            (_, Some(c)) => diags.error_at(
                path(attr::CAPACITY),
                "Invalid capacity",
                format!("sku.capacity = {c}: capacity is in units of 1,000 tokens per minute and must be at least 1."),
            ),
            (Field::Known(n), None) => diags.error_at(
                path(attr::CAPACITY),
                "Invalid capacity",
                format!("sku.capacity = {n}: capacity must be a whole number of at least 1."),
            ),
            _ => {}
        }
    }

    /// The planned block: the documented defaults apply whenever an argument is left out; a configured name that
    /// differs from the prior one only in case keeps the prior spelling (no replacement for a case change).
    pub fn plan(&self, prior: Option<&SkuModel>, default_capacity: i64) -> SkuModel {
        let name = match &self.name {
            Field::Null => Field::string(DEFAULT_SKU_NAME),
            configured => prior.map_or_else(|| configured.clone(), |p| plan_case_insensitive(configured, &p.name)),
        };
        let capacity = self.capacity.clone().or_else(|| Field::int(default_capacity));
        SkuModel { name, capacity }
    }

    /// The SKU name this block means (the default when not known).
    pub fn name_or_default(&self) -> &str {
        self.name.as_deref().unwrap_or(DEFAULT_SKU_NAME)
    }

    /// The ARM `sku` for a planned block, keeping fields of the current one this provider does not model.
    pub fn to_arm(&self, default_capacity: i64, current: Option<Sku>) -> Sku {
        Sku {
            name: self.name_or_default().to_owned(),
            capacity: Some(self.capacity.whole().unwrap_or(default_capacity)),
            extra: current.map(|s| s.extra).unwrap_or_default(),
        }
    }

    /// The state's block for what Azure holds.
    pub fn from_arm(base: &SkuModel, sku: Option<&Sku>) -> SkuModel {
        match sku {
            Some(sku) => SkuModel {
                name: keep_prior_spelling(&base.name, &sku.name),
                capacity: Field::from_option(sku.capacity.map(Num::int)),
            },
            None => SkuModel::default(),
        }
    }
}

/// The capacity a deployment already holds that a planned write keeps: the prior capacity when the plan updates the
/// same deployment (same account and name) with the same SKU name, else none (a create or a replacement needs all
/// of its capacity from the quota again).
pub fn held_capacity(prior: Option<(&Identity, &SkuModel)>, planned: (&Identity, &SkuModel)) -> i64 {
    let same = same_ignoring_case;
    match prior {
        Some((identity, sku))
            if same(&identity.account_id, &planned.0.account_id)
                && same(&identity.name, &planned.0.name)
                && same(&sku.name, &planned.1.name) =>
        {
            sku.capacity.whole().unwrap_or(0)
        }
        _ => 0,
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
        let planned = SkuModel::default().plan(None, 10);
        assert_eq!(planned, SkuModel { name: Field::string("GlobalStandard"), capacity: Field::int(10) });
    }

    #[test]
    fn case_change_of_the_name_keeps_the_prior_spelling() {
        let config = SkuModel { name: Field::string("globalstandard"), capacity: Field::int(5) };
        let prior = SkuModel { name: Field::string("GlobalStandard"), capacity: Field::int(5) };
        assert_eq!(config.plan(Some(&prior), 10).name.as_deref(), Some("GlobalStandard"));
    }

    #[test]
    fn validation_names_attribute_value_and_allowed_values() {
        let mut diags = Diagnostics::new();
        SkuModel { name: Field::string("Standard"), capacity: Field::Known(Num(tf_provider::Number::Float(1.5))) }
            .validate(&mut diags);
        let found: Vec<String> = diags.iter().map(|d| d.attribute.as_ref().unwrap().to_string()).collect();
        assert_eq!(found, ["sku.name", "sku.capacity"]);
        assert!(diags.iter().next().unwrap().detail.contains("\"GlobalStandard\", \"DataZoneStandard\""));
        let mut diags = Diagnostics::new();
        SkuModel { name: Field::string("GlobalStandard "), capacity: Field::int(0) }.validate(&mut diags);
        assert_eq!(diags.len(), 2, "{diags:?}");
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
