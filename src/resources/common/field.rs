//! [`Field`]: one attribute of a typed resource model, as Terraform holds it — absent (null), not yet known at plan
//! time (unknown), or known — and the conversions between it and the wire [`Value`].
//!
//! Resource models are parsed once per RPC from a configuration, plan or state value into fields, and everything the
//! provider decides (validation, the planned state, the ARM body, the stored state) is derived from the fields, so
//! the three can no longer disagree about what an attribute holds.

use tf_provider::{Number, Value};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Field<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Field<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Field::Known(value) => Some(value),
            _ => None,
        }
    }

    pub fn into_known(self) -> Option<T> {
        match self {
            Field::Known(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Null => Field::Null,
            Field::Unknown => Field::Unknown,
            Field::Known(value) => Field::Known(f(value)),
        }
    }

    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Null => Field::Null,
            Field::Unknown => Field::Unknown,
            Field::Known(value) => Field::Known(value),
        }
    }

    /// `self` when the configuration sets it, else `fallback` (a default, a prior value or unknown).
    pub fn or_else(self, fallback: impl FnOnce() -> Field<T>) -> Field<T> {
        if self.is_null() { fallback() } else { self }
    }

    /// Known from an `Option`: `None` is null.
    pub fn from_option(value: Option<T>) -> Field<T> {
        value.map_or(Field::Null, Field::Known)
    }
}

impl Field<String> {
    pub fn as_deref(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }

    pub fn string(value: impl Into<String>) -> Field<String> {
        Field::Known(value.into())
    }
}

/// A value that can be read from and written to the wire as one attribute.
pub trait Wire: Sized {
    /// Reads a known, non-null value; `None` when the value has another type (Terraform checked the schema
    /// before calling the provider, so this only happens with a malformed value).
    fn read(value: &Value) -> Option<Self>;
    fn write(&self) -> Value;
}

impl Wire for String {
    fn read(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
    fn write(&self) -> Value {
        Value::string(self)
    }
}

impl Wire for bool {
    fn read(value: &Value) -> Option<Self> {
        value.as_bool()
    }
    fn write(&self) -> Value {
        Value::Bool(*self)
    }
}

/// A Terraform number as typed: whole numbers are what every numeric attribute here means, but the value is kept
/// as written so a fractional one can be reported (and planned back unchanged).
#[derive(Debug, Clone, PartialEq)]
pub struct Num(pub Number);

impl Num {
    pub fn int(value: i64) -> Num {
        Num(Number::Int(value))
    }

    /// The whole number, if it is one.
    pub fn whole(&self) -> Option<i64> {
        self.0.as_i64()
    }
}

impl Eq for Num {}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Wire for Num {
    fn read(value: &Value) -> Option<Self> {
        value.as_number().cloned().map(Num)
    }
    fn write(&self) -> Value {
        Value::Number(self.0.clone())
    }
}

impl Field<Num> {
    pub fn whole(&self) -> Option<i64> {
        self.known().and_then(Num::whole)
    }

    pub fn int(value: i64) -> Field<Num> {
        Field::Known(Num::int(value))
    }
}

impl<T: Wire> Field<T> {
    /// The field for one attribute value. A value of the wrong type reads as null (see [`Wire::read`]).
    pub fn parse(value: &Value) -> Field<T> {
        if value.is_unknown() {
            Field::Unknown
        } else if value.is_null() {
            Field::Null
        } else {
            T::read(value).map_or(Field::Null, Field::Known)
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Field::Null => Value::Null,
            Field::Unknown => Value::unknown(),
            Field::Known(value) => value.write(),
        }
    }
}

/// A nested object (a block or an object attribute) parsed with its own model.
pub trait Nested: Sized {
    fn parse(value: &Value) -> Self;
    fn to_value(&self) -> Value;
}

impl<N: Nested> Field<N> {
    pub fn parse_nested(value: &Value) -> Field<N> {
        if value.is_unknown() {
            Field::Unknown
        } else if value.is_null() {
            Field::Null
        } else {
            Field::Known(N::parse(value))
        }
    }

    pub fn nested_value(&self) -> Value {
        match self {
            Field::Null => Value::Null,
            Field::Unknown => Value::unknown(),
            Field::Known(nested) => nested.to_value(),
        }
    }
}

/// A collection of nested objects (a set of blocks or a list of objects).
pub fn parse_elements<N: Nested>(value: &Value) -> Field<Vec<N>> {
    if value.is_unknown() {
        Field::Unknown
    } else if value.is_null() {
        Field::Null
    } else {
        Field::Known(value.elements().iter().map(N::parse).collect())
    }
}

pub fn set_value<N: Nested>(field: &Field<Vec<N>>) -> Value {
    match field {
        Field::Null => Value::Null,
        Field::Unknown => Value::unknown(),
        Field::Known(items) => Value::Set(items.iter().map(Nested::to_value).collect()),
    }
}

pub fn list_value<N: Nested>(field: &Field<Vec<N>>) -> Value {
    match field {
        Field::Null => Value::Null,
        Field::Unknown => Value::unknown(),
        Field::Known(items) => Value::List(items.iter().map(Nested::to_value).collect()),
    }
}

/// `remote`, but spelled as `prior` when the two differ only in case: ARM ids and names are case-insensitive, and
/// a service that answers `resourcegroups` or `GPT-5` must not produce a diff against the configuration's spelling.
pub fn keep_prior_spelling(prior: &Field<String>, remote: &str) -> Field<String> {
    match prior.as_deref() {
        Some(prior) if prior.eq_ignore_ascii_case(remote) => Field::string(prior),
        _ => Field::string(remote),
    }
}

/// Whether two known strings are the same ARM name or id (case-insensitive); false while either is not known.
pub fn same_ignoring_case(a: &Field<String>, b: &Field<String>) -> bool {
    a.as_deref().zip(b.as_deref()).is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// The configured value, except that a configured spelling differing from the prior one only in case plans the
/// prior spelling (Terraform accepts "planned == prior" as semantically equal, and it avoids a replacement).
pub fn plan_case_insensitive(configured: &Field<String>, prior: &Field<String>) -> Field<String> {
    match (configured.as_deref(), prior.as_deref()) {
        (Some(c), Some(p)) if c != p && c.eq_ignore_ascii_case(p) => prior.clone(),
        _ => configured.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_states() {
        assert_eq!(Field::<String>::parse(&Value::Null), Field::Null);
        assert_eq!(Field::<String>::parse(&Value::unknown()), Field::Unknown);
        assert_eq!(Field::<String>::parse(&Value::string("x")), Field::string("x"));
        assert_eq!(Field::<Num>::parse(&Value::int(3)).whole(), Some(3));
        assert_eq!(Field::<Num>::parse(&Value::float(2.5)).whole(), None);
    }

    #[test]
    fn round_trips_through_the_wire_value() {
        for value in [Value::Null, Value::unknown(), Value::string("a"), Value::int(7)] {
            match &value {
                Value::Number(_) => assert_eq!(Field::<Num>::parse(&value).to_value(), value),
                _ => assert_eq!(Field::<String>::parse(&value).to_value(), value),
            }
        }
    }

    #[test]
    fn case_only_differences_keep_the_prior_spelling() {
        let prior = Field::string("/subscriptions/s/resourceGroups/rg");
        assert_eq!(keep_prior_spelling(&prior, "/subscriptions/s/resourcegroups/rg"), prior);
        assert_eq!(keep_prior_spelling(&prior, "/x"), Field::string("/x"));
        assert_eq!(keep_prior_spelling(&Field::Null, "x"), Field::string("x"));
        assert_eq!(plan_case_insensitive(&Field::string("GPT"), &Field::string("gpt")), Field::string("gpt"));
        assert_eq!(plan_case_insensitive(&Field::string("a"), &Field::string("b")), Field::string("a"));
    }
}
