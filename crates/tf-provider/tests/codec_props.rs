//! Property tests: for any type and any value of that type (nulls and unknowns included),
//! decode(encode(v)) == v, for msgpack and (without unknowns) for JSON.

use proptest::prelude::*;
use tf_provider::value::{Number, Refinements, Type, Value, json, msgpack};

fn arb_type(with_dynamic: bool) -> BoxedStrategy<Type> {
    let leaf = if with_dynamic {
        prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool), Just(Type::Dynamic)].boxed()
    } else {
        prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool)].boxed()
    };
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map("[a-z_]{1,6}", inner.clone(), 0..4).prop_map(Type::Object),
            prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
        ]
    })
    .boxed()
}

#[derive(Clone, Copy)]
struct Options {
    unknowns: bool,
    json_safe_numbers: bool,
}

fn arb_number(json_safe: bool) -> BoxedStrategy<Number> {
    if json_safe {
        // Short exact decimals: JSON text round-trips them exactly.
        prop_oneof![
            any::<i64>().prop_map(Number::Int),
            (-1_000_000i64..1_000_000).prop_map(|i| Number::Float(i as f64 / 1024.0)),
        ]
        .boxed()
    } else {
        prop_oneof![
            any::<i64>().prop_map(Number::Int),
            any::<f64>().prop_filter("cty numbers are never NaN", |f| !f.is_nan()).prop_map(Number::Float),
            "[1-9][0-9]{19,28}".prop_map(Number::Big),
            "-?[0-9]{1,3}\\.[0-9]{18,24}[1-9]".prop_map(Number::Big),
        ]
        .boxed()
    }
}

fn arb_refinements() -> impl Strategy<Value = Refinements> {
    (
        any::<bool>(),
        proptest::option::of("[a-z]{0,4}"),
        proptest::option::of((arb_number(true), any::<bool>())),
        proptest::option::of((arb_number(true), any::<bool>())),
        proptest::option::of(0i64..10),
        proptest::option::of(0i64..10),
    )
        .prop_map(|(not_null, string_prefix, number_lower, number_upper, length_lower, length_upper)| {
            Refinements { not_null, string_prefix, number_lower, number_upper, length_lower, length_upper }
        })
}

fn arb_known(ty: &Type, opts: Options) -> BoxedStrategy<Value> {
    match ty {
        Type::String => "\\PC{0,8}".prop_map(Value::String).boxed(),
        Type::Number => arb_number(opts.json_safe_numbers).prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Dynamic => arb_type(false)
            .prop_flat_map(move |concrete| {
                arb_value(&concrete, opts).prop_map(move |v| Value::Dynamic(concrete.clone(), Box::new(v)))
            })
            .boxed(),
        Type::List(e) => prop::collection::vec(arb_value(e, opts), 0..3).prop_map(Value::List).boxed(),
        Type::Set(e) => prop::collection::vec(arb_value(e, opts), 0..3).prop_map(Value::Set).boxed(),
        Type::Map(e) => prop::collection::btree_map("\\PC{0,4}", arb_value(e, opts), 0..3).prop_map(Value::Map).boxed(),
        Type::Object(attrs) => {
            let parts: Vec<_> = attrs
                .iter()
                .map(|(name, t)| {
                    let name = name.clone();
                    arb_value(t, opts).prop_map(move |v| (name.clone(), v))
                })
                .collect();
            parts.prop_map(|pairs| Value::Object(pairs.into_iter().collect())).boxed()
        }
        Type::Tuple(types) => {
            let parts: Vec<_> = types.iter().map(|t| arb_value(t, opts)).collect();
            parts.prop_map(Value::Tuple).boxed()
        }
    }
}

fn arb_value(ty: &Type, opts: Options) -> BoxedStrategy<Value> {
    if opts.unknowns {
        prop_oneof![
            1 => Just(Value::Null),
            1 => arb_refinements().prop_map(Value::Unknown),
            5 => arb_known(ty, opts),
        ]
        .boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 5 => arb_known(ty, opts)].boxed()
    }
}

fn typed_value(opts: Options) -> impl Strategy<Value = (Type, Value)> {
    arb_type(true).prop_flat_map(move |ty| arb_value(&ty, opts).prop_map(move |v| (ty.clone(), v)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn msgpack_round_trips((ty, value) in typed_value(Options { unknowns: true, json_safe_numbers: false })) {
        let bytes = msgpack::encode(&value, &ty).expect("a value of the type encodes");
        let back = msgpack::decode(&bytes, &ty).expect("what we encode decodes");
        prop_assert_eq!(back, value);
    }

    #[test]
    fn json_round_trips((ty, value) in typed_value(Options { unknowns: false, json_safe_numbers: true })) {
        let bytes = json::encode(&value, &ty).expect("a known value encodes");
        let back = json::decode(&bytes, &ty, false).expect("what we encode decodes");
        prop_assert_eq!(back, value);
    }

    #[test]
    fn type_json_round_trips(ty in arb_type(true)) {
        prop_assert_eq!(Type::from_json(&ty.to_json()).unwrap(), ty);
    }

    #[test]
    fn msgpack_decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64), ty in arb_type(true)) {
        let _ = msgpack::decode(&bytes, &ty);
    }
}
