//! The rule that ties routers and Claude deployments together, checked by the provider before Azure would
//! reject the write with a bare `InvalidResourceProperties`.

use modelrouter_arm::{AccountId, Deployment};

use super::ANTHROPIC;

/// Whether `deployment` is a Claude deployment of `model` at `version`.
pub fn is_claude_deployment_of(deployment: &Deployment, model: &str, version: &str) -> bool {
    deployment.properties.model.as_ref().is_some_and(|m| {
        m.format.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(ANTHROPIC))
            && m.name.eq_ignore_ascii_case(model)
            && m.version.as_deref() == Some(version)
    })
}

/// Checks that the account holds a succeeded Claude deployment of `model` at `version` with SKU `sku`, which
/// router `router` needs before it may route to the model. The error says what to declare.
pub fn check_deployed(
    deployments: &[Deployment],
    router: &str,
    account: &AccountId,
    model: &str,
    version: &str,
    sku: &str,
) -> Result<(), String> {
    let candidates: Vec<&Deployment> =
        deployments.iter().filter(|d| is_claude_deployment_of(d, model, version)).collect();
    let declare = format!(
        "Declare it and reference it from the router so Terraform creates it first:\n\n\
         resource \"modelrouter_claude_dependency\" \"{resource}\" {{\n  cognitive_account_id = \"{account}\"\n  \
         model                = \"{model}\"\n  version              = \"{version}\"\n  sku {{\n    name = \"{sku}\"\n  }}\n  \
         model_provider_data {{\n    organization_name = \"...\"\n    country_code      = \"US\"\n    industry          = \"technology\"\n  }}\n}}\n\n\
         and in the router: depends_on = [modelrouter_claude_dependency.{resource}]",
        resource = model.replace(['-', '.'], "_"),
    );
    let Some(first) = candidates.first() else {
        return Err(format!(
            "Router {router:?} routes to the Claude model {model} (version {version}), but the account {account} \
             has no Claude deployment of it. Claude models must be deployed in the same account, with the same SKU \
             name as the router ({sku}), before a router may route to them; Azure would reject the router with \
             InvalidResourceProperties. {declare}"
        ));
    };
    let sku_of = |d: &Deployment| d.sku.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "none".into());
    let Some(matching) = candidates.iter().find(|d| sku_of(d).eq_ignore_ascii_case(sku)) else {
        return Err(format!(
            "Router {router:?} uses SKU {sku}, but the Claude deployment {:?} of {model} (version {version}) in \
             account {account} uses SKU {}. A Claude deployment must have the same SKU name as the routers that \
             route to it: set sku.name = \"{sku}\" on the modelrouter_claude_dependency (or change the router's).",
            first.name.as_deref().unwrap_or(model),
            sku_of(first),
        ));
    };
    match matching.properties.provisioning_state.as_deref() {
        None | Some("Succeeded") => Ok(()),
        Some(state) => Err(format!(
            "Router {router:?} routes to the Claude model {model} (version {version}), but its deployment {:?} in \
             account {account} is in provisioning state {state}, not Succeeded.",
            matching.name.as_deref().unwrap_or(model),
        )),
    }
}

/// The model router deployments among `deployments` that route to the Claude model `model` at `version`: a Claude
/// deployment must outlive them (deleting it first would break their routing).
pub fn routers_routing_to<'d>(deployments: &'d [Deployment], model: &str, version: &str) -> Vec<&'d str> {
    deployments
        .iter()
        .filter(|d| d.properties.model.as_ref().is_some_and(|m| m.name.eq_ignore_ascii_case("model-router")))
        .filter(|d| {
            d.properties.routing.as_ref().and_then(|r| r.models.as_deref()).is_some_and(|models| {
                models.iter().any(|m| {
                    m.format.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(ANTHROPIC))
                        && m.name.eq_ignore_ascii_case(model)
                        && m.version.as_deref() == Some(version)
                })
            })
        })
        .filter_map(|d| d.name.as_deref())
        .collect()
}
