//! Data sources: read-only views that need no Azure call.

pub mod supported_models;
