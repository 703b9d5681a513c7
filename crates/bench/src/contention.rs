//! (e) Many routers in one account while every operation takes a while: ARM serialises writes per account
//! (409 `RequestConflict` for a second writer), so the best possible apply is the operations back to back.

use crate::config;
use crate::emulator::BenchEmulator;
use crate::error::BenchError;
use crate::stats::millis;
use crate::terraform::{APPLY, Mirror, Workdir};

#[derive(Debug, Clone, serde::Serialize)]
pub struct ContentionResult {
    pub routers: usize,
    pub operation_ms: u64,
    /// `routers × operation_ms`: every operation back to back, nothing else.
    pub serial_optimum_ms: f64,
    pub apply_ms: f64,
    pub ratio: f64,
    /// 409 answers the emulator gave (the provider waits for its own writes instead of colliding).
    pub conflicts: usize,
    /// Other error answers (4xx except the create's 404 exists-checks, 5xx, dropped connections).
    pub error_answers: usize,
    /// `Error:` diagnostics terraform printed.
    pub terraform_errors: usize,
    pub terraform_exit_code: i32,
}

pub fn measure(mirror: &Mirror, routers: usize, operation_ms: u64) -> Result<ContentionResult, BenchError> {
    let accounts = config::account_ids(1);
    let emulator = BenchEmulator::start(&accounts, operation_ms)?;
    let workdir = Workdir::new(mirror, &config::routers(&emulator.base_url(), &accounts, routers))?;
    workdir.init()?;
    emulator.clear_requests();
    let finished = workdir.run(APPLY)?;
    let log = emulator.requests();
    let conflicts = log.iter().filter(|r| r.status == 409).count();
    let error_answers = log
        .iter()
        .filter(|r| r.status != 409)
        .filter(|r| r.status == 0 || r.status >= 500 || (r.status >= 400 && !(r.method == "GET" && r.status == 404)))
        .count();
    let serial_optimum_ms = (routers as u64 * operation_ms) as f64;
    let apply_ms = millis(finished.elapsed);
    Ok(ContentionResult {
        routers,
        operation_ms,
        serial_optimum_ms,
        apply_ms,
        ratio: if serial_optimum_ms > 0.0 { apply_ms / serial_optimum_ms } else { 0.0 },
        conflicts,
        error_answers,
        terraform_errors: finished.output.matches("Error:").count(),
        terraform_exit_code: finished.code,
    })
}
