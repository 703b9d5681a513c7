//! What the plan passes to the preflight checks.

use modelrouter_arm::AccountId;

use crate::resources::common::claude_guard::ClaudeNeed;

/// Which resource is being planned: decides the version attribute's name and the account kinds that can host it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentKind {
    /// `modelrouter_deployment` (model `model-router`).
    Router,
    /// `modelrouter_claude_dependency` (an Anthropic model).
    Claude,
}

impl DeploymentKind {
    /// Account kinds that can host the deployment at all. Model router is an Azure OpenAI model (OpenAI and
    /// AIServices accounts); Claude models are served only by Foundry (AIServices) resources.
    pub fn hosting_kinds(self) -> &'static [&'static str] {
        match self {
            DeploymentKind::Router => &["AIServices", "OpenAI"],
            DeploymentKind::Claude => &["AIServices"],
        }
    }
}

/// One deployment as planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightRequest {
    pub kind: DeploymentKind,
    pub account: AccountId,
    /// `model-router`, or the Claude model's name.
    pub model_name: String,
    /// `OpenAI` for the router, `Anthropic` for Claude.
    pub format: String,
    /// The planned model version (`router_version` / `version`); `None` when unknown at plan.
    pub version: Option<String>,
    pub sku_name: String,
    /// The planned `sku.capacity`.
    pub capacity: i64,
    /// Capacity this deployment already holds in Azure (0 on create): it is not needed again from the quota.
    pub held_capacity: i64,
    /// The newest router version the embedded catalog knows (router only), for the "newer version" warning.
    pub newest_catalog_version: Option<String>,
    /// Whether the write changes what the region offer and quota rules judge (a create, a new version or SKU);
    /// `false` when only the Claude rule has something new to check.
    pub check_offer: bool,
    /// What the Claude rule needs from this deployment.
    pub claude: ClaudePlan,
}

/// The plan-time side of the rule that a router may route to a Claude model only once the account deploys it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ClaudePlan {
    /// Nothing (a router without Claude models to check).
    #[default]
    None,
    /// A router: the Claude deployments its write needs (all of them on a create or SKU change, otherwise those
    /// the write adds to its subset).
    Needs(Vec<ClaudeNeed>),
    /// A Claude dependency: what this plan deploys, remembered for the routers planned after it.
    Provides(PlannedClaude),
}

/// A Claude deployment as planned (the account is the request's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedClaude {
    /// The deployment's name, when known at plan: it replaces what Azure holds under that name.
    pub deployment: Option<String>,
    pub model: String,
    pub version: String,
    pub sku: String,
}

impl PreflightRequest {
    /// Quota the write needs beyond what the deployment holds.
    pub fn needed_quota(&self) -> i64 {
        (self.capacity - self.held_capacity).max(0)
    }
}
