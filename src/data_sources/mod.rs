//! Data sources: the embedded catalog as data (`modelrouter_supported_models`, no Azure call) and a router read
//! from Azure (`modelrouter_deployment`), and every deployment of an account (`modelrouter_deployments`).

pub mod deployment;
pub mod deployments;
pub mod supported_models;
