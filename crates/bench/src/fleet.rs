//! (f) A fleet against the service's own limits, not the emulator's speed: N routers over several accounts, every
//! request delayed by a region's round trip, operations that take their time, and Azure Resource Manager's read
//! throttle on. For each of apply (N creates), a no-op plan and destroy: the requests made, the wall time against
//! the ideal, and the 429s the throttle answered.
//!
//! The ideal is what no client can avoid:
//! - requests: a no-op plan reads each account's deployments list (every page) and nothing per router; a create
//!   is a PUT, the one poll that sees it end and one GET of the result; a delete is a DELETE and the one poll
//!   (plus the lists of the destroy's own refresh);
//! - wall time: the accounts work in parallel, and within one account Azure runs one write at a time, each costing
//!   its operation plus two round trips (the write reaching Azure, the poll that sees it end): the busiest
//!   account's `routers × (operation + 2 × latency)`. A plan's is the list pages one after another.
//!   Terraform's own work (graph walk, plugin RPCs, state) is not in the ideal; (b) measures it apart.

use modelrouter_emulator::{RecordedRequest, Settings};

use crate::config;
use crate::emulator::BenchEmulator;
use crate::error::BenchError;
use crate::requests::StepRequests;
use crate::stats::millis;
use crate::terraform::{APPLY, Mirror, PLAN, Workdir};

pub use modelrouter_emulator::ReadThrottle;

/// The service's pace for the fleet runs.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Pace {
    pub latency_ms: u64,
    pub operation_ms: u64,
    pub read_throttle: Option<ReadThrottle>,
    /// Deployments per list page.
    pub page_size: usize,
    /// `-parallelism` of apply and destroy (`None`: Terraform's default, 10).
    pub parallelism: Option<usize>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FleetStep {
    pub step: &'static str,
    pub requests: StepRequests,
    pub total_requests: usize,
    pub unavoidable_requests: usize,
    pub wall_ms: f64,
    pub ideal_ms: f64,
    /// 429 answers of the read throttle (each retried by the provider after its Retry-After).
    pub throttled: usize,
    /// `Error:` diagnostics terraform printed.
    pub terraform_errors: usize,
    pub terraform_exit_code: i32,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FleetResult {
    pub routers: usize,
    pub accounts: usize,
    pub pace: Pace,
    pub steps: Vec<FleetStep>,
}

/// Routers per account with `count.index % accounts` placement (config::routers): the busiest account's share.
fn busiest_account(routers: usize, accounts: usize) -> usize {
    routers.div_ceil(accounts.max(1))
}

/// The list pages of every account (each account's list read once).
fn list_pages(routers: usize, accounts: usize, page_size: usize) -> usize {
    let accounts = accounts.max(1);
    (0..accounts)
        .map(|a| {
            let held = routers / accounts + usize::from(a < routers % accounts);
            held.div_ceil(page_size.max(1)).max(1)
        })
        .sum()
}

struct Ideal {
    requests: usize,
    wall_ms: f64,
}

fn ideal(step: &str, routers: usize, accounts: usize, pace: &Pace) -> Ideal {
    let latency = pace.latency_ms as f64;
    let pages = list_pages(routers, accounts, pace.page_size);
    let list_wall = busiest_account(routers, accounts).div_ceil(pace.page_size.max(1)).max(1) as f64 * latency;
    let serial_writes = busiest_account(routers, accounts) as f64 * (pace.operation_ms as f64 + 2.0 * latency);
    match step {
        "plan" => Ideal { requests: pages, wall_ms: list_wall },
        "apply" => Ideal { requests: 3 * routers, wall_ms: serial_writes },
        _ => Ideal { requests: pages + 2 * routers, wall_ms: list_wall + serial_writes },
    }
}

fn step_result(
    step: &'static str,
    routers: usize,
    accounts: usize,
    pace: &Pace,
    finished: &crate::terraform::Finished,
    log: &[RecordedRequest],
) -> FleetStep {
    let ideal = ideal(step, routers, accounts, pace);
    FleetStep {
        step,
        requests: StepRequests::from_log(step, routers, accounts, log),
        total_requests: log.len(),
        unavoidable_requests: ideal.requests,
        wall_ms: millis(finished.elapsed),
        ideal_ms: ideal.wall_ms,
        throttled: log.iter().filter(|r| r.status == 429).count(),
        terraform_errors: finished.output.matches("Error:").count(),
        terraform_exit_code: finished.code,
    }
}

/// Applies `routers` routers over `accounts` accounts from nothing, plans again (no change expected), destroys.
pub fn measure(mirror: &Mirror, routers: usize, accounts: usize, pace: Pace) -> Result<FleetResult, BenchError> {
    let account_ids = config::account_ids(accounts);
    let settings = Settings {
        request_latency_ms: pace.latency_ms,
        operation_delay_ms: pace.operation_ms,
        read_throttle: pace.read_throttle,
        page_size: pace.page_size,
        ..Settings::default()
    };
    let emulator = BenchEmulator::start_with(&account_ids, settings)?;
    let workdir = Workdir::new(mirror, &config::routers(&emulator.base_url(), &account_ids, routers))?;
    workdir.init()?;
    let parallelism = pace.parallelism.map(|p| format!("-parallelism={p}"));
    let with_parallelism = |args: &[&'static str]| {
        let mut args: Vec<&str> = args.to_vec();
        args.extend(parallelism.as_deref());
        args
    };
    let apply = with_parallelism(APPLY);
    let destroy = with_parallelism(&["destroy", "-no-color", "-input=false", "-auto-approve"]);
    let mut steps = Vec::new();
    for (step, args) in [("apply", &apply[..]), ("plan", PLAN), ("destroy", &destroy[..])] {
        emulator.clear_requests();
        eprintln!("  {step} of {routers} routers");
        // A failed command is a result too (its errors are reported), not the end of the run.
        let finished = workdir.run(args)?;
        if finished.code != 0 {
            eprintln!("  terraform {step} exited {}", finished.code);
        }
        steps.push(step_result(step, routers, accounts, &pace, &finished, &emulator.requests()));
    }
    Ok(FleetResult { routers, accounts, pace, steps })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACE: Pace =
        Pace { latency_ms: 50, operation_ms: 1000, read_throttle: None, page_size: 100, parallelism: None };

    #[test]
    fn the_ideal_counts_what_no_client_can_avoid() {
        assert_eq!(list_pages(1000, 10, 100), 10);
        assert_eq!(list_pages(16, 2, 3), 6);
        assert_eq!(list_pages(5, 10, 100), 10, "an empty account still answers one page");
        let plan = ideal("plan", 1000, 10, &PACE);
        assert_eq!((plan.requests, plan.wall_ms), (10, 50.0));
        let apply = ideal("apply", 1000, 10, &PACE);
        assert_eq!((apply.requests, apply.wall_ms), (3000, 100.0 * 1100.0));
        let destroy = ideal("destroy", 100, 10, &PACE);
        assert_eq!((destroy.requests, destroy.wall_ms), (10 + 200, 50.0 + 10.0 * 1100.0));
        assert_eq!(busiest_account(101, 10), 11);
    }
}
