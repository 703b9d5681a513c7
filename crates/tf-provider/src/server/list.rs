//! ListResource, the one server-streaming RPC: the provider's [`ListResource`] stream runs in its own task and
//! each result becomes one event (identity derived from the state, the state itself as the resource object when
//! asked for). Like the unary RPCs, every failure — a bad request, an error, a panic in provider code — is an
//! event carrying an error diagnostic, never a gRPC error, and the server goes on serving.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::channel::mpsc;
use futures::stream::{self, BoxStream};
use futures::{FutureExt as _, SinkExt as _, StreamExt as _};
use tonic::Status;

use super::convert::{diagnostics_to_proto, encode_dynamic};
use super::grpc::{IN_RPC_HANDLER, panic_message};
use super::identity::IdentityCodec;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::list::{ListItem, ListRequest, ListResource};
use crate::proto::tfplugin5 as pb;
use crate::provider::Resource;
use crate::schema::Block;
use crate::value::Type;

pub(super) type EventStream = BoxStream<'static, Result<pb::list_resource::Event, Status>>;

/// Events buffered ahead of Terraform's reads: enough to overlap encoding with sending, little enough that a
/// listing Terraform stops reading (its limit) is not computed far ahead.
const BUFFER: usize = 8;

/// What a listing needs of the managed resource type it lists.
pub(super) struct ListedType {
    pub resource: Arc<dyn Resource>,
    pub block: Block,
    pub ty: Type,
    pub identity_ty: Type,
}

/// A stream of one event carrying `diagnostics`: how a listing that cannot start answers.
pub(super) fn failed(diagnostics: &Diagnostics) -> EventStream {
    stream::iter([Ok(diagnostics_event(diagnostics))]).boxed()
}

/// Runs the listing in its own task and streams its events.
pub(super) fn start(list: Arc<dyn ListResource>, listed: ListedType, request: ListRequest) -> EventStream {
    let (mut events, receiver) = mpsc::channel(BUFFER);
    let task = async move {
        let listing = AssertUnwindSafe(produce(list, &listed, request, events.clone())).catch_unwind().await;
        if let Err(payload) = listing {
            let message = panic_message(payload.as_ref());
            tracing::error!(rpc = "ListResource", panic = %message, "provider panicked; the listing ended, the process continues");
            let diagnostic = Diagnostic::error(
                "Provider internal error",
                format!("The provider panicked while handling ListResource: {message}. This is a bug in the provider."),
            );
            // Terraform may have hung up already; then nobody is left to tell.
            let _ = events.send(Ok(diagnostics_event(&diagnostic.into()))).await;
        }
    };
    tokio::spawn(IN_RPC_HANDLER.scope("ListResource", task));
    receiver.boxed()
}

/// Sends one event per result until the provider's stream ends, an error was sent, the limit is reached or
/// Terraform stops reading.
async fn produce(
    list: Arc<dyn ListResource>,
    listed: &ListedType,
    request: ListRequest,
    mut events: mpsc::Sender<Result<pb::list_resource::Event, Status>>,
) {
    let include_resource_object = request.include_resource_object;
    let limit = request.limit;
    let mut results = list.list(request).await;
    let mut sent = 0usize;
    while limit.is_none_or(|limit| sent < limit) {
        let Some(item) = results.next().await else { break };
        let event = to_event(item, listed, include_resource_object);
        let failed = event.diagnostic.iter().any(|d| d.severity == pb::diagnostic::Severity::Error as i32);
        sent += usize::from(event.identity.is_some());
        if events.send(Ok(event)).await.is_err() || failed {
            break;
        }
    }
}

fn to_event(item: ListItem, listed: &ListedType, include_resource_object: bool) -> pb::list_resource::Event {
    let result = match item {
        Ok(result) => result,
        Err(diagnostics) => return diagnostics_event(&diagnostics),
    };
    let Some(identity) = listed.resource.identity() else {
        return diagnostics_event(&without_identity(listed.resource.type_name()));
    };
    let codec = IdentityCodec { identity, ty: &listed.identity_ty };
    let identity = match codec.encode_of(&result.state) {
        Ok(Some(identity)) => identity,
        Ok(None) => return diagnostics_event(&null_result(listed.resource.type_name(), &result.display_name)),
        Err(diagnostics) => return diagnostics_event(&diagnostics),
    };
    let resource_object = if include_resource_object {
        let mut state = result.state;
        listed.block.fill_absent_blocks(&mut state);
        match encode_dynamic(&state, &listed.ty) {
            Ok(object) => Some(object),
            Err(e) => {
                return diagnostics_event(
                    &Diagnostic::error(
                        "Provider produced an invalid value",
                        format!(
                            "The listed object {:?} does not match the resource schema: {e}. This is a bug in the \
                             provider.",
                            result.display_name
                        ),
                    )
                    .into(),
                );
            }
        }
    } else {
        None
    };
    pb::list_resource::Event {
        identity: Some(identity),
        display_name: result.display_name,
        resource_object,
        diagnostic: diagnostics_to_proto(&result.diagnostics),
    }
}

fn diagnostics_event(diagnostics: &Diagnostics) -> pb::list_resource::Event {
    pb::list_resource::Event { diagnostic: diagnostics_to_proto(diagnostics), ..Default::default() }
}

/// Terraform reads every listed object as an identity, so a list resource needs a managed type with one.
pub(super) fn without_identity(type_name: &str) -> Diagnostics {
    Diagnostic::error(
        "List resource without identity",
        format!(
            "The managed resource type {type_name:?} has no identity, so it cannot be listed. This is a bug in the \
             provider."
        ),
    )
    .into()
}

fn null_result(type_name: &str, display_name: &str) -> Diagnostics {
    Diagnostic::error(
        "Provider produced an invalid value",
        format!("The list of {type_name} returned a null object for {display_name:?}. This is a bug in the provider."),
    )
    .into()
}
