//! The one api-version every `Microsoft.CognitiveServices` call uses, and the fallback of an unpinned client when
//! a cloud does not know the default yet.
//!
//! Azure answers a version it does not serve with `400 NoRegisteredProviderFound` (a retired or not yet rolled out
//! version) or `InvalidApiVersionParameter`, and both messages list the versions it does serve. An unpinned client
//! then switches, once per process, to the newest GA version in that list that carries `properties.routing`; a
//! pinned one (the provider block's `api_version`) never changes.

use std::sync::Mutex;

/// The newest GA api-version; carries `properties.routing` like every GA version since [`FIRST_GA_WITH_ROUTING`].
pub const DEFAULT_API_VERSION: &str = "2026-09-01";
/// The first GA api-version with `properties.routing`: a fallback never goes below it.
pub const FIRST_GA_WITH_ROUTING: &str = "2025-12-01";
/// Error codes with which Azure refuses an api-version it does not serve.
const REFUSAL_CODES: [&str; 2] = ["NoRegisteredProviderFound", "InvalidApiVersionParameter"];

/// Which api-version the client sends, and whether it may change.
#[derive(Debug)]
pub(crate) struct ApiVersion {
    current: Mutex<String>,
    /// Set in the provider block: never replaced.
    pinned: bool,
    /// The fallback happens at most once per process.
    fell_back: Mutex<bool>,
}

impl ApiVersion {
    /// `configured`: the provider block's `api_version` (pinned), or `None` for the default.
    pub fn new(configured: Option<String>) -> ApiVersion {
        let pinned = configured.is_some();
        let current = configured.unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        ApiVersion { current: Mutex::new(current), pinned, fell_back: Mutex::new(false) }
    }

    pub fn current(&self) -> String {
        self.current.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// After Azure refused `refused` with `code` and `message`: the version to retry with, if this client may fall
    /// back and the message names a usable one. Logs the switch.
    pub fn fall_back(&self, refused: &str, code: &str, message: &str) -> Option<String> {
        if self.pinned || !REFUSAL_CODES.iter().any(|c| c.eq_ignore_ascii_case(code)) {
            return None;
        }
        let mut fell_back = self.fell_back.lock().unwrap_or_else(|p| p.into_inner());
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if *current != refused {
            // Another request already switched: retry with what it chose.
            return Some(current.clone());
        }
        if *fell_back {
            return None;
        }
        let chosen = newest_usable(message, refused)?;
        tracing::warn!(
            refused,
            chosen = %chosen,
            "Azure does not serve api-version {refused} here ({code}); using {chosen}, the newest GA version it \
             lists that carries routing. Set the provider's api_version to pin one."
        );
        *fell_back = true;
        *current = chosen.clone();
        Some(chosen)
    }
}

/// The newest GA version (no suffix) at or after [`FIRST_GA_WITH_ROUTING`] that `message` lists, other than
/// `refused`.
pub fn newest_usable(message: &str, refused: &str) -> Option<String> {
    versions_in(message)
        .into_iter()
        .filter(|v| !v.contains("-preview") && v.as_str() >= FIRST_GA_WITH_ROUTING && v != refused)
        .max()
}

/// Every `YYYY-MM-DD` or `YYYY-MM-DD-preview` token of a text.
fn versions_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let is_date = |s: &[u8]| {
        s.len() == 10
            && s.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i + 10 <= bytes.len() {
        let starts_token = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if starts_token && is_date(&bytes[i..i + 10]) {
            let preview = text[i + 10..].starts_with("-preview");
            let end = i + 10 + if preview { "-preview".len() } else { 0 };
            found.push(text[i..end].to_owned());
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_PROVIDER: &str = "No registered resource provider found for location 'eastus' and API version \
        '2026-09-01' for type 'accounts'. The supported api-versions are '2017-04-18, 2023-05-01, \
        2025-10-01-preview, 2025-12-01, 2026-03-01, 2026-05-15-preview'. The supported locations are 'eastus'.";

    #[test]
    fn picks_the_newest_ga_version_with_routing() {
        assert_eq!(newest_usable(NO_PROVIDER, "2026-09-01").as_deref(), Some("2026-03-01"));
        let old_only = "The supported api-versions are '2023-05-01,2025-09-01,2025-10-01-preview'.";
        assert_eq!(newest_usable(old_only, "2026-09-01"), None, "no GA version with routing");
        assert_eq!(newest_usable("nothing here", "2026-09-01"), None);
    }

    #[test]
    fn an_unpinned_client_falls_back_once_a_pinned_one_never() {
        let unpinned = ApiVersion::new(None);
        assert_eq!(unpinned.current(), DEFAULT_API_VERSION);
        assert_eq!(unpinned.fall_back("2026-09-01", "BadRequest", NO_PROVIDER), None, "another error code");
        assert_eq!(
            unpinned.fall_back("2026-09-01", "NoRegisteredProviderFound", NO_PROVIDER).as_deref(),
            Some("2026-03-01")
        );
        assert_eq!(unpinned.current(), "2026-03-01");
        // A request that was already out with the old version retries with the new one.
        assert_eq!(
            unpinned.fall_back("2026-09-01", "NoRegisteredProviderFound", NO_PROVIDER).as_deref(),
            Some("2026-03-01")
        );
        // Once only: a refusal of the fallback itself is final.
        assert_eq!(unpinned.fall_back("2026-03-01", "InvalidApiVersionParameter", NO_PROVIDER), None);

        let pinned = ApiVersion::new(Some("2026-09-01".into()));
        assert_eq!(pinned.fall_back("2026-09-01", "NoRegisteredProviderFound", NO_PROVIDER), None);
        assert_eq!(pinned.current(), "2026-09-01");
    }
}
