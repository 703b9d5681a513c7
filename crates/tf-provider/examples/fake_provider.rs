//! A runnable plugin around the test provider: exercises the real handshake, AutoMTLS and exit codes
//! (tests/plugin_binary.rs spawns it). Run it by hand to see the "not a plugin" explanation.

use std::process::ExitCode;
use std::sync::Arc;

#[allow(dead_code)]
#[path = "../tests/support/fake.rs"]
mod fake;

fn main() -> ExitCode {
    tf_provider::serve(
        Arc::new(fake::FakeProvider::default()),
        tf_provider::ServeOptions { provider_name: "fake", version: "0.0.0" },
    )
}
