//! Terraform plugin protocol 5 (up to 5.10) for Rust providers.
//!
//! Terraform starts a provider binary through hashicorp/go-plugin and talks gRPC (`tfplugin5`) to it. This
//! crate owns everything about that conversation so the provider code only implements the traits in
//! [`provider`]:
//!
//! - [`value`]: cty types and values with their msgpack and JSON codecs;
//! - [`schema`]: schema types and builders;
//! - [`diagnostics`]: errors and warnings with attribute paths;
//! - [`provider`]: the `Provider` / `Resource` / `DataSource` traits;
//! - [`function`]: provider-defined functions (`Function`);
//! - [`ephemeral`]: ephemeral resources (`EphemeralResource`);
//! - [`identity`]: resource identity (`ResourceIdentity`, protocol 5.9);
//! - [`list`]: list resources for `terraform query` (`ListResource`, protocol 5.10);
//! - [`server`]: the go-plugin handshake, AutoMTLS, HTTP/2 on the `h2` crate, the gRPC services and [`serve`];
//! - [`logging`]: hclog-shaped JSON logs on stderr;
//! - [`proto`]: the generated protocol types.

pub mod diagnostics;
pub mod ephemeral;
pub mod function;
pub mod identity;
pub mod list;
pub mod logging;
pub mod proto;
pub mod provider;
pub mod schema;
pub mod server;
pub mod value;

pub use diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
pub use ephemeral::{CloseRequest, EphemeralResource, OpenRequest, OpenResponse, RenewRequest, RenewResponse};
pub use function::{Function, FunctionError, Parameter, Signature};
pub use identity::{
    IdentityAttribute, IdentitySchema, ResourceIdentity, UpgradeIdentityRequest, UpgradeIdentityResponse,
};
pub use list::{ListItem, ListRequest, ListResource, ListResult};
pub use provider::{
    ApplyRequest, ApplyResponse, ConfigureRequest, DataSource, DataSourceReadResponse, ImportRequest, ImportResponse,
    MoveRequest, MoveResponse, PlanRequest, PlanResponse, Provider, ReadRequest, ReadResponse, Resource,
    UpgradeRequest, UpgradeResponse,
};
pub use schema::{Attribute, Block, NestedBlock, Nesting, Schema};
pub use server::{ServeOptions, serve};
pub use value::{Number, Refinements, Type, Value};

/// Re-exported so implementors use the same `async_trait` as the traits.
pub use async_trait::async_trait;
