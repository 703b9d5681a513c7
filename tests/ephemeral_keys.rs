//! `ephemeral "modelrouter_account_keys"` with the real `terraform`: the key configures a second provider block
//! (the emulator, run without a fixed token, accepts any bearer, so the key can stand in for one) whose resource
//! is created with it, and the key is in neither the plan file, the state nor a TF_LOG=trace log.

mod support;

use support::{ACCOUNT, REQUIRED_PROVIDERS, TOKEN, TestEmulator, Workdir};

fn config(emu: &TestEmulator) -> String {
    let url = emu.emulator.base_url();
    format!(
        r#"{REQUIRED_PROVIDERS}
provider "modelrouter" {{
  resource_manager_endpoint = "{url}"
  access_token              = "{TOKEN}"
}}

ephemeral "modelrouter_account_keys" "foundry" {{
  cognitive_account_id = "{ACCOUNT}"
}}

# A second configuration of the provider, configured with the ephemeral key.
provider "modelrouter" {{
  alias                     = "with_key"
  resource_manager_endpoint = "{url}"
  access_token              = ephemeral.modelrouter_account_keys.foundry.key1
}}

resource "modelrouter_deployment" "r" {{
  provider             = modelrouter.with_key
  name                 = "router-keyed"
  cognitive_account_id = "{ACCOUNT}"
}}
"#
    )
}

/// The account's keys, asked of the emulator directly.
fn account_keys(emu: &TestEmulator) -> (String, String) {
    let url = format!("{}{ACCOUNT}/listKeys?api-version=2026-09-01", emu.emulator.base_url());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let body: serde_json::Value = runtime.block_on(async {
        let response = reqwest::Client::new().post(&url).bearer_auth(TOKEN).send().await.expect("listKeys");
        assert!(response.status().is_success(), "listKeys: {}", response.status());
        response.json().await.expect("JSON keys")
    });
    (body["key1"].as_str().unwrap().to_owned(), body["key2"].as_str().unwrap().to_owned())
}

/// Every file of the plan (a zip archive), uncompressed.
fn plan_contents(wd: &Workdir, plan: &str) -> String {
    let out = std::process::Command::new("unzip").arg("-p").arg(wd.path().join(plan)).output().expect("unzip on PATH");
    assert!(out.status.success(), "unzip -p {plan}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_ephemeral_key_configures_a_provider_and_reaches_no_plan_state_or_log() {
    let emu = TestEmulator::start_with(|options| options.static_token = None);
    let (key1, key2) = account_keys(&emu);
    let mut wd = Workdir::new(&config(&emu));
    wd.init();
    let log = wd.path().join("trace.log");
    wd.set_env("TF_LOG", "trace");
    wd.set_env("TF_LOG_PATH", log.to_str().unwrap());

    wd.ok(&["plan", "-no-color", "-input=false", "-out=tfplan"]);
    wd.ok(&["apply", "-no-color", "-input=false", "tfplan"]);

    // The key worked: the router was created by the provider configured with it.
    assert!(emu.stored("router-keyed").is_some());
    let puts = emu.requests("PUT");
    let put = puts.iter().find(|r| r.path.ends_with("/deployments/router-keyed")).expect("the PUT");
    assert_eq!(put.bearer_token.as_deref(), Some(key1.as_str()), "the PUT carried key1 as its token");
    assert!(emu.requests("POST").iter().any(|r| r.path.ends_with("/listKeys")), "opened with listKeys");

    let plan = plan_contents(&wd, "tfplan");
    let state = std::fs::read_to_string(wd.path().join("terraform.tfstate")).expect("state file");
    let trace = std::fs::read_to_string(&log).expect("trace log");
    assert!(trace.contains("OpenEphemeralResource"), "the trace log covers the ephemeral resource");
    assert!(state.contains("router-keyed"), "the state holds the router");
    for (what, text) in [("plan file", &plan), ("state", &state), ("TF_LOG=trace output", &trace)] {
        for (name, key) in [("key1", &key1), ("key2", &key2)] {
            assert!(!text.contains(key.as_str()), "{name} leaked into the {what}");
        }
    }

    // A later plan opens the keys again and finds nothing to do.
    let out = wd.plan(&[]);
    assert_eq!(out.code, 0, "{out:?}");
}
