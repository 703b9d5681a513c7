//! What both resources share: the deployment lifecycle, timeouts, name rules, error diagnostics and value helpers.

pub mod errors;
pub mod identity;
pub mod lifecycle;
pub mod readback;
pub mod sku;
pub mod timeouts;
pub mod values;
