//! The `tfplugin5.Provider` gRPC service: decode with the schema type, dispatch to the traits, encode.
//!
//! Every failure (unknown type name, undecodable value, a panic in provider code) becomes an error
//! diagnostic in an OK response: Terraform turns gRPC errors into an opaque "Plugin error".
//! Schemas and value types are computed once at start-up, not per call.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt as _;
use tonic::{Request, Response, Status};

use super::convert::{
    decode_dynamic, diagnostics_to_proto, encode_dynamic, function_to_proto, identity_schema_to_proto, path_to_proto,
    schema_to_proto,
};
use super::identity::IdentityCodec;
use super::list::{self as listing, EventStream, ListedType};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ephemeral::{CloseRequest, EphemeralResource, OpenRequest, RenewRequest};
use crate::function::{Function, FunctionError, Signature};
use crate::identity::UpgradeIdentityRequest;
use crate::list::{ListRequest, ListResource};
use crate::proto::tfplugin5 as pb;
use crate::proto::tfplugin5::provider_server::Provider as ProviderRpc;
use crate::provider::{
    ApplyRequest, ConfigureRequest, DataSource, ImportRequest, MoveRequest, PlanRequest, Provider, ReadRequest,
    Resource, UpgradeRequest,
};
use crate::schema::Block;
use crate::value::{Type, Value};

tokio::task_local! {
    /// Set while an RPC handler runs, so the panic hook knows the panic will be caught.
    pub(crate) static IN_RPC_HANDLER: &'static str;
}

struct ResourceEntry {
    resource: Arc<dyn Resource>,
    block: Block,
    ty: Type,
    /// The identity's value type, for types with an identity.
    identity_ty: Option<Type>,
}

impl ResourceEntry {
    /// The identity of this type with its value type; `None` when it has none.
    fn identity(&self) -> Option<IdentityCodec<'_>> {
        Some(IdentityCodec { identity: self.resource.identity()?, ty: self.identity_ty.as_ref()? })
    }

    /// An identity Terraform sent; ignored for a type without identity (Terraform sends none for those).
    fn decode_identity(
        &self,
        what: &str,
        data: Option<&pb::ResourceIdentityData>,
    ) -> Result<Option<Value>, Diagnostics> {
        self.identity().map_or(Ok(None), |codec| codec.decode(what, data))
    }

    /// The identity of a state this type returns, encoded; `None` without identity or for a null state.
    fn identity_of(&self, state: &Value) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
        self.identity().map_or(Ok(None), |codec| codec.encode_of(state))
    }
}

struct ListEntry {
    list: Arc<dyn ListResource>,
    ty: Type,
}

struct DataSourceEntry {
    data_source: Arc<dyn DataSource>,
    block: Block,
    ty: Type,
}

struct EphemeralEntry {
    ephemeral: Arc<dyn EphemeralResource>,
    block: Block,
    ty: Type,
}

struct FunctionEntry {
    function: Arc<dyn Function>,
    signature: Signature,
}

/// The Provider service around a [`Provider`] implementation.
pub struct ProviderService {
    provider: Arc<dyn Provider>,
    provider_type: Type,
    resources: HashMap<String, ResourceEntry>,
    data_sources: HashMap<String, DataSourceEntry>,
    ephemeral_resources: HashMap<String, EphemeralEntry>,
    functions: HashMap<String, FunctionEntry>,
    list_resources: HashMap<String, ListEntry>,
    schema_response: pb::get_provider_schema::Response,
    identity_schemas: HashMap<String, pb::ResourceIdentitySchema>,
}

impl ProviderService {
    /// Collects schemas and types once.
    pub fn new(provider: Arc<dyn Provider>) -> ProviderService {
        let provider_schema = provider.schema();
        let mut schema_response = pb::get_provider_schema::Response {
            provider: Some(schema_to_proto(&provider_schema)),
            server_capabilities: Some(pb::ServerCapabilities {
                plan_destroy: false,
                // Every RPC works on a fresh process without a GetSchema first (schemas are collected here, at
                // construction), so Terraform may serve later provider processes of a command from its schema
                // cache: one round trip less per process, and Terraform starts several per command.
                get_provider_schema_optional: true,
                // Set below once a resource says it takes moves.
                move_resource_state: false,
                // Terraform writes `-generate-config-out` configuration from the listed objects itself.
                generate_resource_config: false,
            }),
            ..Default::default()
        };
        let mut resources = HashMap::new();
        let mut identity_schemas = HashMap::new();
        let mut accepts_moves = false;
        for resource in provider.resources() {
            accepts_moves |= resource.accepts_moves();
            let schema = resource.schema();
            let name = resource.type_name().to_string();
            schema_response.resource_schemas.insert(name.clone(), schema_to_proto(&schema));
            let identity_schema = resource.identity().map(|identity| identity.schema());
            if let Some(identity_schema) = &identity_schema {
                identity_schemas.insert(name.clone(), identity_schema_to_proto(identity_schema));
            }
            let identity_ty = identity_schema.map(|identity_schema| identity_schema.value_type());
            let ty = schema.block.value_type();
            resources.insert(name, ResourceEntry { resource, block: schema.block, ty, identity_ty });
        }
        let mut list_resources = HashMap::new();
        for list in provider.list_resources() {
            let schema = list.schema();
            let name = list.type_name().to_string();
            schema_response.list_resource_schemas.insert(name.clone(), schema_to_proto(&schema));
            list_resources.insert(name, ListEntry { list, ty: schema.block.value_type() });
        }
        if let Some(capabilities) = schema_response.server_capabilities.as_mut() {
            capabilities.move_resource_state = accepts_moves;
        }
        let mut data_sources = HashMap::new();
        for data_source in provider.data_sources() {
            let schema = data_source.schema();
            let name = data_source.type_name().to_string();
            schema_response.data_source_schemas.insert(name.clone(), schema_to_proto(&schema));
            let ty = schema.block.value_type();
            data_sources.insert(name, DataSourceEntry { data_source, block: schema.block, ty });
        }
        let mut ephemeral_resources = HashMap::new();
        for ephemeral in provider.ephemeral_resources() {
            let schema = ephemeral.schema();
            let name = ephemeral.type_name().to_string();
            schema_response.ephemeral_resource_schemas.insert(name.clone(), schema_to_proto(&schema));
            let ty = schema.block.value_type();
            ephemeral_resources.insert(name, EphemeralEntry { ephemeral, block: schema.block, ty });
        }
        let mut functions = HashMap::new();
        for function in provider.functions() {
            let signature = function.signature();
            let name = function.name().to_string();
            schema_response.functions.insert(name.clone(), function_to_proto(&signature));
            functions.insert(name, FunctionEntry { function, signature });
        }
        ProviderService {
            provider_type: provider_schema.block.value_type(),
            provider,
            resources,
            data_sources,
            ephemeral_resources,
            functions,
            list_resources,
            schema_response,
            identity_schemas,
        }
    }

    fn resource(&self, type_name: &str) -> Result<&ResourceEntry, Diagnostics> {
        self.resources.get(type_name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown resource type",
                format!("This provider has no managed resource type {type_name:?}."),
            )
            .into()
        })
    }

    fn data_source(&self, type_name: &str) -> Result<&DataSourceEntry, Diagnostics> {
        self.data_sources.get(type_name).ok_or_else(|| {
            Diagnostic::error("Unknown data source type", format!("This provider has no data source {type_name:?}."))
                .into()
        })
    }

    fn list_resource(&self, type_name: &str) -> Result<&ListEntry, Diagnostics> {
        self.list_resources.get(type_name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown list resource type",
                format!("This provider has no list resource type {type_name:?}."),
            )
            .into()
        })
    }

    /// The identity of a resource type, or an error saying the type has none.
    fn require_identity<'a>(
        &self,
        entry: &'a ResourceEntry,
        type_name: &str,
    ) -> Result<IdentityCodec<'a>, Diagnostics> {
        entry.identity().ok_or_else(|| {
            Diagnostic::error(
                "Resource type without identity",
                format!("The resource type {type_name} has no resource identity (it can only be imported by id)."),
            )
            .into()
        })
    }

    /// Starts a listing; a request that cannot start one answers with a single error event.
    fn start_listing(&self, req: pb::list_resource::Request) -> Result<EventStream, Diagnostics> {
        let entry = self.list_resource(&req.type_name)?;
        let resource = self.resource(&req.type_name)?;
        let Some(identity_ty) = resource.identity_ty.clone() else {
            return Err(listing::without_identity(&req.type_name));
        };
        let config = decode("list configuration", req.config.as_ref(), &entry.ty)?;
        let listed = ListedType {
            resource: resource.resource.clone(),
            block: resource.block.clone(),
            ty: resource.ty.clone(),
            identity_ty,
        };
        // Terraform always sends a positive limit; anything else means none.
        let limit = usize::try_from(req.limit).ok().filter(|limit| *limit > 0);
        let request = ListRequest { config, include_resource_object: req.include_resource_object, limit };
        Ok(listing::start(entry.list.clone(), listed, request))
    }

    fn ephemeral(&self, type_name: &str) -> Result<&EphemeralEntry, Diagnostics> {
        self.ephemeral_resources.get(type_name).ok_or_else(|| {
            Diagnostic::error(
                "Unknown ephemeral resource type",
                format!("This provider has no ephemeral resource type {type_name:?}."),
            )
            .into()
        })
    }

    /// Decodes the arguments of a call and runs it; every failure is a [`FunctionError`], on the argument at
    /// fault when there is one.
    fn call_function(&self, name: &str, arguments: &[pb::DynamicValue]) -> Result<pb::DynamicValue, FunctionError> {
        let entry = self
            .functions
            .get(name)
            .ok_or_else(|| FunctionError::new(format!("This provider has no function {name:?}.")))?;
        let signature = &entry.signature;
        if arguments.len() < signature.parameters.len() {
            return Err(FunctionError::new(format!(
                "{name} takes {} arguments, {} given.",
                signature.parameters.len(),
                arguments.len()
            )));
        }
        let values = arguments
            .iter()
            .enumerate()
            .map(|(i, argument)| {
                let ty = signature.argument_type(i).ok_or_else(|| {
                    FunctionError::argument(
                        i,
                        format!("{name} takes {} arguments, {} given.", signature.parameters.len(), arguments.len()),
                    )
                })?;
                decode_dynamic(Some(argument), ty).map_err(|e| {
                    FunctionError::argument(i, format!("Invalid value for this argument received from Terraform: {e}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let result = entry.function.call(values)?;
        encode_dynamic(&result, &signature.return_type).map_err(|e| {
            FunctionError::new(format!(
                "The result of {name} does not match its return type: {e}. This is a bug in the provider."
            ))
        })
    }
}

impl ProviderService {
    /// The import id an import block's identity stands for, after checking the identity Terraform sent.
    fn import_id_of_identity(
        &self,
        entry: &ResourceEntry,
        type_name: &str,
        id: &str,
        data: &pb::ResourceIdentityData,
    ) -> Result<String, Diagnostics> {
        let codec = self.require_identity(entry, type_name)?;
        if !id.is_empty() {
            return Err(Diagnostic::error(
                "Ambiguous import",
                format!("The import of {type_name} names both an id ({id:?}) and an identity; give one of them."),
            )
            .into());
        }
        let identity = codec.decode("import identity", Some(data))?.unwrap_or(Value::Null);
        let missing = codec.identity.schema().missing_for_import(&identity);
        if missing.has_errors() {
            return Err(missing);
        }
        codec.identity.import_id(&identity)
    }
}

fn function_error_to_proto(error: FunctionError) -> pb::FunctionError {
    pb::FunctionError { text: error.text, function_argument: error.argument.map(|i| i as i64) }
}

/// Optional bytes on the wire: absent rather than empty when there is nothing.
fn optional_bytes(bytes: Vec<u8>) -> Option<Vec<u8>> {
    (!bytes.is_empty()).then_some(bytes)
}

fn timestamp(at: Option<std::time::SystemTime>) -> Option<prost_types::Timestamp> {
    at.map(prost_types::Timestamp::from)
}

/// Decodes one request value or explains which one could not be read.
fn decode(what: &str, value: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, Diagnostics> {
    decode_dynamic(value, ty).map_err(|e| {
        Diagnostic::error(format!("Invalid {what} received from Terraform"), format!("Cannot decode the {what}: {e}"))
            .into()
    })
}

/// Encodes one response object after filling in absent nested blocks; a failure is a provider defect,
/// reported as such.
fn encode(what: &str, mut value: Value, block: &Block, ty: &Type) -> Result<pb::DynamicValue, Diagnostics> {
    block.fill_absent_blocks(&mut value);
    encode_dynamic(&value, ty).map_err(|e| {
        Diagnostic::error(
            "Provider produced an invalid value",
            format!("The {what} does not match the schema: {e}. This is a bug in the provider."),
        )
        .into()
    })
}

/// Responses that carry diagnostics; lets [`run`] fill in a failure uniformly.
trait WithDiagnostics: Default {
    fn set_diagnostics(&mut self, diagnostics: Vec<pb::Diagnostic>);
}

macro_rules! with_diagnostics {
    ($($t:ty),* $(,)?) => {$(
        impl WithDiagnostics for $t {
            fn set_diagnostics(&mut self, diagnostics: Vec<pb::Diagnostic>) {
                self.diagnostics = diagnostics;
            }
        }
    )*};
}

with_diagnostics!(
    pb::get_metadata::Response,
    pb::get_provider_schema::Response,
    pb::prepare_provider_config::Response,
    pb::validate_resource_type_config::Response,
    pb::validate_data_source_config::Response,
    pb::upgrade_resource_state::Response,
    pb::configure::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::move_resource_state::Response,
    pb::read_data_source::Response,
    pb::validate_ephemeral_resource_config::Response,
    pb::open_ephemeral_resource::Response,
    pb::renew_ephemeral_resource::Response,
    pb::close_ephemeral_resource::Response,
    pb::get_functions::Response,
    pb::get_resource_identity_schemas::Response,
    pb::upgrade_resource_identity::Response,
    pb::validate_list_resource_config::Response,
);

/// CallFunction answers with a FunctionError instead of diagnostics: a failure outside the function (a panic)
/// becomes its text.
impl WithDiagnostics for pb::call_function::Response {
    fn set_diagnostics(&mut self, diagnostics: Vec<pb::Diagnostic>) {
        let text = diagnostics
            .iter()
            .map(|d| if d.detail.is_empty() { d.summary.clone() } else { format!("{}: {}", d.summary, d.detail) })
            .collect::<Vec<_>>()
            .join("\n");
        self.error = Some(pb::FunctionError { text, function_argument: None });
    }
}

/// The private bytes ReadResource returns: the request's own bytes whenever the provider's are the same JSON
/// document (key order or spacing aside). Terraform 1.10 to 1.14 compare `Private` byte for byte when deciding
/// the refresh-only exit code (plugin-protocol-5.8.md §6), so an equal but re-serialised private would be a
/// false "changes present".
fn unchanged_private(request: Vec<u8>, response: Vec<u8>) -> Vec<u8> {
    if request == response || request.is_empty() || response.is_empty() {
        return response;
    }
    let same = matches!(
        (serde_json::from_slice::<serde_json::Value>(&request), serde_json::from_slice::<serde_json::Value>(&response)),
        (Ok(a), Ok(b)) if a == b
    );
    if same { request } else { response }
}

pub(super) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

/// Runs one handler: catches panics, turns `Err(diagnostics)` into a response with only diagnostics.
async fn run<R: WithDiagnostics>(
    rpc: &'static str,
    handler: impl Future<Output = Result<R, Diagnostics>>,
) -> Result<Response<R>, Status> {
    tracing::trace!(rpc, "RPC started");
    let outcome = IN_RPC_HANDLER.scope(rpc, AssertUnwindSafe(handler).catch_unwind()).await;
    let response = match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(diagnostics)) => {
            let mut response = R::default();
            response.set_diagnostics(diagnostics_to_proto(&diagnostics));
            response
        }
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            tracing::error!(rpc, panic = %message, "provider panicked; the request failed, the process continues");
            let mut response = R::default();
            response.set_diagnostics(diagnostics_to_proto(
                &Diagnostic::error(
                    "Provider internal error",
                    format!("The provider panicked while handling {rpc}: {message}. This is a bug in the provider."),
                )
                .into(),
            ));
            response
        }
    };
    tracing::trace!(rpc, "RPC finished");
    Ok(Response::new(response))
}

#[tonic::async_trait]
impl ProviderRpc for ProviderService {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        run("GetMetadata", async {
            Ok(pb::get_metadata::Response {
                server_capabilities: self.schema_response.server_capabilities,
                resources: self
                    .resources
                    .keys()
                    .map(|name| pb::get_metadata::ResourceMetadata { type_name: name.clone() })
                    .collect(),
                data_sources: self
                    .data_sources
                    .keys()
                    .map(|name| pb::get_metadata::DataSourceMetadata { type_name: name.clone() })
                    .collect(),
                functions: self
                    .functions
                    .keys()
                    .map(|name| pb::get_metadata::FunctionMetadata { name: name.clone() })
                    .collect(),
                ephemeral_resources: self
                    .ephemeral_resources
                    .keys()
                    .map(|name| pb::get_metadata::EphemeralMetadata { type_name: name.clone() })
                    .collect(),
                list_resources: self
                    .list_resources
                    .keys()
                    .map(|name| pb::get_metadata::ListResourceMetadata { type_name: name.clone() })
                    .collect(),
                actions: Vec::new(),
                diagnostics: Vec::new(),
            })
        })
        .await
    }

    async fn get_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        run("GetSchema", async { Ok(self.schema_response.clone()) }).await
    }

    async fn prepare_provider_config(
        &self,
        request: Request<pb::prepare_provider_config::Request>,
    ) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
        let req = request.into_inner();
        run("PrepareProviderConfig", async {
            let config = decode("provider configuration", req.config.as_ref(), &self.provider_type)?;
            let diagnostics = self.provider.validate(&config);
            // Terraform ignores prepared_config (it only warns when it differs): echo the input.
            Ok(pb::prepare_provider_config::Response {
                prepared_config: req.config.clone(),
                diagnostics: diagnostics_to_proto(&diagnostics),
            })
        })
        .await
    }

    async fn validate_resource_type_config(
        &self,
        request: Request<pb::validate_resource_type_config::Request>,
    ) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
        let req = request.into_inner();
        run("ValidateResourceTypeConfig", async {
            let entry = self.resource(&req.type_name)?;
            let config = decode("configuration", req.config.as_ref(), &entry.ty)?;
            let diagnostics = entry.resource.validate(&config);
            Ok(pb::validate_resource_type_config::Response { diagnostics: diagnostics_to_proto(&diagnostics) })
        })
        .await
    }

    async fn validate_data_source_config(
        &self,
        request: Request<pb::validate_data_source_config::Request>,
    ) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
        let req = request.into_inner();
        run("ValidateDataSourceConfig", async {
            let entry = self.data_source(&req.type_name)?;
            let config = decode("configuration", req.config.as_ref(), &entry.ty)?;
            let diagnostics = entry.data_source.validate(&config);
            Ok(pb::validate_data_source_config::Response { diagnostics: diagnostics_to_proto(&diagnostics) })
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let req = request.into_inner();
        run("UpgradeResourceState", async {
            let entry = self.resource(&req.type_name)?;
            let raw = req.raw_state.unwrap_or_default();
            if raw.json.is_empty() && !raw.flatmap.is_empty() {
                return Err(Diagnostic::error(
                    "Unsupported legacy state",
                    "The stored state uses the pre-0.12 flatmap format, which this provider cannot read.",
                )
                .into());
            }
            let upgraded = entry.resource.upgrade(UpgradeRequest { version: req.version, raw_state_json: raw.json });
            Ok(pb::upgrade_resource_state::Response {
                upgraded_state: Some(encode("upgraded state", upgraded.upgraded_state, &entry.block, &entry.ty)?),
                diagnostics: diagnostics_to_proto(&upgraded.diagnostics),
            })
        })
        .await
    }

    async fn configure(
        &self,
        request: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        let req = request.into_inner();
        run("Configure", async {
            let config = decode("provider configuration", req.config.as_ref(), &self.provider_type)?;
            let diagnostics =
                self.provider.configure(ConfigureRequest { terraform_version: req.terraform_version, config }).await;
            Ok(pb::configure::Response { diagnostics: diagnostics_to_proto(&diagnostics) })
        })
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = request.into_inner();
        run("ReadResource", async {
            let entry = self.resource(&req.type_name)?;
            let current_state = decode("current state", req.current_state.as_ref(), &entry.ty)?;
            let current_identity = entry.decode_identity("current identity", req.current_identity.as_ref())?;
            let prior_private = req.private.clone();
            let mut out = entry.resource.read(ReadRequest { current_state, private: req.private }).await;
            if let Some(codec) = entry.identity() {
                out.diagnostics.extend(codec.check_unchanged(current_identity.as_ref(), &out.new_state));
            }
            Ok(pb::read_resource::Response {
                new_identity: entry.identity_of(&out.new_state)?,
                new_state: Some(encode("new state", out.new_state, &entry.block, &entry.ty)?),
                diagnostics: diagnostics_to_proto(&out.diagnostics),
                private: unchanged_private(prior_private, out.private),
                deferred: None,
            })
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = request.into_inner();
        run("PlanResourceChange", async {
            let entry = self.resource(&req.type_name)?;
            let plan = PlanRequest {
                prior_state: decode("prior state", req.prior_state.as_ref(), &entry.ty)?,
                proposed_new_state: decode("proposed new state", req.proposed_new_state.as_ref(), &entry.ty)?,
                config: decode("configuration", req.config.as_ref(), &entry.ty)?,
                prior_private: req.prior_private,
            };
            // Refused when undecodable, like every value Terraform sends; the plan derives its identity from the
            // planned state (a replace may name another object than the prior identity).
            entry.decode_identity("prior identity", req.prior_identity.as_ref())?;
            let out = entry.resource.plan(plan).await;
            // A failed plan is never applied; its proposal may not identify anything.
            let planned_identity =
                if out.diagnostics.has_errors() { None } else { entry.identity_of(&out.planned_state)? };
            Ok(pb::plan_resource_change::Response {
                planned_identity,
                planned_state: Some(encode("planned state", out.planned_state, &entry.block, &entry.ty)?),
                requires_replace: out.requires_replace.iter().map(path_to_proto).collect(),
                planned_private: out.planned_private,
                diagnostics: diagnostics_to_proto(&out.diagnostics),
                legacy_type_system: false,
                deferred: None,
            })
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let req = request.into_inner();
        run("ApplyResourceChange", async {
            let entry = self.resource(&req.type_name)?;
            let apply = ApplyRequest {
                prior_state: decode("prior state", req.prior_state.as_ref(), &entry.ty)?,
                planned_state: decode("planned state", req.planned_state.as_ref(), &entry.ty)?,
                config: decode("configuration", req.config.as_ref(), &entry.ty)?,
                planned_private: req.planned_private,
            };
            let planned_identity = entry.decode_identity("planned identity", req.planned_identity.as_ref())?;
            let updating = !apply.prior_state.is_null() && !apply.planned_state.is_null();
            let mut out = entry.resource.apply(apply).await;
            if let Some(codec) = entry.identity().filter(|_| updating && !out.diagnostics.has_errors()) {
                out.diagnostics.extend(codec.check_unchanged(planned_identity.as_ref(), &out.new_state));
            }
            Ok(pb::apply_resource_change::Response {
                new_identity: entry.identity_of(&out.new_state)?,
                new_state: Some(encode("new state", out.new_state, &entry.block, &entry.ty)?),
                private: out.private,
                diagnostics: diagnostics_to_proto(&out.diagnostics),
                legacy_type_system: false,
            })
        })
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = request.into_inner();
        run("ImportResourceState", async {
            let entry = self.resource(&req.type_name)?;
            let id = match req.identity.as_ref().filter(|data| data.identity_data.is_some()) {
                None => req.id,
                Some(identity) => self.import_id_of_identity(entry, &req.type_name, &req.id, identity)?,
            };
            let out = entry.resource.import(ImportRequest { id }).await;
            // Terraform wants exactly one imported object; with an error and nothing imported, send none.
            let imported_resources = if out.diagnostics.has_errors() && out.state.is_null() {
                Vec::new()
            } else {
                vec![pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    identity: entry.identity_of(&out.state)?,
                    state: Some(encode("imported state", out.state, &entry.block, &entry.ty)?),
                    private: out.private,
                }]
            };
            Ok(pb::import_resource_state::Response {
                imported_resources,
                diagnostics: diagnostics_to_proto(&out.diagnostics),
                deferred: None,
            })
        })
        .await
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let req = request.into_inner();
        run("MoveResourceState", async {
            let entry = self.resource(&req.target_type_name)?;
            let raw = req.source_state.unwrap_or_default();
            // Terraform sends the stored JSON (never flatmap since 0.12); without it there is nothing to translate.
            if raw.json.is_empty() {
                return Err(Diagnostic::error(
                    "Unsupported source state",
                    format!(
                        "The state of {} has no JSON attributes (pre-0.12 flatmap state cannot be moved).",
                        req.source_type_name
                    ),
                )
                .into());
            }
            let out = entry
                .resource
                .move_state(MoveRequest {
                    source_provider_address: req.source_provider_address,
                    source_type_name: req.source_type_name,
                    source_schema_version: req.source_schema_version,
                    source_state: raw.json,
                    source_private: req.source_private,
                })
                .await;
            // A failed move leaves the source where it is: no partial target state travels with the error.
            if out.diagnostics.has_errors() {
                return Err(out.diagnostics);
            }
            // Terraform refuses a null or partly unknown result with a generic message; name the defect here.
            if out.target_state.is_null() || !out.target_state.is_wholly_known() {
                return Err(Diagnostic::error(
                    "Provider produced an invalid value",
                    format!(
                        "The moved state of {} is null or not wholly known. This is a bug in the provider.",
                        req.target_type_name
                    ),
                )
                .into());
            }
            Ok(pb::move_resource_state::Response {
                // Terraform >= 1.12 stores it with the moved state; 1.11 skips the field.
                target_identity: entry.identity_of(&out.target_state)?,
                target_state: Some(encode("moved state", out.target_state, &entry.block, &entry.ty)?),
                diagnostics: diagnostics_to_proto(&out.diagnostics),
                target_private: out.target_private,
            })
        })
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = request.into_inner();
        run("ReadDataSource", async {
            let entry = self.data_source(&req.type_name)?;
            let config = decode("configuration", req.config.as_ref(), &entry.ty)?;
            let out = entry.data_source.read(config).await;
            Ok(pb::read_data_source::Response {
                state: Some(encode("data source state", out.state, &entry.block, &entry.ty)?),
                diagnostics: diagnostics_to_proto(&out.diagnostics),
                deferred: None,
            })
        })
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let req = request.into_inner();
        run("ValidateEphemeralResourceConfig", async {
            let entry = self.ephemeral(&req.type_name)?;
            let config = decode("configuration", req.config.as_ref(), &entry.ty)?;
            let diagnostics = entry.ephemeral.validate(&config);
            Ok(pb::validate_ephemeral_resource_config::Response { diagnostics: diagnostics_to_proto(&diagnostics) })
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let req = request.into_inner();
        run("OpenEphemeralResource", async {
            let entry = self.ephemeral(&req.type_name)?;
            let config = decode("configuration", req.config.as_ref(), &entry.ty)?;
            let out = entry.ephemeral.open(OpenRequest { config }).await;
            // A failed open sends no result: Terraform ignores it next to an error.
            let result = if out.diagnostics.has_errors() && out.result.is_null() {
                None
            } else {
                Some(encode("ephemeral result", out.result, &entry.block, &entry.ty)?)
            };
            Ok(pb::open_ephemeral_resource::Response {
                diagnostics: diagnostics_to_proto(&out.diagnostics),
                renew_at: timestamp(out.renew_at),
                result,
                private: optional_bytes(out.private),
                deferred: None,
            })
        })
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let req = request.into_inner();
        run("RenewEphemeralResource", async {
            let entry = self.ephemeral(&req.type_name)?;
            let out = entry.ephemeral.renew(RenewRequest { private: req.private.unwrap_or_default() }).await;
            Ok(pb::renew_ephemeral_resource::Response {
                diagnostics: diagnostics_to_proto(&out.diagnostics),
                renew_at: timestamp(out.renew_at),
                private: optional_bytes(out.private),
            })
        })
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let req = request.into_inner();
        run("CloseEphemeralResource", async {
            let entry = self.ephemeral(&req.type_name)?;
            let diagnostics = entry.ephemeral.close(CloseRequest { private: req.private.unwrap_or_default() }).await;
            Ok(pb::close_ephemeral_resource::Response { diagnostics: diagnostics_to_proto(&diagnostics) })
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        run("GetResourceIdentitySchemas", async {
            Ok(pb::get_resource_identity_schemas::Response {
                identity_schemas: self.identity_schemas.clone(),
                diagnostics: Vec::new(),
            })
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let req = request.into_inner();
        run("UpgradeResourceIdentity", async {
            let entry = self.resource(&req.type_name)?;
            let codec = self.require_identity(entry, &req.type_name)?;
            let raw = req.raw_identity.unwrap_or_default();
            let upgraded =
                codec.identity.upgrade(UpgradeIdentityRequest { version: req.version, raw_identity_json: raw.json });
            Ok(pb::upgrade_resource_identity::Response {
                upgraded_identity: codec.encode(&upgraded.upgraded_identity)?,
                diagnostics: diagnostics_to_proto(&upgraded.diagnostics),
            })
        })
        .await
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let req = request.into_inner();
        run("ValidateListResourceConfig", async {
            let entry = self.list_resource(&req.type_name)?;
            let config = decode("list configuration", req.config.as_ref(), &entry.ty)?;
            let diagnostics = entry.list.validate(&config);
            Ok(pb::validate_list_resource_config::Response { diagnostics: diagnostics_to_proto(&diagnostics) })
        })
        .await
    }

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<EventStream>, Status> {
        let req = request.into_inner();
        tracing::trace!(rpc = "ListResource", "RPC started");
        let events = self.start_listing(req).unwrap_or_else(|diagnostics| listing::failed(&diagnostics));
        Ok(Response::new(events))
    }

    async fn get_functions(
        &self,
        _request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        run("GetFunctions", async {
            Ok(pb::get_functions::Response {
                functions: self.schema_response.functions.clone(),
                diagnostics: Vec::new(),
            })
        })
        .await
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let req = request.into_inner();
        run("CallFunction", async {
            Ok(match self.call_function(&req.name, &req.arguments) {
                Ok(result) => pb::call_function::Response { result: Some(result), error: None },
                Err(error) => pb::call_function::Response { result: None, error: Some(function_error_to_proto(error)) },
            })
        })
        .await
    }

    async fn stop(&self, _request: Request<pb::stop::Request>) -> Result<Response<pb::stop::Response>, Status> {
        tracing::info!("Stop requested: cancelling in-flight work");
        let provider = self.provider.clone();
        let stopping = AssertUnwindSafe(async move { provider.stop() }).catch_unwind();
        let error = match IN_RPC_HANDLER.scope("Stop", stopping).await {
            Ok(()) => String::new(),
            Err(payload) => format!("stop panicked: {}", panic_message(payload.as_ref())),
        };
        Ok(Response::new(pb::stop::Response { error }))
    }
}

#[cfg(test)]
mod tests {
    use super::unchanged_private;

    #[test]
    fn read_keeps_the_request_private_bytes_when_the_document_is_equal() {
        let stored = br#"{"b": 1, "a": "x"}"#.to_vec();
        let reserialised = br#"{"a":"x","b":1}"#.to_vec();
        assert_eq!(unchanged_private(stored.clone(), reserialised), stored);
        // A real change, a removal and an opaque (non-JSON) private pass through as the provider wrote them.
        assert_eq!(unchanged_private(stored.clone(), br#"{"a":"y"}"#.to_vec()), br#"{"a":"y"}"#.to_vec());
        assert_eq!(unchanged_private(stored, Vec::new()), Vec::<u8>::new());
        assert_eq!(unchanged_private(b"\x01".to_vec(), b"\x02".to_vec()), b"\x02".to_vec());
        assert_eq!(unchanged_private(Vec::new(), b"{}".to_vec()), b"{}".to_vec());
    }
}
