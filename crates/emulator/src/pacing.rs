//! The service's own pace, for benchmarks that must show Azure's limits rather than the emulator's speed: a fixed
//! delay on every ARM and operation-poll request (a region's round trip from a CI agent), and Azure Resource
//! Manager's read throttle, a token bucket per subscription that answers `429 TooManyRequests` with `Retry-After`
//! when it is empty. (How long PUT and DELETE operations run is `Settings::operation_delay_ms`.)

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::Shared;
use crate::arm::arm_error;
use crate::state::Store;

/// Azure Resource Manager's read bucket per subscription and region: 250 tokens, refilled at 25 per second
/// ("Understand how Azure Resource Manager throttles requests", token bucket algorithm).
pub const AZURE_READ_BUCKET: u32 = 250;
pub const AZURE_READ_REFILL_PER_SECOND: u32 = 25;

/// The read throttle: every GET of a subscription's resources (operation polls included) takes a token from the
/// subscription's bucket; an empty bucket answers 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadThrottle {
    /// Tokens the bucket holds when full (at least 1).
    pub capacity: u32,
    /// Tokens added back per second.
    pub refill_per_second: u32,
}

impl Default for ReadThrottle {
    fn default() -> ReadThrottle {
        ReadThrottle { capacity: AZURE_READ_BUCKET, refill_per_second: AZURE_READ_REFILL_PER_SECOND }
    }
}

impl ReadThrottle {
    /// Parses `CAPACITY/REFILL_PER_SECOND` (e.g. `250/25`) or `azure` (Azure's figures).
    pub fn parse(text: &str) -> Result<ReadThrottle, String> {
        if text.eq_ignore_ascii_case("azure") {
            return Ok(ReadThrottle::default());
        }
        let usage = || {
            format!("use CAPACITY/REFILL_PER_SECOND, e.g. {AZURE_READ_BUCKET}/{AZURE_READ_REFILL_PER_SECOND}, or azure")
        };
        let (capacity, refill) = text.split_once('/').ok_or_else(usage)?;
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| usage());
        let throttle = ReadThrottle { capacity: number(capacity)?, refill_per_second: number(refill)? };
        if throttle.capacity == 0 {
            return Err("the capacity must be at least 1".into());
        }
        Ok(throttle)
    }
}

/// One bucket per subscription (lower-cased id), created full on the subscription's first read.
#[derive(Debug, Default)]
pub(crate) struct ReadBuckets(HashMap<String, Bucket>);

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// What a throttled caller is told to wait when the bucket never refills.
const NEVER: Duration = Duration::from_secs(3600);

impl ReadBuckets {
    /// Takes a token from `subscription`'s bucket, or says how long until one is there.
    pub fn take(&mut self, subscription: &str, throttle: ReadThrottle, now: Instant) -> Result<(), Duration> {
        let capacity = f64::from(throttle.capacity.max(1));
        let rate = f64::from(throttle.refill_per_second);
        let bucket = self.0.entry(subscription.to_string()).or_insert(Bucket { tokens: capacity, at: now });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        if rate == 0.0 {
            return Err(NEVER);
        }
        Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
    }
}

/// The subscription a request reads: from its path, or for an operation poll from the operation's account.
fn subscription_of(store: &Store, path: &str) -> Option<String> {
    let lower = path.to_ascii_lowercase();
    let from_arm_path =
        |p: &str| p.strip_prefix("/subscriptions/").and_then(|rest| rest.split('/').next()).map(str::to_string);
    if let Some(subscription) = from_arm_path(&lower) {
        return Some(subscription);
    }
    let operation = path.strip_prefix("/operations/").or_else(|| path.strip_prefix("/operationResults/"))?;
    from_arm_path(&store.operations.get(operation)?.account_key)
}

/// Waits out the request latency, then applies the read throttle: `Some(429)` when the subscription's bucket is
/// empty.
pub(crate) async fn pace(shared: &Shared, method: &Method, path: &str) -> Option<Response> {
    let latency = Duration::from_millis(shared.lock().settings.request_latency_ms);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if *method != Method::GET {
        return None;
    }
    let wait = {
        let mut store = shared.lock();
        let throttle = store.settings.read_throttle?;
        let subscription = subscription_of(&store, path)?;
        store.read_buckets.take(&subscription, throttle, Instant::now()).err()?
    };
    Some(throttled(wait))
}

fn throttled(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut response = arm_error(
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequests",
        format!(
            "The subscription's read requests are throttled (token bucket empty, injected by modelrouter-emulator). \
             Retry after {seconds} seconds."
        ),
    );
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    headers.insert("x-ms-ratelimit-remaining-subscription-reads", HeaderValue::from_static("0"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_empties_then_refills_at_its_rate() {
        let throttle = ReadThrottle { capacity: 2, refill_per_second: 4 };
        let mut buckets = ReadBuckets::default();
        let start = Instant::now();
        assert_eq!(buckets.take("s", throttle, start), Ok(()));
        assert_eq!(buckets.take("s", throttle, start), Ok(()));
        assert_eq!(buckets.take("s", throttle, start), Err(Duration::from_millis(250)));
        assert_eq!(buckets.take("other", throttle, start), Ok(()), "one bucket per subscription");
        assert_eq!(buckets.take("s", throttle, start + Duration::from_millis(250)), Ok(()));
        // Idle long enough, it is full again but never more.
        let later = start + Duration::from_secs(60);
        for _ in 0..2 {
            assert_eq!(buckets.take("s", throttle, later), Ok(()));
        }
        assert!(buckets.take("s", throttle, later).is_err());
        let frozen = ReadThrottle { capacity: 1, refill_per_second: 0 };
        let mut buckets = ReadBuckets::default();
        assert_eq!(buckets.take("s", frozen, start), Ok(()));
        assert_eq!(buckets.take("s", frozen, later), Err(NEVER));
    }

    #[test]
    fn throttle_flags_parse() {
        assert_eq!(ReadThrottle::parse("azure"), Ok(ReadThrottle { capacity: 250, refill_per_second: 25 }));
        assert_eq!(ReadThrottle::parse("10/2"), Ok(ReadThrottle { capacity: 10, refill_per_second: 2 }));
        for bad in ["10", "x/2", "0/5", "10/-1", ""] {
            assert!(ReadThrottle::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn throttled_answers_say_when_to_come_back() {
        let response = throttled(Duration::from_millis(1200));
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        assert_eq!(throttled(Duration::from_millis(10)).headers()[header::RETRY_AFTER], "1");
    }
}
