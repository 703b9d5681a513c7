//! What a deployment is doing and how it serves, shared by both resources: `deployment_state` (running or paused),
//! `service_tier`, the computed `provisioning_state`, and the content settings the Claude dependency shares with the
//! router (`rai_policy_name`, `version_upgrade_option`). The rule for each: what a read shows, what a plan
//! proposes, what a write must do.
//!
//! - `deployment_state`: a paused deployment answers nothing (HTTP 423), so Azure's value is always shown and
//!   differs from the configuration (default `Running`) as drift; a write changes it with Azure's `pause`/`resume`
//!   actions only, so a PUT never carries a stale state back.
//! - `provisioning_state`: Azure's. Anything but `Succeeded` (a failed last operation, or another writer's still
//!   running) is visible drift, and the plan marks it unknown so the configuration is sent again.
//! - `service_tier`, `rai_policy_name`, `version_upgrade_option`: left unset, Azure's choice is kept (remembered in
//!   private state) and a later change made outside Terraform is drift.

use modelrouter_arm::{DEPLOYMENT_PAUSED, DEPLOYMENT_RUNNING, Deployment};
use tf_provider::{Attribute, AttributePath, Block, Diagnostics, Type, Value};

use super::field::Field;
use super::private::PrivateState;
use super::text::{check_one_of, check_trimmed};

pub mod attr {
    pub const DEPLOYMENT_STATE: &str = "deployment_state";
    pub const SERVICE_TIER: &str = "service_tier";
    pub const PROVISIONING_STATE: &str = "provisioning_state";
    pub const RAI_POLICY_NAME: &str = "rai_policy_name";
    pub const VERSION_UPGRADE_OPTION: &str = "version_upgrade_option";
}

pub const DEPLOYMENT_STATES: [&str; 2] = [DEPLOYMENT_RUNNING, DEPLOYMENT_PAUSED];
pub const SERVICE_TIERS: [&str; 2] = ["Default", "Priority"];
pub const VERSION_UPGRADE_OPTIONS: [&str; 3] =
    ["OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade"];
/// The provisioning state of a deployment whose last operation completed.
pub const SETTLED: &str = "Succeeded";

fn path(attribute: &str) -> AttributePath {
    AttributePath::root().attr(attribute)
}

/// `deployment_state`, `service_tier` and `provisioning_state` of a deployment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Serving {
    pub deployment_state: Field<String>,
    pub service_tier: Field<String>,
    pub provisioning_state: Field<String>,
}

/// Adds the three attributes to a resource's schema.
pub fn add_attributes(block: Block) -> Block {
    block
        .attribute(Attribute::optional(attr::DEPLOYMENT_STATE, Type::String).computed().describe(
            "`Running` (default) or `Paused`. A paused deployment answers every request with HTTP 423, so one \
             paused outside Terraform is drift that apply resumes; `Paused` pauses it on purpose. Changed with \
             Azure's `pause`/`resume` actions, in place.",
        ))
        .attribute(Attribute::optional(attr::SERVICE_TIER, Type::String).computed().describe(
            "`Default` or `Priority`. Default: the service's; left unset, Azure's choice is kept and a later change \
             made outside Terraform is drift. Updated in place.",
        ))
        .attribute(Attribute::computed_only(attr::PROVISIONING_STATE, Type::String).describe(
            "Azure's `provisioningState`. `Succeeded` once the last operation completed; `Failed` (or another \
             writer's operation still running) shows as a change in `plan -refresh-only`, and the next plan sends \
             the configuration again.",
        ))
}

/// The content filter and upgrade policy attributes (the router has them; the Claude dependency adds them here).
pub fn content_attributes(block: Block) -> Block {
    block
        .attribute(Attribute::optional(attr::RAI_POLICY_NAME, Type::String).computed().describe(
            "Content filter (RAI policy), e.g. `Microsoft.DefaultV2`. Default: the service's. Updated in place.",
        ))
        .attribute(Attribute::optional(attr::VERSION_UPGRADE_OPTION, Type::String).computed().describe(
            "`OnceNewDefaultVersionAvailable`, `OnceCurrentVersionExpired` or `NoAutoUpgrade`. Default: the \
             service's. Updated in place.",
        ))
}

/// A value Azure fills in when the configuration leaves it unset: unknown until Azure answers on create; then what
/// Azure chose (remembered), so that a later change outside Terraform is drift. A state from before this was
/// remembered keeps its prior value.
pub fn server_filled(
    configured: &Field<String>,
    attribute: &str,
    prior: Option<&Field<String>>,
    remembered: &PrivateState,
) -> Field<String> {
    configured.clone().or_else(|| match (remembered.chosen(attribute), prior) {
        (Some(chosen), Some(_)) => Field::string(chosen),
        (_, prior) => prior.cloned().unwrap_or(Field::Unknown),
    })
}

/// `rai_policy_name` and `version_upgrade_option`: left unset, Azure's choice (see [`server_filled`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Content {
    pub rai_policy_name: Field<String>,
    pub version_upgrade_option: Field<String>,
}

impl Content {
    pub fn parse(value: &Value) -> Content {
        Content {
            rai_policy_name: Field::parse(value.get(attr::RAI_POLICY_NAME)),
            version_upgrade_option: Field::parse(value.get(attr::VERSION_UPGRADE_OPTION)),
        }
    }

    pub fn attributes(&self) -> [(&'static str, Value); 2] {
        [
            (attr::RAI_POLICY_NAME, self.rai_policy_name.to_value()),
            (attr::VERSION_UPGRADE_OPTION, self.version_upgrade_option.to_value()),
        ]
    }

    pub fn validate(&self, diags: &mut Diagnostics) {
        let upgrade_path = path(attr::VERSION_UPGRADE_OPTION);
        if check_trimmed(&self.version_upgrade_option, &upgrade_path, diags) {
            check_one_of(
                &self.version_upgrade_option,
                &upgrade_path,
                "version_upgrade_option",
                &VERSION_UPGRADE_OPTIONS,
                diags,
            );
        }
        if check_trimmed(&self.rai_policy_name, &path(attr::RAI_POLICY_NAME), diags)
            && self.rai_policy_name.as_deref().is_some_and(str::is_empty)
        {
            diags.error_at(
                path(attr::RAI_POLICY_NAME),
                "Empty rai_policy_name",
                "rai_policy_name must name a content filter such as \"Microsoft.DefaultV2\"; omit it to keep the \
                 service's default.",
            );
        }
    }

    pub fn plan(config: &Content, prior: Option<&Content>, remembered: &PrivateState) -> Content {
        Content {
            rai_policy_name: server_filled(
                &config.rai_policy_name,
                attr::RAI_POLICY_NAME,
                prior.map(|p| &p.rai_policy_name),
                remembered,
            ),
            version_upgrade_option: server_filled(
                &config.version_upgrade_option,
                attr::VERSION_UPGRADE_OPTION,
                prior.map(|p| &p.version_upgrade_option),
                remembered,
            ),
        }
    }

    pub fn from_arm(deployment: &Deployment) -> Content {
        Content {
            rai_policy_name: Field::from_option(deployment.properties.rai_policy_name.clone()),
            version_upgrade_option: Field::from_option(deployment.properties.version_upgrade_option.clone()),
        }
    }

    /// Writes the settings that are known into a PUT body (unset ones keep what Azure holds).
    pub fn apply_to_body(&self, body: &mut Deployment) {
        if let Some(policy) = self.rai_policy_name.known() {
            body.properties.rai_policy_name = Some(policy.clone());
        }
        if let Some(option) = self.version_upgrade_option.known() {
            body.properties.version_upgrade_option = Some(option.clone());
        }
    }

    /// The values Azure chose, to remember.
    pub fn azure_chosen(&self) -> impl Iterator<Item = (&'static str, String)> + '_ {
        [(attr::RAI_POLICY_NAME, &self.rai_policy_name), (attr::VERSION_UPGRADE_OPTION, &self.version_upgrade_option)]
            .into_iter()
            .filter_map(|(attribute, field)| Some((attribute, field.known()?.clone())))
    }
}

impl Serving {
    pub fn parse(value: &Value) -> Serving {
        Serving {
            deployment_state: Field::parse(value.get(attr::DEPLOYMENT_STATE)),
            service_tier: Field::parse(value.get(attr::SERVICE_TIER)),
            provisioning_state: Field::parse(value.get(attr::PROVISIONING_STATE)),
        }
    }

    pub fn attributes(&self) -> [(&'static str, Value); 3] {
        [
            (attr::DEPLOYMENT_STATE, self.deployment_state.to_value()),
            (attr::SERVICE_TIER, self.service_tier.to_value()),
            (attr::PROVISIONING_STATE, self.provisioning_state.to_value()),
        ]
    }

    pub fn validate(&self, diags: &mut Diagnostics) {
        for (field, attribute, what, allowed) in [
            (&self.deployment_state, attr::DEPLOYMENT_STATE, "deployment_state", &DEPLOYMENT_STATES),
            (&self.service_tier, attr::SERVICE_TIER, "service_tier", &SERVICE_TIERS),
        ] {
            if check_trimmed(field, &path(attribute), diags) {
                check_one_of(field, &path(attribute), what, allowed, diags);
            }
        }
    }

    /// The planned serving attributes. A prior state Azure does not report as settled plans `provisioning_state`
    /// unknown: the difference makes Terraform call apply, which sends the configuration again.
    pub fn plan(config: &Serving, prior: Option<&Serving>, remembered: &PrivateState) -> Serving {
        let settled =
            prior.and_then(|p| p.provisioning_state.as_deref()).is_some_and(|s| s.eq_ignore_ascii_case(SETTLED));
        Serving {
            deployment_state: config.deployment_state.clone().or_else(|| Field::string(DEPLOYMENT_RUNNING)),
            service_tier: server_filled(
                &config.service_tier,
                attr::SERVICE_TIER,
                prior.map(|p| &p.service_tier),
                remembered,
            ),
            provisioning_state: match prior {
                Some(prior) if settled => prior.provisioning_state.clone(),
                _ => Field::Unknown,
            },
        }
    }

    /// What Azure reports.
    pub fn from_arm(deployment: &Deployment) -> Serving {
        Serving {
            deployment_state: Field::string(deployment.deployment_state()),
            service_tier: Field::from_option(deployment.properties.service_tier.clone()),
            provisioning_state: Field::from_option(deployment.provisioning_state().map(str::to_owned)),
        }
    }

    /// Writes the planned service tier into a PUT body. The deployment state is never sent: it changes only
    /// through Azure's actions ([`Serving::state_change`]), so a read-modify-write cannot echo a stale one.
    pub fn apply_to_body(&self, body: &mut Deployment) {
        if let Some(tier) = self.service_tier.known() {
            body.properties.service_tier = Some(tier.clone());
        }
        body.properties.deployment_state = None;
    }

    /// The state to switch `deployment` to, when it is not the planned one.
    pub fn state_change(&self, deployment: &Deployment) -> Option<&str> {
        let wanted = self.deployment_state.as_deref()?;
        (!wanted.eq_ignore_ascii_case(deployment.deployment_state())).then_some(wanted)
    }

    /// The values Azure chose for what the configuration may leave unset.
    pub fn azure_chosen(&self) -> Option<(&'static str, String)> {
        self.service_tier.known().map(|tier| (attr::SERVICE_TIER, tier.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serving(state: &str, provisioning: &str) -> Serving {
        Serving {
            deployment_state: Field::string(state),
            service_tier: Field::string("Default"),
            provisioning_state: Field::string(provisioning),
        }
    }

    #[test]
    fn an_unsettled_prior_plans_provisioning_state_unknown() {
        let config = Serving::default();
        let remembered = PrivateState::default();
        let settled = Serving::plan(&config, Some(&serving("Running", "Succeeded")), &remembered);
        assert_eq!(settled.provisioning_state.as_deref(), Some("Succeeded"));
        assert_eq!(settled.deployment_state.as_deref(), Some("Running"), "the default");
        for unsettled in ["Failed", "Updating", "Canceled"] {
            let planned = Serving::plan(&config, Some(&serving("Running", unsettled)), &remembered);
            assert!(planned.provisioning_state.is_unknown(), "{unsettled}");
        }
        assert!(Serving::plan(&config, None, &remembered).provisioning_state.is_unknown(), "create");
        assert!(Serving::plan(&config, None, &remembered).service_tier.is_unknown(), "Azure's choice on create");
    }

    #[test]
    fn the_state_changes_by_action_and_never_rides_in_the_put() {
        let planned = serving("Running", "Succeeded");
        let mut paused = Deployment::default();
        paused.properties.deployment_state = Some("Paused".into());
        assert_eq!(planned.state_change(&paused), Some("Running"));
        assert_eq!(planned.state_change(&Deployment::default()), None, "absent means running");
        planned.apply_to_body(&mut paused);
        assert_eq!(paused.properties.deployment_state, None);
        assert_eq!(paused.properties.service_tier.as_deref(), Some("Default"));
    }

    #[test]
    fn bad_values_name_the_attribute_and_the_allowed_ones() {
        let mut diags = Diagnostics::new();
        Serving {
            deployment_state: Field::string("Stopped"),
            service_tier: Field::string("priority"),
            ..Default::default()
        }
        .validate(&mut diags);
        let shown: Vec<_> =
            diags.iter().map(|d| (d.attribute.as_ref().map(ToString::to_string), d.detail.clone())).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].1.contains("\"Stopped\"") && shown[0].1.contains("\"Paused\""), "{shown:?}");
        assert!(shown[1].1.contains("\"Priority\""), "{shown:?}");
    }
}
