//! Fault injection: rules checked on every ARM and operation-poll request before normal handling.

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Notify;

/// A fault to inject. `method` and `path_contains` are matched case-insensitively (`None` matches anything;
/// `path_contains` is matched against the path without the query). The rule fires for the next `times` matching
/// requests, then retires; `times: 0` fires forever (until `POST /admin/reset`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub path_contains: Option<String>,
    #[serde(default)]
    pub times: u32,
    pub action: FaultAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer with this status and an ARM error body (plus `Retry-After` when given).
    Status {
        status: u16,
        code: String,
        message: String,
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// Close the TCP connection without writing any HTTP response.
    DropConnection,
    /// Wait this long, then handle the request normally.
    Delay { ms: u64 },
}

/// A rule with its remaining budget.
#[derive(Debug, Clone)]
pub(crate) struct ActiveFault {
    pub rule: FaultRule,
    /// `None` = unlimited.
    pub remaining: Option<u32>,
}

impl ActiveFault {
    pub fn new(rule: FaultRule) -> ActiveFault {
        let remaining = (rule.times > 0).then_some(rule.times);
        ActiveFault { rule, remaining }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self.rule.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method));
        let path_ok = self
            .rule
            .path_contains
            .as_deref()
            .is_none_or(|needle| path.to_ascii_lowercase().contains(&needle.to_ascii_lowercase()));
        method_ok && path_ok
    }
}

/// Finds the first rule matching the request, spends one of its uses and returns its action.
pub(crate) fn take_matching(faults: &mut Vec<ActiveFault>, method: &str, path: &str) -> Option<FaultAction> {
    let index = faults.iter().position(|f| f.matches(method, path))?;
    let action = faults[index].rule.action.clone();
    if let Some(remaining) = faults[index].remaining.as_mut() {
        *remaining -= 1;
        if *remaining == 0 {
            faults.remove(index);
        }
    }
    Some(action)
}

/// Put into every request's extensions by the connection task: notifying it makes that task drop the
/// connection (socket closed, no HTTP response written).
#[derive(Clone, Default)]
pub(crate) struct ConnectionKiller(pub Arc<Notify>);

impl ConnectionKiller {
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(method: Option<&str>, path: Option<&str>, times: u32) -> FaultRule {
        FaultRule {
            method: method.map(String::from),
            path_contains: path.map(String::from),
            times,
            action: FaultAction::Delay { ms: 1 },
        }
    }

    #[test]
    fn limited_rules_retire_and_unlimited_stay() {
        let mut faults =
            vec![ActiveFault::new(rule(Some("put"), Some("/Deployments/"), 2)), ActiveFault::new(rule(None, None, 0))];
        assert!(take_matching(&mut faults, "PUT", "/x/deployments/d").is_some());
        assert!(take_matching(&mut faults, "PUT", "/x/deployments/d").is_some());
        assert_eq!(faults.len(), 1);
        for _ in 0..5 {
            assert!(take_matching(&mut faults, "GET", "/anything").is_some());
        }
        assert_eq!(faults.len(), 1);
    }

    #[test]
    fn fault_action_json_shape() {
        let parsed: FaultRule = serde_json::from_str(
            r#"{"method":"PUT","times":1,"action":{"status":{"status":429,"code":"TooManyRequests","message":"slow down","retry_after_secs":2}}}"#,
        )
        .expect("valid rule");
        assert_eq!(parsed.path_contains, None);
        assert!(matches!(parsed.action, FaultAction::Status { status: 429, .. }));
        let drop: FaultRule = serde_json::from_str(r#"{"times":1,"action":"drop_connection"}"#).expect("valid rule");
        assert_eq!(drop.action, FaultAction::DropConnection);
    }
}
