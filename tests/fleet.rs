//! Fleets (issue 20): a plan reads each account's deployments with one paged list per provider process, not one
//! GET per router, and still catches every out-of-band change. Counted from the emulator's request log, with the
//! real `terraform`.

mod support;

use modelrouter_emulator::{AccountSpec, RecordedRequest};
use serde_json::json;
use support::{ACCOUNT, TestEmulator, Workdir};

/// The second account of the fleet (same subscription, another resource group).
const SECOND_ACCOUNT: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-fleet/providers/Microsoft.CognitiveServices/accounts/foundry-fleet";
const ROUTERS_PER_ACCOUNT: usize = 8;
const PAGE_SIZE: usize = 3;

/// 8 routers in each account: one resource block per account with `for_each`, each router in its own mode.
fn fleet(emu: &TestEmulator) -> String {
    let block = |label: &str, account: &str| {
        format!(
            r#"
resource "modelrouter_deployment" "{label}" {{
  for_each             = toset([for i in range({ROUTERS_PER_ACCOUNT}) : tostring(i)])
  name                 = "router-{label}-${{each.key}}"
  cognitive_account_id = "{account}"
  routing {{
    mode = "balanced"
    model {{ name = "gpt-5-mini" }}
    model {{ name = "gpt-4.1" }}
  }}
}}
"#
        )
    };
    format!("{}\n{}\n{}", emu.provider_block(), block("a", ACCOUNT), block("b", SECOND_ACCOUNT))
}

/// What a command cost in the request log: list pages per account (first pages apart) and single-deployment GETs.
struct Reads {
    first_pages: [usize; 2],
    pages: [usize; 2],
    deployment_gets: Vec<String>,
}

fn reads(requests: &[RecordedRequest]) -> Reads {
    let mut counted = Reads { first_pages: [0; 2], pages: [0; 2], deployment_gets: Vec::new() };
    for request in requests.iter().filter(|r| r.method == "GET") {
        let path = request.path.to_lowercase();
        let account = if path.starts_with(&ACCOUNT.to_lowercase()) {
            0
        } else if path.starts_with(&SECOND_ACCOUNT.to_lowercase()) {
            1
        } else {
            continue;
        };
        if path.ends_with("/deployments") {
            counted.pages[account] += 1;
            if !request.query.contains("skiptoken") {
                counted.first_pages[account] += 1;
            }
        } else if path.contains("/deployments/") {
            counted.deployment_gets.push(request.path.clone());
        }
    }
    counted
}

fn admin_delete(emu: &TestEmulator, id: &str) {
    assert!(emu.emulator.delete_deployment(id), "{id} existed before the out-of-band delete");
}

#[test]
fn a_fleet_plan_reads_each_account_once_and_catches_out_of_band_changes() {
    let emu = TestEmulator::start_with(|options| {
        options.accounts.push(AccountSpec::new(SECOND_ACCOUNT));
        options.settings.page_size = PAGE_SIZE;
    });
    let wd = Workdir::new(&fleet(&emu));
    wd.init();
    wd.apply();
    let pages_per_list = ROUTERS_PER_ACCOUNT.div_ceil(PAGE_SIZE);

    // A no-op plan: one list per account (all its pages), no single-deployment GET.
    emu.emulator.clear_requests();
    let out = wd.plan(&[]);
    assert_eq!(out.code, 0, "the fleet is unchanged:\n{out:?}");
    let counted = reads(&emu.emulator.requests());
    assert_eq!(counted.first_pages, [1, 1], "one deployments list per account and provider process");
    assert_eq!(counted.pages, [pages_per_list; 2], "every page of each list, once");
    assert!(counted.deployment_gets.len() <= 2, "single-deployment GETs: {:?}", counted.deployment_gets);

    emu.emulator.clear_requests();
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 0, "refresh-only on an unchanged fleet:\n{out:?}");
    assert_eq!(reads(&emu.emulator.requests()).first_pages, [1, 1]);

    // Out of band: one router deleted in the first account, another's mode changed in the second.
    admin_delete(&emu, &TestEmulator::deployment_id("router-a-3"));
    let changed = format!("{SECOND_ACCOUNT}/deployments/router-b-5");
    assert!(emu.emulator.patch_deployment(&changed, json!({"properties": {"routing": {"mode": "cost"}}})));

    emu.emulator.clear_requests();
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 2, "refresh-only after out-of-band changes:\n{out:?}");
    let text = out.text();
    assert!(text.contains("modelrouter_deployment.a[\"3\"] has been deleted"), "{out:?}");
    assert!(text.contains("modelrouter_deployment.b[\"5\"] has changed"), "{out:?}");
    let counted = reads(&emu.emulator.requests());
    assert_eq!(counted.first_pages, [1, 1]);
    // The deleted router is missing from the list: confirmed with exactly one GET before it is reported gone.
    assert_eq!(counted.deployment_gets.len(), 1, "{:?}", counted.deployment_gets);
    assert!(counted.deployment_gets[0].ends_with("/deployments/router-a-3"), "{:?}", counted.deployment_gets);

    let out = wd.plan(&[]);
    assert_eq!(out.code, 2, "{out:?}");
    let text = out.text();
    assert!(text.contains("modelrouter_deployment.a[\"3\"] will be created"), "{out:?}");
    assert!(text.contains("modelrouter_deployment.b[\"5\"] will be updated in-place"), "{out:?}");
    assert!(text.contains("\"cost\" -> \"balanced\""), "the plan restores the mode:\n{out:?}");
    assert!(text.contains("Plan: 1 to add, 1 to change, 0 to destroy"), "{out:?}");

    // Apply repairs both; the fleet is clean again.
    wd.apply();
    assert_eq!(emu.emulator.deployment(&changed).expect("kept")["properties"]["routing"]["mode"], "balanced");
    assert!(emu.stored("router-a-3").is_some(), "re-created");
    wd.assert_plan_empty();
    let out = wd.plan(&["-refresh-only"]);
    assert_eq!(out.code, 0, "{out:?}");
}
