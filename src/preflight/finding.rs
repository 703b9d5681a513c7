//! What a preflight check found: typed until the resource turns it into a diagnostic on an attribute.

use std::fmt;

use tf_provider::{AttributePath, Diagnostic};

use super::request::DeploymentKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Azure would refuse the write: the plan fails.
    Error,
    /// Something the user should know, or a check that could not be made.
    Warning,
}

/// The configuration attribute a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `cognitive_account_id`.
    Account,
    /// `router_version` (router) or `version` (Claude).
    Version,
    /// `sku.name`.
    SkuName,
    /// `sku.capacity`.
    SkuCapacity,
    /// `routing.model` (router only): the subset.
    Subset,
    /// `routing` (router).
    Routing,
    /// `model_provider_data` (Claude).
    ModelProviderData,
    /// `rai_policy_name`.
    RaiPolicy,
    /// The resource as a whole: no one attribute.
    Resource,
}

impl Target {
    /// The attribute path in the resource of `kind`.
    pub fn path(self, kind: DeploymentKind) -> AttributePath {
        let root = AttributePath::root();
        match (self, kind) {
            (Target::Account, _) => root.attr("cognitive_account_id"),
            (Target::Version, DeploymentKind::Router) => root.attr("router_version"),
            (Target::Version, DeploymentKind::Claude) => root.attr("version"),
            (Target::SkuName, _) => root.attr("sku").attr("name"),
            (Target::SkuCapacity, _) => root.attr("sku").attr("capacity"),
            (Target::Subset, _) => root.attr("routing").attr("model"),
            (Target::Routing, DeploymentKind::Router) => root.attr("routing"),
            (Target::ModelProviderData, DeploymentKind::Claude) => root.attr("model_provider_data"),
            (Target::RaiPolicy, _) => root.attr("rai_policy_name"),
            (Target::Routing | Target::ModelProviderData | Target::Resource, _) => root,
        }
    }

    /// The attribute's name as the user writes it, for messages.
    pub fn name(self, kind: DeploymentKind) -> &'static str {
        match (self, kind) {
            (Target::Account, _) => "cognitive_account_id",
            (Target::Version, DeploymentKind::Router) => "router_version",
            (Target::Version, DeploymentKind::Claude) => "version",
            (Target::SkuName, _) => "sku.name",
            (Target::SkuCapacity, _) => "sku.capacity",
            (Target::Subset, _) => "routing.model",
            (Target::Routing, _) => "routing",
            (Target::ModelProviderData, _) => "model_provider_data",
            (Target::RaiPolicy, _) => "rai_policy_name",
            (Target::Resource, _) => "the resource",
        }
    }
}

/// Which rule produced a finding (for tests and for callers that filter, e.g. warnings shown only on change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    AccountMissing,
    AccountKind,
    NoCredential,
    AccountUnreadable,
    VersionNotOffered,
    SkuNotOffered,
    CapacityLimits,
    Quota,
    NewerRouterVersion,
    /// A Claude model of the subset has no deployment in the account, nor one planned in this process.
    ClaudeNotDeployed,
    /// The account deploys a Claude model of the subset on another SKU than the router's.
    ClaudeOtherSku,
    /// The Claude deployment on the router's SKU reports a provisioning state other than Succeeded.
    ClaudeNotSucceeded,
    /// Azure Resource Manager's own template validation refused the body the apply would send.
    AzureRefused,
    /// A check that could not be made (403, no entry, no usage): the detail says which.
    NotChecked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub target: Target,
    pub rule: Rule,
    pub summary: String,
    /// The numbers and what the region offers.
    pub detail: String,
}

impl Finding {
    pub fn error(target: Target, rule: Rule, summary: impl Into<String>, detail: impl Into<String>) -> Finding {
        Finding { severity: Severity::Error, target, rule, summary: summary.into(), detail: detail.into() }
    }

    pub fn warning(target: Target, rule: Rule, summary: impl Into<String>, detail: impl Into<String>) -> Finding {
        Finding { severity: Severity::Warning, target, rule, summary: summary.into(), detail: detail.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic on the finding's attribute in the resource of `kind`.
    pub fn to_diagnostic(&self, kind: DeploymentKind) -> Diagnostic {
        let diagnostic = match self.severity {
            Severity::Error => Diagnostic::error(self.summary.clone(), self.detail.clone()),
            Severity::Warning => Diagnostic::warning(self.summary.clone(), self.detail.clone()),
        };
        let path = self.target.path(kind);
        // An empty path would point at nothing: such a finding is about the resource as a whole.
        if path == AttributePath::root() { diagnostic } else { diagnostic.at(path) }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = if self.is_error() { "error" } else { "warning" };
        write!(f, "{level}: {}: {}", self.summary, self.detail)
    }
}
