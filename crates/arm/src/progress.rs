//! INFO lines for the waits a user cannot see otherwise: a write queued behind another write to the same account,
//! and a long-running operation Azure is still working on. With `TF_LOG_PROVIDER=info` they say why an apply is
//! slow; at the default (logging off) they cost nothing.

use std::time::{Duration, Instant};

/// How often a running operation is reported again.
const REPORT_EVERY: Duration = Duration::from_secs(30);

/// Reports one accepted long-running operation: once when Azure accepts it, then at most every [`REPORT_EVERY`].
#[derive(Debug)]
pub(crate) struct RunningOperation {
    what: String,
    correlation_id: String,
    started: Instant,
    last_report: Instant,
}

impl RunningOperation {
    /// Azure accepted `what` (e.g. "PUT of <id>") and runs it in the background.
    pub fn accepted(what: String, correlation_id: &str, status: u16) -> RunningOperation {
        tracing::info!(correlation_id, status, "Azure accepted the {what}; waiting for the operation to finish");
        let now = Instant::now();
        RunningOperation { what, correlation_id: correlation_id.to_owned(), started: now, last_report: now }
    }

    /// A poll found the operation still running.
    pub fn still_running(&mut self) {
        if let Some(seconds) = self.report_due(Instant::now()) {
            tracing::info!(correlation_id = %self.correlation_id, "the {} is still running after {seconds} s", self.what);
        }
    }

    /// The seconds since Azure accepted the operation, when another report is due at `now`.
    fn report_due(&mut self, now: Instant) -> Option<u64> {
        if now.saturating_duration_since(self.last_report) < REPORT_EVERY {
            return None;
        }
        self.last_report = now;
        Some(now.saturating_duration_since(self.started).as_secs())
    }
}

/// Says that a write waits for another write to the same account (Azure allows one at a time), and how long it
/// waited once it may go on.
pub(crate) fn waiting_for_account(account: &str) -> WaitingForAccount<'_> {
    tracing::info!(account, "waiting for another write to this account to finish (Azure allows one at a time)");
    WaitingForAccount { account, started: Instant::now() }
}

pub(crate) struct WaitingForAccount<'a> {
    account: &'a str,
    started: Instant,
}

impl WaitingForAccount<'_> {
    pub fn done(self) {
        let waited_ms = self.started.elapsed().as_millis() as u64;
        tracing::info!(account = self.account, waited_ms, "the account is free: this write goes ahead");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_operation_is_reported_every_thirty_seconds_not_at_every_poll() {
        let mut running = RunningOperation::accepted("PUT of x".into(), "c", 201);
        let start = running.started;
        assert_eq!(running.report_due(start + Duration::from_secs(5)), None);
        assert_eq!(running.report_due(start + Duration::from_secs(31)), Some(31));
        assert_eq!(running.report_due(start + Duration::from_secs(45)), None);
        assert_eq!(running.report_due(start + Duration::from_secs(62)), Some(62));
    }
}
