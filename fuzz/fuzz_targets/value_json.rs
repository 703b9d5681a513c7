//! The JSON forms: raw state (UpgradeResourceState's `raw_state.json`, the `json` field of a DynamicValue) and
//! JSON type constraints. Decoding arbitrary bytes never panics; a decoded value encodes again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelrouter_fuzz::pick_type;
use tf_provider::Type;
use tf_provider::value::json;

fuzz_target!(|data: &[u8]| {
    let Some((ty, bytes)) = pick_type(data) else { return };
    // Type constraints as they appear in schemas and dynamic values.
    if let Ok(parsed) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Ok(t) = Type::from_json(&parsed)
    {
        assert_eq!(Type::from_json(&t.to_json()).as_ref(), Ok(&t), "type JSON round trip");
    }
    for ignore_unknown in [false, true] {
        let Ok(value) = json::decode(bytes, &ty, ignore_unknown) else { continue };
        let encoded = json::encode(&value, &ty).expect("a decoded value encodes again");
        json::decode(&encoded, &ty, false).expect("an encoded value decodes again");
    }
});
