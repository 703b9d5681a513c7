//! Reading function arguments, each failure an error on the argument it is about.

use tf_provider::{FunctionError, Value};

/// Argument `index` as a string, or an error naming what it is instead.
pub fn string(arguments: &[Value], index: usize, name: &str) -> Result<String, FunctionError> {
    arguments
        .get(index)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| FunctionError::argument(index, format!("{name} must be a string.")))
}

/// An element of a list, set or tuple argument as a string; `what` describes the element in errors.
pub fn element_string(element: &Value, index: usize, what: &str) -> Result<String, FunctionError> {
    match element.inner() {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(FunctionError::argument(index, format!("{what} is null."))),
        _ => Err(FunctionError::argument(index, format!("{what} must be a string."))),
    }
}
