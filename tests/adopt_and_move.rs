//! Adopting what already exists, with the real `terraform` against the emulator, using the configurations of
//! `docs/guides/adopting-an-existing-router.md` exactly as written there (only the example account id is replaced by
//! the emulator's):
//!
//! - a whole account: `import { for_each }` fed by data source `modelrouter_deployments`;
//! - `moved` blocks from `azapi_resource` and `azurerm_cognitive_deployment`, whose state is written by stand-ins for
//!   those providers (crates/tf-provider/examples/stand_in_source_provider.rs), registered in the filesystem mirror as
//!   `registry.terraform.io/azure/azapi` and `registry.terraform.io/hashicorp/azurerm`.

mod support;

use std::path::PathBuf;

use serde_json::{Value as Json, json};
use support::{ACCOUNT, TestEmulator, Workdir};

const GUIDE: &str = include_str!("../docs/guides/adopting-an-existing-router.md");
/// The account id the guide's examples use.
const GUIDE_ACCOUNT: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/foundry-prod";

/// The guide's `terraform` code block that starts with the comment `# <file>`, for the emulator's account.
fn guide_block(file: &str) -> String {
    let start = format!("```terraform\n# {file}\n");
    let at = GUIDE.find(&start).unwrap_or_else(|| panic!("the guide has no block `# {file}`"));
    let block = &GUIDE[at + "```terraform\n".len()..];
    let end = block.find("```").expect("the block ends");
    block[..end].replace(GUIDE_ACCOUNT, ACCOUNT)
}

/// The shell commands of the guide's `shell` blocks, in order (each line one command).
fn guide_commands() -> Vec<Vec<String>> {
    GUIDE
        .split("```shell\n")
        .skip(1)
        .flat_map(|block| block.split("```").next().unwrap_or_default().lines())
        .map(|line| line.split_whitespace().map(str::to_owned).collect())
        .collect()
}

/// Runs a guide command (`terraform <args>`) non-interactively, without colour; `apply` is approved.
fn run_guide_command(wd: &Workdir, command: &[String]) -> support::TfOutput {
    assert_eq!(command[0], "terraform", "the guide's commands are terraform commands: {command:?}");
    let mut args: Vec<&str> = command[1..].iter().map(String::as_str).collect();
    args.push("-no-color");
    if args[0] == "apply" {
        args.push("-auto-approve");
    }
    if args[0] == "plan" {
        args.push("-detailed-exitcode");
    }
    wd.run(&args)
}

fn seed(emu: &TestEmulator, name: &str, body: Json) {
    emu.emulator.seed_deployment(&TestEmulator::deployment_id(name), body);
}

fn router_body(capacity: i64, routing: Option<Json>) -> Json {
    let mut body = json!({
        "sku": {"name": "GlobalStandard", "capacity": capacity},
        "properties": {"model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"}}
    });
    if let Some(routing) = routing {
        body["properties"]["routing"] = routing;
    }
    body
}

fn claude_body() -> Json {
    json!({
        "sku": {"name": "GlobalStandard", "capacity": 1},
        "properties": {
            "model": {"format": "Anthropic", "name": "claude-sonnet-4-5", "version": "20250929"},
            "modelProviderData": {"organizationName": "Contoso", "countryCode": "US", "industry": "technology"}
        }
    })
}

fn gpt4o_body() -> Json {
    json!({"sku": {"name": "GlobalStandard", "capacity": 1},
           "properties": {"model": {"format": "OpenAI", "name": "gpt-4o", "version": "2024-11-20"}}})
}

#[test]
fn a_whole_account_is_adopted_with_import_for_each_from_the_data_source() {
    let emu = TestEmulator::start();
    seed(
        &emu,
        "router-quality",
        router_body(
            50,
            Some(
                json!({"mode": "quality", "models": [{"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}]}),
            ),
        ),
    );
    seed(&emu, "router-default", router_body(10, None));
    seed(
        &emu,
        "router-cost",
        router_body(
            20,
            Some(json!({"mode": "cost", "models": [
                {"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"},
                {"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}
            ]})),
        ),
    );
    seed(&emu, "claude-sonnet-4-5", claude_body());
    seed(&emu, "gpt-4o", gpt4o_body());

    let wd = Workdir::new(&format!("{}\n{}", emu.provider_block(), guide_block("adopt-account.tf")));
    let commands = guide_commands();
    assert_eq!(commands[0], ["terraform", "init"], "the guide starts with init: {commands:?}");
    let init = run_guide_command(&wd, &commands[0]);
    assert_eq!(init.code, 0, "{init:?}");
    let writes_before = emu.writes().len();

    let plan = run_guide_command(&wd, &commands[1]);
    assert_eq!(plan.code, 2, "{plan:?}");
    assert!(plan.stdout.contains("Plan: 3 to import, 0 to add, 0 to change, 0 to destroy."), "{plan:?}");
    assert!(!plan.stdout.contains("changed outside of Terraform"), "{plan:?}");
    for name in ["router-quality", "router-default", "router-cost"] {
        assert!(plan.stdout.contains(&format!("modelrouter_deployment.router[\"{name}\"]")), "{name}: {plan:?}");
    }
    let apply = run_guide_command(&wd, &commands[2]);
    assert_eq!(apply.code, 0, "{apply:?}");
    assert!(apply.stdout.contains("3 imported, 0 added, 0 changed, 0 destroyed"), "{apply:?}");
    assert_eq!(emu.writes().len(), writes_before, "adoption wrote to Azure: {:?}", &emu.writes()[writes_before..]);
    wd.assert_plan_empty();

    // The Claude and gpt-4o deployments are listed apart, not adopted as routers.
    let outputs = wd.outputs();
    assert_eq!(outputs["not_adopted"]["value"], json!({"claude": ["claude-sonnet-4-5"], "other": ["gpt-4o"]}));
    let state = wd.state_resources();
    let adopted: Vec<&str> = state
        .iter()
        .filter(|r| r["type"] == "modelrouter_deployment")
        .filter_map(|r| r["values"]["name"].as_str())
        .collect();
    assert_eq!(adopted, ["router-cost", "router-default", "router-quality"]);
    support::assert_state_matches_emulator_for(&emu, &wd, &adopted);
}

// ---- moved blocks from the stand-in source providers ------------------------------------------------------------

const AZAPI: &str = "registry.terraform.io/azure/azapi";
const AZURERM: &str = "registry.terraform.io/hashicorp/azurerm";

/// The stand-in source providers' binary, built as an example of the tf-provider crate.
fn stand_in_binary() -> PathBuf {
    let test_executable = std::env::current_exe().expect("the test executable's path");
    let profile_dir = test_executable.parent().and_then(std::path::Path::parent).expect("target/<profile>/deps/<test>");
    let binary = profile_dir.join("examples").join("stand_in_source_provider");
    assert!(
        binary.is_file(),
        "{} does not exist: build it first with `cargo build --workspace --all-targets` (scripts/test.sh does) or \
         `cargo build -p tf-provider --example stand_in_source_provider`",
        binary.display()
    );
    binary
}

/// Registers the stand-ins in this test process's mirror (once).
fn register_stand_ins() {
    static REGISTERED: std::sync::Once = std::sync::Once::new();
    REGISTERED.call_once(|| {
        let binary = stand_in_binary();
        support::mirror().add_provider(AZAPI, "2.5.0", &binary).expect("register the azapi stand-in");
        support::mirror().add_provider(AZAPI, "1.15.0", &binary).expect("register the azapi 1.x stand-in");
        support::mirror().add_provider(AZURERM, "4.40.0", &binary).expect("register the azurerm stand-in");
    });
}

/// The source providers, as a user's configuration declares them (added to `required_providers`); AZAPI_VERSION is
/// the azapi version constraint.
const SOURCE_REQUIREMENTS: &str = r#"    azapi = {
      source  = "Azure/azapi"
      version = "AZAPI_VERSION"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
"#;

/// Their provider blocks and the account the guide's configurations name.
const SOURCE_PROVIDERS: &str = r#"
provider "azurerm" {
  features {}
}

locals {
  account_id = "ACCOUNT"
}
"#;

/// `azurerm_cognitive_deployment` resources as a user of azurerm 4.x writes them.
const BEFORE_AZURERM: &str = r#"
resource "azurerm_cognitive_deployment" "router" {
  name                 = "router-azurerm"
  cognitive_account_id = local.account_id
  model {
    format  = "OpenAI"
    name    = "model-router"
    version = "2025-11-18"
  }
  sku {
    name     = "GlobalStandard"
    capacity = 10
  }
}

resource "azurerm_cognitive_deployment" "claude" {
  name                 = "claude-haiku-4-5"
  cognitive_account_id = local.account_id
  model {
    format  = "Anthropic"
    name    = "claude-haiku-4-5"
    version = "20251001"
  }
  sku {
    name     = "GlobalStandard"
    capacity = 1
  }
}
"#;

/// The configuration after the move of the azurerm Claude deployment (the guide shows the router; the Claude
/// deployment moves the same way).
const MOVED_AZURERM_CLAUDE: &str = r#"
moved {
  from = azurerm_cognitive_deployment.claude
  to   = modelrouter_claude_dependency.haiku
}

resource "modelrouter_claude_dependency" "haiku" {
  cognitive_account_id = local.account_id
  model                = "claude-haiku-4-5"
  model_provider_data {
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "Technology"
  }
}
"#;

/// A working directory whose state holds `before`'s source resources, written by the stand-ins (which touch nothing).
fn move_workdir(emu: &TestEmulator, before: &str) -> Workdir {
    move_workdir_with_azapi(emu, "~> 2.0", before)
}

fn move_workdir_with_azapi(emu: &TestEmulator, azapi_version: &str, before: &str) -> Workdir {
    register_stand_ins();
    let requirements = SOURCE_REQUIREMENTS.replace("AZAPI_VERSION", azapi_version);
    let main = emu.provider_block().replacen(
        "  required_providers {\n",
        &format!("  required_providers {{\n{requirements}"),
        1,
    );
    assert!(main.contains("Azure/azapi"), "{main}");
    let wd = Workdir::new(&main);
    wd.write("sources.tf", &SOURCE_PROVIDERS.replace("ACCOUNT", ACCOUNT));
    wd.write("resources.tf", before);
    wd.init();
    let writes_before = emu.writes().len();
    let created = wd.apply();
    assert!(created.stdout.contains("Apply complete!"), "the stand-in wrote its state: {created:?}");
    assert_eq!(emu.writes().len(), writes_before, "the stand-ins reach nothing");
    wd
}

/// The source resources' state as Terraform stored it: the schema version and attribute names of the real provider.
fn source_state(wd: &Workdir, resource_type: &str) -> Vec<Json> {
    let state: Json =
        serde_json::from_str(&std::fs::read_to_string(wd.path().join("terraform.tfstate")).expect("the state file"))
            .expect("state JSON");
    state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["type"] == resource_type)
        .flat_map(|r| r["instances"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// Plans the moves with the guide's commands: they show as moves and nothing else; applies them with zero writes;
/// the next plan is empty.
fn assert_quiet_move(emu: &TestEmulator, wd: &Workdir, moves: &[(&str, &str)]) {
    let commands = guide_commands();
    assert_eq!(commands[3..], [["terraform", "plan"], ["terraform", "apply"]], "the guide's move commands");
    let writes_before = emu.writes().len();
    let plan = run_guide_command(wd, &commands[3]);
    assert_eq!(plan.code, 2, "a move is a change to apply: {plan:?}");
    for (from, to) in moves {
        assert!(plan.stdout.contains(&format!("# {from} has moved to {to}")), "{from} -> {to}: {plan:?}");
    }
    assert!(plan.stdout.contains("Plan: 0 to add, 0 to change, 0 to destroy."), "{plan:?}");
    assert!(!plan.stdout.contains("will be updated") && !plan.stdout.contains("must be replaced"), "{plan:?}");
    assert!(!plan.stdout.contains("changed outside of Terraform"), "as quiet as an import: {plan:?}");
    let apply = run_guide_command(wd, &commands[4]);
    assert_eq!(apply.code, 0, "{apply:?}");
    assert!(apply.stdout.contains("0 added, 0 changed, 0 destroyed"), "{apply:?}");
    assert_eq!(emu.writes().len(), writes_before, "the move wrote to Azure: {:?}", &emu.writes()[writes_before..]);
    wd.assert_plan_empty();
    let refresh_only = wd.plan(&["-refresh-only"]);
    assert_eq!(refresh_only.code, 0, "{refresh_only:?}");
}

#[test]
fn moved_blocks_from_azapi_take_a_router_and_a_claude_deployment_without_a_write() {
    let emu = TestEmulator::start();
    seed(
        &emu,
        "router-azapi",
        router_body(
            50,
            Some(
                json!({"mode": "quality", "models": [{"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}]}),
            ),
        ),
    );
    seed(&emu, "claude-sonnet-4-5", claude_body());
    let wd = move_workdir(&emu, &guide_block("before-azapi.tf"));
    let stored = source_state(&wd, "azapi_resource");
    assert_eq!(stored.len(), 2);
    for instance in &stored {
        assert_eq!(instance["schema_version"], 2, "azapi 2.x state: {instance}");
        let attributes = &instance["attributes"];
        assert!(attributes["body"]["value"]["properties"]["model"]["name"].is_string(), "{attributes}");
        assert!(attributes["parent_id"] == ACCOUNT, "{attributes}");
    }

    wd.write("resources.tf", &guide_block("moved-from-azapi.tf"));
    assert_quiet_move(
        &emu,
        &wd,
        &[
            ("azapi_resource.router", "modelrouter_deployment.router"),
            ("azapi_resource.claude", "modelrouter_claude_dependency.sonnet"),
        ],
    );
    assert!(source_state(&wd, "azapi_resource").is_empty(), "nothing is left under azapi");
    support::assert_state_matches_emulator_for(&emu, &wd, &["claude-sonnet-4-5", "router-azapi"]);
}

#[test]
fn a_router_written_by_azapi_1_with_a_jsonencode_body_moves_too() {
    let emu = TestEmulator::start();
    seed(
        &emu,
        "router-azapi",
        router_body(
            50,
            Some(
                json!({"mode": "quality", "models": [{"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}]}),
            ),
        ),
    );
    // azapi 1.x configurations passed the body through jsonencode; the state then holds JSON text.
    let before = r#"
resource "azapi_resource" "router" {
  type      = "Microsoft.CognitiveServices/accounts/deployments@2024-10-01"
  name      = "router-azapi"
  parent_id = local.account_id
  body = jsonencode({
    sku = { name = "GlobalStandard", capacity = 50 }
    properties = {
      model   = { format = "OpenAI", name = "model-router", version = "2025-11-18" }
      routing = { mode = "quality", models = [{ format = "OpenAI", name = "gpt-5-mini", version = "2025-08-07" }] }
    }
  })
}
"#;
    let wd = move_workdir_with_azapi(&emu, "~> 1.13", before);
    let stored = source_state(&wd, "azapi_resource");
    assert_eq!(stored[0]["schema_version"], 1, "azapi 1.x state: {}", stored[0]);
    assert_eq!(stored[0]["attributes"]["body"]["type"], "string", "{}", stored[0]);
    let after = guide_block("moved-from-azapi.tf");
    let router_only = after.split("moved {\n  from = azapi_resource.claude").next().expect("the router part");
    wd.write("resources.tf", router_only);
    assert_quiet_move(&emu, &wd, &[("azapi_resource.router", "modelrouter_deployment.router")]);
    support::assert_state_matches_emulator_for(&emu, &wd, &["router-azapi"]);
}

#[test]
fn moved_blocks_from_azurerm_take_a_router_and_a_claude_deployment_without_a_write() {
    let emu = TestEmulator::start();
    // azurerm writes no attestation; Azure returns it here, so the moved Claude deployment needs no re-send (where
    // Azure does not, the first plan re-sends it, as after an import; see the guide).
    emu.emulator.update_settings(|s| s.quirks.echo_model_provider_data = true);
    seed(&emu, "router-azurerm", router_body(10, None));
    let mut claude = claude_body();
    claude["properties"]["model"] = json!({"format": "Anthropic", "name": "claude-haiku-4-5", "version": "20251001"});
    seed(&emu, "claude-haiku-4-5", claude);
    let wd = move_workdir(&emu, BEFORE_AZURERM);
    let stored = source_state(&wd, "azurerm_cognitive_deployment");
    assert_eq!(stored.len(), 2);
    for instance in &stored {
        assert_eq!(instance["schema_version"], 0, "{instance}");
        assert!(instance["attributes"]["sku"][0]["name"] == "GlobalStandard", "{instance}");
        assert!(instance["attributes"]["model"][0]["name"].is_string(), "{instance}");
    }

    wd.write("resources.tf", &format!("{}\n{MOVED_AZURERM_CLAUDE}", guide_block("moved-from-azurerm.tf")));
    assert_quiet_move(
        &emu,
        &wd,
        &[
            ("azurerm_cognitive_deployment.router", "modelrouter_deployment.router_rm"),
            ("azurerm_cognitive_deployment.claude", "modelrouter_claude_dependency.haiku"),
        ],
    );
    support::assert_state_matches_emulator_for(&emu, &wd, &["claude-haiku-4-5", "router-azurerm"]);
}

#[test]
fn a_moved_block_from_a_gpt_4o_deployment_fails_at_plan_naming_the_model() {
    let emu = TestEmulator::start();
    seed(&emu, "gpt-4o", gpt4o_body());
    let before = r#"
resource "azapi_resource" "chat" {
  type      = "Microsoft.CognitiveServices/accounts/deployments@2024-10-01"
  name      = "gpt-4o"
  parent_id = local.account_id
  body = {
    sku        = { name = "GlobalStandard", capacity = 1 }
    properties = { model = { format = "OpenAI", name = "gpt-4o", version = "2024-11-20" } }
  }
}
"#;
    let wd = move_workdir(&emu, before);
    wd.write(
        "resources.tf",
        r#"
moved {
  from = azapi_resource.chat
  to   = modelrouter_deployment.chat
}

resource "modelrouter_deployment" "chat" {
  name                 = "gpt-4o"
  cognitive_account_id = local.account_id
}
"#,
    );
    let writes_before = emu.writes().len();
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 1, "{plan:?}");
    let text = plan.text();
    assert!(text.contains("Cannot move this resource"), "{plan:?}");
    assert!(text.contains("\"gpt-4o\"") && text.contains("azapi_resource"), "names the model and the source: {plan:?}");
    assert!(text.contains("keep this deployment in azapi_resource"), "says what to do: {plan:?}");
    assert_eq!(emu.writes().len(), writes_before);
    assert_eq!(source_state(&wd, "azapi_resource").len(), 1, "the failed plan changed no state");
}
