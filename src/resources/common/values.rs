//! Helpers over raw Terraform values that the typed models do not cover.

use tf_provider::Value;

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
    fn unknowns_become_null_at_any_depth() {
        let v =
            Value::object([("a", Value::unknown()), ("b", Value::List(vec![Value::unknown(), Value::string("x")]))]);
        assert_eq!(
            unknowns_to_null(&v),
            Value::object([("a", Value::Null), ("b", Value::List(vec![Value::Null, Value::string("x")]))])
        );
    }
}
