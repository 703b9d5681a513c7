//! Small helpers over Terraform values that both resources need when mapping to and from ARM.

use tf_provider::Value;

/// The string, when the value is known and not null.
pub fn known_string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// `remote` as a value, but spelled as `prior` when the two differ only in case: ARM ids and names are
/// case-insensitive, and a service that answers `resourcegroups` must not produce a diff.
pub fn keep_prior_spelling(prior: &Value, remote: &str) -> Value {
    match prior.as_str() {
        Some(prior) if prior.eq_ignore_ascii_case(remote) => Value::string(prior),
        _ => Value::string(remote),
    }
}

/// Replaces every unknown inside `value` with null: what a resource reports for values that a failed apply never
/// learned (Terraform rejects unknowns in a new state).
pub fn unknowns_to_null(value: &Value) -> Value {
    match value {
        Value::Unknown(_) => Value::Null,
        Value::List(items) => Value::List(items.iter().map(unknowns_to_null).collect()),
        Value::Set(items) => Value::Set(items.iter().map(unknowns_to_null).collect()),
        Value::Tuple(items) => Value::Tuple(items.iter().map(unknowns_to_null).collect()),
        Value::Map(entries) => Value::Map(entries.iter().map(|(k, v)| (k.clone(), unknowns_to_null(v))).collect()),
        Value::Object(entries) => {
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), unknowns_to_null(v))).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_only_differences_keep_the_prior_spelling() {
        let prior = Value::string("/subscriptions/s/resourceGroups/rg");
        assert_eq!(keep_prior_spelling(&prior, "/subscriptions/s/resourcegroups/rg"), prior);
        assert_eq!(
            keep_prior_spelling(&prior, "/subscriptions/s/resourceGroups/other"),
            Value::string("/subscriptions/s/resourceGroups/other")
        );
        assert_eq!(keep_prior_spelling(&Value::Null, "x"), Value::string("x"));
    }

    #[test]
    fn unknowns_become_null_at_any_depth() {
        let v =
            Value::object([("a", Value::unknown()), ("b", Value::List(vec![Value::unknown(), Value::string("x")]))]);
        assert_eq!(
            unknowns_to_null(&v),
            Value::object([("a", Value::Null), ("b", Value::List(vec![Value::Null, Value::string("x")]))])
        );
    }
}
