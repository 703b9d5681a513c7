//! (f) Azure's template validation at plan: validate calls per `terraform plan` and per `terraform apply` of N
//! creates, and the plan time they add when every ARM request takes a fixed latency (the emulator's `Delay` fault
//! on every request).

use modelrouter_emulator::{FaultAction, FaultRule};

use crate::config;
use crate::emulator::BenchEmulator;
use crate::error::BenchError;
use crate::requests::RequestKind;
use crate::stats::{median, millis};
use crate::terraform::{APPLY, Mirror, PLAN, Workdir};

#[derive(Debug, Clone, serde::Serialize)]
pub struct ValidationRow {
    pub resources: usize,
    pub latency_ms: u64,
    pub repetitions: usize,
    /// Template validations one `terraform plan` of the creates made.
    pub validations_per_plan: usize,
    /// Template validations one `terraform apply` of the creates made (its plan, then each resource's own plan
    /// right before the write).
    pub validations_per_apply: usize,
    /// Median `terraform plan` wall time, every request (validation included) `latency_ms` late.
    pub plan_ms: f64,
    /// The same, with the validation answered at once: what the plan costs without the validation's latency.
    pub plan_ms_instant_validation: f64,
    /// `plan_ms - plan_ms_instant_validation`.
    pub added_ms: f64,
}

/// Every request to the Cognitive Services routes `ms` late, and (with `validation`) the template validation too.
fn latency(emulator: &BenchEmulator, ms: u64, validation: bool) {
    emulator.reset();
    let late = |path: &str| FaultRule {
        method: None,
        path_contains: Some(path.into()),
        times: 0,
        action: FaultAction::Delay { ms },
    };
    emulator.inject(late("/providers/Microsoft.CognitiveServices/"));
    if validation {
        emulator.inject(late("/validate"));
    }
}

fn validations(emulator: &BenchEmulator) -> usize {
    emulator.requests().iter().filter(|r| RequestKind::of(r) == RequestKind::TemplateValidation).count()
}

pub fn measure(
    mirror: &Mirror,
    accounts: &[String],
    resources: usize,
    repetitions: usize,
    latency_ms: u64,
) -> Result<ValidationRow, BenchError> {
    let emulator = BenchEmulator::start(accounts, 0)?;
    let workdir = Workdir::new(mirror, &config::routers(&emulator.base_url(), accounts, resources))?;
    workdir.init()?;
    let mut plan_ms = [0.0; 2];
    let mut validations_per_plan = 0;
    for (index, validation_late) in [true, false].into_iter().enumerate() {
        latency(&emulator, latency_ms, validation_late);
        let mut samples = Vec::new();
        for _ in 0..repetitions {
            emulator.clear_requests();
            samples.push(workdir.expect(PLAN, &[2])?.elapsed);
            validations_per_plan = validations(&emulator);
        }
        plan_ms[index] = millis(median(&samples));
    }
    emulator.reset();
    workdir.expect(APPLY, &[0])?;
    let validations_per_apply = validations(&emulator);
    Ok(ValidationRow {
        resources,
        latency_ms,
        repetitions,
        validations_per_plan,
        validations_per_apply,
        plan_ms: plan_ms[0],
        plan_ms_instant_validation: plan_ms[1],
        added_ms: plan_ms[0] - plan_ms[1],
    })
}
