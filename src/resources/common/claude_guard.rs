//! The rule that ties routers and Claude deployments together, checked by the provider before Azure would
//! reject the write with a bare `InvalidResourceProperties`: at plan as far as plan can know (`preflight::claude`)
//! and again under the account lock before the router's write.

use std::fmt;

use modelrouter_arm::Deployment;

use super::ANTHROPIC;

/// Whether `deployment` is a Claude deployment of `model` at `version`.
pub fn is_claude_deployment_of(deployment: &Deployment, model: &str, version: &str) -> bool {
    deployment.properties.model.as_ref().is_some_and(|m| {
        m.format.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(ANTHROPIC))
            && m.name.eq_ignore_ascii_case(model)
            && m.version.as_deref() == Some(version)
    })
}

/// The router that needs a Claude deployment, and which one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaudeNeed {
    pub router: String,
    pub account: String,
    pub model: String,
    pub version: String,
    /// The router's SKU name, which the Claude deployment must share.
    pub sku: String,
}

/// Why a router may not route to a Claude model yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaudeGuardError {
    /// The account has no Claude deployment of the model at that version.
    NotDeployed(ClaudeNeed),
    /// The account deploys the model, but on another SKU than the router's.
    OtherSku { need: ClaudeNeed, deployment: String, deployed_sku: String },
    /// The deployment on the router's SKU has not (yet) succeeded.
    NotSucceeded { need: ClaudeNeed, deployment: String, state: String },
}

impl ClaudeGuardError {
    /// The diagnostic's summary.
    pub fn title(&self) -> &'static str {
        match self {
            ClaudeGuardError::NotDeployed(_) => "Claude model not deployed in the account",
            ClaudeGuardError::OtherSku { .. } => "Claude deployment on another SKU than the router",
            ClaudeGuardError::NotSucceeded { .. } => "Claude deployment not succeeded",
        }
    }

    pub fn need(&self) -> &ClaudeNeed {
        match self {
            ClaudeGuardError::NotDeployed(need)
            | ClaudeGuardError::OtherSku { need, .. }
            | ClaudeGuardError::NotSucceeded { need, .. } => need,
        }
    }
}

impl fmt::Display for ClaudeGuardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ClaudeNeed { router, account, model, version, sku } = self.need();
        match self {
            ClaudeGuardError::NotDeployed(_) => write!(
                f,
                "Router {router:?} routes to the Claude model {model} (version {version}), but the account \
                 {account} has no Claude deployment of it. Claude models must be deployed in the same account, with \
                 the same SKU name as the router ({sku}), before a router may route to them; Azure would reject the \
                 router with InvalidResourceProperties. Declare it and reference it from the router so Terraform \
                 creates it first:\n\n\
                 resource \"modelrouter_claude_dependency\" \"{resource}\" {{\n  cognitive_account_id = \"{account}\"\n  \
                 model                = \"{model}\"\n  version              = \"{version}\"\n  sku {{\n    name = \"{sku}\"\n  }}\n  \
                 model_provider_data {{\n    organization_name = \"...\"\n    country_code      = \"US\"\n    industry          = \"technology\"\n  }}\n}}\n\n\
                 and in the router: depends_on = [modelrouter_claude_dependency.{resource}]",
                resource = model.replace(['-', '.'], "_"),
            ),
            ClaudeGuardError::OtherSku { deployment, deployed_sku, .. } => write!(
                f,
                "Router {router:?} uses SKU {sku}, but the Claude deployment {deployment:?} of {model} (version \
                 {version}) in account {account} uses SKU {deployed_sku}. A Claude deployment must have the same SKU \
                 name as the routers that route to it: set sku.name = \"{sku}\" on the modelrouter_claude_dependency \
                 (or change the router's)."
            ),
            ClaudeGuardError::NotSucceeded { deployment, state, .. } => write!(
                f,
                "Router {router:?} routes to the Claude model {model} (version {version}), but its deployment \
                 {deployment:?} in account {account} is in provisioning state {state}, not Succeeded."
            ),
        }
    }
}

impl std::error::Error for ClaudeGuardError {}

/// Checks that `deployments` hold a succeeded Claude deployment of the model at the version with the router's SKU,
/// which the router needs before it may route to the model.
pub fn check_deployed(deployments: &[Deployment], need: &ClaudeNeed) -> Result<(), Box<ClaudeGuardError>> {
    let candidates: Vec<&Deployment> =
        deployments.iter().filter(|d| is_claude_deployment_of(d, &need.model, &need.version)).collect();
    let Some(first) = candidates.first() else {
        return Err(Box::new(ClaudeGuardError::NotDeployed(need.clone())));
    };
    let sku_of = |d: &Deployment| d.sku.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "none".into());
    let name_of = |d: &Deployment| d.name.clone().unwrap_or_else(|| need.model.clone());
    let Some(matching) = candidates.iter().find(|d| sku_of(d).eq_ignore_ascii_case(&need.sku)) else {
        return Err(Box::new(ClaudeGuardError::OtherSku {
            need: need.clone(),
            deployment: name_of(first),
            deployed_sku: sku_of(first),
        }));
    };
    match matching.properties.provisioning_state.as_deref() {
        None | Some("Succeeded") => Ok(()),
        Some(state) => Err(Box::new(ClaudeGuardError::NotSucceeded {
            need: need.clone(),
            deployment: name_of(matching),
            state: state.to_owned(),
        })),
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
