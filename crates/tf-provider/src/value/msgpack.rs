//! cty's MessagePack encoding, the form Terraform uses for every `DynamicValue` it sends.
//!
//! Facts this follows (Terraform `docs/plugin-protocol/object-wire-format.md`, go-cty `cty/msgpack`):
//! null is `nil`; an unknown is any extension value (Terraform writes `d4 00 00`; ext type 12 carries
//! refinements as a map with integer keys); numbers are int, float or decimal string when decoding, and
//! always decimal strings when encoding (see `number_to_msgpack` for why); a `dynamic` slot
//! holds `[bin(type JSON), value]`, except a wholly unknown dynamic which is a bare extension.
//! Object keys are written sorted and every attribute of the type is written, because Terraform rejects
//! objects with missing or extra keys.

use std::collections::BTreeMap;

use rmpv::Value as Mp;

use super::{
    DecodeError, EncodeError, Number, Refinements, Type, Value, infer_primitive_type, path_attr, path_index, path_key,
    value_kind,
};

/// Extension type of a plain unknown.
const EXT_UNKNOWN: i8 = 0;
/// Extension type of an unknown with refinements.
const EXT_REFINED_UNKNOWN: i8 = 12;

// Keys of the refinement map.
const REFINE_NULLNESS: i64 = 1;
const REFINE_STRING_PREFIX: i64 = 2;
const REFINE_NUMBER_LOWER: i64 = 3;
const REFINE_NUMBER_UPPER: i64 = 4;
const REFINE_LENGTH_LOWER: i64 = 5;
const REFINE_LENGTH_UPPER: i64 = 6;

/// How deeply msgpack containers may nest. rmpv's own limit (1024) lets a hostile 100 kB DynamicValue recurse
/// deep enough to overflow a 2 MiB thread stack (found by tests/hostile_input.rs); schemas nest a few levels, and
/// serde_json stops JSON at 128 too.
const MAX_NESTING: usize = 128;

/// Encodes `value` as msgpack according to `ty`.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mp = to_msgpack(value, ty, "")?;
    let mut out = Vec::new();
    write(&mut out, &mp);
    Ok(out)
}

/// Decodes msgpack bytes according to `ty`. Empty input is null (what an empty `DynamicValue` means).
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let mut reader = bytes;
    let mp = rmpv::decode::read_value_with_max_depth(&mut reader, MAX_NESTING)
        .map_err(|e| DecodeError::Malformed { format: "msgpack", message: e.to_string() })?;
    if !reader.is_empty() {
        // A DynamicValue holds exactly one value; bytes after it mean the input is not what Terraform sent.
        return Err(DecodeError::Malformed {
            format: "msgpack",
            message: format!("{} unexpected bytes after the value", reader.len()),
        });
    }
    from_msgpack(mp, ty, "")
}

fn write(out: &mut Vec<u8>, mp: &Mp) {
    // Writing into a Vec cannot fail.
    let _ = rmpv::encode::write_value(out, mp);
}

fn unknown_ext(refinements: &Refinements) -> Mp {
    if refinements.is_empty() {
        return Mp::Ext(EXT_UNKNOWN, vec![0]);
    }
    let mut entries = Vec::new();
    if refinements.not_null {
        // cty writes "is null = false" for a value promised not to be null.
        entries.push((Mp::from(REFINE_NULLNESS), Mp::Boolean(false)));
    }
    if let Some(prefix) = &refinements.string_prefix {
        entries.push((Mp::from(REFINE_STRING_PREFIX), Mp::from(prefix.as_str())));
    }
    for (key, bound) in
        [(REFINE_NUMBER_LOWER, &refinements.number_lower), (REFINE_NUMBER_UPPER, &refinements.number_upper)]
    {
        if let Some((n, inclusive)) = bound {
            entries.push((Mp::from(key), Mp::Array(vec![number_to_msgpack(n), Mp::Boolean(*inclusive)])));
        }
    }
    for (key, bound) in
        [(REFINE_LENGTH_LOWER, refinements.length_lower), (REFINE_LENGTH_UPPER, refinements.length_upper)]
    {
        if let Some(n) = bound {
            entries.push((Mp::from(key), Mp::from(n)));
        }
    }
    let mut payload = Vec::new();
    write(&mut payload, &Mp::Map(entries));
    Mp::Ext(EXT_REFINED_UNKNOWN, payload)
}

/// Every number goes out as the msgpack *string* of its decimal text, never as a msgpack int or float.
///
/// Why: Terraform 1.10 to 1.14 decide `plan -refresh-only -detailed-exitcode` by comparing the previous-run
/// state object with the refreshed one using `reflect.DeepEqual`, including an in-memory cache of the decoded
/// value (plugin-protocol-5.8.md §6, hashicorp/terraform#36403). The previous-run value is decoded from the
/// state file's JSON through go-cty's `ParseNumberVal` (a 512-bit `big.Float`); a msgpack integer decodes as
/// a 64-bit one and a float as a 53-bit one, so every numeric attribute made equal states "different" and
/// the exit code 2 with "No changes". go-cty decodes a msgpack string in a number slot with the same
/// `ParseNumberVal` (cty/msgpack/unmarshal.go since go-cty 1.0), so the two decoded values are identical down
/// to their internals. The wire format allows strings for any number (object-wire-format.md). The text is
/// canonical (integers without fraction or exponent, floats as their shortest round-trip decimal) so a
/// number re-encodes to the same bytes. Only infinities keep the float form: they have no decimal text.
fn number_to_msgpack(n: &Number) -> Mp {
    match n {
        Number::Float(f) if f.is_infinite() => Mp::F64(*f),
        _ => Mp::from(decimal_text(n).as_str()),
    }
}

/// The canonical decimal text of a finite number: `Int` and integral floats without a fraction, other floats in
/// Rust's shortest round-trip form (never exponent notation, which Go's parser would accept but state JSON does
/// not use), `Big` as given (validated decimal text).
fn decimal_text(n: &Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => f.to_string(),
        },
        Number::Big(s) => s.clone(),
    }
}

fn mismatch(path: &str, ty: &Type, value: &Value) -> EncodeError {
    EncodeError::TypeMismatch { path: path.to_string(), ty: ty.to_string(), value: value_kind(value).to_string() }
}

fn to_msgpack(value: &Value, ty: &Type, path: &str) -> Result<Mp, EncodeError> {
    match (value, ty) {
        (Value::Null, _) => return Ok(Mp::Nil),
        (Value::Unknown(r), _) => return Ok(unknown_ext(r)),
        _ => {}
    }
    if let Type::Dynamic = ty {
        let (concrete, inner) = match value {
            Value::Dynamic(t, v) => (t.clone(), v.as_ref()),
            other => match infer_primitive_type(other) {
                Some(t) => (t, other),
                None => {
                    return Err(EncodeError::DynamicWithoutType { path: path.to_string() });
                }
            },
        };
        let type_json = concrete.to_json().to_string().into_bytes();
        return Ok(Mp::Array(vec![Mp::Binary(type_json), to_msgpack(inner, &concrete, path)?]));
    }
    match (value, ty) {
        // A Dynamic wrapper in a concretely typed slot: encode what it holds.
        (Value::Dynamic(_, inner), _) => to_msgpack(inner, ty, path),
        (Value::String(s), Type::String) => Ok(Mp::from(s.as_str())),
        (Value::Bool(b), Type::Bool) => Ok(Mp::Boolean(*b)),
        (Value::Number(n), Type::Number) => {
            let invalid = match n {
                Number::Big(s) => !Number::is_decimal_text(s),
                Number::Float(f) => f.is_nan(),
                Number::Int(_) => false,
            };
            if invalid {
                return Err(EncodeError::InvalidNumber { path: path.to_string(), number: n.to_string() });
            }
            Ok(number_to_msgpack(n))
        }
        (Value::List(items) | Value::Set(items) | Value::Tuple(items), Type::List(elem) | Type::Set(elem)) => {
            let encoded = items
                .iter()
                .enumerate()
                .map(|(i, v)| to_msgpack(v, elem, &path_index(path, i)))
                .collect::<Result<_, _>>()?;
            Ok(Mp::Array(encoded))
        }
        (Value::List(items) | Value::Tuple(items), Type::Tuple(types)) => {
            if items.len() != types.len() {
                return Err(EncodeError::TupleLength {
                    path: path.to_string(),
                    expected: types.len(),
                    actual: items.len(),
                });
            }
            let encoded = items
                .iter()
                .zip(types)
                .enumerate()
                .map(|(i, (v, t))| to_msgpack(v, t, &path_index(path, i)))
                .collect::<Result<_, _>>()?;
            Ok(Mp::Array(encoded))
        }
        (Value::Map(entries) | Value::Object(entries), Type::Map(elem)) => {
            let encoded = entries
                .iter()
                .map(|(k, v)| Ok((Mp::from(k.as_str()), to_msgpack(v, elem, &path_key(path, k))?)))
                .collect::<Result<_, EncodeError>>()?;
            Ok(Mp::Map(encoded))
        }
        (Value::Object(attrs) | Value::Map(attrs), Type::Object(attr_types)) => {
            if let Some(extra) = attrs.keys().find(|k| !attr_types.contains_key(*k)) {
                return Err(EncodeError::UnexpectedAttribute { path: path.to_string(), attribute: extra.clone() });
            }
            // Every attribute of the type, sorted (BTreeMap order); absent ones are null.
            let encoded = attr_types
                .iter()
                .map(|(name, t)| {
                    let v = attrs.get(name).unwrap_or(&Value::Null);
                    Ok((Mp::from(name.as_str()), to_msgpack(v, t, &path_attr(path, name))?))
                })
                .collect::<Result<_, EncodeError>>()?;
            Ok(Mp::Map(encoded))
        }
        _ => Err(mismatch(path, ty, value)),
    }
}

fn found(mp: &Mp) -> String {
    match mp {
        Mp::Nil => "nil",
        Mp::Boolean(_) => "bool",
        Mp::Integer(_) => "integer",
        Mp::F32(_) | Mp::F64(_) => "float",
        Mp::String(_) => "string",
        Mp::Binary(_) => "binary",
        Mp::Array(_) => "array",
        Mp::Map(_) => "map",
        Mp::Ext(..) => "extension",
    }
    .to_string()
}

fn decode_mismatch(path: &str, ty: &Type, mp: &Mp) -> DecodeError {
    DecodeError::TypeMismatch { path: path.to_string(), expected: ty.to_string(), found: found(mp) }
}

fn map_key(key: Mp, path: &str) -> Result<String, DecodeError> {
    match key {
        Mp::String(s) => s.into_str().ok_or_else(|| DecodeError::Malformed {
            format: "msgpack",
            message: format!("{path}: map key is not valid UTF-8"),
        }),
        other => Err(DecodeError::TypeMismatch {
            path: path.to_string(),
            expected: "string map key".to_string(),
            found: found(&other),
        }),
    }
}

fn from_msgpack(mp: Mp, ty: &Type, path: &str) -> Result<Value, DecodeError> {
    match mp {
        Mp::Nil => return Ok(Value::Null),
        Mp::Ext(kind, payload) => return Ok(Value::Unknown(read_refinements(kind, &payload))),
        _ => {}
    }
    match (ty, mp) {
        (Type::Dynamic, Mp::Array(mut parts)) if parts.len() == 2 => {
            let inner = parts.pop().unwrap_or(Mp::Nil);
            let type_bytes = match parts.pop() {
                Some(Mp::Binary(b)) => b,
                Some(Mp::String(s)) => s.into_bytes(),
                other => {
                    return Err(DecodeError::InvalidDynamicType {
                        path: path.to_string(),
                        message: format!(
                            "expected the type as bytes, found {}",
                            other.as_ref().map_or("nothing".into(), found)
                        ),
                    });
                }
            };
            let type_json: serde_json::Value = serde_json::from_slice(&type_bytes)
                .map_err(|e| DecodeError::InvalidDynamicType { path: path.to_string(), message: e.to_string() })?;
            let concrete = Type::from_json(&type_json)
                .map_err(|e| DecodeError::InvalidDynamicType { path: path.to_string(), message: e.to_string() })?;
            let value = from_msgpack(inner, &concrete, path)?;
            Ok(Value::Dynamic(concrete, Box::new(value)))
        }
        (Type::String, Mp::String(s)) => match s.into_str() {
            Some(s) => Ok(Value::String(s)),
            None => {
                Err(DecodeError::Malformed { format: "msgpack", message: format!("{path}: string is not valid UTF-8") })
            }
        },
        (Type::Bool, Mp::Boolean(b)) => Ok(Value::Bool(b)),
        (Type::Number, Mp::Integer(i)) => Ok(Value::Number(match i.as_i64() {
            Some(i) => Number::Int(i),
            None => Number::Big(i.as_u64().map_or_else(|| i.to_string(), |u| u.to_string())),
        })),
        // NaN is no cty number (go-cty panics on it), so it is refused here rather than when encoded back.
        (Type::Number, Mp::F64(f)) if f.is_nan() => {
            Err(DecodeError::InvalidNumber { path: path.to_string(), text: "NaN".into() })
        }
        (Type::Number, Mp::F32(f)) if f.is_nan() => {
            Err(DecodeError::InvalidNumber { path: path.to_string(), text: "NaN".into() })
        }
        (Type::Number, Mp::F64(f)) => Ok(Value::Number(Number::Float(f))),
        (Type::Number, Mp::F32(f)) => Ok(Value::Number(Number::Float(f64::from(f)))),
        (Type::Number, Mp::String(s)) => {
            let text = s.into_str().unwrap_or_default();
            if Number::is_decimal_text(&text) {
                Ok(Value::Number(Number::Big(text)))
            } else {
                Err(DecodeError::InvalidNumber { path: path.to_string(), text })
            }
        }
        (Type::List(elem), Mp::Array(items)) => Ok(Value::List(decode_items(items, elem, path)?)),
        (Type::Set(elem), Mp::Array(items)) => Ok(Value::Set(decode_items(items, elem, path)?)),
        (Type::Tuple(types), Mp::Array(items)) => {
            if items.len() != types.len() {
                return Err(DecodeError::TupleLength {
                    path: path.to_string(),
                    expected: types.len(),
                    actual: items.len(),
                });
            }
            let values = items
                .into_iter()
                .zip(types)
                .enumerate()
                .map(|(i, (mp, t))| from_msgpack(mp, t, &path_index(path, i)))
                .collect::<Result<_, _>>()?;
            Ok(Value::Tuple(values))
        }
        (Type::Map(elem), Mp::Map(entries)) => {
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = map_key(k, path)?;
                let value = from_msgpack(v, elem, &path_key(path, &key))?;
                out.insert(key, value);
            }
            Ok(Value::Map(out))
        }
        (Type::Object(attr_types), Mp::Map(entries)) => {
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = map_key(k, path)?;
                let Some(attr_type) = attr_types.get(&key) else {
                    return Err(DecodeError::UnsupportedAttribute { path: path.to_string(), attribute: key });
                };
                let value = from_msgpack(v, attr_type, &path_attr(path, &key))?;
                out.insert(key, value);
            }
            // Terraform always sends every attribute; be lenient and fill in nulls if it ever does not.
            for name in attr_types.keys() {
                out.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Object(out))
        }
        (ty, mp) => Err(decode_mismatch(path, ty, &mp)),
    }
}

fn decode_items(items: Vec<Mp>, elem: &Type, path: &str) -> Result<Vec<Value>, DecodeError> {
    items.into_iter().enumerate().map(|(i, mp)| from_msgpack(mp, elem, &path_index(path, i))).collect()
}

/// Reads the refinements of an unknown. Only ext 12 carries any; malformed payloads and unknown keys are
/// ignored (a refinement is a hint, never worth failing a request over).
fn read_refinements(kind: i8, payload: &[u8]) -> Refinements {
    let mut refinements = Refinements::default();
    if kind != EXT_REFINED_UNKNOWN {
        return refinements;
    }
    let mut reader = payload;
    let Ok(Mp::Map(entries)) = rmpv::decode::read_value(&mut reader) else {
        return refinements;
    };
    for (key, value) in entries {
        let Some(key) = key.as_i64() else { continue };
        match (key, value) {
            (REFINE_NULLNESS, Mp::Boolean(is_null)) => refinements.not_null = !is_null,
            (REFINE_STRING_PREFIX, Mp::String(s)) => refinements.string_prefix = s.into_str(),
            (REFINE_NUMBER_LOWER | REFINE_NUMBER_UPPER, Mp::Array(parts)) => {
                let mut parts = parts.into_iter();
                let number = parts.next().and_then(|mp| match from_msgpack(mp, &Type::Number, "") {
                    Ok(Value::Number(n)) => Some(n),
                    _ => None,
                });
                let inclusive = parts.next().and_then(|mp| mp.as_bool()).unwrap_or(false);
                if let Some(n) = number {
                    if key == REFINE_NUMBER_LOWER {
                        refinements.number_lower = Some((n, inclusive));
                    } else {
                        refinements.number_upper = Some((n, inclusive));
                    }
                }
            }
            (REFINE_LENGTH_LOWER, v) => refinements.length_lower = v.as_i64(),
            (REFINE_LENGTH_UPPER, v) => refinements.length_upper = v.as_i64(),
            _ => {}
        }
    }
    refinements
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn plain_unknown_is_fixext1_type0() {
        assert_eq!(hex(&encode(&Value::unknown(), &Type::String).unwrap()), "d4 00 00");
        assert_eq!(decode(&[0xd4, 0x00, 0x00], &Type::String).unwrap(), Value::unknown());
        // Any other extension type (e.g. ext8 length 0) is also an unknown.
        assert_eq!(decode(&[0xc7, 0x00, 0x05], &Type::Number).unwrap(), Value::unknown());
    }

    #[test]
    fn null_is_nil_and_empty_input_is_null() {
        assert_eq!(hex(&encode(&Value::Null, &Type::Number).unwrap()), "c0");
        assert_eq!(decode(&[0xc0], &Type::list(Type::String)).unwrap(), Value::Null);
        assert_eq!(decode(&[], &Type::object([("a", Type::String)])).unwrap(), Value::Null);
    }

    #[test]
    fn refined_unknown_as_terraform_writes_it() {
        // ext8, len 7, type 12, payload {1: false, 2: "ab"} (cty's "not null, prefix ab").
        let bytes = [0xc7, 0x07, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa2, b'a', b'b'];
        let v = decode(&bytes, &Type::String).unwrap();
        let expected = Refinements { not_null: true, string_prefix: Some("ab".into()), ..Default::default() };
        assert_eq!(v, Value::Unknown(expected.clone()));
        assert_eq!(encode(&v, &Type::String).unwrap(), bytes.to_vec());
        // Collection length bounds and unknown keys.
        let bytes = [0xc7, 0x07, 0x0c, 0x83, 0x05, 0x01, 0x06, 0x03, 0x63, 0xc3];
        let v = decode(&bytes, &Type::list(Type::String)).unwrap();
        assert_eq!(
            v,
            Value::Unknown(Refinements { length_lower: Some(1), length_upper: Some(3), ..Default::default() })
        );
    }

    #[test]
    fn object_keys_sorted_and_complete() {
        let ty = Type::object([("b", Type::String), ("a", Type::Number), ("c", Type::Bool)]);
        let v = Value::object([("b", Value::string("x")), ("a", Value::int(1))]);
        let bytes = encode(&v, &ty).unwrap();
        // fixmap 3: "a" "1" (numbers are decimal strings), "b" "x", "c" nil
        assert_eq!(hex(&bytes), "83 a1 61 a1 31 a1 62 a1 78 a1 63 c0");
        let back = decode(&bytes, &ty).unwrap();
        assert_eq!(back.get("c"), &Value::Null);
        assert_eq!(back.get("b").as_str(), Some("x"));
    }

    #[test]
    fn extra_attributes_are_rejected() {
        let ty = Type::object([("a", Type::String)]);
        let err = encode(&Value::object([("zz", Value::string("x"))]), &ty).unwrap_err();
        assert!(matches!(err, EncodeError::UnexpectedAttribute { ref attribute, .. } if attribute == "zz"));
        let bytes =
            encode(&Value::object([("zz", Value::string("x"))]), &Type::object([("zz", Type::String)])).unwrap();
        assert!(matches!(decode(&bytes, &ty), Err(DecodeError::UnsupportedAttribute { .. })));
    }

    #[test]
    fn numbers_encode_as_canonical_decimal_strings() {
        // fixstr "5", "2" (an integral float), "1.5", "-7", "0.1" (shortest round-trip, not the binary expansion).
        assert_eq!(hex(&encode(&Value::int(5), &Type::Number).unwrap()), "a1 35");
        assert_eq!(hex(&encode(&Value::float(2.0), &Type::Number).unwrap()), "a1 32");
        assert_eq!(hex(&encode(&Value::float(1.5), &Type::Number).unwrap()), "a3 31 2e 35");
        assert_eq!(hex(&encode(&Value::int(-7), &Type::Number).unwrap()), "a2 2d 37");
        assert_eq!(encode(&Value::float(0.1), &Type::Number).unwrap(), b"\xa30.1".to_vec());
        // Never exponent notation: state JSON (go's Text('f', -1)) has none either.
        assert_eq!(encode(&Value::float(1e21), &Type::Number).unwrap()[1..], *b"1000000000000000000000");
        let big = Value::Number(Number::Big("123456789012345678901234567890".into()));
        let bytes = encode(&big, &Type::Number).unwrap();
        assert_eq!(bytes[0], 0xbe); // fixstr of 30 characters
        assert_eq!(decode(&bytes, &Type::Number).unwrap(), big);
        // Infinities have no decimal text and keep the float form; NaN is not a cty number at all.
        assert_eq!(encode(&Value::float(f64::INFINITY), &Type::Number).unwrap()[0], 0xcb);
        assert!(matches!(encode(&Value::float(f64::NAN), &Type::Number), Err(EncodeError::InvalidNumber { .. })));
    }

    #[test]
    fn numbers_nested_in_state_objects_are_strings_too() {
        // The shape of a router's state: numbers inside a single block and a list of objects.
        let ty = Type::object([
            ("sku", Type::object([("capacity", Type::Number)])),
            ("routed_models", Type::list(Type::object([("context_window", Type::Number)]))),
        ]);
        let v = Value::object([
            ("sku", Value::object([("capacity", Value::int(250))])),
            ("routed_models", Value::list([Value::object([("context_window", Value::int(400000))])])),
        ]);
        let bytes = encode(&v, &ty).unwrap();
        let mut reader = bytes.as_slice();
        let mp = rmpv::decode::read_value(&mut reader).unwrap();
        let capacity = &mp.as_map().unwrap()[1].1.as_map().unwrap()[0].1;
        assert_eq!(capacity.as_str(), Some("250"));
        let window = &mp.as_map().unwrap()[0].1.as_array().unwrap()[0].as_map().unwrap()[0].1;
        assert_eq!(window.as_str(), Some("400000"));
        assert_eq!(decode(&bytes, &ty).unwrap(), v);
    }

    #[test]
    fn number_encoding_is_stable_across_a_round_trip() {
        // What Terraform stores and sends back must re-encode to the same bytes.
        for n in [Value::int(0), Value::int(i64::MIN), Value::float(-2.5), Value::float(1e-7), Value::float(0.3)] {
            let once = encode(&n, &Type::Number).unwrap();
            let twice = encode(&decode(&once, &Type::Number).unwrap(), &Type::Number).unwrap();
            assert_eq!(once, twice, "{n:?}");
        }
    }

    #[test]
    fn numbers_decode_in_every_wire_form() {
        assert_eq!(decode(&[0x05], &Type::Number).unwrap(), Value::int(5));
        assert_eq!(decode(&[0xa1, b'5'], &Type::Number).unwrap(), Value::int(5));
        // u64 beyond i64 and float32 both decode.
        let v = decode(&[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], &Type::Number).unwrap();
        assert_eq!(v, Value::Number(Number::Big("18446744073709551615".into())));
        assert_eq!(decode(&[0xca, 0x3f, 0xc0, 0x00, 0x00], &Type::Number).unwrap(), Value::float(1.5));
        assert!(matches!(decode(&[0xa1, b'x'], &Type::Number), Err(DecodeError::InvalidNumber { .. })));
        // A NaN float is refused: every decoded number must encode again (fuzz/fuzz_targets/value_msgpack.rs).
        let nan = [0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0];
        assert!(matches!(decode(&nan, &Type::Number), Err(DecodeError::InvalidNumber { .. })));
        assert!(matches!(decode(&[0xca, 0x7f, 0xc0, 0, 0], &Type::Number), Err(DecodeError::InvalidNumber { .. })));
        let infinity = decode(&[0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0], &Type::Number).unwrap();
        assert_eq!(decode(&encode(&infinity, &Type::Number).unwrap(), &Type::Number).unwrap(), infinity);
    }

    #[test]
    fn refinement_bounds_use_the_same_number_form() {
        let v = Value::Unknown(Refinements { number_lower: Some((Number::Int(1), true)), ..Default::default() });
        let bytes = encode(&v, &Type::Number).unwrap();
        assert_eq!(decode(&bytes, &Type::Number).unwrap(), v);
        // ext8 (c7), length, type 12, then {3: ["1", true]}
        assert_eq!(hex(&bytes[3..]), "81 03 92 a1 31 c3");
    }

    #[test]
    fn dynamic_is_type_then_value() {
        let v = Value::Dynamic(Type::String, Box::new(Value::string("hi")));
        let bytes = encode(&v, &Type::Dynamic).unwrap();
        // fixarray 2, bin8 len 8 "\"string\"", fixstr "hi"
        assert_eq!(hex(&bytes), "92 c4 08 22 73 74 72 69 6e 67 22 a2 68 69");
        assert_eq!(decode(&bytes, &Type::Dynamic).unwrap(), v);
        // A wholly unknown dynamic is a bare extension.
        assert_eq!(decode(&[0xd4, 0, 0], &Type::Dynamic).unwrap(), Value::unknown());
        // Primitives infer their type; collections need one.
        assert_eq!(encode(&Value::string("hi"), &Type::Dynamic).unwrap(), bytes);
        assert!(matches!(
            encode(&Value::list([Value::int(1)]), &Type::Dynamic),
            Err(EncodeError::DynamicWithoutType { .. })
        ));
    }

    #[test]
    fn type_mismatch_reports_path() {
        let ty = Type::object([("tags", Type::map(Type::String))]);
        let v = Value::object([("tags", Value::map([("env", Value::int(1))]))]);
        let err = encode(&v, &ty).unwrap_err();
        assert_eq!(err.to_string(), r#".tags["env"]: value number does not conform to type "string""#);
        assert!(decode(&[0x01], &Type::String).is_err());
        assert!(matches!(decode(&[0xa5, b'a'], &Type::String), Err(DecodeError::Malformed { .. })));
    }
}
