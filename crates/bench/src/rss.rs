//! Peak resident memory of the provider processes Terraform starts: a sampler thread follows the terraform
//! process's children and keeps the largest `VmHWM` (the kernel's own high-water mark of RSS) it reads. It also
//! keeps their CPU time (user + system), a cheap profile: how much of a command's wall time is the provider's.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the children are looked at. The high-water mark is kept by the kernel, so sampling only has to
/// catch each process alive; growth in its last interval before exit can be missed.
const SAMPLE_EVERY: Duration = Duration::from_millis(10);

/// Watches the children of one process whose executable name contains `name`.
pub struct PeakRssSampler {
    stop: Arc<AtomicBool>,
    peak_kib: Arc<AtomicU64>,
    processes: Arc<AtomicU64>,
    cpu_ticks: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

/// What a sampler saw.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeakRss {
    pub peak_kib: u64,
    /// How many distinct matching processes were seen.
    pub processes: u64,
    /// Their CPU time (user + system) as last sampled, in milliseconds.
    pub cpu_ms: u64,
}

/// `/proc/<pid>/stat` counts CPU time in clock ticks: USER_HZ, 100 on Linux.
const MS_PER_TICK: u64 = 10;

impl PeakRssSampler {
    pub fn start(parent_pid: u32, name: &'static str) -> PeakRssSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak_kib = Arc::new(AtomicU64::new(0));
        let processes = Arc::new(AtomicU64::new(0));
        let cpu_ticks = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, peak_kib, processes, cpu_ticks) =
                (stop.clone(), peak_kib.clone(), processes.clone(), cpu_ticks.clone());
            std::thread::spawn(move || {
                // Last CPU time seen per process: a process's total is its last sample before it exits.
                let mut ticks: HashMap<u32, u64> = HashMap::new();
                while !stop.load(Ordering::Relaxed) {
                    for pid in children(parent_pid) {
                        if !executable_matches(pid, name) {
                            continue;
                        }
                        if let Some(kib) = status_kib(pid, "VmHWM:") {
                            peak_kib.fetch_max(kib, Ordering::Relaxed);
                        }
                        let used = cpu_time_ticks(pid);
                        let entry = ticks.entry(pid).or_insert_with(|| {
                            processes.fetch_add(1, Ordering::Relaxed);
                            0
                        });
                        *entry = (*entry).max(used.unwrap_or(0));
                    }
                    cpu_ticks.store(ticks.values().sum(), Ordering::Relaxed);
                    std::thread::sleep(SAMPLE_EVERY);
                }
            })
        };
        PeakRssSampler { stop, peak_kib, processes, cpu_ticks, thread: Some(thread) }
    }

    pub fn finish(mut self) -> PeakRss {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        PeakRss {
            peak_kib: self.peak_kib.load(Ordering::Relaxed),
            processes: self.processes.load(Ordering::Relaxed),
            cpu_ms: self.cpu_ticks.load(Ordering::Relaxed) * MS_PER_TICK,
        }
    }
}

impl Drop for PeakRssSampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The direct children of a process, from every one of its threads (Go forks from any thread).
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    let mut out = Vec::new();
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            out.extend(text.split_whitespace().filter_map(|p| p.parse::<u32>().ok()));
        }
    }
    out
}

/// Whether the program a process was started as (argv[0], not the symlink-resolved executable: Terraform runs
/// providers through links in .terraform/providers) has `name` in its file name.
fn executable_matches(pid: u32, name: &str) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|cmdline| {
            let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
            let argv0 = String::from_utf8_lossy(argv0);
            argv0.rsplit('/').next().is_some_and(|file| file.contains(name))
        })
        .unwrap_or(false)
}

/// CPU time of this process (`own`: utime + stime; with the emulator running in-process, mostly the emulator's)
/// and of its waited-for children and their descendants (`children`: cutime + cstime), so far.
pub fn self_cpu() -> (Duration, Duration) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let ticks = parse_stat_ticks(&stat);
    let ms = |t: u64| Duration::from_millis(t * MS_PER_TICK);
    match ticks {
        Some([utime, stime, cutime, cstime]) => (ms(utime + stime), ms(cutime + cstime)),
        None => (Duration::ZERO, Duration::ZERO),
    }
}

/// utime + stime of a process, in clock ticks.
fn cpu_time_ticks(pid: u32) -> Option<u64> {
    parse_stat_cpu_ticks(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

fn parse_stat_cpu_ticks(stat: &str) -> Option<u64> {
    parse_stat_ticks(stat).map(|[utime, stime, _, _]| utime + stime)
}

/// Fields 14-17 of `/proc/<pid>/stat` (utime, stime, cutime, cstime), counted after the command name (which may
/// hold spaces and parentheses).
fn parse_stat_ticks(stat: &str) -> Option<[u64; 4]> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let mut out = [0u64; 4];
    for slot in &mut out {
        *slot = fields.next()?.parse().ok()?;
    }
    Some(out)
}

/// A `kB` field of `/proc/<pid>/status` (`VmHWM:`, `VmRSS:`).
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_status_kib(&status, field)
}

fn parse_status_kib(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| line.strip_prefix(field)?.split_whitespace().next()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_fields() {
        let status = "Name:\tx\nVmHWM:\t   12345 kB\nVmRSS:\t    2048 kB\n";
        assert_eq!(parse_status_kib(status, "VmHWM:"), Some(12345));
        assert_eq!(parse_status_kib(status, "VmRSS:"), Some(2048));
        assert_eq!(parse_status_kib(status, "VmSwap:"), None);
    }

    #[test]
    fn parses_cpu_time_after_an_odd_command_name() {
        let stat = "42 (a) b (c) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 5 6 20 0 1 0 5 1000 200";
        assert_eq!(parse_stat_cpu_ticks(stat), Some(10));
        assert_eq!(parse_stat_ticks(stat), Some([7, 3, 5, 6]));
        assert_eq!(parse_stat_cpu_ticks("garbage"), None);
    }

    #[test]
    fn sees_a_child_process_and_its_peak() {
        let mut child = std::process::Command::new("sleep").arg("1").spawn().expect("spawn sleep");
        let sampler = PeakRssSampler::start(std::process::id(), "sleep");
        std::thread::sleep(Duration::from_millis(100));
        let seen = sampler.finish();
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(seen.processes, 1);
        assert!(seen.peak_kib > 0);
    }
}
