//! Managed resources. Each resource keeps its schema, model, validation and CRUD side by side; the machinery the
//! two share (ARM writes with read-back, drift-aware reads, timeouts, import) lives in one place.

use std::sync::Arc;

use tf_provider::{ListResource, Resource};

use crate::state::ProviderState;
use common::lifecycle::DeploymentResource;
use common::listing::DeploymentList;

pub mod claude_dependency;
pub mod common;
pub mod deployment;
pub mod moves;

/// Every managed resource type this provider serves.
pub fn all(state: &Arc<ProviderState>) -> Vec<Arc<dyn Resource>> {
    vec![
        Arc::new(DeploymentResource::new(deployment::Router, state.clone())),
        Arc::new(DeploymentResource::new(claude_dependency::ClaudeDependency, state.clone())),
    ]
}

/// A list resource (`terraform query`) per managed resource type.
pub fn lists(state: &Arc<ProviderState>) -> Vec<Arc<dyn ListResource>> {
    vec![
        Arc::new(DeploymentList::new(deployment::Router, state.clone())),
        Arc::new(DeploymentList::new(claude_dependency::ClaudeDependency, state.clone())),
    ]
}
