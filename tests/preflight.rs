//! Checks against the live account at plan time, through the real `terraform` against the emulator's region offers:
//! what Azure would refuse after a long apply (wrong account kind, a version, SKU or capacity the region does not
//! offer, no quota left) fails `terraform plan` on the attribute with nothing written; what cannot be checked is a
//! warning that says so; an unreachable endpoint or a missing credential fails fast and says why.

mod support;

use std::time::{Duration, Instant};

use modelrouter_emulator::{ModelOffer, Offers, Quota, SkuOffer};
use support::{ACCOUNT, REQUIRED_PROVIDERS, TestEmulator, Workdir};

fn router(body: &str) -> String {
    format!(
        "resource \"modelrouter_deployment\" \"r\" {{\n  name                 = \"preflight-router\"\n  cognitive_account_id = \"{ACCOUNT}\"\n{body}\n}}\n"
    )
}

fn workdir(emu: &TestEmulator, resources: &str) -> Workdir {
    let wd = Workdir::new(&format!("{}\n{resources}", emu.provider_block()));
    wd.init();
    wd
}

/// The emulator's region offers: model router 2025-11-18 in GlobalStandard only, capacity 1..=100 in steps of 1,
/// with `limit` units of quota of which `used_elsewhere` are taken by other accounts.
fn offers(limit: i64, used_elsewhere: i64) -> Offers {
    let usage = "OpenAI.GlobalStandard.model-router";
    Offers {
        forbid_reads: false,
        models: vec![ModelOffer {
            name: "model-router".into(),
            version: "2025-11-18".into(),
            skus: vec![SkuOffer {
                name: "GlobalStandard".into(),
                usage_name: usage.into(),
                maximum: Some(100),
                ..Default::default()
            }],
            ..Default::default()
        }],
        quotas: vec![Quota { usage_name: usage.into(), limit, used_elsewhere }],
    }
}

fn refused(emu: &TestEmulator, wd: &Workdir, attribute: &str, needles: &[&str]) {
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "the plan should fail:\n{out:?}");
    let text = out.text();
    assert!(text.contains(&attribute.to_string()), "no error on {attribute}:\n{out:?}");
    for needle in needles {
        assert!(text.contains(needle), "the error lacks {needle:?}:\n{out:?}");
    }
    assert!(emu.writes().is_empty(), "a failed plan wrote: {:?}", emu.writes());
}

#[test]
fn what_the_region_does_not_offer_fails_at_plan_on_the_attribute() {
    let emu = TestEmulator::start_with(|o| o.settings.offers = offers(1000, 0));
    refused(&emu, &workdir(&emu, &router("  router_version = \"2025-08-07\"")), "router_version", &["2025-11-18"]);
    let emu = TestEmulator::start_with(|o| o.settings.offers = offers(1000, 0));
    refused(
        &emu,
        &workdir(&emu, &router("  sku {\n    name = \"DataZoneStandard\"\n  }")),
        "sku.name",
        &["GlobalStandard"],
    );
    let emu = TestEmulator::start_with(|o| o.settings.offers = offers(1000, 0));
    refused(&emu, &workdir(&emu, &router("  sku {\n    capacity = 150\n  }")), "sku.capacity", &["150", "100"]);
}

#[test]
fn quota_counts_what_the_deployment_already_holds() {
    // 100 units in the region, 40 taken by other accounts: a new router may take 60.
    let emu = TestEmulator::start_with(|o| o.settings.offers = offers(100, 40));
    let wd = workdir(&emu, &router("  sku {\n    capacity = 80\n  }"));
    refused(&emu, &wd, "sku.capacity", &["80", "60"]);
    wd.write("main.tf", &format!("{}\n{}", emu.provider_block(), router("  sku {\n    capacity = 30\n  }")));
    wd.apply();
    // 70 of 100 in use now. Raising the router to 60 needs only the 30 it does not hold yet: that fits exactly,
    // although 60 is more than the 30 left.
    wd.write("main.tf", &format!("{}\n{}", emu.provider_block(), router("  sku {\n    capacity = 60\n  }")));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "an update that fits because of what the router holds plans fine:\n{out:?}");
    wd.apply();
    wd.assert_plan_empty();
    // One more unit does not fit.
    wd.write("main.tf", &format!("{}\n{}", emu.provider_block(), router("  sku {\n    capacity = 61\n  }")));
    let writes = emu.writes().len();
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains("sku.capacity"), "{out:?}");
    assert_eq!(emu.writes().len(), writes);
}

#[test]
fn an_account_of_the_wrong_kind_fails_at_plan_naming_the_kind() {
    let emu = TestEmulator::start_with(|o| {
        o.accounts = vec![modelrouter_emulator::AccountSpec {
            kind: "SpeechServices".into(),
            ..modelrouter_emulator::AccountSpec::new(ACCOUNT)
        }];
    });
    refused(&emu, &workdir(&emu, &router("")), "cognitive_account_id", &["SpeechServices"]);
}

#[test]
fn what_cannot_be_checked_is_a_warning_never_silence() {
    // The region lists no model router at all.
    let emu = TestEmulator::start_with(|o| o.settings.offers = Offers { models: Vec::new(), ..offers(1000, 0) });
    let wd = workdir(&emu, &router(""));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.text().contains("not checked"), "{out:?}");
    // A least-privilege identity: the read APIs answer 403.
    let emu = TestEmulator::start_with(|o| o.settings.offers = Offers { forbid_reads: true, ..offers(1000, 0) });
    let wd = workdir(&emu, &router(""));
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.text().contains("403") && out.text().contains("not checked"), "{out:?}");
    wd.apply();
}

#[test]
fn a_region_with_a_newer_router_version_than_the_catalog_warns_once() {
    let emu = TestEmulator::start_with(|o| {
        let mut offers = offers(1000, 0);
        let newer = ModelOffer { version: "2026-10-01".into(), ..offers.models[0].clone() };
        offers.models.push(newer);
        o.settings.offers = offers;
    });
    let two =
        format!("{}{}", router(""), router("").replace("\"r\"", "\"s\"").replace("preflight-router", "second-router"));
    let wd = workdir(&emu, &two);
    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    let text = out.text();
    assert!(text.contains("2026-10-01"), "{out:?}");
    assert!(text.contains("strict_catalog"), "the warning says how to use it:\n{out:?}");
}

#[test]
fn a_closed_port_fails_the_plan_within_seconds_naming_the_endpoint() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let endpoint = format!("http://{closed}");
    let wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{\n  resource_manager_endpoint = \"{endpoint}\"\n  access_token = \"x\"\n}}\n{}",
        router("")
    ));
    wd.init();
    let started = Instant::now();
    let out = wd.plan(&[]);
    let took = started.elapsed();
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.text().contains(&endpoint) && out.text().contains("refused"), "{out:?}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

#[test]
fn no_credential_fails_the_router_plan_listing_what_was_tried_but_the_catalog_data_source_works() {
    let emu = TestEmulator::start();
    let provider = format!(
        "{REQUIRED_PROVIDERS}\nprovider \"modelrouter\" {{\n  resource_manager_endpoint = \"{}\"\n}}\n",
        emu.emulator.base_url()
    );
    // No access token, no service principal, no OIDC, no managed identity, and no `az` on PATH: only terraform's
    // own directory stays on it.
    let terraform_dir = std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).find(|dir| dir.join("terraform").is_file()))
        .expect("terraform on PATH");
    let only_terraform = terraform_dir.display().to_string();
    let mut wd = Workdir::new(&format!("{provider}{}", router("")));
    wd.set_env("PATH", &only_terraform);
    wd.init();
    let out = wd.plan(&[]);
    assert_eq!(out.code, 1, "{out:?}");
    let text = out.text();
    assert!(text.contains("Azure CLI") || text.contains("az"), "names the credentials tried:\n{out:?}");
    assert!(emu.writes().is_empty());

    let mut wd = Workdir::new(&format!(
        "{provider}data \"modelrouter_supported_models\" \"latest\" {{}}\noutput \"revision\" {{\n  value = data.modelrouter_supported_models.latest.table_revision\n}}\n"
    ));
    wd.set_env("PATH", &only_terraform);
    wd.init();
    wd.apply();
    assert_eq!(wd.outputs()["revision"]["value"], "2026-09-01");
}
