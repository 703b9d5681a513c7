//! ARM ids from configuration, state and import: parsing arbitrary text never panics, and a parsed id renders
//! to a canonical form that parses back to the same id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelrouter_arm::{AccountId, DeploymentId};

fuzz_target!(|text: &str| {
    if let Ok(account) = AccountId::parse(text) {
        let canonical = account.to_string();
        assert_eq!(AccountId::parse(&canonical).as_ref(), Ok(&account), "account id round trip");
        assert_eq!(account.lock_key(), canonical.to_lowercase());
        let child = account.deployment("router");
        assert_eq!(DeploymentId::parse(&child.to_string()).as_ref(), Ok(&child));
    }
    if let Ok(deployment) = DeploymentId::parse(text) {
        let canonical = deployment.to_string();
        assert_eq!(DeploymentId::parse(&canonical).as_ref(), Ok(&deployment), "deployment id round trip");
        assert_eq!(AccountId::parse(&deployment.account.to_string()).as_ref(), Ok(&deployment.account));
    }
});
