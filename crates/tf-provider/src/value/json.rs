//! cty's JSON encoding: the form of stored state handed to `UpgradeResourceState` (`raw_state.json`).
//!
//! Same shapes as msgpack except that a `dynamic` slot is `{"value": .., "type": ..}` and unknowns cannot be
//! represented. Stored state may hold attributes a newer schema dropped, hence `ignore_unknown_attributes`.
//! Numbers are parsed through `serde_json` without arbitrary precision: integers beyond `u64` and
//! decimals beyond `f64` precision are rounded (state written by this provider never holds such numbers).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value as J;

use super::{
    DecodeError, EncodeError, Number, Type, Value, infer_primitive_type, path_attr, path_index, path_key, value_kind,
};

/// Decodes JSON bytes according to `ty`. Empty input is null. With `ignore_unknown_attributes`, object
/// keys that the type does not declare are dropped instead of failing.
pub fn decode(bytes: &[u8], ty: &Type, ignore_unknown_attributes: bool) -> Result<Value, DecodeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let json: J =
        serde_json::from_slice(bytes).map_err(|e| DecodeError::Malformed { format: "JSON", message: e.to_string() })?;
    from_json(json, ty, "", ignore_unknown_attributes)
}

/// Encodes `value` as JSON according to `ty`. Fails on unknown values.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut out = String::new();
    write_value(&mut out, value, ty, "")?;
    Ok(out.into_bytes())
}

fn json_kind(j: &J) -> String {
    match j {
        J::Null => "null",
        J::Bool(_) => "bool",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
    .to_string()
}

fn from_json(json: J, ty: &Type, path: &str, ignore: bool) -> Result<Value, DecodeError> {
    if json.is_null() {
        return Ok(Value::Null);
    }
    let mismatch = |json: &J| DecodeError::TypeMismatch {
        path: path.to_string(),
        expected: ty.to_string(),
        found: json_kind(json),
    };
    match ty {
        Type::String => match json {
            J::String(s) => Ok(Value::String(s)),
            // cty converts primitive JSON into a string slot, as Terraform's state may hold either.
            J::Number(n) => Ok(Value::String(n.to_string())),
            J::Bool(b) => Ok(Value::String(b.to_string())),
            other => Err(mismatch(&other)),
        },
        Type::Bool => match json {
            J::Bool(b) => Ok(Value::Bool(b)),
            J::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
            other => Err(mismatch(&other)),
        },
        Type::Number => match json {
            J::Number(n) => Ok(Value::Number(if let Some(i) = n.as_i64() {
                Number::Int(i)
            } else if let Some(u) = n.as_u64() {
                Number::Big(u.to_string())
            } else {
                Number::Float(n.as_f64().unwrap_or(f64::NAN))
            })),
            J::String(s) if Number::is_decimal_text(&s) => Ok(Value::Number(Number::Big(s))),
            J::String(s) => Err(DecodeError::InvalidNumber { path: path.to_string(), text: s }),
            other => Err(mismatch(&other)),
        },
        Type::Dynamic => match json {
            J::Object(mut fields) => {
                let type_json = fields.remove("type").ok_or_else(|| DecodeError::InvalidDynamicType {
                    path: path.to_string(),
                    message: "missing \"type\"".to_string(),
                })?;
                let concrete = Type::from_json(&type_json)
                    .map_err(|e| DecodeError::InvalidDynamicType { path: path.to_string(), message: e.to_string() })?;
                let inner = fields.remove("value").unwrap_or(J::Null);
                let value = from_json(inner, &concrete, path, ignore)?;
                Ok(Value::Dynamic(concrete, Box::new(value)))
            }
            other => Err(mismatch(&other)),
        },
        Type::List(elem) | Type::Set(elem) => match json {
            J::Array(items) => {
                let values = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, j)| from_json(j, elem, &path_index(path, i), ignore))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if matches!(ty, Type::List(_)) { Value::List(values) } else { Value::Set(values) })
            }
            other => Err(mismatch(&other)),
        },
        Type::Tuple(types) => match json {
            J::Array(items) if items.len() == types.len() => Ok(Value::Tuple(
                items
                    .into_iter()
                    .zip(types)
                    .enumerate()
                    .map(|(i, (j, t))| from_json(j, t, &path_index(path, i), ignore))
                    .collect::<Result<_, _>>()?,
            )),
            J::Array(items) => {
                Err(DecodeError::TupleLength { path: path.to_string(), expected: types.len(), actual: items.len() })
            }
            other => Err(mismatch(&other)),
        },
        Type::Map(elem) => match json {
            J::Object(fields) => Ok(Value::Map(
                fields
                    .into_iter()
                    .map(|(k, j)| {
                        let v = from_json(j, elem, &path_key(path, &k), ignore)?;
                        Ok((k, v))
                    })
                    .collect::<Result<_, DecodeError>>()?,
            )),
            other => Err(mismatch(&other)),
        },
        Type::Object(attr_types) => match json {
            J::Object(fields) => {
                let mut out = BTreeMap::new();
                for (k, j) in fields {
                    match attr_types.get(&k) {
                        Some(t) => {
                            let v = from_json(j, t, &path_attr(path, &k), ignore)?;
                            out.insert(k, v);
                        }
                        None if ignore => {}
                        None => {
                            return Err(DecodeError::UnsupportedAttribute { path: path.to_string(), attribute: k });
                        }
                    }
                }
                // Attributes added since the state was written start out null.
                for name in attr_types.keys() {
                    out.entry(name.clone()).or_insert(Value::Null);
                }
                Ok(Value::Object(out))
            }
            other => Err(mismatch(&other)),
        },
    }
}

fn write_string(out: &mut String, s: &str) {
    // serde_json's escaping of a plain string cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

fn write_value(out: &mut String, value: &Value, ty: &Type, path: &str) -> Result<(), EncodeError> {
    let mismatch = || EncodeError::TypeMismatch {
        path: path.to_string(),
        ty: ty.to_string(),
        value: value_kind(value).to_string(),
    };
    match (value, ty) {
        (Value::Null, _) => out.push_str("null"),
        (Value::Unknown(_), _) => {
            return Err(EncodeError::UnknownInJson { path: path.to_string() });
        }
        (_, Type::Dynamic) => {
            let (concrete, inner) = match value {
                Value::Dynamic(t, v) => (t.clone(), v.as_ref()),
                other => match infer_primitive_type(other) {
                    Some(t) => (t, other),
                    None => {
                        return Err(EncodeError::DynamicWithoutType { path: path.to_string() });
                    }
                },
            };
            out.push_str("{\"value\":");
            write_value(out, inner, &concrete, path)?;
            let _ = write!(out, ",\"type\":{}}}", concrete.to_json());
        }
        (Value::Dynamic(_, inner), _) => write_value(out, inner, ty, path)?,
        (Value::String(s), Type::String) => write_string(out, s),
        (Value::Bool(b), Type::Bool) => out.push_str(if *b { "true" } else { "false" }),
        (Value::Number(n), Type::Number) => match n {
            Number::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Number::Float(f) if f.is_finite() => match n.as_i64() {
                Some(i) => {
                    let _ = write!(out, "{i}");
                }
                None => {
                    let _ = write!(out, "{f:?}");
                }
            },
            // Decimal text that is also a JSON number goes out as is; other decimal text ("04", "+1", "5.")
            // goes out as a string, which cty reads back as the same number (found by the value_json fuzz target:
            // "04" used to be written bare, which is not JSON).
            Number::Big(s) if serde_json::from_str::<J>(s).is_ok_and(|v| v.is_number()) => out.push_str(s),
            Number::Big(s) if Number::is_decimal_text(s) => {
                let _ = write!(out, "\"{s}\"");
            }
            other => {
                return Err(EncodeError::InvalidNumber { path: path.to_string(), number: other.to_string() });
            }
        },
        (Value::List(items) | Value::Set(items) | Value::Tuple(items), Type::List(elem) | Type::Set(elem)) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, v, elem, &path_index(path, i))?;
            }
            out.push(']');
        }
        (Value::List(items) | Value::Tuple(items), Type::Tuple(types)) => {
            if items.len() != types.len() {
                return Err(EncodeError::TupleLength {
                    path: path.to_string(),
                    expected: types.len(),
                    actual: items.len(),
                });
            }
            out.push('[');
            for (i, (v, t)) in items.iter().zip(types).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, v, t, &path_index(path, i))?;
            }
            out.push(']');
        }
        (Value::Map(entries) | Value::Object(entries), Type::Map(elem)) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v, elem, &path_key(path, k))?;
            }
            out.push('}');
        }
        (Value::Object(attrs) | Value::Map(attrs), Type::Object(attr_types)) => {
            if let Some(extra) = attrs.keys().find(|k| !attr_types.contains_key(*k)) {
                return Err(EncodeError::UnexpectedAttribute { path: path.to_string(), attribute: extra.clone() });
            }
            out.push('{');
            for (i, (name, t)) in attr_types.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, name);
                out.push(':');
                write_value(out, attrs.get(name).unwrap_or(&Value::Null), t, &path_attr(path, name))?;
            }
            out.push('}');
        }
        _ => return Err(mismatch()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_type() -> Type {
        Type::object([
            ("id", Type::String),
            ("capacity", Type::Number),
            ("tags", Type::map(Type::String)),
            ("models", Type::list(Type::object([("name", Type::String)]))),
        ])
    }

    #[test]
    fn decodes_state_and_fills_missing_attributes() {
        let raw = br#"{"id":"abc","capacity":10,"models":[{"name":"gpt"}]}"#;
        let v = decode(raw, &state_type(), false).unwrap();
        assert_eq!(v.get("id").as_str(), Some("abc"));
        assert_eq!(v.get("capacity").as_i64(), Some(10));
        assert!(v.get("tags").is_null());
        assert_eq!(v.get("models").elements()[0].get("name").as_str(), Some("gpt"));
    }

    #[test]
    fn unknown_attributes_fail_unless_ignored() {
        let raw = br#"{"id":"abc","removed_attr":true}"#;
        assert!(matches!(
            decode(raw, &state_type(), false),
            Err(DecodeError::UnsupportedAttribute { ref attribute, .. }) if attribute == "removed_attr"
        ));
        let v = decode(raw, &state_type(), true).unwrap();
        assert_eq!(v.get("id").as_str(), Some("abc"));
        assert!(v.get("removed_attr").is_null());
    }

    #[test]
    fn encodes_every_attribute_sorted() {
        let v = Value::object([("id", Value::string("a\"b")), ("capacity", Value::float(1.5))]);
        let out = String::from_utf8(encode(&v, &state_type()).unwrap()).unwrap();
        assert_eq!(out, r#"{"capacity":1.5,"id":"a\"b","models":null,"tags":null}"#);
    }

    #[test]
    fn dynamic_and_unknown() {
        let v = Value::Dynamic(Type::list(Type::Bool), Box::new(Value::list([Value::bool(true)])));
        let out = encode(&v, &Type::Dynamic).unwrap();
        assert_eq!(String::from_utf8(out.clone()).unwrap(), r#"{"value":[true],"type":["list","bool"]}"#);
        assert_eq!(decode(&out, &Type::Dynamic, false).unwrap(), v);
        assert!(matches!(encode(&Value::unknown(), &Type::String), Err(EncodeError::UnknownInJson { .. })));
    }

    #[test]
    fn numbers_as_text_and_big() {
        assert_eq!(decode(b"\"12.5\"", &Type::Number, false).unwrap(), Value::float(12.5));
        assert_eq!(
            decode(b"18446744073709551615", &Type::Number, false).unwrap(),
            Value::Number(Number::Big("18446744073709551615".into()))
        );
        let big = Value::Number(Number::Big("123456789012345678901234567890".into()));
        assert_eq!(encode(&big, &Type::Number).unwrap(), b"123456789012345678901234567890".to_vec());
        assert!(encode(&Value::float(f64::INFINITY), &Type::Number).is_err());
        // Decimal text that JSON does not allow bare is written as a string and reads back as the same number.
        for text in ["04", "+1", "5.", ".5"] {
            let n = decode(format!("\"{text}\"").as_bytes(), &Type::Number, false).unwrap();
            let out = encode(&n, &Type::Number).unwrap();
            assert!(serde_json::from_slice::<J>(&out).is_ok(), "{text}: {}", String::from_utf8_lossy(&out));
            assert_eq!(decode(&out, &Type::Number, false).unwrap(), n, "{text}");
        }
    }

    #[test]
    fn empty_input_is_null() {
        assert_eq!(decode(b"", &state_type(), false).unwrap(), Value::Null);
        assert_eq!(decode(b"null", &state_type(), false).unwrap(), Value::Null);
    }
}
