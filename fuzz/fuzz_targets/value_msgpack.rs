//! Terraform's DynamicValue msgpack: decoding arbitrary bytes never panics, and whatever decodes can be encoded
//! back and decoded again (the provider echoes decoded values in its answers).
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelrouter_fuzz::pick_type;
use tf_provider::value::msgpack;

fuzz_target!(|data: &[u8]| {
    let Some((ty, bytes)) = pick_type(data) else { return };
    let Ok(value) = msgpack::decode(bytes, &ty) else { return };
    let encoded = msgpack::encode(&value, &ty).expect("a decoded value encodes again");
    let again = msgpack::decode(&encoded, &ty).expect("an encoded value decodes again");
    let re_encoded = msgpack::encode(&again, &ty).expect("a decoded value encodes again");
    assert_eq!(encoded, re_encoded, "msgpack encoding is stable after one round trip");
});
