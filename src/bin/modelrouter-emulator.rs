//! `modelrouter-emulator`: a local stand-in for the Azure Resource Manager endpoints the provider calls.
//! Everything lives in the `modelrouter-emulator` crate; this binary only hands it the command line.
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    modelrouter_emulator::run_cli(std::env::args().skip(1).collect()).await
}
