//! Which api-versions the emulator serves. Like a cloud that retired the previews (or has not rolled out the newest
//! version yet), it can refuse every preview version or a given list, answering as Azure does:
//! `400 NoRegisteredProviderFound` with the versions it does serve in the message.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::arm::ArmFailure;

/// The `Microsoft.CognitiveServices` versions the emulator knows, oldest first.
pub const KNOWN_API_VERSIONS: [&str; 14] = [
    "2023-05-01",
    "2024-10-01",
    "2025-04-01-preview",
    "2025-06-01",
    "2025-09-01",
    "2025-10-01-preview",
    "2025-12-01",
    "2026-01-15-preview",
    "2026-03-01",
    "2026-03-15-preview",
    "2026-05-01",
    "2026-05-15-preview",
    "2026-07-01",
    "2026-09-01",
];

/// The refusal switches (`Settings::api_versions`, `PATCH /admin/settings`, `--refuse-preview-api-versions`,
/// `--refuse-api-version`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiVersionPolicy {
    /// Refuse every `-preview` version (Azure retires them).
    pub refuse_previews: bool,
    /// Refuse these versions too (a cloud that does not serve them yet).
    pub refused: Vec<String>,
}

impl ApiVersionPolicy {
    fn refuses(&self, version: &str) -> bool {
        (self.refuse_previews && version.to_ascii_lowercase().ends_with("-preview"))
            || self.refused.iter().any(|r| r.eq_ignore_ascii_case(version))
    }

    /// Azure's answer to a request with `version`, when it is refused.
    pub(crate) fn check(&self, version: &str) -> Result<(), ArmFailure> {
        if !self.refuses(version) {
            return Ok(());
        }
        let supported: Vec<&str> = KNOWN_API_VERSIONS.iter().copied().filter(|v| !self.refuses(v)).collect();
        Err(ArmFailure::new(
            StatusCode::BAD_REQUEST,
            "NoRegisteredProviderFound",
            format!(
                "No registered resource provider found for location 'eastus2' and API version '{version}' for type \
                 'accounts'. The supported api-versions are '{}'. The supported locations are 'eastus2, swedencentral'.",
                supported.join(", ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_previews_and_listed_versions_and_names_the_rest() {
        let policy = ApiVersionPolicy { refuse_previews: true, refused: vec!["2026-09-01".into()] };
        assert!(policy.check("2026-07-01").is_ok());
        let refusal = policy.check("2025-10-01-preview").unwrap_err();
        assert_eq!(refusal.code, "NoRegisteredProviderFound");
        let listed = refusal.message.split("supported api-versions are '").nth(1).unwrap().split('\'').next().unwrap();
        assert!(listed.ends_with("2026-07-01"), "{listed}");
        assert!(!listed.contains("preview") && !listed.contains("2026-09-01"), "{listed}");
        assert!(policy.check("2026-09-01").is_err());
        assert!(ApiVersionPolicy::default().check("2025-10-01-preview").is_ok());
    }
}
