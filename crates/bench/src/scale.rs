//! (b) `terraform apply` then a full-refresh `terraform plan` of N routers against N `terraform_data`
//! resources, alternating the two; (c) the provider processes' peak RSS meanwhile.

use std::time::Duration;

use crate::config;
use crate::emulator::BenchEmulator;
use crate::error::BenchError;
use crate::rss::{PeakRss, PeakRssSampler};
use crate::stats::{median, millis};
use crate::terraform::{APPLY, Mirror, PLAN, Workdir};

const PROVIDER_EXECUTABLE: &str = "terraform-provider-modelrouter";

/// Medians for one N.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScaleResult {
    pub resources: usize,
    pub accounts: usize,
    pub repetitions: usize,
    pub ours_apply_ms: f64,
    pub floor_apply_ms: f64,
    pub ours_plan_ms: f64,
    pub floor_plan_ms: f64,
    pub apply_ratio: f64,
    pub plan_ratio: f64,
    /// Every sample, in run order, for the record.
    pub ours_apply_samples_ms: Vec<f64>,
    pub floor_apply_samples_ms: Vec<f64>,
    pub ours_plan_samples_ms: Vec<f64>,
    pub floor_plan_samples_ms: Vec<f64>,
    /// Largest VmHWM of any provider process during these runs.
    pub provider_peak_rss_kib: u64,
    /// Provider processes started per apply+plan pair (Terraform starts one per graph walk).
    pub provider_processes_per_pair: f64,
    /// CPU time (user + system) of all provider processes of one command, median.
    pub provider_cpu_apply_ms: f64,
    pub provider_cpu_plan_ms: f64,
    /// CPU time of terraform itself (its providers' subtracted) per command, median; floor alongside.
    pub terraform_cpu_apply_ms: f64,
    pub terraform_cpu_plan_ms: f64,
    pub floor_terraform_cpu_apply_ms: f64,
    pub floor_terraform_cpu_plan_ms: f64,
    /// CPU time of the in-process emulator (and the bench's sampler) per command, median.
    pub emulator_cpu_apply_ms: f64,
    pub emulator_cpu_plan_ms: f64,
}

#[derive(Default)]
struct Samples {
    apply: Vec<Duration>,
    plan: Vec<Duration>,
    /// Provider CPU time per command (ours only).
    apply_cpu: Vec<Duration>,
    plan_cpu: Vec<Duration>,
    /// Terraform's own CPU time per command (providers excluded).
    apply_terraform_cpu: Vec<Duration>,
    plan_terraform_cpu: Vec<Duration>,
    apply_bench_cpu: Vec<Duration>,
    plan_bench_cpu: Vec<Duration>,
}

/// Runs `repetitions` apply+plan pairs of each configuration, in alternating order.
pub fn measure(
    mirror: &Mirror,
    emulator: &BenchEmulator,
    accounts: &[String],
    resources: usize,
    repetitions: usize,
) -> Result<ScaleResult, BenchError> {
    let ours = Workdir::new(mirror, &config::routers(&emulator.base_url(), accounts, resources))?;
    let floor = Workdir::new(mirror, &config::floor(accounts, resources))?;
    ours.init()?;
    floor.init()?;

    let (mut ours_samples, mut floor_samples) = (Samples::default(), Samples::default());
    let mut peak = PeakRss::default();
    for repetition in 0..repetitions {
        let ours_first = repetition % 2 == 0;
        for run_ours in [ours_first, !ours_first] {
            if run_ours {
                emulator.reset();
                let seen = pair(&ours, &mut ours_samples, true)?;
                peak.peak_kib = peak.peak_kib.max(seen.peak_kib);
                peak.processes += seen.processes;
            } else {
                pair(&floor, &mut floor_samples, false)?;
            }
        }
        eprintln!(
            "  N={resources} repetition {}/{repetitions}: ours apply {:.0} ms plan {:.0} ms, floor apply {:.0} ms \
             plan {:.0} ms",
            repetition + 1,
            millis(*ours_samples.apply.last().unwrap_or(&Duration::ZERO)),
            millis(*ours_samples.plan.last().unwrap_or(&Duration::ZERO)),
            millis(*floor_samples.apply.last().unwrap_or(&Duration::ZERO)),
            millis(*floor_samples.plan.last().unwrap_or(&Duration::ZERO)),
        );
    }
    emulator.reset();

    let ratio = |a: Duration, b: Duration| if b.is_zero() { 0.0 } else { a.as_secs_f64() / b.as_secs_f64() };
    let all = |samples: &[Duration]| samples.iter().copied().map(millis).collect::<Vec<_>>();
    Ok(ScaleResult {
        resources,
        accounts: accounts.len(),
        repetitions,
        ours_apply_ms: millis(median(&ours_samples.apply)),
        floor_apply_ms: millis(median(&floor_samples.apply)),
        ours_plan_ms: millis(median(&ours_samples.plan)),
        floor_plan_ms: millis(median(&floor_samples.plan)),
        apply_ratio: ratio(median(&ours_samples.apply), median(&floor_samples.apply)),
        plan_ratio: ratio(median(&ours_samples.plan), median(&floor_samples.plan)),
        ours_apply_samples_ms: all(&ours_samples.apply),
        floor_apply_samples_ms: all(&floor_samples.apply),
        ours_plan_samples_ms: all(&ours_samples.plan),
        floor_plan_samples_ms: all(&floor_samples.plan),
        provider_peak_rss_kib: peak.peak_kib,
        provider_processes_per_pair: peak.processes as f64 / repetitions.max(1) as f64,
        provider_cpu_apply_ms: millis(median(&ours_samples.apply_cpu)),
        provider_cpu_plan_ms: millis(median(&ours_samples.plan_cpu)),
        terraform_cpu_apply_ms: millis(median(&ours_samples.apply_terraform_cpu)),
        terraform_cpu_plan_ms: millis(median(&ours_samples.plan_terraform_cpu)),
        floor_terraform_cpu_apply_ms: millis(median(&floor_samples.apply_terraform_cpu)),
        floor_terraform_cpu_plan_ms: millis(median(&floor_samples.plan_terraform_cpu)),
        emulator_cpu_apply_ms: millis(median(&ours_samples.apply_bench_cpu)),
        emulator_cpu_plan_ms: millis(median(&ours_samples.plan_bench_cpu)),
    })
}

/// From empty state: a timed apply that creates everything, then a timed full-refresh plan that must find no
/// change. With `watch`, the provider processes' memory is sampled throughout.
fn pair(workdir: &Workdir, samples: &mut Samples, watch: bool) -> Result<PeakRss, BenchError> {
    workdir.forget_state()?;
    let mut seen = PeakRss::default();
    for (args, is_apply) in [(APPLY, true), (PLAN, false)] {
        let mut sampler = None;
        let finished = workdir.expect_watched(args, &[0], |child| {
            if watch {
                sampler = Some(PeakRssSampler::start(child.id(), PROVIDER_EXECUTABLE));
            }
        })?;
        let (wall, cpu, terraform_cpu, bench_cpu) = if is_apply {
            (&mut samples.apply, &mut samples.apply_cpu, &mut samples.apply_terraform_cpu, &mut samples.apply_bench_cpu)
        } else {
            (&mut samples.plan, &mut samples.plan_cpu, &mut samples.plan_terraform_cpu, &mut samples.plan_bench_cpu)
        };
        wall.push(finished.elapsed);
        bench_cpu.push(finished.bench_cpu);
        let mut provider_cpu = Duration::ZERO;
        if let Some(sampler) = sampler {
            let got = sampler.finish();
            seen.peak_kib = seen.peak_kib.max(got.peak_kib);
            seen.processes += got.processes;
            provider_cpu = Duration::from_millis(got.cpu_ms);
            cpu.push(provider_cpu);
        }
        terraform_cpu.push(finished.terraform_cpu.saturating_sub(provider_cpu));
    }
    Ok(seen)
}
