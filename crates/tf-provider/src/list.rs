//! List resources (protocol 5.10, Terraform >= 1.14): `list` blocks in `.tfquery.hcl` files and
//! `terraform query`, which find existing remote objects of a managed resource type and can write their
//! configuration and import blocks (`-generate-config-out`).
//!
//! A list resource is named after the managed resource type it lists, and that type must have an identity
//! ([`crate::identity`]): Terraform receives every object found as an identity, and, when asked, as a full
//! resource object. The implementation yields resource states; the server derives each identity from its state
//! with the managed resource's [`ResourceIdentity`](crate::identity::ResourceIdentity), and sends the state as the
//! resource object only when Terraform asked for it.

use async_trait::async_trait;
use futures::stream::BoxStream;

use crate::diagnostics::Diagnostics;
use crate::schema::Schema;
use crate::value::Value;

/// One list resource type.
#[async_trait]
pub trait ListResource: Send + Sync + 'static {
    /// The managed resource type this lists, e.g. `"modelrouter_deployment"`.
    fn type_name(&self) -> &'static str;

    /// Schema of the list block's `config` block.
    fn schema(&self) -> Schema;

    /// ValidateListResourceConfig. `config` may hold unknowns.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// ListResource. `request.config` is wholly known. The stream ends when everything was found; the server stops
    /// polling it after `limit` results, or when Terraform hangs up.
    async fn list(&self, request: ListRequest) -> BoxStream<'static, ListItem>;
}

/// Input of [`ListResource::list`].
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub config: Value,
    /// Whether Terraform wants full resource objects. Without them, each [`ListResult::state`] needs only the
    /// attributes its identity is derived from.
    pub include_resource_object: bool,
    /// At most this many results are read (`None`: no limit).
    pub limit: Option<usize>,
}

/// One object found, or diagnostics without an object (an error ends the listing for Terraform).
pub type ListItem = Result<ListResult, Diagnostics>;

/// One object found.
#[derive(Debug, Clone)]
pub struct ListResult {
    /// A name humans recognise, shown by `terraform query`.
    pub display_name: String,
    /// The object as the managed resource's state: what a read after an import would store.
    pub state: Value,
    /// Warnings about this object.
    pub diagnostics: Diagnostics,
}
