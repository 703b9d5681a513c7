//! Driving the real `terraform` binary: a filesystem mirror holding the provider under test, and working
//! directories whose commands are timed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::BenchError;
use crate::rss::self_cpu;

/// Variables a developer's shell may hold that would change what is measured (logging, caches, other configs).
const HOST_ENV_TO_CLEAR: &[&str] = &[
    "TF_CLI_CONFIG_FILE",
    "TF_LOG",
    "TF_LOG_CORE",
    "TF_LOG_PROVIDER",
    "TF_LOG_PATH",
    "TF_DISABLE_PLUGIN_TLS",
    "TF_PLUGIN_CACHE_DIR",
    "TF_DATA_DIR",
    "TF_CLI_ARGS",
    "TF_CLI_ARGS_plan",
    "TF_CLI_ARGS_apply",
    "ARM_ACCESS_TOKEN",
    "ARM_RESOURCE_MANAGER_ENDPOINT",
];

/// A filesystem mirror with the provider binary under test, and a CLI config that installs only from it.
pub struct Mirror {
    dir: tempfile::TempDir,
}

impl Mirror {
    pub fn new(provider_binary: &Path, version: &str) -> Result<Mirror, BenchError> {
        let dir = tempfile::tempdir().map_err(BenchError::io("temp dir for the mirror"))?;
        let platform = format!("{}_{}", std::env::consts::OS, go_arch());
        let package = dir.path().join("registry.terraform.io/modelrouter/modelrouter").join(version).join(platform);
        std::fs::create_dir_all(&package).map_err(BenchError::io("create the mirror"))?;
        std::os::unix::fs::symlink(provider_binary, package.join(format!("terraform-provider-modelrouter_v{version}")))
            .map_err(BenchError::io("link the provider into the mirror"))?;
        let config = format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = \
             [\"registry.terraform.io/modelrouter/modelrouter\"]\n  }}\n  direct {{\n    exclude = \
             [\"registry.terraform.io/modelrouter/modelrouter\"]\n  }}\n}}\n",
            dir.path().display()
        );
        std::fs::write(dir.path().join("terraformrc"), config).map_err(BenchError::io("write the CLI config"))?;
        Ok(Mirror { dir })
    }

    pub fn cli_config(&self) -> PathBuf {
        self.dir.path().join("terraformrc")
    }
}

fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

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
        let dir = tempfile::tempdir().map_err(BenchError::io("temp workdir"))?;
        std::fs::write(dir.path().join("main.tf"), main_tf).map_err(BenchError::io("write main.tf"))?;
        Ok(Workdir { dir, cli_config: mirror.cli_config() })
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("terraform");
        command.args(args).current_dir(self.dir.path());
        for key in HOST_ENV_TO_CLEAR {
            command.env_remove(key);
        }
        command
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
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
