//! What can stop a benchmark run.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("binary not found: {0} (build it first: scripts/bench.sh does)")]
    MissingBinary(PathBuf),
    #[error("`terraform {command}` in {dir} exited with {code}:\n{output}")]
    Terraform { command: String, dir: PathBuf, code: i32, output: String },
    #[error("plugin {binary} printed no handshake line ({detail})")]
    Handshake { binary: PathBuf, detail: String },
    #[error("emulator: {0}")]
    Emulator(#[from] modelrouter_emulator::EmulatorError),
    #[error("client certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("invalid arguments: {0}")]
    Usage(String),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl BenchError {
    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BenchError {
        let what = what.into();
        move |source| BenchError::Io { what, source }
    }
}
