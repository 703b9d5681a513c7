//! Acceptance-test harness: runs the real `terraform` binary in temporary directories against the provider
//! built by cargo, installed into a temporary filesystem mirror (AutoMTLS on, as for users).
#![allow(dead_code, unused_imports)] // each test binary uses a different part of the harness

pub mod consistency;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub const PROVIDER_BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-modelrouter");
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The `modelrouter-emulator` binary. It belongs to the `modelrouter-emulator` package, so cargo gives this package's
/// tests no `CARGO_BIN_EXE_` for it: it is looked up in the profile directory this test executable was built into
/// (`target/<profile>/deps/<test>` → `target/<profile>/`), where `cargo build --workspace` (scripts/test.sh) puts it.
pub fn emulator_binary() -> PathBuf {
    let test_executable = std::env::current_exe().expect("the test executable's path");
    let profile_dir = test_executable.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    let binary = profile_dir.join(format!("modelrouter-emulator{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.is_file(),
        "{} does not exist: build it first with `cargo build --workspace` (scripts/test.sh does) or \
         `cargo build -p modelrouter-emulator`",
        binary.display()
    );
    binary
}

pub use tf_harness::{mirror_cli_config, platform};

/// The filesystem mirror holding the freshly built provider (one per test process), with a CLI config that uses
/// only it.
pub fn mirror() -> &'static tf_harness::Mirror {
    static MIRROR: OnceLock<tf_harness::Mirror> = OnceLock::new();
    MIRROR.get_or_init(|| tf_harness::Mirror::new(Path::new(PROVIDER_BINARY), VERSION).expect("the provider mirror"))
}

/// What one terraform command printed.
pub struct TfOutput {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    fn from(output: Output) -> Self {
        TfOutput {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn combined(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// stdout and stderr with runs of white space folded to one space: Terraform wraps diagnostics at 80
    /// columns, so a phrase may straddle a line break.
    pub fn text(&self) -> String {
        self.combined().split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl std::fmt::Debug for TfOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}", self.code, self.stdout, self.stderr)
    }
}

/// One Terraform working directory.
pub struct Workdir {
    dir: tempfile::TempDir,
    /// Where terraform runs: the temporary directory or a directory under it.
    cwd: PathBuf,
    env: Vec<(String, String)>,
}

impl Workdir {
    pub fn new(main_tf: &str) -> Self {
        let dir = tf_harness::workdir(main_tf).expect("temp workdir with main.tf");
        Workdir { cwd: dir.path().to_owned(), dir, env: Vec::new() }
    }

    /// Runs terraform in `sub`, a directory under the temporary one (e.g. a copied tree whose modules refer to
    /// their siblings).
    pub fn in_subdirectory(mut self, sub: &Path) -> Self {
        self.cwd = self.dir.path().join(sub);
        self
    }

    pub fn path(&self) -> &Path {
        &self.cwd
    }

    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.cwd.join(name), content).expect("write file");
    }

    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.push((key.to_owned(), value.to_owned()));
    }

    /// A terraform command in this directory, with the test mirror and none of the host's TF_/ARM_ settings.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = tf_harness::terraform(&self.cwd, &mirror().cli_config(), args);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    pub fn run(&self, args: &[&str]) -> TfOutput {
        TfOutput::from(self.command(args).output().expect("run terraform (is it on PATH?)"))
    }

    /// Runs a command with `input` on its stdin (e.g. expressions for `terraform console`).
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> TfOutput {
        use std::io::Write as _;
        let mut child = self
            .command(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run terraform (is it on PATH?)");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        TfOutput::from(child.wait_with_output().expect("terraform finishes"))
    }

    /// Runs a command that must succeed.
    pub fn ok(&self, args: &[&str]) -> TfOutput {
        let out = self.run(args);
        assert_eq!(out.code, 0, "terraform {} failed:\n{out:?}", args.join(" "));
        out
    }

    pub fn init(&self) -> TfOutput {
        self.ok(&["init", "-no-color", "-input=false"])
    }

    pub fn apply(&self) -> TfOutput {
        self.ok(&["apply", "-no-color", "-auto-approve", "-input=false"])
    }

    pub fn destroy(&self) -> TfOutput {
        self.ok(&["destroy", "-no-color", "-auto-approve", "-input=false"])
    }

    /// `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes, 1 = error.
    pub fn plan(&self, extra: &[&str]) -> TfOutput {
        let mut args = vec!["plan", "-no-color", "-input=false", "-detailed-exitcode"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// The invariant after every apply: `plan` without and with refresh, and `plan -refresh-only`, are all empty.
    /// The last one also fails when a read changed only private state (Terraform reports that as a change that
    /// prints "No changes"), so every test that calls this asserts that a no-op read leaves private state as it was.
    pub fn assert_plan_empty(&self) {
        let out = self.plan(&["-refresh=false"]);
        assert_eq!(out.code, 0, "the non-refresh plan after apply was not empty:\n{out:?}");
        let out = self.plan(&[]);
        assert_eq!(out.code, 0, "the refresh plan after apply was not empty:\n{out:?}");
        let out = self.plan(&["-refresh-only"]);
        assert_eq!(out.code, 0, "plan -refresh-only after apply was not empty (a read changed state):\n{out:?}");
    }

    /// Each resource instance's private state in `terraform.tfstate` (address → base64 bytes).
    pub fn private_state(&self) -> Vec<(String, String)> {
        let Ok(text) = std::fs::read_to_string(self.path().join("terraform.tfstate")) else {
            return Vec::new();
        };
        let state: serde_json::Value = serde_json::from_str(&text).expect("terraform.tfstate is JSON");
        let mut private = Vec::new();
        for resource in state["resources"].as_array().into_iter().flatten() {
            let address =
                format!("{}.{}", resource["type"].as_str().unwrap_or(""), resource["name"].as_str().unwrap_or(""));
            for instance in resource["instances"].as_array().into_iter().flatten() {
                let bytes = instance["private"].as_str().unwrap_or("").to_owned();
                private.push((format!("{address}{}", instance["index_key"]), bytes));
            }
        }
        private
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.ok(args);
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("terraform {args:?} printed no JSON ({e}):\n{out:?}"))
    }

    pub fn outputs(&self) -> serde_json::Value {
        self.json(&["output", "-json"])
    }

    pub fn show(&self) -> serde_json::Value {
        self.json(&["show", "-json"])
    }
}

/// The `terraform { required_providers }` block every test configuration starts with.
pub const REQUIRED_PROVIDERS: &str = r#"
terraform {
  required_providers {
    modelrouter = {
      source = "modelrouter/modelrouter"
    }
  }
}
"#;

/// The account every acceptance test deploys into.
pub const ACCOUNT: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-acceptance/providers/Microsoft.CognitiveServices/accounts/foundry-acc";
/// The bearer token the test emulator accepts.
pub const TOKEN: &str = "acceptance-test-token";

/// The ARM emulator, running in this test process on its own runtime, for terraform to talk to.
pub struct TestEmulator {
    pub emulator: modelrouter_emulator::Emulator,
    _runtime: tokio::runtime::Runtime,
}

impl TestEmulator {
    pub fn start() -> Self {
        Self::start_with(|_| {})
    }

    pub fn start_with(configure: impl FnOnce(&mut modelrouter_emulator::EmulatorOptions)) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime for the emulator");
        let mut options = modelrouter_emulator::EmulatorOptions {
            accounts: vec![modelrouter_emulator::AccountSpec::new(ACCOUNT)],
            static_token: Some(TOKEN.to_owned()),
            ..Default::default()
        };
        configure(&mut options);
        let emulator = runtime.block_on(modelrouter_emulator::Emulator::start(options)).expect("start the emulator");
        TestEmulator { emulator, _runtime: runtime }
    }

    /// An emulator whose regions also offer `model-router` at `version` (as Azure does for a router version newer
    /// than the provider's catalog).
    pub fn offering_router_version(version: &str) -> Self {
        Self::start_with(|options| {
            let current = options.settings.offers.models[0].clone();
            options
                .settings
                .offers
                .models
                .push(modelrouter_emulator::ModelOffer { version: version.into(), ..current });
        })
    }

    /// An initialised working directory holding `resources` under this emulator's provider block.
    pub fn workdir(&self, resources: &str) -> Workdir {
        let wd = Workdir::new(&format!("{}\n{resources}", self.provider_block()));
        wd.init();
        wd
    }

    /// Replaces the configuration of `wd` (made by [`TestEmulator::workdir`]) with `resources`.
    pub fn set_resources(&self, wd: &Workdir, resources: &str) {
        wd.write("main.tf", &format!("{}\n{resources}", self.provider_block()));
    }

    /// A provider block pointing at this emulator.
    pub fn provider_block(&self) -> String {
        self.provider_block_with("")
    }

    /// A provider block pointing at this emulator, with `settings` (HCL lines) besides the endpoint and token.
    pub fn provider_block_with(&self, settings: &str) -> String {
        format!(
            "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{\n  resource_manager_endpoint = \"{}\"\n  access_token              = \"{TOKEN}\"\n{settings}}}\n",
            self.emulator.base_url()
        )
    }

    /// The api-versions of every ARM request so far (polls of long-running operations included).
    pub fn api_versions_used(&self) -> std::collections::BTreeSet<String> {
        self.emulator.requests().iter().filter_map(cognitive_services_api_version).collect()
    }

    /// The ARM requests with this method (PUT, GET, DELETE) so far.
    pub fn requests(&self, method: &str) -> Vec<modelrouter_emulator::RecordedRequest> {
        self.emulator.requests().into_iter().filter(|r| r.method == method).collect()
    }

    /// Writes (PUT/PATCH/DELETE) that reached the ARM routes.
    pub fn writes(&self) -> Vec<modelrouter_emulator::RecordedRequest> {
        self.emulator
            .requests()
            .into_iter()
            .filter(|r| matches!(r.method.as_str(), "PUT" | "PATCH" | "DELETE") && !r.path.starts_with("/admin"))
            .collect()
    }

    pub fn deployment_id(name: &str) -> String {
        format!("{ACCOUNT}/deployments/{name}")
    }

    pub fn stored(&self, name: &str) -> Option<serde_json::Value> {
        self.emulator.deployment(&Self::deployment_id(name))
    }
}

/// Every acceptance test checks, when its emulator goes away, that no PUT of the whole test carried a field the
/// published API marks read-only (`id`, `etag`, `systemData`, `provisioningState`, `callRateLimit`, ...).
impl Drop for TestEmulator {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let offending: Vec<String> = self
            .emulator
            .requests()
            .iter()
            .filter(|r| !r.read_only_fields.is_empty())
            .map(|r| format!("{} {} carried {:?}", r.method, r.path, r.read_only_fields))
            .collect();
        assert!(offending.is_empty(), "writes carried read-only fields:\n{}", offending.join("\n"));
    }
}

// ---- Inference helpers ------------------------------------------------------------------------------------------

impl TestEmulator {
    /// key1 and key2 of the test account, read with listKeys.
    pub fn account_keys(&self) -> (String, String) {
        let (status, keys) = self.http(reqwest::Method::POST, &format!("{ACCOUNT}/listKeys?api-version=2026-09-01"));
        assert_eq!(status, 200, "listKeys: {keys}");
        let key = |name: &str| keys[name].as_str().unwrap_or_else(|| panic!("{name} in {keys}")).to_owned();
        (key("key1"), key("key2"))
    }

    /// Sends a chat completion the way a LiteLLM `model_list` entry says: `POST {api_base}chat/completions` with the
    /// deployment as `model` and the account's key1 (read with listKeys, as the ephemeral resource does) as
    /// `api-key`. Returns the response body.
    pub fn chat_as_entry(&self, api_base: &str, deployment: &str, prompt: &str) -> serde_json::Value {
        let (status, keys) = self.http(reqwest::Method::POST, &format!("{ACCOUNT}/listKeys?api-version=2026-09-01"));
        assert_eq!(status, 200, "listKeys: {keys}");
        let key = keys["key1"].as_str().expect("key1").to_owned();
        let url = format!("{api_base}chat/completions");
        let body = serde_json::json!({"model": deployment, "messages": [{"role": "user", "content": prompt}]});
        self._runtime.block_on(async {
            reqwest::Client::new()
                .post(&url)
                .header("api-key", key)
                .json(&body)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{url}: {e}"))
                .json()
                .await
                .expect("a chat completion")
        })
    }
}

// ---- Fault-matrix helpers (tests/faults.rs, tests/interrupt.rs) --------------------------------------------------

impl TestEmulator {
    /// Calls the emulator over HTTP from the test thread (ARM routes need the bearer token, admin routes do not).
    fn http(&self, method: reqwest::Method, path_and_query: &str) -> (u16, serde_json::Value) {
        let url = format!("{}{path_and_query}", self.emulator.base_url());
        self._runtime.block_on(async {
            let response = reqwest::Client::new()
                .request(method, &url)
                .bearer_auth(TOKEN)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            let status = response.status().as_u16();
            let body = response.json().await.unwrap_or(serde_json::Value::Null);
            (status, body)
        })
    }

    /// Removes every fault rule (admin API), e.g. a storm injected with `times: 0`.
    pub fn clear_faults(&self) {
        let (status, _) = self.http(reqwest::Method::DELETE, "/admin/faults");
        assert!(status < 300, "DELETE /admin/faults answered {status}");
    }

    /// Names of every deployment the account holds, through the ARM LIST route (call it with no fault armed).
    pub fn deployment_names(&self) -> Vec<String> {
        let (status, body) = self.http(reqwest::Method::GET, &format!("{ACCOUNT}/deployments?api-version=2026-09-01"));
        assert_eq!(status, 200, "LIST deployments: {body}");
        let mut names: Vec<String> = body["value"]
            .as_array()
            .map(|v| v.iter().filter_map(|d| d["name"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    /// PUTs of `name` that created it (201), counted from the request log.
    pub fn creates_of(&self, name: &str) -> usize {
        let suffix = format!("/deployments/{name}");
        self.requests("PUT").iter().filter(|r| r.path.ends_with(&suffix) && r.status == 201).count()
    }
}

impl Workdir {
    /// The managed resources `terraform show -json` lists (each with `type`, `values` and maybe `tainted`).
    pub fn state_resources(&self) -> Vec<serde_json::Value> {
        self.show()["values"]["root_module"]["resources"]
            .as_array()
            .map(|rs| rs.iter().filter(|r| r["mode"] == "managed").cloned().collect())
            .unwrap_or_default()
    }
}

/// The invariants every fault case must leave behind: every deployment the emulator holds is in state (no orphan)
/// and every deployment in state exists; one resource per name (no duplicate); each untainted resource's state
/// equals what the emulator holds. Returns the names in state.
pub fn assert_state_matches_emulator(emu: &TestEmulator, wd: &Workdir) -> Vec<String> {
    let resources = wd.state_resources();
    let mut in_state: Vec<String> =
        resources.iter().filter_map(|r| r["values"]["name"].as_str().map(str::to_owned)).collect();
    in_state.sort();
    let mut unique = in_state.clone();
    unique.dedup();
    assert_eq!(unique, in_state, "two resources in state name the same deployment");
    assert_eq!(emu.deployment_names(), in_state, "the emulator's deployments and the state differ (orphan or ghost)");
    assert_resources_match_emulator(emu, &resources);
    in_state
}

/// For a state that holds only some of the emulator's deployments (the rest are managed elsewhere): the state's
/// deployments are exactly `names` (sorted), and each equals what the emulator holds.
pub fn assert_state_matches_emulator_for(emu: &TestEmulator, wd: &Workdir, names: &[&str]) {
    let resources: Vec<serde_json::Value> = wd
        .state_resources()
        .into_iter()
        .filter(|r| r["type"].as_str().is_some_and(|t| t.starts_with("modelrouter_")))
        .collect();
    let mut in_state: Vec<&str> = resources.iter().filter_map(|r| r["values"]["name"].as_str()).collect();
    in_state.sort();
    assert_eq!(in_state, names, "the deployments in state");
    assert_resources_match_emulator(emu, &resources);
}

/// Each untainted resource's state equals what the emulator holds for its deployment.
fn assert_resources_match_emulator(emu: &TestEmulator, resources: &[serde_json::Value]) {
    for resource in resources {
        let values = &resource["values"];
        let name = values["name"].as_str().unwrap_or_default();
        assert_eq!(values["id"], TestEmulator::deployment_id(name), "state id of {name}");
        if resource["tainted"] == true {
            continue; // replaced by the next apply; its settings are what was asked, not yet confirmed
        }
        let stored = emu.stored(name).unwrap_or_else(|| panic!("{name} is in state but not in the emulator"));
        let properties = &stored["properties"];
        assert_eq!(values["sku"]["name"], stored["sku"]["name"], "sku.name of {name}");
        assert_eq!(values["sku"]["capacity"], stored["sku"]["capacity"], "sku.capacity of {name}");
        match resource["type"].as_str() {
            Some("modelrouter_deployment") => {
                assert_eq!(values["router_version"], properties["model"]["version"], "router_version of {name}");
                assert_eq!(values["rai_policy_name"], properties["raiPolicyName"], "rai_policy_name of {name}");
                let mode_in_state = values["routing"]["mode"].as_str().map(str::to_lowercase);
                let mode_stored = properties["routing"]["mode"].as_str().map(str::to_lowercase);
                assert_eq!(mode_in_state, mode_stored, "routing.mode of {name}");
            }
            Some("modelrouter_claude_dependency") => {
                assert_eq!(values["model"], properties["model"]["name"], "model of {name}");
                assert_eq!(values["version"], properties["model"]["version"], "version of {name}");
            }
            other => panic!("unexpected resource type {other:?}"),
        }
    }
}

impl Workdir {
    /// Starts a terraform command without waiting, in its own process group (as a shell runs a foreground job),
    /// output piped. For tests that interrupt it.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        use std::os::unix::process::CommandExt;
        self.command(args)
            .process_group(0)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start terraform (is it on PATH?)")
    }
}

/// Waits for a spawned terraform to exit, at most `limit`; returns what it printed, or None if it is still running
/// (it is then killed, with its process group).
pub fn wait_for_exit(mut child: std::process::Child, limit: std::time::Duration) -> Option<TfOutput> {
    let give_up = std::time::Instant::now() + limit;
    loop {
        match child.try_wait().expect("poll terraform") {
            Some(_) => return Some(TfOutput::from(child.wait_with_output().expect("collect terraform's output"))),
            None if std::time::Instant::now() >= give_up => {
                let group = format!("-{}", child.id());
                let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
                let _ = child.wait();
                return None;
            }
            None => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

/// A `modelrouter_deployment.r` in the test account routing over gpt-5-mini and gpt-4.1 in `mode`, with `extra`
/// HCL inside the resource block (e.g. a timeouts block).
pub fn two_model_router(name: &str, mode: &str, extra: &str) -> String {
    format!(
        r#"
resource "modelrouter_deployment" "r" {{
  name                 = "{name}"
  cognitive_account_id = "{ACCOUNT}"
  routing {{
    mode = "{mode}"
    model {{ name = "gpt-5-mini" }}
    model {{ name = "gpt-4.1" }}
  }}
{extra}
}}
"#
    )
}

/// The configuration object of a `modelrouter_deployment` named `name` in the test account routing in cost mode to
/// gpt-5 and gpt-5-mini, for the tests that call the provider in process (`block` is the resource's schema).
pub fn router_config_value(block: &tf_provider::Block, name: &str) -> tf_provider::Value {
    use tf_provider::Value;
    let model = |name: &str| Value::object([("name", Value::string(name))]);
    consistency::complete(
        block,
        &Value::object([
            ("name", Value::string(name)),
            ("cognitive_account_id", Value::string(ACCOUNT)),
            (
                "routing",
                Value::object([
                    ("mode", Value::string("cost")),
                    ("model", Value::Set(vec![model("gpt-5"), model("gpt-5-mini")])),
                ]),
            ),
        ]),
    )
}

/// Whether the request is Azure Resource Manager's template validation (`Microsoft.Resources/deployments/.../validate`),
/// which the provider sends at plan with ARM's own api-version.
pub fn is_template_validation(request: &modelrouter_emulator::RecordedRequest) -> bool {
    request.path.contains("/providers/Microsoft.Resources/deployments/") && request.path.ends_with("/validate")
}

/// The Microsoft.CognitiveServices api-version a request used: its query's, or for a template validation the
/// `apiVersion` of the deployment resource inside the template (the validate call itself is a Microsoft.Resources
/// call with ARM's api-version).
pub fn cognitive_services_api_version(request: &modelrouter_emulator::RecordedRequest) -> Option<String> {
    if is_template_validation(request) {
        let resource = request.body.as_ref()?.pointer("/properties/template/resources/0/apiVersion")?;
        return resource.as_str().map(str::to_owned);
    }
    request.query.split('&').find_map(|pair| pair.strip_prefix("api-version=")).map(str::to_owned)
}
