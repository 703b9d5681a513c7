//! `list_keys` against the emulator: the account's keys, retried like a read, never in a trace-level log. One
//! test per binary, because it installs the global subscriber.

mod common;

use common::*;
use modelrouter_emulator::{FaultAction, FaultRule, Settings};

#[tokio::test]
async fn list_keys_reads_both_keys_retries_like_a_read_and_logs_neither() {
    let capture = Capture::install_trace_subscriber();

    let emu = emulator(Settings::default()).await;
    // One throttled answer first: listKeys is a POST but changes nothing, so it is retried.
    emu.inject(FaultRule {
        method: Some("POST".into()),
        path_contains: Some("/listKeys".into()),
        times: 1,
        action: FaultAction::Status {
            status: 429,
            code: "TooManyRequests".into(),
            message: "slow down".into(),
            retry_after_secs: Some(0),
        },
    });
    let arm = client(&emu);
    let keys = arm.list_keys(&account(), deadline(10)).await.expect("keys");
    assert_eq!((keys.key1.len(), keys.key2.len()), (32, 32));
    assert_ne!(keys.key1, keys.key2);
    assert_eq!(arm.list_keys(&account(), deadline(5)).await.unwrap(), keys, "the same keys until regenerated");
    assert_eq!(count(&emu.requests(), "POST", "/listKeys"), 3, "one retry after the 429, then one more call");
    let listed = emu.requests().into_iter().find(|r| r.path.ends_with("/listKeys")).unwrap();
    assert!(listed.query.contains("api-version="), "{}", listed.query);

    let missing = modelrouter_arm::AccountId::parse(&ACCOUNT.replace("acct1", "absent")).unwrap();
    let err = arm.list_keys(&missing, deadline(5)).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("arm_list_keys"), "the call is traced");
    for key in [&keys.key1, &keys.key2] {
        assert!(!log.contains(key.as_str()), "a key leaked into the trace log");
    }
    assert!(!format!("{keys:?}").contains(&keys.key1));
}
