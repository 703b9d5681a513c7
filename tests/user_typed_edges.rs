//! The edges users type, through the real `terraform`: stray whitespace and case in every user-typed string either
//! fail at plan with an error on the attribute and nothing written, or apply and then plan empty twice — never
//! "Provider produced inconsistent result", never a replace loop. And `strict_catalog = false` converges for a model
//! and a router version the catalog does not know.

mod support;

use support::{ACCOUNT, TestEmulator, Workdir};

fn workdir(emu: &TestEmulator, provider_extra: &str, resources: &str) -> Workdir {
    let provider = emu.provider_block().replacen(
        "provider \"modelrouter\" {\n",
        &format!("provider \"modelrouter\" {{\n{provider_extra}"),
        1,
    );
    let wd = Workdir::new(&format!("{provider}\n{resources}"));
    wd.init();
    wd
}

fn router(body: &str) -> String {
    format!(
        "resource \"modelrouter_deployment\" \"r\" {{\n  name                 = \"edge-router\"\n  cognitive_account_id = \"{ACCOUNT}\"\n{body}\n}}\n"
    )
}

fn claude(model: &str) -> String {
    format!(
        r#"resource "modelrouter_claude_dependency" "c" {{
  cognitive_account_id = "{ACCOUNT}"
  model                = "{model}"
  model_provider_data {{
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }}
}}
"#
    )
}

/// A plan that must fail: exit 1, the error on `attribute` quoting `value`, and no write reached Azure.
fn assert_refused_at_plan(emu: &TestEmulator, wd: &Workdir, attribute: &str, value: &str) {
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "the plan should fail:\n{out:?}");
    let text = out.text();
    assert!(text.contains("Leading or trailing whitespace") || text.contains("Unsupported"), "{out:?}");
    assert!(
        text.contains(&"with modelrouter_".to_string()) && text.contains(attribute),
        "no error on {attribute}:\n{out:?}"
    );
    assert!(text.contains(&format!("{value:?}")), "the value {value:?} is not quoted:\n{out:?}");
    assert!(emu.writes().is_empty(), "a failed plan wrote: {:?}", emu.writes());
    let out = wd.run(&["apply", "-no-color", "-auto-approve", "-input=false"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(emu.writes().is_empty(), "a failed apply wrote: {:?}", emu.writes());
}

#[test]
fn whitespace_around_a_routing_model_name_fails_at_plan_on_the_attribute() {
    for name in [" gpt-5-mini", "gpt-4.1 "] {
        let emu = TestEmulator::start();
        let body = format!("  routing {{\n    model {{ name = \"{name}\" }}\n    model {{ name = \"gpt-5\" }}\n  }}");
        let wd = workdir(&emu, "", &router(&body));
        assert_refused_at_plan(&emu, &wd, "routing.model", name);
    }
}

#[test]
fn whitespace_around_router_version_and_content_filter_fails_at_plan() {
    for (attribute, line) in [
        ("router_version", "  router_version = \"2025-11-18 \""),
        ("rai_policy_name", "  rai_policy_name = \" Microsoft.DefaultV2 \""),
    ] {
        let emu = TestEmulator::start();
        let wd = workdir(&emu, "", &router(line));
        let value = line.split('"').nth(1).unwrap();
        assert_refused_at_plan(&emu, &wd, attribute, value);
    }
}

#[test]
fn whitespace_around_a_claude_model_fails_at_plan() {
    let emu = TestEmulator::start();
    let wd = workdir(&emu, "", &claude(" claude-haiku-4-5"));
    assert_refused_at_plan(&emu, &wd, "model", " claude-haiku-4-5");
}

#[test]
fn a_title_case_mode_fails_at_plan_naming_the_lowercase_spelling() {
    let emu = TestEmulator::start();
    let wd = workdir(
        &emu,
        "",
        &router(
            "  routing {\n    mode = \"Quality\"\n    model { name = \"gpt-5\" }\n    model { name = \"gpt-5-mini\" }\n  }",
        ),
    );
    assert_refused_at_plan(&emu, &wd, "routing.mode", "Quality");
    assert!(wd.plan(&[]).text().contains("Write it as \"quality\""));
}

/// Case in a model name is accepted in the configuration's spelling; Azure gets the catalog's.
#[test]
fn a_model_name_in_another_case_applies_and_plans_empty_twice() {
    let emu = TestEmulator::start();
    let wd = workdir(
        &emu,
        "",
        &router("  routing {\n    model { name = \"GPT-5-Mini\" }\n    model { name = \"gpt-5\" }\n  }"),
    );
    wd.apply();
    let body = emu.requests("PUT")[0].body.clone().unwrap();
    let names: Vec<&str> = body["properties"]["routing"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"gpt-5-mini"), "{names:?}");
    wd.assert_plan_empty();
    wd.assert_plan_empty();
}

#[test]
fn lenient_catalog_converges_for_an_unknown_model_and_router_version() {
    // Azure offers a router version this provider's catalog does not know yet.
    let emu = TestEmulator::offering_router_version("2026-06-01");
    let body = "  router_version = \"2026-06-01\"\n  routing {\n    model { name = \"gpt-7-preview\" }\n    model { name = \"gpt-5\" }\n  }";
    let wd = workdir(&emu, "  strict_catalog = false\n", &router(body));
    let out = wd.apply();
    assert!(out.text().contains("Router version not in the catalog"), "{out:?}");
    // What the configuration left out for the unknown model is left out of the PUT, and taken from Azure's read.
    let put = emu.requests("PUT")[0].body.clone().unwrap();
    let unknown = put["properties"]["routing"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "gpt-7-preview")
        .cloned()
        .expect("the unknown model is sent");
    assert!(unknown.get("format").is_none_or(|f| f.is_null()), "{unknown}");
    for _ in 0..2 {
        let out = wd.plan(&[]);
        assert_eq!(out.code, 0, "the plan after apply is not empty:\n{out:?}");
        assert!(!out.text().contains("not in the catalog"), "warning repeated in a no-op plan:\n{out:?}");
    }
}
