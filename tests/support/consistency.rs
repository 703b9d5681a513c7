//! The checks Terraform core applies to a provider's answers, written out so in-process tests can apply them to
//! every RPC result (tfplugin5.md §4.5 and §4.7; Terraform's `objchange` package: `ProposedNew`, `AssertPlanValid`,
//! `AssertObjectCompatible`). Each check returns the violations it found, as Terraform would word them, with the
//! attribute path; an empty list means Terraform would accept the answer.
#![allow(dead_code)] // each test binary uses a different part of the harness

use tf_provider::{Attribute, Block, NestedBlock, Nesting, Value};

/// Structural equality as cty's `RawEquals` without refinements: unknowns are equal to unknowns, sets compare as
/// multisets.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Unknown(_), Value::Unknown(_)) => true,
        (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len() && {
                let mut unmatched: Vec<&Value> = y.iter().collect();
                x.iter().all(|item| match unmatched.iter().position(|other| same(item, other)) {
                    Some(i) => {
                        unmatched.swap_remove(i);
                        true
                    }
                    None => false,
                })
            }
        }
        (Value::List(x), Value::List(y)) | (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) | (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Number(x), Value::Number(y)) => x == y,
        _ => a == b,
    }
}

/// Terraform's proposal for a plan (`objchange.ProposedNew`): configured values, and for computed attributes the
/// configuration leaves null, the prior value. On create the prior is null, so those stay null.
pub fn proposed_new(block: &Block, prior: &Value, config: &Value) -> Value {
    if config.is_null() || config.is_unknown() {
        return config.clone();
    }
    let mut pairs: Vec<(String, Value)> = Vec::new();
    for attribute in &block.attributes {
        let configured = config.get(&attribute.name);
        let value = if attribute.computed && configured.is_null() {
            prior.get(&attribute.name).clone()
        } else {
            configured.clone()
        };
        pairs.push((attribute.name.clone(), value));
    }
    for nested in &block.blocks {
        let configured = config.get(&nested.type_name);
        let value = match nested.nesting {
            Nesting::Single | Nesting::Group => proposed_new(&nested.block, prior.get(&nested.type_name), configured),
            // Set and list elements have no identity to correlate by here; the configured elements stand.
            _ => configured.clone(),
        };
        pairs.push((nested.type_name.clone(), value));
    }
    Value::object(pairs)
}

/// A full object for `block` from a sparse one: attributes left out are null, blocks left out are absent (null for
/// single blocks, an empty collection for sets and lists, an object of nulls for group blocks) — what Terraform
/// decodes from a configuration that does not mention them.
pub fn complete(block: &Block, sparse: &Value) -> Value {
    if sparse.is_unknown() {
        return sparse.clone();
    }
    let mut pairs: Vec<(String, Value)> = Vec::new();
    for attribute in &block.attributes {
        pairs.push((attribute.name.clone(), sparse.get(&attribute.name).clone()));
    }
    for nested in &block.blocks {
        let given = sparse.get(&nested.type_name);
        let value = match nested.nesting {
            Nesting::Single if given.is_null() => Value::Null,
            Nesting::Single | Nesting::Group => complete(&nested.block, given),
            Nesting::Set if given.is_unknown() => given.clone(),
            Nesting::Set => Value::Set(given.elements().iter().map(|e| complete(&nested.block, e)).collect()),
            Nesting::List => Value::List(given.elements().iter().map(|e| complete(&nested.block, e)).collect()),
            Nesting::Map => given.clone(),
        };
        pairs.push((nested.type_name.clone(), value));
    }
    Value::object(pairs)
}

/// `AssertPlanValid`: the planned object against the configuration and the prior state ("Provider produced invalid
/// plan").
pub fn plan_valid(block: &Block, prior: &Value, config: &Value, planned: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    plan_valid_block(block, prior, config, planned, "", &mut errors);
    errors
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
}

fn plan_valid_block(
    block: &Block,
    prior: &Value,
    config: &Value,
    planned: &Value,
    path: &str,
    errors: &mut Vec<String>,
) {
    for attribute in &block.attributes {
        plan_valid_attribute(
            attribute,
            prior.get(&attribute.name),
            config.get(&attribute.name),
            planned.get(&attribute.name),
            &join(path, &attribute.name),
            errors,
        );
    }
    for nested in &block.blocks {
        plan_valid_nested(
            nested,
            prior.get(&nested.type_name),
            config.get(&nested.type_name),
            planned.get(&nested.type_name),
            &join(path, &nested.type_name),
            errors,
        );
    }
}

fn plan_valid_attribute(
    attribute: &Attribute,
    prior: &Value,
    config: &Value,
    planned: &Value,
    path: &str,
    errors: &mut Vec<String>,
) {
    if planned.is_unknown() && !attribute.computed && !config.is_unknown() {
        errors.push(format!("{path}: planned value is unknown for a non-computed attribute"));
        return;
    }
    if same(planned, config) {
        return;
    }
    if !prior.is_null() && !config.is_null() && same(planned, prior) {
        return;
    }
    if attribute.computed && config.is_null() {
        return;
    }
    if config.is_null() {
        errors.push(format!("{path}: planned value {planned:?} for a non-computed attribute"));
    } else {
        errors.push(format!(
            "{path}: planned value {planned:?} does not match config value {config:?} nor prior {prior:?}"
        ));
    }
}

fn plan_valid_nested(
    nested: &NestedBlock,
    prior: &Value,
    config: &Value,
    planned: &Value,
    path: &str,
    errors: &mut Vec<String>,
) {
    match nested.nesting {
        Nesting::Single | Nesting::Group => {
            if planned.is_unknown() {
                errors.push(format!("{path}: a nested block must not be planned unknown as a whole"));
            } else if config.is_null() != planned.is_null() {
                errors.push(format!(
                    "{path}: planned for {} but config wants the opposite",
                    if planned.is_null() { "absence" } else { "existence" }
                ));
            } else if !planned.is_null() {
                plan_valid_block(&nested.block, prior, config, planned, path, errors);
            }
        }
        Nesting::Set | Nesting::List => {
            if config.is_unknown() || planned.is_unknown() {
                return;
            }
            if config.elements().len() != planned.elements().len() {
                errors.push(format!(
                    "{path}: block count in plan ({}) disagrees with count in config ({})",
                    planned.elements().len(),
                    config.elements().len()
                ));
            }
            if nested.nesting == Nesting::List {
                for (i, (c, p)) in config.elements().iter().zip(planned.elements()).enumerate() {
                    let prior_element = prior.elements().get(i).cloned().unwrap_or(Value::Null);
                    plan_valid_block(&nested.block, &prior_element, c, p, &format!("{path}[{i}]"), errors);
                }
            }
        }
        Nesting::Map => {}
    }
}

/// `AssertObjectCompatible`: the object after apply against the plan ("Provider produced inconsistent result after
/// apply"), also used for the final plan during apply against the saved plan.
pub fn compatible(block: &Block, planned: &Value, actual: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    compatible_block(block, planned, actual, "", &mut errors);
    errors
}

fn compatible_block(block: &Block, planned: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    if planned.is_unknown() {
        return;
    }
    if planned.is_null() != actual.is_null() {
        errors.push(format!("{path}: was {planned:?}, but now {actual:?}"));
        return;
    }
    for attribute in &block.attributes {
        let (p, a) = (planned.get(&attribute.name), actual.get(&attribute.name));
        compatible_value(p, a, &join(path, &attribute.name), errors);
    }
    for nested in &block.blocks {
        let (p, a) = (planned.get(&nested.type_name), actual.get(&nested.type_name));
        let path = join(path, &nested.type_name);
        match nested.nesting {
            Nesting::Single | Nesting::Group => compatible_block(&nested.block, p, a, &path, errors),
            Nesting::List => {
                if p.is_unknown() {
                    continue;
                }
                if p.elements().len() != a.elements().len() {
                    errors.push(format!(
                        "{path}: block count changed from {} to {}",
                        p.elements().len(),
                        a.elements().len()
                    ));
                    continue;
                }
                for (i, (pe, ae)) in p.elements().iter().zip(a.elements()).enumerate() {
                    compatible_block(&nested.block, pe, ae, &format!("{path}[{i}]"), errors);
                }
            }
            Nesting::Set => {
                if p.is_unknown() {
                    continue;
                }
                if p.elements().len() != a.elements().len() {
                    errors.push(format!(
                        "{path}: block count changed from {} to {}",
                        p.elements().len(),
                        a.elements().len()
                    ));
                }
                // Every planned element must correlate with some element of the result.
                for pe in p.elements() {
                    let correlates = a.elements().iter().any(|ae| {
                        let mut scratch = Vec::new();
                        compatible_block(&nested.block, pe, ae, &path, &mut scratch);
                        scratch.is_empty()
                    });
                    if !correlates {
                        errors.push(format!(
                            "{path}: planned set element {pe:?} does not correlate with any element in actual {a:?}"
                        ));
                    }
                }
            }
            Nesting::Map => {}
        }
    }
}

fn compatible_value(planned: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    if planned.is_unknown() {
        return;
    }
    match (planned, actual) {
        (Value::List(p), Value::List(a)) if p.len() == a.len() => {
            for (i, (pe, ae)) in p.iter().zip(a).enumerate() {
                compatible_value(pe, ae, &format!("{path}[{i}]"), errors);
            }
        }
        (Value::Object(p), Value::Object(a)) => {
            for (key, pv) in p {
                compatible_value(pv, a.get(key).unwrap_or(&Value::Null), &join(path, key), errors);
            }
        }
        // A map with unknown values: the keys are known and stay, each known value stays.
        (Value::Map(p), Value::Map(a)) if !planned.is_wholly_known() => {
            if !p.keys().eq(a.keys()) {
                errors.push(format!("{path}: map keys changed from {planned:?} to {actual:?}"));
            }
            for (key, pv) in p {
                compatible_value(pv, a.get(key).unwrap_or(&Value::Null), &format!("{path}[{key:?}]"), errors);
            }
        }
        _ if planned.is_wholly_known() => {
            if !same(planned, actual) {
                errors.push(format!("{path}: was {planned:?}, but now {actual:?}"));
            }
        }
        // A collection with unknown parts: lengths must agree at least.
        _ => {
            if planned.elements().len() != actual.elements().len() {
                errors.push(format!("{path}: length changed from {planned:?} to {actual:?}"));
            }
        }
    }
}

/// Paths (within `value`) of unknowns: Terraform rejects them in a new state or a read result.
pub fn unknown_paths(value: &Value) -> Vec<String> {
    fn walk(value: &Value, path: String, found: &mut Vec<String>) {
        match value {
            Value::Unknown(_) => found.push(path),
            Value::Object(entries) | Value::Map(entries) => {
                for (key, v) in entries {
                    walk(v, join(&path, key), found);
                }
            }
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, format!("{path}[{i}]"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, String::new(), &mut found);
    found
}

/// The configuration `terraform query -generate-config-out` and `plan -generate-config-out` write for an object when
/// the provider does not generate it (Terraform's `genconfig.ExtractLegacyConfigFromState`): the state without its
/// read-only (computed, not optional) and deprecated attributes, and without empty optional strings.
pub fn generated_config(block: &Block, state: &Value) -> Value {
    if state.is_null() {
        return state.clone();
    }
    let mut pairs: Vec<(String, Value)> = Vec::new();
    for attribute in &block.attributes {
        let value = state.get(&attribute.name);
        let read_only = attribute.computed && !attribute.optional;
        let empty_optional = attribute.optional && value.as_str() == Some("");
        let keep = !(attribute.deprecated || read_only || empty_optional);
        pairs.push((attribute.name.clone(), if keep { value.clone() } else { Value::Null }));
    }
    for nested in &block.blocks {
        let given = state.get(&nested.type_name);
        let value = match nested.nesting {
            _ if nested.block.deprecated => Value::Null,
            Nesting::Single | Nesting::Group => generated_config(&nested.block, given),
            Nesting::List => Value::List(given.elements().iter().map(|e| generated_config(&nested.block, e)).collect()),
            Nesting::Set => Value::Set(given.elements().iter().map(|e| generated_config(&nested.block, e)).collect()),
            Nesting::Map => given.clone(),
        };
        pairs.push((nested.type_name.clone(), value));
    }
    Value::object(pairs)
}
