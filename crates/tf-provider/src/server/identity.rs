//! Resource identity on the wire: decoding what Terraform sends, deriving and encoding what the server answers.
//!
//! Terraform 1.11 (protocol 5.8) sends no identity and never reads one: every identity field is absent in its
//! requests, and the identity fields of the answers are protobuf fields it does not know and skips. So the same
//! answers serve every client version.

use super::convert::{decode_dynamic, encode_dynamic};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::identity::ResourceIdentity;
use crate::proto::tfplugin5 as pb;
use crate::value::{Type, Value};

/// A resource type's identity with the type its values are encoded with.
#[derive(Clone, Copy)]
pub(super) struct IdentityCodec<'a> {
    pub identity: &'a dyn ResourceIdentity,
    pub ty: &'a Type,
}

impl IdentityCodec<'_> {
    /// An identity Terraform sent (`None` when it sent none: Terraform < 1.12, or state written before).
    pub fn decode(&self, what: &str, data: Option<&pb::ResourceIdentityData>) -> Result<Option<Value>, Diagnostics> {
        let Some(value) = data.and_then(|data| data.identity_data.as_ref()) else {
            return Ok(None);
        };
        let identity = decode_dynamic(Some(value), self.ty).map_err(|e| {
            Diagnostics::from(Diagnostic::error(
                format!("Invalid {what} received from Terraform"),
                format!("Cannot decode the {what}: {e}"),
            ))
        })?;
        Ok((!identity.is_null()).then_some(identity))
    }

    /// The identity of `state`, encoded; `None` for a null state (nothing to identify).
    pub fn encode_of(&self, state: &Value) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
        self.encode(&self.identity.of_state(state))
    }

    /// An identity value, encoded; `None` for null. A value that does not match the identity schema is a defect
    /// of the provider, reported as such.
    pub fn encode(&self, identity: &Value) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
        if identity.is_null() {
            return Ok(None);
        }
        let data = encode_dynamic(identity, self.ty).map_err(|e| {
            Diagnostics::from(Diagnostic::error(
                "Provider produced an invalid identity",
                format!(
                    "The resource identity does not match the identity schema: {e}. This is a bug in the provider."
                ),
            ))
        })?;
        Ok(Some(pb::ResourceIdentityData { identity_data: Some(data) }))
    }

    /// An error when the object now has another identity than the one Terraform stored for it: an identity names
    /// one remote object for its whole life (a different object is a replace, which Terraform plans itself).
    pub fn check_unchanged(&self, stored: Option<&Value>, state: &Value) -> Diagnostics {
        let now = self.identity.of_state(state);
        match stored {
            Some(stored) if !now.is_null() && stored.is_wholly_known() && *stored != now => Diagnostic::error(
                "Unexpected identity change",
                format!(
                    "Terraform stored the identity {} for this resource, but the object now has the identity {}. \
                         An identity names one remote object for its whole life. This is a bug in the provider.",
                    describe(stored),
                    describe(&now)
                ),
            )
            .into(),
            _ => Diagnostics::new(),
        }
    }
}

/// `{name = "x", ...}` for messages: the attribute values of an identity in schema order.
fn describe(identity: &Value) -> String {
    let Value::Object(attributes) = identity else {
        return "(none)".to_string();
    };
    let pairs: Vec<String> = attributes
        .iter()
        .map(|(name, value)| match value.as_str() {
            Some(text) => format!("{name} = {text:?}"),
            None if value.is_null() => format!("{name} = null"),
            None => format!("{name} = {value:?}"),
        })
        .collect();
    format!("{{{}}}", pairs.join(", "))
}
