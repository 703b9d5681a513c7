//! The same as the root package's `modelrouter-emulator` binary, runnable from this crate alone:
//! `cargo run -p modelrouter-emulator --example emulator -- --help`.
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    modelrouter_emulator::run_cli(std::env::args().skip(1).collect()).await
}
