//! Every ARM answer body the client decodes: deployment, account, list page, error body, operation status and
//! the final Location answer. Arbitrary bytes never panic; a decoded deployment serialises again (the
//! read-modify-write PUT sends it back).
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelrouter_arm::decode;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    match selector % 6 {
        0 => {
            if let Ok(d) = decode::deployment(body) {
                let sent = serde_json::to_vec(&d).expect("a decoded deployment serialises");
                decode::deployment(&sent).expect("a serialised deployment decodes");
                let _ = d.provisioning_state();
            }
        }
        1 => {
            let _ = decode::account(body);
        }
        2 => {
            if let Ok((deployments, _next)) = decode::deployment_page(body) {
                for d in deployments {
                    serde_json::to_vec(&d).expect("a decoded deployment serialises");
                }
            }
        }
        3 => {
            let status = u16::from_le_bytes([body.first().copied().unwrap_or(0), body.get(1).copied().unwrap_or(0)]);
            let (code, message, details) = decode::error_body(status, body.get(2..).unwrap_or_default());
            assert!(!code.is_empty(), "an error always has a code");
            let _ = (message.len(), details.len());
        }
        4 => {
            let _ = decode::operation_status(body);
        }
        _ => {
            let _ = decode::final_location_failure(body);
        }
    }
});
