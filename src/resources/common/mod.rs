//! What both resources share: the deployment lifecycle, timeouts, name rules, error diagnostics and value helpers.

pub mod errors;
pub mod lifecycle;
pub mod names;
pub mod sku;
pub mod timeouts;
pub mod values;
