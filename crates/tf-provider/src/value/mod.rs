//! cty values and types, the data model Terraform exchanges with providers.
//!
//! Terraform sends and expects values encoded against a *type* that both sides derive from the schema
//! ([`crate::schema::Block::value_type`]). A [`Value`] is therefore untyped on its own: the codecs in
//! [`msgpack`] and [`json`] take the [`Type`] alongside. The only exception is a `dynamic` slot, whose value
//! travels with its concrete type ([`Value::Dynamic`]).

pub mod json;
pub mod msgpack;

use std::collections::BTreeMap;
use std::fmt;

/// A cty type. `Dynamic` is cty's `DynamicPseudoType` (any type, decided per value).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    String,
    Number,
    Bool,
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
}

/// The JSON type constraint could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid type constraint JSON: {0}")]
pub struct TypeJsonError(String);

impl Type {
    /// Shorthand for `Type::List(Box::new(element))`.
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    /// Shorthand for `Type::Set(Box::new(element))`.
    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    /// Shorthand for `Type::Map(Box::new(element))`.
    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// An object type from `(name, type)` pairs.
    pub fn object(attributes: impl IntoIterator<Item = (impl Into<String>, Type)>) -> Type {
        Type::Object(attributes.into_iter().map(|(k, t)| (k.into(), t)).collect())
    }

    /// The JSON form Terraform uses in schemas and dynamic values: `"string"`, `["list","string"]`,
    /// `["object",{"a":"number"}]`, `["tuple",["bool"]]`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::String => J::from("string"),
            Type::Number => J::from("number"),
            Type::Bool => J::from("bool"),
            Type::Dynamic => J::from("dynamic"),
            Type::List(e) => J::Array(vec![J::from("list"), e.to_json()]),
            Type::Set(e) => J::Array(vec![J::from("set"), e.to_json()]),
            Type::Map(e) => J::Array(vec![J::from("map"), e.to_json()]),
            Type::Object(attrs) => J::Array(vec![
                J::from("object"),
                J::Object(attrs.iter().map(|(k, t)| (k.clone(), t.to_json())).collect()),
            ]),
            Type::Tuple(elems) => J::Array(vec![J::from("tuple"), J::Array(elems.iter().map(Type::to_json).collect())]),
        }
    }

    /// Parses the JSON form (see [`Type::to_json`]). The optional-attributes list that may follow an
    /// object's attribute map is accepted and ignored.
    pub fn from_json(json: &serde_json::Value) -> Result<Type, TypeJsonError> {
        use serde_json::Value as J;
        match json {
            J::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(TypeJsonError(format!("unknown primitive type {other:?}"))),
            },
            J::Array(parts) if parts.len() >= 2 => {
                let kind = parts[0].as_str().unwrap_or_default();
                match (kind, &parts[1]) {
                    ("list", e) => Ok(Type::list(Type::from_json(e)?)),
                    ("set", e) => Ok(Type::set(Type::from_json(e)?)),
                    ("map", e) => Ok(Type::map(Type::from_json(e)?)),
                    ("object", J::Object(attrs)) => Ok(Type::Object(
                        attrs
                            .iter()
                            .map(|(k, t)| Ok((k.clone(), Type::from_json(t)?)))
                            .collect::<Result<_, TypeJsonError>>()?,
                    )),
                    ("tuple", J::Array(elems)) => {
                        Ok(Type::Tuple(elems.iter().map(Type::from_json).collect::<Result<_, _>>()?))
                    }
                    _ => Err(TypeJsonError(format!("unsupported type constraint {json}"))),
                }
            }
            other => Err(TypeJsonError(format!("unsupported type constraint {other}"))),
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// 2^63 as f64: the first float beyond i64's range.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// A cty number. Terraform numbers are arbitrary-precision decimals; the common cases get native
/// variants and anything else keeps its exact decimal text in `Big`.
#[derive(Debug, Clone)]
pub enum Number {
    Int(i64),
    Float(f64),
    /// Exact decimal text, e.g. `"12345678901234567890"` or `"0.1000000000000000055511"`.
    Big(String),
}

impl Number {
    /// The value as an `i64` when it is exactly an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            Number::Float(f) => {
                // 2^63 is the first value out of range; everything below it with no fraction fits.
                if f.fract() == 0.0 && *f >= -TWO_POW_63 && *f < TWO_POW_63 { Some(*f as i64) } else { None }
            }
            Number::Big(s) => s.parse().ok(),
        }
    }

    /// The value as an `f64` (possibly rounded).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Number::Int(i) => Some(*i as f64),
            Number::Float(f) => Some(*f),
            Number::Big(s) => s.parse().ok(),
        }
    }

    /// True when `text` is a plain decimal number (optional sign, digits, optional fraction and exponent).
    pub(crate) fn is_decimal_text(text: &str) -> bool {
        let body = text.strip_prefix(['-', '+']).unwrap_or(text);
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let (int_part, frac_part) = match mantissa.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (mantissa, None),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let int_ok = digits(int_part);
        let frac_ok = frac_part.is_none_or(digits);
        let has_digit = !int_part.is_empty() || frac_part.is_some_and(|f| !f.is_empty());
        let exp_ok = exponent.is_none_or(|e| {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        });
        int_ok && frac_ok && has_digit && exp_ok
    }
}

/// Numbers compare by value where that is cheap to decide: `Int(3) == Float(3.0) == Big("3")`.
impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        if let (Some(a), Some(b)) = (self.as_i64(), other.as_i64()) {
            return a == b;
        }
        match (self, other) {
            (Number::Big(a), Number::Big(b)) => a == b,
            (Number::Big(_), _) | (_, Number::Big(_)) => {
                // A big decimal equals a native number only if it is an exact i64 (handled above) or
                // exactly a float; compare through the float only when neither side is an i64.
                self.as_i64().is_none()
                    && other.as_i64().is_none()
                    && self.as_f64().is_some()
                    && self.as_f64() == other.as_f64()
            }
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
            Number::Big(s) => f.write_str(s),
        }
    }
}

/// What is promised about an unknown value (Terraform 1.6+ "refinements", msgpack ext type 12).
/// `Default` means nothing is promised.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Refinements {
    /// The eventual value is definitely not null.
    pub not_null: bool,
    /// The eventual string starts with this prefix.
    pub string_prefix: Option<String>,
    /// Lower bound of the eventual number and whether it is inclusive.
    pub number_lower: Option<(Number, bool)>,
    /// Upper bound of the eventual number and whether it is inclusive.
    pub number_upper: Option<(Number, bool)>,
    /// Minimum length of the eventual collection (inclusive).
    pub length_lower: Option<i64>,
    /// Maximum length of the eventual collection (inclusive).
    pub length_upper: Option<i64>,
}

impl Refinements {
    /// True when nothing is promised (written as a plain unknown).
    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }
}

/// A cty value. Collections and objects hold their elements; the type comes from the schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Unknown(Refinements),
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    /// A value in a `dynamic` slot, with its concrete type.
    Dynamic(Type, Box<Value>),
}

static NULL: Value = Value::Null;

impl Value {
    /// An unknown value with no refinements.
    pub fn unknown() -> Value {
        Value::Unknown(Refinements::default())
    }

    /// An unknown value that is promised not to be null.
    pub fn unknown_not_null() -> Value {
        Value::Unknown(Refinements { not_null: true, ..Refinements::default() })
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn int(i: i64) -> Value {
        Value::Number(Number::Int(i))
    }

    pub fn float(f: f64) -> Value {
        Value::Number(Number::Float(f))
    }

    pub fn bool(b: bool) -> Value {
        Value::Bool(b)
    }

    /// A string value, or null for `None`.
    pub fn opt_string(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, Value::string)
    }

    /// A number value, or null for `None`.
    pub fn opt_int(i: Option<i64>) -> Value {
        i.map_or(Value::Null, Value::int)
    }

    /// An object from `(name, value)` pairs. Attributes of the type left out encode as null.
    pub fn object(pairs: impl IntoIterator<Item = (impl Into<String>, Value)>) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A map from `(key, value)` pairs.
    pub fn map(pairs: impl IntoIterator<Item = (impl Into<String>, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn list(elements: impl IntoIterator<Item = Value>) -> Value {
        Value::List(elements.into_iter().collect())
    }

    pub fn set(elements: impl IntoIterator<Item = Value>) -> Value {
        Value::Set(elements.into_iter().collect())
    }

    /// Looks through a `Dynamic` wrapper to the value inside.
    pub fn inner(&self) -> &Value {
        match self {
            Value::Dynamic(_, v) => v.inner(),
            other => other,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.inner(), Value::Null)
    }

    /// True when this value itself is unknown (not when something nested in it is).
    pub fn is_unknown(&self) -> bool {
        matches!(self.inner(), Value::Unknown(_))
    }

    /// True when neither this value nor anything nested in it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v.iter().all(Value::is_wholly_known),
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            Value::Dynamic(_, v) => v.is_wholly_known(),
        }
    }

    /// An object attribute, or `&Value::Null` when absent or when this is not an object.
    pub fn get(&self, attr: &str) -> &Value {
        match self.inner() {
            Value::Object(m) => m.get(attr).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// A map element, or `&Value::Null` when absent or when this is not a map.
    pub fn get_key(&self, key: &str) -> &Value {
        match self.inner() {
            Value::Map(m) => m.get(key).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.inner() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.inner() {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.inner() {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self.inner() {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.inner() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// List, set or tuple elements; an empty slice for anything else (including null and unknown).
    pub fn elements(&self) -> &[Value] {
        match self.inner() {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v,
            _ => &[],
        }
    }

    /// Map entries or object attributes; `None` for anything else.
    pub fn entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self.inner() {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Sets an object attribute. A null value becomes an empty object first; any other non-object is
    /// left unchanged (setting an attribute on a string is a programming error, not worth a panic).
    pub fn set_attr(&mut self, attr: &str, v: Value) {
        if matches!(self, Value::Null) {
            *self = Value::Object(BTreeMap::new());
        }
        match self {
            Value::Object(m) => {
                m.insert(attr.to_string(), v);
            }
            Value::Dynamic(_, inner) => inner.set_attr(attr, v),
            _ => {}
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::int(i)
    }
}

/// A value could not be encoded with the given type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EncodeError {
    #[error("{path}: value {value} does not conform to type {ty}")]
    TypeMismatch { path: String, ty: String, value: String },
    #[error("{path}: attribute {attribute:?} is not part of the object type")]
    UnexpectedAttribute { path: String, attribute: String },
    #[error("{path}: tuple has {actual} elements, the type has {expected}")]
    TupleLength { path: String, expected: usize, actual: usize },
    #[error("{path}: unknown values cannot be encoded as JSON")]
    UnknownInJson { path: String },
    #[error("{path}: number {number} cannot be encoded")]
    InvalidNumber { path: String, number: String },
    #[error("{path}: a dynamic value needs its concrete type (use Value::Dynamic)")]
    DynamicWithoutType { path: String },
}

/// Bytes could not be decoded with the given type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("malformed {format}: {message}")]
    Malformed { format: &'static str, message: String },
    #[error("{path}: expected {expected}, found {found}")]
    TypeMismatch { path: String, expected: String, found: String },
    #[error("{path}: unsupported attribute {attribute:?}")]
    UnsupportedAttribute { path: String, attribute: String },
    #[error("{path}: tuple has {actual} elements, the type has {expected}")]
    TupleLength { path: String, expected: usize, actual: usize },
    #[error("{path}: invalid number {text:?}")]
    InvalidNumber { path: String, text: String },
    #[error("{path}: invalid dynamic type: {message}")]
    InvalidDynamicType { path: String, message: String },
}

/// Extends a diagnostic-style path for error messages (`.attr`, `[0]`, `["key"]`).
pub(crate) fn path_attr(path: &str, attr: &str) -> String {
    format!("{path}.{attr}")
}

pub(crate) fn path_index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

pub(crate) fn path_key(path: &str, key: &str) -> String {
    format!("{path}[{key:?}]")
}

/// Short description of a value for error messages (never the full content: it may be a secret).
pub(crate) fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Unknown(_) => "unknown",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
        Value::Dynamic(..) => "dynamic",
    }
}

/// Infers the type of a primitive value placed in a `dynamic` slot without an explicit type.
pub(crate) fn infer_primitive_type(v: &Value) -> Option<Type> {
    match v {
        Value::String(_) => Some(Type::String),
        Value::Number(_) => Some(Type::Number),
        Value::Bool(_) => Some(Type::Bool),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_json_round_trip() {
        let ty = Type::object([
            ("a", Type::list(Type::String)),
            ("b", Type::Tuple(vec![Type::Bool, Type::Dynamic])),
            ("c", Type::map(Type::set(Type::Number))),
        ]);
        let json = ty.to_json();
        assert_eq!(
            json.to_string(),
            r#"["object",{"a":["list","string"],"b":["tuple",["bool","dynamic"]],"c":["map",["set","number"]]}]"#
        );
        assert_eq!(Type::from_json(&json).unwrap(), ty);
    }

    #[test]
    fn type_json_accepts_optional_attribute_list() {
        let json: serde_json::Value = serde_json::from_str(r#"["object",{"a":"string"},["a"]]"#).unwrap();
        assert_eq!(Type::from_json(&json).unwrap(), Type::object([("a", Type::String)]));
        assert!(Type::from_json(&serde_json::json!("strin")).is_err());
        assert!(Type::from_json(&serde_json::json!(["list"])).is_err());
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(Number::Int(3), Number::Float(3.0));
        assert_eq!(Number::Big("3".into()), Number::Int(3));
        assert_ne!(Number::Int(3), Number::Float(3.5));
        assert_eq!(Number::Float(0.5), Number::Float(0.5));
        assert_ne!(Number::Big("123456789012345678901234".into()), Number::Int(1));
    }

    #[test]
    fn decimal_text_validation() {
        for ok in ["0", "-1", "1.5", "1e10", "12345678901234567890", ".5", "2.", "1E-3"] {
            assert!(Number::is_decimal_text(ok), "{ok}");
        }
        for bad in ["", "-", "abc", "1.2.3", "inf", "NaN", "1e", "0x10"] {
            assert!(!Number::is_decimal_text(bad), "{bad}");
        }
    }

    #[test]
    fn accessors_look_through_dynamic_and_default_to_null() {
        let mut v = Value::object([("name", Value::string("x")), ("count", Value::int(2))]);
        assert_eq!(v.get("name").as_str(), Some("x"));
        assert_eq!(v.get("count").as_i64(), Some(2));
        assert!(v.get("missing").is_null());
        assert!(Value::string("s").get("x").is_null());
        v.set_attr("flag", Value::bool(true));
        assert_eq!(v.get("flag").as_bool(), Some(true));
        let d = Value::Dynamic(Type::String, Box::new(Value::string("hi")));
        assert_eq!(d.as_str(), Some("hi"));
        assert!(Value::list([Value::int(1), Value::unknown()]).elements().len() == 2);
        assert!(!Value::list([Value::int(1), Value::unknown()]).is_wholly_known());
        assert!(Value::list([Value::int(1), Value::Null]).is_wholly_known());
        let mut null = Value::Null;
        null.set_attr("a", Value::int(1));
        assert_eq!(null.get("a").as_i64(), Some(1));
    }
}
