//! The run's results as JSON (everything, every sample) and as a Markdown table (each figure against its target).

use std::fmt::Write as _;

use crate::contention::ContentionResult;
use crate::handshake::StartTimes;
use crate::machine::Machine;
use crate::requests::{StepRequests, trim_float};
use crate::scale::ScaleResult;
use crate::validation::ValidationRow;

/// Targets of issue 7 (measured, not asserted).
pub const START_TARGET_MS: f64 = 5.0;
pub const RATIO_TARGET: f64 = 1.2;
pub const RSS_TARGET_KIB: u64 = 20 * 1024;
pub const CONTENTION_TARGET: f64 = 1.05;

#[derive(Debug, Clone, serde::Serialize)]
pub struct StartRow {
    pub provider: String,
    pub times: StartTimes,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub machine: Machine,
    pub command: String,
    pub plugin_start: Vec<StartRow>,
    pub scale: Vec<ScaleResult>,
    pub requests: Vec<StepRequests>,
    pub contention: Option<ContentionResult>,
    pub validation: Vec<ValidationRow>,
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MB", kib as f64 / 1024.0)
}

impl Report {
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let m = &self.machine;
        let _ = writeln!(
            md,
            "Run {} on {} × {} ({} MiB RAM, Linux {}), {}; load average {:.2} at the start, {:.2} at the end.\n",
            m.date_utc, m.cpus, m.cpu_model, m.memory_mib, m.kernel, m.terraform, m.load_start, m.load_end
        );
        let _ = writeln!(md, "Command: `{}`\n", self.command);
        md.push_str("| figure | measured | reference | target | |\n|---|---|---|---|---|\n");
        self.start_rows(&mut md);
        self.scale_rows(&mut md);
        self.request_rows(&mut md);
        self.contention_rows(&mut md);
        self.validation_rows(&mut md);
        md
    }

    fn start_rows(&self, md: &mut String) {
        for row in &self.plugin_start {
            let t = &row.times;
            let cert = if t.client_cert { "with client cert (AutoMTLS)" } else { "no client cert" };
            let ours = row.provider == "modelrouter";
            let (target, met) = if ours {
                (format!("≤ {START_TARGET_MS} ms"), verdict(t.median_ms <= START_TARGET_MS))
            } else {
                ("reference".to_owned(), "")
            };
            let _ = writeln!(
                md,
                "| (a) start {} {cert}, exec → handshake line, median of {} | {:.2} ms (min {:.2}, max {:.2}); RSS {} \
                 | | {target} | {met} |",
                row.provider,
                t.runs,
                t.median_ms,
                t.min_ms,
                t.max_ms,
                mib(t.rss_at_handshake_kib)
            );
        }
    }

    fn scale_rows(&self, md: &mut String) {
        for s in &self.scale {
            let large = s.resources == self.scale.iter().map(|s| s.resources).max().unwrap_or(0);
            for (what, ours, floor, ratio) in [
                ("apply", s.ours_apply_ms, s.floor_apply_ms, s.apply_ratio),
                ("plan (refresh)", s.ours_plan_ms, s.floor_plan_ms, s.plan_ratio),
            ] {
                let (target, met) = if large {
                    (format!("ratio ≤ {RATIO_TARGET}"), verdict(ratio <= RATIO_TARGET))
                } else {
                    ("(shown)".to_owned(), "")
                };
                let _ = writeln!(
                    md,
                    "| (b) `terraform {what}`, N = {} over {} accounts, median of {} | {:.2} s | floor {:.2} s; \
                     **ratio {:.2}** | {target} | {met} |",
                    s.resources,
                    s.accounts,
                    s.repetitions,
                    ours / 1000.0,
                    floor / 1000.0,
                    ratio
                );
            }
        }
        for s in &self.scale {
            let _ = writeln!(
                md,
                "| (b) profile, N = {}: CPU time per command (user+sys) | apply: terraform {:.2} s + provider {:.2} s \
                 + emulator {:.2} s; plan: terraform {:.2} s + provider {:.2} s + emulator {:.2} s | floor terraform: \
                 apply {:.2} s, plan {:.2} s; {:.1} provider processes per apply+plan | (shown) | |",
                s.resources,
                s.terraform_cpu_apply_ms / 1000.0,
                s.provider_cpu_apply_ms / 1000.0,
                s.emulator_cpu_apply_ms / 1000.0,
                s.terraform_cpu_plan_ms / 1000.0,
                s.provider_cpu_plan_ms / 1000.0,
                s.emulator_cpu_plan_ms / 1000.0,
                s.floor_terraform_cpu_apply_ms / 1000.0,
                s.floor_terraform_cpu_plan_ms / 1000.0,
                s.provider_processes_per_pair
            );
        }
        if let Some(peak) = self.scale.iter().map(|s| s.provider_peak_rss_kib).max() {
            let per_n = self
                .scale
                .iter()
                .map(|s| format!("N={}: {}", s.resources, mib(s.provider_peak_rss_kib)))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                md,
                "| (c) provider peak RSS (VmHWM) during (b) | {} ({per_n}) | aws at handshake: see (a) | ≤ 20 MB | {} |",
                mib(peak),
                verdict(peak <= RSS_TARGET_KIB)
            );
        }
    }

    fn request_rows(&self, md: &mut String) {
        for step in &self.requests {
            let target = match step.step {
                "create" => "1 PUT + polls asked for + 1 GET",
                "refresh" => "1 GET",
                _ => "(shown)",
            };
            let _ = writeln!(
                md,
                "| (d) ARM requests per resource, {} (N = {} over {} accounts) | {} = **{}** | account GETs: {} for {} \
                 accounts; plan-time region reads (models + usages lists): {}; error answers: {} | {target} | |",
                step.step,
                step.resources,
                step.accounts,
                step.breakdown(),
                trim_float(step.per_resource),
                step.account_gets,
                step.accounts,
                step.preflight_reads,
                step.error_answers
            );
        }
    }

    fn contention_rows(&self, md: &mut String) {
        if let Some(c) = &self.contention {
            let _ = writeln!(
                md,
                "| (e) {} routers in one account, operations {} ms each: `terraform apply` | {:.2} s = **{:.3} ×** the \
                 serial optimum; 409s: {}, other error answers: {}, terraform errors: {} (exit {}) | serial optimum \
                 {:.1} s | ≤ {CONTENTION_TARGET} ×, 0 errors | {} |",
                c.routers,
                c.operation_ms,
                c.apply_ms / 1000.0,
                c.ratio,
                c.conflicts,
                c.error_answers,
                c.terraform_errors,
                c.terraform_exit_code,
                c.serial_optimum_ms / 1000.0,
                verdict(
                    c.ratio <= CONTENTION_TARGET
                        && c.error_answers == 0
                        && c.terraform_errors == 0
                        && c.terraform_exit_code == 0
                )
            );
        }
    }

    fn validation_rows(&self, md: &mut String) {
        for row in &self.validation {
            let _ = writeln!(
                md,
                "| (f) Azure validation, {} creates, every request {} ms late: `terraform plan` | {} validate calls per \
                 plan, {} per apply; plan {:.2} s, of which the validation's latency adds **{:.0} ms** | plan with the \
                 validation answered at once {:.2} s (median of {}) | one call per created resource per plan | |",
                row.resources,
                row.latency_ms,
                row.validations_per_plan,
                row.validations_per_apply,
                row.plan_ms / 1000.0,
                row.added_ms,
                row.plan_ms_instant_validation / 1000.0,
                row.repetitions,
            );
        }
    }
}
