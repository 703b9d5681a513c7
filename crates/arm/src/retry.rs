//! When to retry and how long to wait.
//!
//! Retried: 408, 429, 5xx except 501/505, `409 RequestConflict` (another writer holds the account; the service
//! serialises writes to the deployments of one account), and requests that never got an answer (connection
//! reset, timeouts). Connections that cannot succeed (refused, unknown host, TLS failure) are retried only for
//! [`RetryPolicy::unreachable_budget`]. The wait is the server's hint (`retry-after-ms`, then `x-ms-retry-after-ms`, then
//! `Retry-After` in seconds or as an HTTP date), else exponential backoff with jitter. Every wait is bounded by the
//! operation's deadline by the caller.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// Tunables for retries and polling. `Default` matches what ARM documents; tests shrink the delays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// First backoff when the server gives no hint; doubles per attempt.
    pub initial_backoff: Duration,
    /// Largest backoff without a server hint.
    pub max_backoff: Duration,
    /// Largest server-requested wait honoured (longer hints are capped).
    pub max_server_delay: Duration,
    /// Poll interval when an LRO response carries no `Retry-After`.
    pub default_poll_interval: Duration,
    /// Timeout of one HTTP attempt (ARM itself gives up on the RP after 60 s).
    pub request_timeout: Duration,
    /// Retry `409 RequestConflict`.
    pub retry_conflicts: bool,
    /// How long connections that cannot succeed (refused, unknown host, TLS failure) are retried before the
    /// operation fails naming the endpoint: long enough to ride out a restarting endpoint, short enough that a
    /// wrong endpoint fails a plan in seconds rather than after the read timeout.
    pub unreachable_budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
            max_server_delay: Duration::from_secs(600),
            default_poll_interval: Duration::from_secs(10),
            request_timeout: Duration::from_secs(100),
            retry_conflicts: true,
            unreachable_budget: Duration::from_secs(5),
        }
    }
}

/// The ARM code of "another operation is being performed on the parent resource".
pub const REQUEST_CONFLICT: &str = "RequestConflict";

impl RetryPolicy {
    /// Whether an error answer is worth another attempt.
    pub fn is_retryable_status(&self, status: u16, code: Option<&str>) -> bool {
        match status {
            408 | 429 => true,
            409 => self.retry_conflicts && code.is_some_and(|c| c.eq_ignore_ascii_case(REQUEST_CONFLICT)),
            501 | 505 => false,
            500..=599 => true,
            _ => false,
        }
    }

    /// Exponential backoff for attempt `n` (0-based), with "equal jitter": between half and all of the step.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(20));
        let step = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        let half = step / 2;
        let jitter_ms = fastrand::u64(0..=half.as_millis() as u64);
        half + Duration::from_millis(jitter_ms)
    }

    /// The wait before attempt `n + 1`: the server's hint when there is one, else backoff.
    pub fn delay(&self, attempt: u32, hint: Option<Duration>) -> Duration {
        match hint {
            Some(h) => h.min(self.max_server_delay),
            None => self.backoff(attempt),
        }
    }

    /// The wait before the next poll of a long-running operation.
    pub fn poll_delay(&self, hint: Option<Duration>) -> Duration {
        hint.map(|h| h.min(self.max_server_delay)).unwrap_or(self.default_poll_interval)
    }
}

/// Reads the server's wait hint: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (seconds or HTTP date).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    for name in ["retry-after-ms", "x-ms-retry-after-ms"] {
        if let Some(ms) = text(name).and_then(|v| v.parse::<u64>().ok()) {
            return Some(Duration::from_millis(ms));
        }
    }
    parse_retry_after(text("retry-after")?, now)
}

/// `Retry-After`: delta-seconds or an HTTP date (a date in the past means "now").
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let when: SystemTime = when.into();
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..Default::default()
        }
    }

    #[test]
    fn retryable_statuses() {
        let p = policy();
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(p.is_retryable_status(s, None), "{s}");
        }
        for s in [400, 401, 403, 404, 412, 501, 505] {
            assert!(!p.is_retryable_status(s, None), "{s}");
        }
        assert!(p.is_retryable_status(409, Some("RequestConflict")));
        assert!(p.is_retryable_status(409, Some("requestconflict")));
        assert!(!p.is_retryable_status(409, Some("MissingSubscriptionRegistration")));
        assert!(!p.is_retryable_status(409, None));
        let no_conflicts = RetryPolicy { retry_conflicts: false, ..p };
        assert!(!no_conflicts.is_retryable_status(409, Some("RequestConflict")));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = policy();
        for _ in 0..200 {
            let d0 = p.backoff(0);
            assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100), "{d0:?}");
            let d2 = p.backoff(2);
            assert!(d2 >= Duration::from_millis(200) && d2 <= Duration::from_millis(400), "{d2:?}");
            let d9 = p.backoff(50);
            assert!(d9 >= Duration::from_millis(500) && d9 <= Duration::from_millis(1000), "{d9:?}");
        }
        // jitter actually varies
        let samples: std::collections::HashSet<_> = (0..50).map(|_| p.backoff(3)).collect();
        assert!(samples.len() > 1);
    }

    #[test]
    fn server_hint_wins_and_is_capped() {
        let p = RetryPolicy { max_server_delay: Duration::from_secs(30), ..policy() };
        assert_eq!(p.delay(5, Some(Duration::from_millis(1234))), Duration::from_millis(1234));
        assert_eq!(p.delay(0, Some(Duration::from_secs(3600))), Duration::from_secs(30));
        assert_eq!(p.poll_delay(None), Duration::from_secs(10));
        assert_eq!(p.poll_delay(Some(Duration::from_millis(300))), Duration::from_millis(300));
    }

    #[test]
    fn retry_after_header_precedence() {
        let now = SystemTime::now();
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h, now), None);
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        h.insert("x-ms-retry-after-ms", HeaderValue::from_static("900"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_millis(900)));
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_millis(250)));
        // an unparsable ms hint falls through to the next header
        h.insert("retry-after-ms", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_millis(900)));
    }

    #[test]
    fn retry_after_http_date() {
        let now: SystemTime = time::macros::datetime!(2026-01-02 03:04:00 UTC).into();
        assert_eq!(parse_retry_after("Fri, 02 Jan 2026 03:04:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Fri, 02 Jan 2026 03:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(" 12 ", now), Some(Duration::from_secs(12)));
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("tomorrow", now), None);
    }
}
