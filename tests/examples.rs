//! The examples users copy: formatted, valid against the provider built here, in the scaffolding layout the
//! registry docs tooling reads, shown verbatim in docs/, and the runnable ones really apply (against the emulator).

mod support;

use std::path::{Path, PathBuf};

use support::{ACCOUNT, TOKEN, TestEmulator, Workdir};
use terraform_provider_modelrouter::ModelRouterProvider;
use tf_provider::Provider;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn examples() -> PathBuf {
    repo().join("examples")
}

/// Every directory under examples/ holding a Terraform configuration.
fn example_dirs() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        if entries.iter().any(|p| p.extension().is_some_and(|e| e == "tf")) {
            found.push(dir.to_owned());
        }
        for sub in entries.iter().filter(|p| p.is_dir()) {
            walk(sub, found);
        }
    }
    let mut found = Vec::new();
    walk(&examples(), &mut found);
    found
}

/// A working directory in a copy of the examples tree, at the example `dir` (its modules may refer to siblings).
fn copy_of(dir: &Path) -> Workdir {
    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("create directory");
        for entry in std::fs::read_dir(from).expect("read examples") {
            let path = entry.expect("directory entry").path();
            let name = path.file_name().expect("file name");
            // Left behind by a local `terraform init` in the examples (.terraform, its lock file): not the example.
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let target = to.join(name);
            if path.is_dir() {
                copy_tree(&path, &target);
            } else {
                std::fs::copy(&path, &target).expect("copy example file");
            }
        }
    }
    let wd = Workdir::new("");
    std::fs::remove_file(wd.path().join("main.tf")).expect("start empty");
    copy_tree(&examples(), &wd.path().join("examples"));
    let relative = dir.strip_prefix(repo()).expect("an example under the repository");
    wd.in_subdirectory(relative)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn examples_are_formatted() {
    let wd = Workdir::new("");
    let dir = examples();
    let out = wd.run(&["fmt", "-check", "-recursive", "-diff", dir.to_str().expect("utf-8 path")]);
    assert_eq!(out.code, 0, "`terraform fmt -check -recursive examples/` wants changes:\n{out:?}");
}

#[test]
fn every_example_validates_against_the_built_provider() {
    let dirs = example_dirs();
    let relative: Vec<String> =
        dirs.iter().map(|d| d.strip_prefix(examples()).expect("under examples").display().to_string()).collect();
    for expected in [
        "provider",
        "resources/modelrouter_deployment",
        "resources/modelrouter_claude_dependency",
        "data-sources/modelrouter_supported_models",
        "quickstart",
        "litellm",
        "functions/litellm_model_list",
        "functions/effective_context_window",
        "ephemeral-resources/modelrouter_account_keys",
        "emulator",
    ] {
        assert!(relative.iter().any(|r| r == expected), "examples/{expected} is missing (found {relative:?})");
    }
    for (dir, name) in dirs.iter().zip(&relative) {
        let wd = copy_of(dir);
        let init = wd.run(&["init", "-backend=false", "-no-color", "-input=false"]);
        assert_eq!(init.code, 0, "examples/{name}: terraform init failed:\n{init:?}");
        let validation = wd.json(&["validate", "-json", "-no-color"]);
        assert_eq!(validation["valid"], true, "examples/{name} is not valid: {validation:#}");
        assert_eq!(validation["error_count"], 0, "examples/{name}: {validation:#}");
    }
}

#[test]
fn every_object_has_examples_in_the_scaffolding_layout() {
    let provider = ModelRouterProvider::new();
    assert!(examples().join("provider/provider.tf").is_file());
    for resource in provider.resources() {
        let dir = examples().join("resources").join(resource.type_name());
        let config = read(&dir.join("resource.tf"));
        let import = read(&dir.join("import.sh"));
        let command = import.lines().find(|l| l.starts_with("terraform import ")).expect("an import command");
        let parts: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(parts.len(), 4, "terraform import <address> <id>: {command}");
        let (address, id) = (parts[2], parts[3]);
        let (type_name, name) = address.split_once('.').expect("address TYPE.NAME");
        assert_eq!(type_name, resource.type_name());
        assert!(
            config.contains(&format!("resource \"{type_name}\" \"{name}\"")),
            "{address} of import.sh is not declared in resource.tf"
        );
        let deployment = id.rsplit_once("/deployments/").map(|(_, d)| d).expect("a deployment ARM id");
        assert!(id.starts_with("/subscriptions/"), "{id}");
        assert!(
            config.contains(&format!("\"{deployment}\"")),
            "the imported deployment {deployment:?} is not the one resource.tf declares"
        );
    }
    for data_source in provider.data_sources() {
        assert!(examples().join("data-sources").join(data_source.type_name()).join("data-source.tf").is_file());
    }
    for function in provider.functions() {
        let file = examples().join("functions").join(function.name()).join("function.tf");
        assert!(read(&file).contains(&format!("provider::modelrouter::{}(", function.name())), "{}", file.display());
    }
    for ephemeral in provider.ephemeral_resources() {
        let file = examples().join("ephemeral-resources").join(ephemeral.type_name()).join("ephemeral-resource.tf");
        assert!(read(&file).contains(&format!("ephemeral \"{}\"", ephemeral.type_name())), "{}", file.display());
    }
}

/// docs/index.md is where the registry starts: it links every page of every object and every guide.
#[test]
fn docs_index_links_every_page() {
    let index = read(&repo().join("docs/index.md"));
    let mut missing = Vec::new();
    for section in ["resources", "data-sources", "ephemeral-resources", "functions", "guides"] {
        for entry in std::fs::read_dir(repo().join("docs").join(section)).expect("docs section") {
            let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && !index.contains(&format!("]({section}/{name})")) {
                missing.push(format!("{section}/{name}"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/index.md does not link {missing:?}");
}

/// The examples in the docs are the validated example files, not copies that can rot.
#[test]
fn docs_show_the_example_files_verbatim() {
    let pairs = [
        ("docs/index.md", "examples/provider/provider.tf", "terraform"),
        ("docs/resources/deployment.md", "examples/resources/modelrouter_deployment/resource.tf", "terraform"),
        (
            "docs/resources/claude_dependency.md",
            "examples/resources/modelrouter_claude_dependency/resource.tf",
            "terraform",
        ),
        (
            "docs/data-sources/supported_models.md",
            "examples/data-sources/modelrouter_supported_models/data-source.tf",
            "terraform",
        ),
        ("docs/functions/litellm_model_list.md", "examples/functions/litellm_model_list/function.tf", "terraform"),
        (
            "docs/functions/effective_context_window.md",
            "examples/functions/effective_context_window/function.tf",
            "terraform",
        ),
        (
            "docs/ephemeral-resources/account_keys.md",
            "examples/ephemeral-resources/modelrouter_account_keys/ephemeral-resource.tf",
            "terraform",
        ),
        ("docs/guides/litellm-gateway.md", "examples/litellm/log_served_model.py", "python"),
        ("examples/litellm/README.md", "examples/litellm/log_served_model.py", "python"),
    ];
    for (doc, example, language) in pairs {
        let block = format!("```{language}\n{}```", read(&repo().join(example)));
        assert!(read(&repo().join(doc)).contains(&block), "{doc} does not show {example} verbatim");
    }
}

/// `-var` values that point an example at the emulator.
fn emulator_vars(emu: &TestEmulator) -> Vec<String> {
    vec![
        format!("resource_manager_endpoint={}", emu.emulator.base_url()),
        format!("cognitive_account_id={ACCOUNT}"),
        format!("access_token={TOKEN}"),
    ]
}

/// `command` followed by `-var v` for each of `vars`.
fn with_vars<'a>(command: &[&'a str], vars: &'a [String]) -> Vec<&'a str> {
    let mut args = command.to_vec();
    for var in vars {
        args.extend(["-var", var.as_str()]);
    }
    args
}

#[test]
fn quickstart_applies_a_router_with_its_claude_dependency() {
    let emu = TestEmulator::start();
    let wd = copy_of(&examples().join("quickstart"));
    wd.init();
    let vars = emulator_vars(&emu);
    let mut args = with_vars(&["apply", "-no-color", "-auto-approve", "-input=false"], &vars);
    wd.ok(&args);
    let outputs = wd.outputs();
    assert_eq!(outputs["deployment_id"]["value"], TestEmulator::deployment_id("model-router-quality"));
    assert_eq!(outputs["claude_deployment_id"]["value"], TestEmulator::deployment_id("claude-sonnet-4-5"));
    assert_eq!(outputs["effective_context_window"]["value"], 200000);
    let routed = outputs["routed_models"]["value"].as_array().expect("routed models").clone();
    assert!(routed.iter().any(|m| m == "Anthropic/claude-sonnet-4-5@20250929"), "{routed:?}");
    assert_eq!(routed.len(), 3);
    // The emulator's account endpoint is its own inference API.
    assert_eq!(outputs["endpoint"]["value"], format!("{}/accounts/foundry-acc/", emu.emulator.base_url()));
    let puts = emu.requests("PUT");
    assert!(puts[0].path.ends_with("/deployments/claude-sonnet-4-5"), "Claude first: {}", puts[0].path);
    // The nightly drift check the docs recommend is clean right after the apply.
    let refresh_only =
        wd.run(&with_vars(&["plan", "-refresh-only", "-detailed-exitcode", "-no-color", "-input=false"], &vars));
    assert_eq!(refresh_only.code, 0, "refresh-only after applying the quickstart:\n{refresh_only:?}");
    args[0] = "destroy";
    wd.ok(&args);
    assert!(emu.stored("model-router-quality").is_none() && emu.stored("claude-sonnet-4-5").is_none());
}

/// The emulator-only variant applies the quickstart and the LiteLLM example, unchanged, with nothing but the
/// emulator's URL and token (and, as here, an account it serves).
#[test]
fn emulator_example_applies_the_key_examples_offline() {
    let emu = TestEmulator::start();
    let wd = copy_of(&examples().join("emulator"));
    wd.init();
    let vars = [
        format!("emulator_url={}", emu.emulator.base_url()),
        format!("emulator_token={TOKEN}"),
        format!("cognitive_account_id={ACCOUNT}"),
    ];
    let mut args = with_vars(&["apply", "-no-color", "-auto-approve", "-input=false"], &vars);
    wd.ok(&args);
    for name in ["model-router-quality", "claude-sonnet-4-5", "model-router-gateway"] {
        assert!(emu.stored(name).is_some(), "{name} was not created");
    }
    assert!(wd.ok(&["output", "-raw", "litellm_config_yaml"]).stdout.contains("azure_ai/model_router/"));
    let plan = wd.run(&with_vars(&["plan", "-detailed-exitcode", "-no-color", "-input=false"], &vars));
    assert_eq!(plan.code, 0, "{plan:?}");
    args[0] = "destroy";
    wd.ok(&args);
    assert!(emu.stored("model-router-quality").is_none() && emu.stored("model-router-gateway").is_none());
}

/// The LiteLLM guide's hand-written config and the provider function use the one model pattern the guide
/// recommends: its first snippet, applied with a router named `gateway`, renders the function's `model`.
#[test]
fn litellm_guide_snippet_uses_the_pattern_the_function_renders() {
    let guide = read(&repo().join("docs/guides/litellm-gateway.md"));
    assert!(guide.contains("use `azure_ai/model_router/<deployment>`"), "the guide says which pattern to use");
    let start = guide.find("```terraform\n").expect("a terraform snippet") + "```terraform\n".len();
    let snippet = &guide[start..start + guide[start..].find("```").expect("closed block")];
    let emu = TestEmulator::start();
    let config = format!(
        "{}\nresource \"modelrouter_deployment\" \"gateway\" {{\n  name                 = \"gw\"\n  cognitive_account_id = \"{ACCOUNT}\"\n}}\n{snippet}\n\
         output \"function_model\" {{\n  value = provider::modelrouter::litellm_model_list([modelrouter_deployment.gateway], {{}})[0].litellm_params.model\n}}\n",
        emu.provider_block()
    );
    let wd = Workdir::new(&config);
    wd.init();
    wd.apply();
    let yaml = wd.ok(&["output", "-raw", "litellm_config_yaml"]).stdout;
    let function_model = wd.outputs()["function_model"]["value"].as_str().expect("the function's model").to_owned();
    assert_eq!(function_model, "azure_ai/model_router/gw");
    assert!(yaml.contains(&format!("\"model\": \"{function_model}\"")), "the guide's config:\n{yaml}");
}

/// The README starts the emulator with a token and applies with the same token (a mismatch was a 401).
#[test]
fn litellm_readme_uses_the_token_it_starts_the_emulator_with() {
    let readme = read(&examples().join("litellm/README.md"));
    let after = |marker: &str| {
        let start = readme.find(marker).unwrap_or_else(|| panic!("the README has no {marker:?}")) + marker.len();
        readme[start..].split_whitespace().next().unwrap().trim_end_matches('\\').to_owned()
    };
    assert_eq!(after("--token "), after("access_token="));
}

/// The router's routed models as Azure spells the answering model (name-version: gpt-5-mini-2025-08-07), from the
/// state of an applied example.
fn routed_spellings(wd: &Workdir) -> Vec<String> {
    let show = wd.show();
    let router = show["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["type"] == "modelrouter_deployment"))
        .expect("the router in state");
    router["values"]["routed_models"]
        .as_array()
        .expect("routed models")
        .iter()
        .map(|m| format!("{}-{}", m["name"].as_str().unwrap(), m["version"].as_str().unwrap()))
        .collect()
}

/// The LiteLLM example as its README runs it: apply against the emulator, render the gateway config, and send a
/// chat completion exactly as the rendered entry says; the answer comes from one of the router's routed models.
#[test]
fn litellm_example_answers_as_the_rendered_entry_says() {
    let emu = TestEmulator::start();
    let wd = copy_of(&examples().join("litellm"));
    wd.init();
    let vars = emulator_vars(&emu);
    let mut args = with_vars(&["apply", "-no-color", "-auto-approve", "-input=false"], &vars);
    wd.ok(&args);
    let yaml = wd.ok(&["output", "-raw", "litellm_config_yaml"]).stdout;
    let endpoint = format!("{}/accounts/foundry-acc/", emu.emulator.base_url());
    for line in [
        "\"model_list\":".to_owned(),
        "- \"litellm_params\":".to_owned(),
        format!("\"api_base\": \"{endpoint}openai/v1/\""),
        "\"api_key\": \"os.environ/AZURE_MODEL_ROUTER_API_KEY\"".to_owned(),
        "\"model\": \"azure_ai/model_router/model-router-gateway\"".to_owned(),
        "\"model_name\": \"model-router-gateway\"".to_owned(),
    ] {
        assert!(yaml.contains(&line), "config.yaml lacks {line:?}:\n{yaml}");
    }
    assert_eq!(wd.outputs()["routed_model_names"]["value"].as_array().map(Vec::len), Some(3));
    let routed = routed_spellings(&wd);
    for prompt in ["Summarise this contract.", "hi", "Prove that there are infinitely many primes."] {
        let answer = emu.chat_as_entry(&format!("{endpoint}openai/v1/"), "model-router-gateway", prompt);
        let model = answer["model"].as_str().unwrap_or_else(|| panic!("no model in {answer}"));
        assert!(routed.iter().any(|spelled| spelled == model), "{model} is not one of {routed:?}");
    }
    args[0] = "destroy";
    wd.ok(&args);
}

#[test]
fn data_source_example_builds_a_subset_from_the_catalog() {
    let emu = TestEmulator::start();
    let wd = apply_with_emulator_provider(&emu, "data-sources/modelrouter_supported_models", false);
    let plan = wd.plan(&[]);
    assert_eq!(plan.code, 0, "{plan:?}");
    assert!(!plan.combined().contains("Warning"), "the example selects no retired or retiring model: {plan:?}");
    let stored = emu.stored("model-router-large-context").expect("the router was created");
    let models = stored["properties"]["routing"]["models"].as_array().expect("a subset").clone();
    assert!(models.len() >= 2, "{models:?}");
    assert!(models.iter().all(|m| m["format"] == "OpenAI"), "{models:?}");
    drop(wd);
}

/// Applies an example whose provider block is empty by pointing the provider at the emulator through the
/// environment, as a pipeline would.
fn apply_with_emulator_provider(emu: &TestEmulator, dir: &str, destroy: bool) -> Workdir {
    let mut wd = copy_of(&examples().join(dir));
    wd.write(
        "emulator_provider.tf",
        &format!(
            "provider \"modelrouter\" {{\n  resource_manager_endpoint = \"{}\"\n  access_token = \"{TOKEN}\"\n}}\n",
            emu.emulator.base_url()
        ),
    );
    wd.set_env("TF_VAR_cognitive_account_id", ACCOUNT);
    wd.init();
    wd.apply();
    wd.assert_plan_empty();
    if destroy {
        wd.destroy();
    }
    wd
}

#[test]
fn resource_examples_apply_and_plan_empty() {
    let emu = TestEmulator::start();
    apply_with_emulator_provider(&emu, "resources/modelrouter_claude_dependency", true);
    assert!(emu.stored("model-router").is_none());
    let emu = TestEmulator::start();
    let wd = apply_with_emulator_provider(&emu, "resources/modelrouter_deployment", false);
    assert_eq!(emu.stored("model-router-prod").expect("prod router")["sku"]["capacity"], 250);
    assert!(emu.stored("model-router").is_some(), "the default router");
    wd.destroy();
}

/// The pipelines are YAML the CI systems accept, with the jobs the docs promise.
#[test]
fn pipelines_have_oidc_plan_apply_and_drift_jobs() {
    let as_json = |file: &str| -> serde_json::Value {
        let path = examples().join("pipelines").join(file);
        let out = std::process::Command::new("python3")
            .args(["-c", "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"])
            .arg(&path)
            .output()
            .expect("python3 runs");
        assert!(out.status.success(), "{file} is not YAML: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("JSON from python")
    };
    let github = as_json("github-actions.yml");
    let on = &github["true"]; // YAML 1.1 reads the key `on` as a boolean
    assert!(on["pull_request"].is_object() && on["schedule"].is_array(), "{on}");
    assert_eq!(on["push"]["branches"][0], "main");
    assert_eq!(github["permissions"]["id-token"], "write");
    assert_eq!(github["env"]["ARM_USE_OIDC"], "true");
    let jobs = &github["jobs"];
    for job in ["plan", "apply", "drift"] {
        assert!(jobs[job]["steps"].is_array(), "job {job}");
    }
    assert!(jobs["plan"]["if"].as_str().unwrap_or("").contains("pull_request"));
    assert!(jobs["apply"]["if"].as_str().unwrap_or("").contains("refs/heads/main"));
    assert!(jobs["drift"].to_string().contains("-detailed-exitcode"));

    let devops = as_json("azure-pipelines.yml");
    assert!(devops["schedules"].is_array() && devops["pr"].is_object() && devops["trigger"].is_object());
    let stages: Vec<&str> =
        devops["stages"].as_array().expect("stages").iter().filter_map(|s| s["stage"].as_str()).collect();
    assert_eq!(stages, ["Plan", "Apply", "Drift"]);
    let text = devops.to_string();
    assert!(text.contains("ARM_OIDC_TOKEN=\\\"$idToken\\\"") && text.contains("-detailed-exitcode"));

    // The README names the drift command both drift jobs run.
    let readme = read(&examples().join("pipelines/README.md"));
    let drift_row = readme.lines().find(|l| l.starts_with("| drift |")).expect("a drift row in the README's table");
    let command = drift_row.rsplit('`').nth(1).expect("the drift command in backticks");
    assert!(command.starts_with("terraform plan "), "{command}");
    let devops_drift = devops["stages"].as_array().unwrap().iter().find(|s| s["stage"] == "Drift").unwrap().to_string();
    for (platform, job) in [("GitHub", jobs["drift"].to_string()), ("Azure DevOps", devops_drift)] {
        assert!(job.contains(command), "the {platform} drift job does not run `{command}`: {job}");
    }
}

/// The README's configuration is self-contained, `terraform fmt`-clean, and applies as written (the provider pointed
/// at the emulator through the environment, as a pipeline would, and the account through its variable).
#[test]
fn readme_snippet_is_formatted_and_applies_as_written() {
    let readme = read(&repo().join("README.md"));
    let start = readme.find("```hcl\n").expect("an hcl block in the README") + "```hcl\n".len();
    let snippet = &readme[start..start + readme[start..].find("```").expect("closed block")];
    assert!(snippet.contains("resource \"modelrouter_deployment\""), "{snippet}");
    let emu = TestEmulator::start();
    let mut wd = Workdir::new(snippet);
    let fmt = wd.run(&["fmt", "-check", "-diff", "main.tf"]);
    assert_eq!(fmt.code, 0, "the README snippet is not terraform fmt-clean:\n{fmt:?}");
    wd.set_env("ARM_RESOURCE_MANAGER_ENDPOINT", &emu.emulator.base_url());
    wd.set_env("ARM_ACCESS_TOKEN", TOKEN);
    wd.set_env("TF_VAR_cognitive_account_id", ACCOUNT);
    wd.init();
    wd.apply();
    wd.assert_plan_empty();
    assert!(emu.stored("model-router-prod").is_some());
}

/// The rendered entry through LiteLLM's own SDK, with `examples/litellm/log_served_model.py` run as its README
/// shows: the request reaches the emulated router, and the script logs the model that served it (for cost
/// attribution), one of the router's routed models with its version. Needs the `litellm` Python package, so it is
/// ignored by default; `scripts/test.sh` runs it when `$LITELLM_PYTHON` (or `python3`) can import litellm and
/// reports it as skipped otherwise.
#[test]
#[ignore = "needs the litellm Python package; scripts/test.sh runs it when importable"]
fn litellm_sdk_sends_the_rendered_entry() {
    let python = std::env::var("LITELLM_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let emu = TestEmulator::start();
    let wd = copy_of(&examples().join("litellm"));
    wd.init();
    let vars = emulator_vars(&emu);
    wd.ok(&with_vars(&["apply", "-no-color", "-auto-approve", "-input=false"], &vars));
    wd.write("config.yaml", &wd.ok(&["output", "-raw", "litellm_config_yaml"]).stdout);
    let keys = emu.account_keys();
    let output = std::process::Command::new(&python)
        .args(["log_served_model.py", "Summarise this contract."])
        .current_dir(wd.path())
        .env("AZURE_MODEL_ROUTER_API_KEY", &keys.0)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .unwrap_or_else(|e| panic!("run {python}: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "log_served_model.py failed:\n{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("router=model-router-gateway served_by="))
        .unwrap_or_else(|| panic!("no cost attribution line in:\n{stderr}"));
    let served_by = line.split_whitespace().find_map(|f| f.strip_prefix("served_by=")).expect("served_by");
    // LiteLLM prefixes its provider to the model Azure reports: azure_ai/gpt-5-mini-2025-08-07.
    let routed = routed_spellings(&wd);
    let model = served_by.rsplit('/').next().unwrap_or(served_by);
    assert!(routed.iter().any(|spelled| spelled == model), "LiteLLM reports {served_by}, not one of {routed:?}");
    for field in ["prompt_tokens=", "completion_tokens="] {
        assert!(line.contains(field), "{line}");
    }
}
