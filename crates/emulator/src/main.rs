//! `modelrouter-emulator`: a local stand-in for the Azure Resource Manager endpoints the provider calls.
//! Everything lives in this crate's library; the binary only hands it the command line. It is a package of its own
//! so that the provider's normal dependency graph carries no HTTP server stack.
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    modelrouter_emulator::run_cli(std::env::args().skip(1).collect()).await
}
