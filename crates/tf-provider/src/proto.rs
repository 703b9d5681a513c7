//! Generated protocol types and gRPC stubs (from `proto/*.proto`, compiled by build.rs).

#![allow(clippy::all, missing_docs)]

/// Terraform plugin protocol 5.10 (readable by every 5.x client).
pub mod tfplugin5 {
    tonic::include_proto!("tfplugin5");
}

/// go-plugin side services (controller).
pub mod plugin {
    tonic::include_proto!("plugin");
}
