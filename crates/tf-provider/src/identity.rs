//! Resource identity (protocol 5.9, Terraform >= 1.12): a small versioned object of primitive attributes that
//! names the remote object a resource instance manages. Terraform stores it beside the state, carries it through
//! moves, and accepts it in place of an import id (`import { to = ..., identity = { ... } }`); list resources
//! (protocol 5.10) report what they find as identities.
//!
//! A [`Resource`](crate::Resource) opts in by returning a [`ResourceIdentity`] from
//! [`Resource::identity`](crate::Resource::identity). The identity is a function of the state
//! ([`ResourceIdentity::of_state`]), so it can never disagree with the state it accompanies: the server derives it
//! from every state a resource returns (plan, apply, read, import, list, move) and the resource code never handles
//! identity values itself.

use crate::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use crate::value::{Type, Value, json};

/// The identity schema of one resource type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdentitySchema {
    /// Bump when the attributes change; [`ResourceIdentity::upgrade`] then reads older versions.
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

/// One identity attribute (identity attributes are primitives: string, number or bool).
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityAttribute {
    pub name: String,
    pub ty: Type,
    /// Must be given in an import block's identity; otherwise optional there.
    pub required_for_import: bool,
    /// Markdown.
    pub description: String,
}

impl IdentityAttribute {
    /// An attribute an import block must give.
    pub fn required(name: impl Into<String>, ty: Type) -> IdentityAttribute {
        IdentityAttribute { name: name.into(), ty, required_for_import: true, description: String::new() }
    }

    /// An attribute an import block may leave out (the provider fills it in).
    pub fn optional(name: impl Into<String>, ty: Type) -> IdentityAttribute {
        IdentityAttribute { name: name.into(), ty, required_for_import: false, description: String::new() }
    }

    pub fn describe(mut self, description: impl Into<String>) -> IdentityAttribute {
        self.description = description.into();
        self
    }
}

impl IdentitySchema {
    pub fn new(attributes: Vec<IdentityAttribute>) -> IdentitySchema {
        IdentitySchema { version: 0, attributes }
    }

    /// The object type identity values are encoded with.
    pub fn value_type(&self) -> Type {
        Type::object(self.attributes.iter().map(|a| (a.name.as_str(), a.ty.clone())))
    }

    /// The import-required attributes that are null or unknown in `identity`, each as an error on its path.
    pub fn missing_for_import(&self, identity: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let given: Vec<&str> =
            self.attributes.iter().filter(|a| a.required_for_import).map(|a| a.name.as_str()).collect();
        for name in &given {
            let value = identity.get(name);
            if value.is_null() || !value.is_wholly_known() {
                diagnostics.push(
                    Diagnostic::error(
                        "Missing identity attribute",
                        format!(
                            "The import identity must set {name:?} to a known value. Importing by identity needs {}.",
                            given.join(", ")
                        ),
                    )
                    .at(AttributePath::root().attr(*name)),
                );
            }
        }
        diagnostics
    }
}

/// How a resource type's state maps to its identity.
pub trait ResourceIdentity: Send + Sync {
    fn schema(&self) -> IdentitySchema;

    /// The identity of the object `state` describes: null for a null state; attributes unknown where the state's
    /// identifying attributes are unknown (only in the plan of a create or replace, where Terraform allows it).
    fn of_state(&self, state: &Value) -> Value;

    /// The import id an import block's identity stands for (import by identity runs the resource's import by
    /// id). `identity` is decoded with the schema's type, and every `required_for_import` attribute is known
    /// and non-null.
    fn import_id(&self, identity: &Value) -> Result<String, Diagnostics>;

    /// UpgradeResourceIdentity. The default re-reads the stored JSON with the current schema (right as long as the
    /// identity version was never bumped).
    fn upgrade(&self, request: UpgradeIdentityRequest) -> UpgradeIdentityResponse {
        let mut diagnostics = Diagnostics::new();
        let upgraded_identity = match json::decode(&request.raw_identity_json, &self.schema().value_type(), true) {
            Ok(identity) => identity,
            Err(error) => {
                diagnostics.error("Unable to read the stored resource identity", error.to_string());
                Value::Null
            }
        };
        UpgradeIdentityResponse { upgraded_identity, diagnostics }
    }
}

/// Input of [`ResourceIdentity::upgrade`].
#[derive(Debug, Clone)]
pub struct UpgradeIdentityRequest {
    /// Identity schema version that wrote the identity.
    pub version: i64,
    /// The stored identity as JSON.
    pub raw_identity_json: Vec<u8>,
}

/// Output of [`ResourceIdentity::upgrade`].
#[derive(Debug, Clone)]
pub struct UpgradeIdentityResponse {
    /// In the current identity schema; wholly known.
    pub upgraded_identity: Value,
    pub diagnostics: Diagnostics,
}
