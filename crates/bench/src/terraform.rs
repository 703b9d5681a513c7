//! Driving the real `terraform` binary: working directories whose commands are timed, on the shared harness
//! (`tf-harness`: the mirror holding the provider under test, the directory, the clean environment).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::BenchError;
use crate::rss::self_cpu;

pub use tf_harness::Mirror;

/// One Terraform working directory.
pub struct Workdir {
    dir: tempfile::TempDir,
    cli_config: PathBuf,
}

/// A finished terraform command: its wall time and what it printed.
pub struct Finished {
    pub elapsed: Duration,
    /// CPU time of terraform and every process it started and waited for (providers included).
    pub terraform_cpu: Duration,
    /// CPU time of this process meanwhile (the in-process emulator, the samplers).
    pub bench_cpu: Duration,
    pub code: i32,
    pub output: String,
}

impl Workdir {
    pub fn new(mirror: &Mirror, main_tf: &str) -> Result<Workdir, BenchError> {
        let dir = tf_harness::workdir(main_tf).map_err(BenchError::io("temp workdir with main.tf"))?;
        Ok(Workdir { dir, cli_config: mirror.cli_config() })
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = tf_harness::terraform(self.dir.path(), &self.cli_config, args);
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        command
    }

    /// Starts a command; `on_start` sees the terraform process (to watch its plugin children) until it ends.
    pub fn run_watched(&self, args: &[&str], on_start: impl FnOnce(&Child)) -> Result<Finished, BenchError> {
        let (own_before, children_before) = self_cpu();
        let started = Instant::now();
        let child = self.command(args).spawn().map_err(BenchError::io("run terraform (is it on PATH?)"))?;
        on_start(&child);
        let output = child.wait_with_output().map_err(BenchError::io("wait for terraform"))?;
        let elapsed = started.elapsed();
        let (own_after, children_after) = self_cpu();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        Ok(Finished {
            elapsed,
            terraform_cpu: children_after.saturating_sub(children_before),
            bench_cpu: own_after.saturating_sub(own_before),
            code: output.status.code().unwrap_or(-1),
            output: text,
        })
    }

    pub fn run(&self, args: &[&str]) -> Result<Finished, BenchError> {
        self.run_watched(args, |_| {})
    }

    /// Runs a command that must exit with one of `expected` codes.
    pub fn expect(&self, args: &[&str], expected: &[i32]) -> Result<Finished, BenchError> {
        self.expect_watched(args, expected, |_| {})
    }

    pub fn expect_watched(
        &self,
        args: &[&str],
        expected: &[i32],
        on_start: impl FnOnce(&Child),
    ) -> Result<Finished, BenchError> {
        let finished = self.run_watched(args, on_start)?;
        if expected.contains(&finished.code) {
            Ok(finished)
        } else {
            Err(BenchError::Terraform {
                command: args.join(" "),
                dir: self.dir.path().to_path_buf(),
                code: finished.code,
                output: tail(&finished.output, 4000),
            })
        }
    }

    pub fn init(&self) -> Result<(), BenchError> {
        self.expect(&["init", "-no-color", "-input=false"], &[0]).map(|_| ())
    }

    /// Forgets every resource (the state files), so the next apply creates them all again.
    pub fn forget_state(&self) -> Result<(), BenchError> {
        for name in ["terraform.tfstate", "terraform.tfstate.backup"] {
            match std::fs::remove_file(self.dir.path().join(name)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(BenchError::Io { what: format!("remove {name}"), source: e }),
            }
        }
        Ok(())
    }
}

/// The last `max` bytes of a long output (on a character boundary): enough to see the error.
fn tail(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("…{}", &text[start..])
}

/// Terraform's arguments for the timed commands.
pub const APPLY: &[&str] = &["apply", "-no-color", "-input=false", "-auto-approve"];
/// A full-refresh plan that must find nothing to change (`-detailed-exitcode`: 0).
pub const PLAN: &[&str] = &["plan", "-no-color", "-input=false", "-detailed-exitcode"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_end_on_a_char_boundary() {
        assert_eq!(tail("short", 10), "short");
        assert_eq!(tail("abcdef", 3), "…def");
        assert_eq!(tail("aé", 1), "…");
    }
}
