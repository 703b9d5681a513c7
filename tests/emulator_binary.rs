//! The `modelrouter-emulator` binary as the README runs it by hand (`cargo run --bin modelrouter-emulator -- --token
//! demo-token`): it lives in the emulator package, so this package finds it through `support::emulator_binary()`.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use modelrouter_emulator::DEMO_ACCOUNT_ID;

/// Kills the emulator when the test ends, whatever happens.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_emulator_binary_prints_its_base_url_and_serves_the_demo_account_with_the_given_token() {
    let mut child = Command::new(support::emulator_binary())
        .args(["--token", "demo-token"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start modelrouter-emulator");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let mut base = String::new();
    BufReader::new(stdout).read_line(&mut base).expect("the first stdout line");
    let base = base.trim().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "the first line is the base URL on loopback: {base:?}");

    let url = format!("{base}{DEMO_ACCOUNT_ID}/deployments?api-version=2026-09-01");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let (with_token, without_token) = runtime.block_on(async {
        let client = reqwest::Client::new();
        let with_token = client.get(&url).bearer_auth("demo-token").send().await.expect("GET with the token");
        let status = with_token.status().as_u16();
        let body: serde_json::Value = with_token.json().await.expect("a JSON list");
        let without = client.get(&url).bearer_auth("another-token").send().await.expect("GET with another token");
        ((status, body), without.status().as_u16())
    });
    assert_eq!(with_token.0, 200, "{}", with_token.1);
    assert_eq!(with_token.1["value"], serde_json::json!([]), "the demo account starts empty");
    assert_eq!(without_token, 401, "only the given token is accepted");
    drop(running);
}
