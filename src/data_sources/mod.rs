//! Data sources: the embedded catalog as data (`modelrouter_supported_models`, no Azure call) and a router read
//! from Azure (`modelrouter_deployment`).

pub mod deployment;
pub mod supported_models;
