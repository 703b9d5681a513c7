//! Which kind of deployment an ARM deployment is, by its model: a model router, a Claude (Anthropic) deployment, or
//! anything else. Decides which list of `modelrouter_deployments` it is in and which resource a `moved` block may
//! take it into.

use modelrouter_arm::Deployment;

use super::ANTHROPIC;
use crate::resources::deployment::model::ROUTER_MODEL_NAME;

/// What a deployment deploys, as this provider sorts deployments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentClass {
    Router,
    Claude,
    Other,
}

impl DeploymentClass {
    pub fn of(deployment: &Deployment) -> DeploymentClass {
        let model = deployment.properties.model.as_ref();
        let name = model.map(|m| m.name.as_str()).unwrap_or_default();
        let format = model.and_then(|m| m.format.as_deref()).unwrap_or_default();
        if name.eq_ignore_ascii_case(ROUTER_MODEL_NAME) {
            DeploymentClass::Router
        } else if format.eq_ignore_ascii_case(ANTHROPIC) {
            DeploymentClass::Claude
        } else {
            DeploymentClass::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use modelrouter_arm::DeploymentModel;

    fn deployment(format: &str, model: &str) -> Deployment {
        let mut d = Deployment::default();
        d.properties.model = Some(DeploymentModel {
            format: Some(format.into()),
            name: model.into(),
            version: None,
            extra: Default::default(),
        });
        d
    }

    #[test]
    fn the_model_decides_the_kind() {
        assert_eq!(DeploymentClass::of(&deployment("OpenAI", "Model-Router")), DeploymentClass::Router);
        assert_eq!(DeploymentClass::of(&deployment("anthropic", "claude-x")), DeploymentClass::Claude);
        assert_eq!(DeploymentClass::of(&deployment("OpenAI", "gpt-4o")), DeploymentClass::Other);
        assert_eq!(DeploymentClass::of(&Deployment::default()), DeploymentClass::Other);
    }
}
