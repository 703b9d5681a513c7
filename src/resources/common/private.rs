//! The resource's private state: bytes Terraform stores beside the state and hands back on every plan, apply and
//! read, never showing them to users. One thing lives there: the values Azure chose for optional attributes the configuration leaves unset (content filter, upgrade policy,
//!   a Claude version the catalog does not know), remembered when the deployment was created, imported or first
//!   read, so that a later portal change to them is drift that the plan shows and apply restores, instead of being
//!   silently adopted as the new "prior".
//!
//! A deployment Azure reports unsettled (a failed last operation) is not marked here but shown in the visible
//! `provisioning_state`: Terraform reports a change of private bytes alone as drift that says "No changes". Earlier
//! releases stored an `unsettled_provisioning_state` marker; it is ignored when read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateState {
    /// Attribute name → the value Azure chose for it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub azure_chosen: BTreeMap<String, String>,
}

impl PrivateState {
    /// Reads what a previous call stored; unreadable or empty bytes are an empty state (a state written by an older
    /// provider release holds none).
    pub fn parse(bytes: &[u8]) -> PrivateState {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        if *self == PrivateState::default() {
            return Vec::new();
        }
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The bytes for `self`, reusing `previous` when they mean the same: Terraform compares private bytes, and a
    /// refresh that changed nothing must not look like a change.
    pub fn to_bytes_like(&self, previous: &[u8]) -> Vec<u8> {
        if PrivateState::parse(previous) == *self { previous.to_vec() } else { self.to_bytes() }
    }

    /// Records Azure's current value of each attribute not remembered yet.
    pub fn remember(&mut self, chosen: impl IntoIterator<Item = (&'static str, String)>) {
        for (attribute, value) in chosen {
            self.azure_chosen.entry(attribute.to_owned()).or_insert(value);
        }
    }

    pub fn chosen(&self, attribute: &str) -> Option<&str> {
        self.azure_chosen.get(attribute).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_state_is_empty_bytes_and_old_markers_are_ignored() {
        assert!(PrivateState::default().to_bytes().is_empty());
        let old = br#"{"unsettled_provisioning_state":"Failed","azure_chosen":{"rai_policy_name":"X"}}"#;
        assert_eq!(PrivateState::parse(old).chosen("rai_policy_name"), Some("X"));
        // Read back unchanged: the old marker's bytes are kept rather than rewritten (no private-only change).
        assert_eq!(PrivateState::parse(old).to_bytes_like(old), old.to_vec());
        assert_eq!(PrivateState::parse(b"not json"), PrivateState::default());
    }

    #[test]
    fn remembers_the_first_value_only_and_keeps_identical_bytes() {
        let mut state = PrivateState::default();
        state.remember([("rai_policy_name", "Microsoft.DefaultV2".to_owned())]);
        state.remember([("rai_policy_name", "Microsoft.Nil".to_owned())]);
        assert_eq!(state.chosen("rai_policy_name"), Some("Microsoft.DefaultV2"));
        // Same meaning, other spelling of the JSON: the previous bytes are returned untouched.
        let previous = br#"{ "azure_chosen": {"rai_policy_name": "Microsoft.DefaultV2"} }"#;
        assert_eq!(state.to_bytes_like(previous), previous.to_vec());
        state.remember([("service_tier", "Default".to_owned())]);
        assert_ne!(state.to_bytes_like(previous), previous.to_vec());
    }
}
