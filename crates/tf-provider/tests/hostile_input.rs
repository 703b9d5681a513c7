//! Hostile input at the gRPC level: every RPC that takes a value is sent malformed DynamicValues and
//! schema-violating objects. The answer must always be an OK gRPC response carrying an error diagnostic (never a
//! gRPC error, never a crash), undecodable values must never reach the provider, and the server must keep
//! answering afterwards. Function calls answer with a FunctionError instead, on the argument at fault. The
//! protocol 5.9/5.10 RPCs (identities, list resources) are held to the same rules; a list answers with an event
//! carrying the error instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::StreamExt as _;
use futures::stream::{self, BoxStream};
use rmpv::Value as Mp;
use tf_provider::proto::tfplugin5 as pb;
use tf_provider::proto::tfplugin5::provider_client::ProviderClient;
use tf_provider::server::serve_listener;
use tf_provider::value::msgpack;
use tf_provider::{
    ApplyRequest, ApplyResponse, Attribute, AttributePath, Block, CloseRequest, ConfigureRequest, DataSource,
    DataSourceReadResponse, Diagnostics, EphemeralResource, Function, FunctionError, IdentityAttribute, IdentitySchema,
    ImportRequest, ImportResponse, ListItem, ListRequest, ListResource, ListResult, MoveRequest, MoveResponse,
    NestedBlock, OpenRequest, OpenResponse, Parameter, PlanRequest, PlanResponse, Provider, ReadRequest, ReadResponse,
    RenewRequest, RenewResponse, Resource, ResourceIdentity, Schema, Signature, Type, UpgradeRequest, UpgradeResponse,
    Value, async_trait, provider::upgrade_with_current_schema,
};
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

/// A value whose `name` is this string makes every handler of the fake panic.
const PANIC_NAME: &str = "panic";

/// Counts how often a handler was handed a value, to prove undecodable input never reaches the provider.
#[derive(Default)]
struct Calls(AtomicUsize);

impl Calls {
    fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// What a real provider does with a decodable object: check the required `name` (and panic on request).
fn check_name(value: &Value, what: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if value.is_null() || value.is_unknown() {
        return diagnostics;
    }
    match value.get("name") {
        v if v.is_unknown() => {}
        Value::String(name) if name == PANIC_NAME => panic!("deliberate panic in {what}"),
        Value::String(_) => {}
        _ => diagnostics.error_at(AttributePath::new("name"), "Missing required argument", format!("{what}: name")),
    }
    let rules = value.get("rule").elements().len();
    if rules > 2 {
        diagnostics.error_at(AttributePath::new("rule"), "Too many rule blocks", format!("{rules} > 2"));
    }
    diagnostics
}

struct HostileProvider {
    calls: Arc<Calls>,
}

fn provider_block() -> Block {
    Block::new()
        .attribute(Attribute::optional("name", Type::String))
        .attribute(Attribute::optional("client_secret", Type::String).sensitive())
        .block(NestedBlock::list("feature", Block::new().attribute(Attribute::optional("enabled", Type::Bool))))
}

fn model_block() -> Block {
    Block::new()
        .attribute(Attribute::required("name", Type::String))
        .attribute(Attribute::optional("version", Type::String))
}

/// A resource with nested blocks of every nesting mode, a map, a number and a dynamic attribute.
fn resource_block() -> Block {
    Block::new()
        .attribute(Attribute::computed_only("id", Type::String))
        .attribute(Attribute::required("name", Type::String))
        .attribute(Attribute::optional("capacity", Type::Number))
        .attribute(Attribute::optional("tags", Type::map(Type::String)))
        .attribute(Attribute::optional("payload", Type::Dynamic))
        .block(NestedBlock::single("routing", Block::new().attribute(Attribute::optional("mode", Type::String))))
        .block(NestedBlock::list("rule", model_block()).max_items(2))
        .block(NestedBlock::set("member", model_block()))
        .block(NestedBlock::map("named", model_block()))
}

/// A data source with a list block that itself holds a list block.
fn data_source_block() -> Block {
    Block::new()
        .attribute(Attribute::required("name", Type::String))
        .attribute(Attribute::computed_only("context_window", Type::Number))
        .block(NestedBlock::list(
            "filter",
            Block::new()
                .attribute(Attribute::required("field", Type::String))
                .block(NestedBlock::list("value", Block::new().attribute(Attribute::required("text", Type::String)))),
        ))
}

#[async_trait]
impl Provider for HostileProvider {
    fn schema(&self) -> Schema {
        Schema::new(provider_block())
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.calls.hit();
        // The provider's `name` is optional: only the panic switch applies.
        if config.get("name").as_str() == Some(PANIC_NAME) {
            panic!("deliberate panic in provider validate");
        }
        Diagnostics::new()
    }

    async fn configure(&self, req: ConfigureRequest) -> Diagnostics {
        self.calls.hit();
        if req.config.get("name").as_str() == Some(PANIC_NAME) {
            panic!("deliberate panic in configure");
        }
        Diagnostics::new()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(HostileThing { calls: self.calls.clone() })]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(HostileInfo { calls: self.calls.clone() })]
    }

    fn functions(&self) -> Vec<Arc<dyn Function>> {
        vec![Arc::new(HostileFunction { calls: self.calls.clone() })]
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![Arc::new(HostileSecret { calls: self.calls.clone() })]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(HostileList { calls: self.calls.clone() })]
    }

    fn stop(&self) {}
}

/// `greet(thing, count, ...extra)`: panics when `thing.name` is "panic"; refuses a negative count.
struct HostileFunction {
    calls: Arc<Calls>,
}

fn thing_type() -> Type {
    Type::object([("name", Type::String), ("tags", Type::map(Type::String))])
}

impl Function for HostileFunction {
    fn name(&self) -> &'static str {
        "greet"
    }

    fn signature(&self) -> Signature {
        Signature::new(Type::String)
            .parameter(Parameter::new("thing", thing_type()))
            .parameter(Parameter::new("count", Type::Number))
            .variadic(Parameter::new("extra", Type::String))
    }

    fn call(&self, arguments: Vec<Value>) -> Result<Value, FunctionError> {
        self.calls.hit();
        let name = arguments[0].get("name").as_str().unwrap_or_default().to_owned();
        if name == PANIC_NAME {
            panic!("deliberate panic in a function");
        }
        match arguments[1].as_i64() {
            Some(n) if n >= 0 => Ok(Value::string(format!("hello {name} x{n}"))),
            _ => Err(FunctionError::argument(1, "count must be a whole number >= 0")),
        }
    }
}

/// An ephemeral resource with the data source's schema; panics on the name "panic" and on the private "panic".
struct HostileSecret {
    calls: Arc<Calls>,
}

#[async_trait]
impl EphemeralResource for HostileSecret {
    fn type_name(&self) -> &'static str {
        "hostile_secret"
    }

    fn schema(&self) -> Schema {
        Schema::new(data_source_block())
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.calls.hit();
        check_name(config, "ephemeral validate")
    }

    async fn open(&self, req: OpenRequest) -> OpenResponse {
        self.calls.hit();
        let diagnostics = check_name(&req.config, "ephemeral open");
        OpenResponse { result: req.config, private: b"handle".to_vec(), renew_at: None, diagnostics }
    }

    async fn renew(&self, req: RenewRequest) -> RenewResponse {
        self.calls.hit();
        if req.private == PANIC_NAME.as_bytes() {
            panic!("deliberate panic in renew");
        }
        RenewResponse { private: req.private, renew_at: None, diagnostics: Diagnostics::new() }
    }

    async fn close(&self, req: CloseRequest) -> Diagnostics {
        self.calls.hit();
        if req.private == PANIC_NAME.as_bytes() {
            panic!("deliberate panic in close");
        }
        Diagnostics::new()
    }
}

struct HostileThing {
    calls: Arc<Calls>,
}

#[async_trait]
impl Resource for HostileThing {
    fn type_name(&self) -> &'static str {
        "hostile_thing"
    }

    fn schema(&self) -> Schema {
        Schema::new(resource_block())
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.calls.hit();
        check_name(config, "validate")
    }

    async fn plan(&self, req: PlanRequest) -> PlanResponse {
        self.calls.hit();
        let mut diagnostics = check_name(&req.config, "plan");
        diagnostics.extend(check_name(&req.prior_state, "plan"));
        diagnostics.extend(check_name(&req.proposed_new_state, "plan"));
        let mut plan = PlanResponse::accept(&req);
        plan.diagnostics = diagnostics;
        plan
    }

    async fn apply(&self, req: ApplyRequest) -> ApplyResponse {
        self.calls.hit();
        let mut diagnostics = check_name(&req.planned_state, "apply");
        diagnostics.extend(check_name(&req.config, "apply"));
        diagnostics.extend(check_name(&req.prior_state, "apply"));
        ApplyResponse { new_state: req.prior_state, private: Vec::new(), diagnostics }
    }

    async fn read(&self, req: ReadRequest) -> ReadResponse {
        self.calls.hit();
        let diagnostics = check_name(&req.current_state, "read");
        ReadResponse { new_state: req.current_state, private: req.private, diagnostics }
    }

    async fn import(&self, req: ImportRequest) -> ImportResponse {
        self.calls.hit();
        if req.id == PANIC_NAME {
            panic!("deliberate panic in import");
        }
        let mut diagnostics = Diagnostics::new();
        if !req.id.starts_with('/') {
            diagnostics.error("Invalid import id", "an id starts with `/`");
            return ImportResponse { state: Value::Null, private: Vec::new(), diagnostics };
        }
        let state = Value::object([("id", Value::string(req.id.clone())), ("name", Value::string(req.id))]);
        ImportResponse { state, private: Vec::new(), diagnostics }
    }

    fn accepts_moves(&self) -> bool {
        true
    }

    /// Reads the source JSON with its own schema; the source type "panic" panics, "buggy" returns an unknown id (a
    /// provider defect the server must catch).
    async fn move_state(&self, req: MoveRequest) -> MoveResponse {
        self.calls.hit();
        if req.source_type_name == PANIC_NAME {
            panic!("deliberate panic in move");
        }
        let decoded = upgrade_with_current_schema(&req.source_state, &resource_block().value_type());
        let mut diagnostics = decoded.diagnostics;
        diagnostics.extend(check_name(&decoded.upgraded_state, "move"));
        if decoded.upgraded_state.is_null() && !diagnostics.has_errors() {
            diagnostics.error("Nothing to move", "the source state is null");
        }
        let mut target_state = decoded.upgraded_state;
        if req.source_type_name == "buggy" && !target_state.is_null() {
            target_state.set_attr("id", Value::unknown());
        }
        MoveResponse { target_state, target_private: Vec::new(), diagnostics }
    }

    fn upgrade(&self, req: UpgradeRequest) -> UpgradeResponse {
        self.calls.hit();
        let mut upgraded = upgrade_with_current_schema(&req.raw_state_json, &resource_block().value_type());
        upgraded.diagnostics.extend(check_name(&upgraded.upgraded_state, "upgrade"));
        upgraded
    }

    fn identity(&self) -> Option<&dyn ResourceIdentity> {
        Some(&HostileIdentity)
    }
}

/// `hostile_thing`'s identity: its name. Importing the identity name "panic" panics.
struct HostileIdentity;

fn identity_type() -> Type {
    Type::object([("name", Type::String)])
}

impl ResourceIdentity for HostileIdentity {
    fn schema(&self) -> IdentitySchema {
        IdentitySchema::new(vec![IdentityAttribute::required("name", Type::String)])
    }

    fn of_state(&self, state: &Value) -> Value {
        if state.is_null() { Value::Null } else { Value::object([("name", state.get("name").clone())]) }
    }

    fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        let name = identity.get("name").as_str().unwrap_or_default();
        if name == PANIC_NAME {
            panic!("deliberate panic in import by identity");
        }
        Ok(format!("/{name}"))
    }
}

/// `list "hostile_thing" { config { name = ... } }`: one thing of that name; the name "panic" panics before the
/// listing starts, "panic-later" while it streams.
struct HostileList {
    calls: Arc<Calls>,
}

#[async_trait]
impl ListResource for HostileList {
    fn type_name(&self) -> &'static str {
        "hostile_thing"
    }

    fn schema(&self) -> Schema {
        Schema::new(model_block())
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.calls.hit();
        check_name(config, "list validate")
    }

    async fn list(&self, request: ListRequest) -> BoxStream<'static, ListItem> {
        self.calls.hit();
        let name = request.config.get("name").as_str().unwrap_or_default().to_owned();
        if name == PANIC_NAME {
            panic!("deliberate panic in list");
        }
        let diagnostics = check_name(&request.config, "list");
        stream::once(async move {
            if name == "panic-later" {
                panic!("deliberate panic in a list stream");
            }
            if diagnostics.has_errors() {
                return Err(diagnostics);
            }
            let state = Value::object([("name", Value::string(name.clone()))]);
            Ok(ListResult { display_name: name, state, diagnostics })
        })
        .boxed()
    }
}

struct HostileInfo {
    calls: Arc<Calls>,
}

#[async_trait]
impl DataSource for HostileInfo {
    fn type_name(&self) -> &'static str {
        "hostile_info"
    }

    fn schema(&self) -> Schema {
        Schema::new(data_source_block())
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.calls.hit();
        check_name(config, "data source validate")
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        self.calls.hit();
        let diagnostics = check_name(&config, "data source read");
        DataSourceReadResponse { state: config, diagnostics }
    }
}

struct Harness {
    client: ProviderClient<Channel>,
    calls: Arc<Calls>,
    shutdown: CancellationToken,
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn start() -> Harness {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let calls = Arc::new(Calls::default());
    let shutdown = CancellationToken::new();
    tokio::spawn(serve_listener(Arc::new(HostileProvider { calls: calls.clone() }), listener, None, shutdown.clone()));
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();
    Harness { client: ProviderClient::new(channel), calls, shutdown }
}

fn mp_bytes(v: &Mp) -> Vec<u8> {
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, v).unwrap();
    out
}

fn msgpack_dv(bytes: Vec<u8>) -> pb::DynamicValue {
    pb::DynamicValue { msgpack: bytes, json: Vec::new() }
}

fn json_dv(bytes: &[u8]) -> pb::DynamicValue {
    pb::DynamicValue { msgpack: Vec::new(), json: bytes.to_vec() }
}

/// A msgpack map with every attribute of `ty` null except the given ones (raw msgpack, so anything goes).
fn object_with(ty: &Type, overrides: Vec<(&str, Mp)>) -> Mp {
    let Type::Object(attrs) = ty else { panic!("an object type") };
    let mut entries: Vec<(Mp, Mp)> = attrs
        .keys()
        .filter(|name| !overrides.iter().any(|(k, _)| k == name))
        .map(|name| (Mp::from(name.as_str()), Mp::Nil))
        .collect();
    entries.extend(overrides.into_iter().map(|(k, v)| (Mp::from(k), v)));
    Mp::Map(entries)
}

/// A valid value of `ty` (with `name` set), encoded by the crate's own codec.
fn valid(ty: &Type) -> Vec<u8> {
    object_named(ty, "ok")
}

/// An object of `ty` whose attributes are null but `name`, encoded by the crate's own codec.
fn object_named(ty: &Type, name: &str) -> Vec<u8> {
    let Type::Object(attrs) = ty else { panic!("an object type") };
    let mut value = Value::object(attrs.keys().map(|k| (k.clone(), Value::Null)));
    value.set_attr("name", Value::string(name));
    msgpack::encode(&value, ty).unwrap()
}

fn nested(depth: usize, open: u8, close: &[u8]) -> Vec<u8> {
    let mut bytes = vec![open; depth];
    bytes.extend_from_slice(close);
    bytes
}

/// DynamicValues that cannot be decoded as an object of `ty`: each must be refused by the server itself.
fn malformed(ty: &Type) -> Vec<(&'static str, pb::DynamicValue)> {
    let whole = valid(ty);
    // A placeholder string whose bytes are then replaced by invalid UTF-8 (rmpv only builds valid strings).
    let placeholder = || Mp::from("\u{1}\u{2}\u{3}");
    let with_invalid_utf8 = |v: &Mp| {
        let mut bytes = mp_bytes(v);
        let at = bytes.windows(4).position(|w| w == [0xa3, 1, 2, 3]).expect("the placeholder");
        bytes[at + 1..at + 4].copy_from_slice(&[0xff, 0xfe, b'x']);
        msgpack_dv(bytes)
    };
    vec![
        ("garbage bytes", msgpack_dv(b"\xc1\xff\x00garbage\x13\x37".to_vec())),
        ("trailing bytes after a valid value", msgpack_dv([whole.clone(), vec![0xc0]].concat())),
        ("truncated msgpack", msgpack_dv(whole[..whole.len() / 2].to_vec())),
        ("trailing byte cut", msgpack_dv(whole[..whole.len() - 1].to_vec())),
        ("a string where an object belongs", msgpack_dv(mp_bytes(&Mp::from("hello")))),
        ("an array where an object belongs", msgpack_dv(mp_bytes(&Mp::Array(vec![Mp::from(1)])))),
        ("wrong attribute type", msgpack_dv(mp_bytes(&object_with(ty, vec![("name", Mp::from(42))])))),
        ("extra attribute", msgpack_dv(mp_bytes(&object_with(ty, vec![("surprise", Mp::from("x"))])))),
        ("integer map key", msgpack_dv(mp_bytes(&Mp::Map(vec![(Mp::from(1), Mp::Nil)])))),
        ("invalid UTF-8 string", with_invalid_utf8(&object_with(ty, vec![("name", placeholder())]))),
        ("invalid UTF-8 key", with_invalid_utf8(&Mp::Map(vec![(placeholder(), Mp::Nil)]))),
        ("deeply nested arrays", msgpack_dv(nested(100_000, 0x91, &[0xc0]))),
        ("deeply nested maps", msgpack_dv(nested(50_000, 0x81, &[0xa1, b'a', 0xc0]))),
        ("huge array length", msgpack_dv(vec![0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0])),
        ("huge map length", msgpack_dv(vec![0xdf, 0xff, 0xff, 0xff, 0xff])),
        ("huge string length", msgpack_dv(vec![0xdb, 0xff, 0xff, 0xff, 0xff, b'a'])),
        ("huge binary length", msgpack_dv(vec![0xc6, 0xff, 0xff, 0xff, 0xff])),
        ("json field with garbage", json_dv(b"{not json")),
        ("json field with wrong type", json_dv(b"[1, 2, 3]")),
        ("json field deeply nested", json_dv(&nested(100_000, b'[', b""))),
        ("json field with extra attribute", json_dv(br#"{"name": "x", "surprise": 1}"#)),
    ]
}

/// Objects that are not valid for the type in deeper ways: nested blocks and dynamic values.
fn malformed_resource_objects(ty: &Type) -> Vec<(&'static str, pb::DynamicValue)> {
    let name = ("name", Mp::from("ok"));
    let dynamic = |type_json: &str, value: Mp| Mp::Array(vec![Mp::Binary(type_json.as_bytes().to_vec()), value]);
    let cases: Vec<(&'static str, Mp)> = vec![
        ("list block given a map", object_with(ty, vec![name.clone(), ("rule", Mp::Map(vec![]))])),
        (
            "nested block with extra attribute",
            object_with(
                ty,
                vec![name.clone(), ("rule", Mp::Array(vec![Mp::Map(vec![(Mp::from("bogus"), Mp::from(1))])]))],
            ),
        ),
        (
            "map of string given numbers",
            object_with(ty, vec![name.clone(), ("tags", Mp::Map(vec![(Mp::from("a"), Mp::from(1))]))]),
        ),
        ("number as non-decimal text", object_with(ty, vec![name.clone(), ("capacity", Mp::from("12abc"))])),
        ("number as NaN text", object_with(ty, vec![name.clone(), ("capacity", Mp::from("NaN"))])),
        (
            "dynamic with unknown type name",
            object_with(ty, vec![name.clone(), ("payload", dynamic("\"blob\"", Mp::Nil))]),
        ),
        ("dynamic with garbage type JSON", object_with(ty, vec![name.clone(), ("payload", dynamic("[[[", Mp::Nil))])),
        (
            "dynamic whose value has the wrong type",
            object_with(ty, vec![name.clone(), ("payload", dynamic("[\"list\",\"bool\"]", Mp::from("x")))]),
        ),
        (
            "dynamic type nested beyond reason",
            object_with(
                ty,
                vec![
                    name.clone(),
                    (
                        "payload",
                        dynamic(&format!("{}\"string\"{}", "[\"list\",".repeat(5000), "]".repeat(5000)), Mp::Nil),
                    ),
                ],
            ),
        ),
        ("dynamic that is not a pair", object_with(ty, vec![name, ("payload", Mp::Array(vec![Mp::Nil; 3]))])),
    ];
    cases.into_iter().map(|(what, mp)| (what, msgpack_dv(mp_bytes(&mp)))).collect()
}

/// Objects that decode (Terraform would never send them) but violate the schema: the provider sees nulls where
/// required values belong and must answer with an error diagnostic.
fn schema_violating(ty: &Type) -> Vec<(&'static str, pb::DynamicValue)> {
    let model = |n: &str| Mp::Map(vec![(Mp::from("name"), Mp::from(n)), (Mp::from("version"), Mp::Nil)]);
    vec![
        ("empty object: every attribute missing", msgpack_dv(mp_bytes(&Mp::Map(vec![])))),
        ("required attribute null", msgpack_dv(mp_bytes(&object_with(ty, vec![("name", Mp::Nil)])))),
        (
            "more blocks than max_items",
            msgpack_dv(mp_bytes(&object_with(ty, vec![("rule", Mp::Array(vec![model("a"), model("b"), model("c")]))]))),
        ),
    ]
}

fn error_summaries(diagnostics: &[pb::Diagnostic]) -> Option<String> {
    let errors: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| d.summary.as_str())
        .collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

/// Sends `value` to every RPC slot that takes a value of the resource, data source or provider type (chosen by
/// `target`) and returns one line per RPC whose answer was not "OK with an error diagnostic".
async fn send_everywhere(
    client: &mut ProviderClient<Channel>,
    target: Target,
    value: &pb::DynamicValue,
) -> Vec<String> {
    let mut answers: Vec<(&str, Result<Vec<pb::Diagnostic>, tonic::Status>)> = Vec::new();
    let v = || Some(value.clone());
    let ok = || Some(msgpack_dv(valid(&resource_block().value_type())));
    match target {
        Target::Provider => {
            let r = client.prepare_provider_config(pb::prepare_provider_config::Request { config: v() }).await;
            answers.push(("PrepareProviderConfig", r.map(|r| r.into_inner().diagnostics)));
            let r = client
                .configure(pb::configure::Request {
                    terraform_version: "1.11.4".into(),
                    config: v(),
                    ..Default::default()
                })
                .await;
            answers.push(("Configure", r.map(|r| r.into_inner().diagnostics)));
        }
        Target::DataSource => {
            let r = client
                .validate_data_source_config(pb::validate_data_source_config::Request {
                    type_name: "hostile_info".into(),
                    config: v(),
                })
                .await;
            answers.push(("ValidateDataSourceConfig", r.map(|r| r.into_inner().diagnostics)));
            let r = client
                .read_data_source(pb::read_data_source::Request {
                    type_name: "hostile_info".into(),
                    config: v(),
                    ..Default::default()
                })
                .await;
            answers.push(("ReadDataSource", r.map(|r| r.into_inner().diagnostics)));
        }
        Target::Ephemeral => {
            let r = client
                .validate_ephemeral_resource_config(pb::validate_ephemeral_resource_config::Request {
                    type_name: "hostile_secret".into(),
                    config: v(),
                })
                .await;
            answers.push(("ValidateEphemeralResourceConfig", r.map(|r| r.into_inner().diagnostics)));
            let r = client
                .open_ephemeral_resource(pb::open_ephemeral_resource::Request {
                    type_name: "hostile_secret".into(),
                    config: v(),
                    ..Default::default()
                })
                .await;
            answers.push(("OpenEphemeralResource", r.map(|r| r.into_inner().diagnostics)));
        }
        Target::Resource => {
            let t = || "hostile_thing".to_string();
            let r = client
                .validate_resource_type_config(pb::validate_resource_type_config::Request {
                    type_name: t(),
                    config: v(),
                    ..Default::default()
                })
                .await;
            answers.push(("ValidateResourceTypeConfig", r.map(|r| r.into_inner().diagnostics)));
            let r = client
                .read_resource(pb::read_resource::Request { type_name: t(), current_state: v(), ..Default::default() })
                .await;
            answers.push(("ReadResource", r.map(|r| r.into_inner().diagnostics)));
            // Each value slot of plan and apply on its own, the others valid.
            for (slot, (prior, proposed, config)) in [
                ("prior_state", (v(), ok(), ok())),
                ("proposed_new_state", (ok(), v(), ok())),
                ("config", (ok(), ok(), v())),
            ] {
                let r = client
                    .plan_resource_change(pb::plan_resource_change::Request {
                        type_name: t(),
                        prior_state: prior.clone(),
                        proposed_new_state: proposed.clone(),
                        config: config.clone(),
                        ..Default::default()
                    })
                    .await;
                answers.push((leak(format!("PlanResourceChange({slot})")), r.map(|r| r.into_inner().diagnostics)));
                let r = client
                    .apply_resource_change(pb::apply_resource_change::Request {
                        type_name: t(),
                        prior_state: prior,
                        planned_state: proposed,
                        config,
                        ..Default::default()
                    })
                    .await;
                answers.push((leak(format!("ApplyResourceChange({slot})")), r.map(|r| r.into_inner().diagnostics)));
            }
            // Stored state comes as JSON: send the JSON bytes, or the msgpack bytes as if they were JSON.
            let raw = if value.json.is_empty() { value.msgpack.clone() } else { value.json.clone() };
            let r = client
                .upgrade_resource_state(pb::upgrade_resource_state::Request {
                    type_name: t(),
                    version: 0,
                    raw_state: Some(pb::RawState { json: raw, flatmap: Default::default() }),
                })
                .await;
            answers.push(("UpgradeResourceState", r.map(|r| r.into_inner().diagnostics)));
        }
    }
    answers
        .into_iter()
        .filter_map(|(rpc, answer)| match answer {
            Err(status) => Some(format!("{rpc}: gRPC error {status:?}")),
            Ok(diagnostics) if error_summaries(&diagnostics).is_none() => {
                Some(format!("{rpc}: no error diagnostic ({diagnostics:?})"))
            }
            Ok(_) => None,
        })
        .collect()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Provider,
    Resource,
    DataSource,
    Ephemeral,
}

fn type_of(target: Target) -> Type {
    match target {
        Target::Provider => provider_block().value_type(),
        Target::Resource => resource_block().value_type(),
        Target::DataSource | Target::Ephemeral => data_source_block().value_type(),
    }
}

/// Calls one RPC and keeps only its diagnostics.
macro_rules! client_call {
    ($call:expr) => {
        $call.await.map(|r| r.into_inner().diagnostics)
    };
}

async fn assert_still_serving(client: &mut ProviderClient<Channel>) {
    let schema = client.get_schema(pb::get_provider_schema::Request {}).await.expect("GetSchema still answers");
    let schema = schema.into_inner();
    assert!(schema.resource_schemas.contains_key("hostile_thing"));
    assert!(schema.data_source_schemas.contains_key("hostile_info"));
    assert!(schema.ephemeral_resource_schemas.contains_key("hostile_secret"));
    assert!(schema.functions.contains_key("greet"));
    let metadata = client.get_metadata(pb::get_metadata::Request {}).await.expect("GetMetadata still answers");
    assert_eq!(metadata.into_inner().resources.len(), 1);
}

#[tokio::test]
async fn malformed_dynamic_values_are_refused_on_every_rpc_before_the_provider_sees_them() {
    let mut h = start().await;
    let mut failures = Vec::new();
    let mut sent = 0;
    for target in [Target::Provider, Target::Resource, Target::DataSource, Target::Ephemeral] {
        let ty = type_of(target);
        let mut cases = malformed(&ty);
        if let Target::Resource = target {
            cases.extend(malformed_resource_objects(&ty));
        }
        for (what, value) in cases {
            let before = h.calls.count();
            let mut problems = send_everywhere(&mut h.client, target, &value).await;
            if what == "json field with extra attribute" {
                // By design: stored state may hold attributes a newer schema dropped; upgrading drops them.
                problems.retain(|p| !p.starts_with("UpgradeResourceState"));
            }
            sent += 1;
            failures.extend(problems.into_iter().map(|p| format!("{target:?} / {what}: {p}")));
            // UpgradeResourceState hands raw JSON to the resource by design; every other RPC decodes first.
            let reached = h.calls.count() - before;
            let allowed = usize::from(matches!(target, Target::Resource));
            if reached > allowed {
                failures.push(format!("{target:?} / {what}: the provider was handed the value {reached} times"));
            }
        }
    }
    assert!(sent >= 60, "only {sent} hostile values were sent");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_still_serving(&mut h.client).await;
}

#[tokio::test]
async fn schema_violating_objects_reach_the_provider_and_come_back_as_error_diagnostics() {
    let mut h = start().await;
    let mut failures = Vec::new();
    for target in [Target::Resource, Target::DataSource, Target::Ephemeral] {
        for (what, value) in schema_violating(&type_of(target)) {
            if what == "more blocks than max_items" && matches!(target, Target::DataSource | Target::Ephemeral) {
                continue; // the data source's list block has no max_items
            }
            let problems = send_everywhere(&mut h.client, target, &value).await;
            failures.extend(problems.into_iter().map(|p| format!("{target:?} / {what}: {p}")));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(h.calls.count() > 0, "decodable objects are handed to the provider");
    assert_still_serving(&mut h.client).await;
}

#[tokio::test]
async fn unknown_type_names_are_diagnostics_on_every_typed_rpc() {
    let mut h = start().await;
    let value = msgpack_dv(valid(&resource_block().value_type()));
    let mut answers: Vec<(&str, Result<Vec<pb::Diagnostic>, tonic::Status>)> = Vec::new();
    for type_name in ["nope", "", "hostile_thing\0", "hostile_info" /* a data source, not a resource */] {
        let t = || type_name.to_string();
        let v = || Some(value.clone());
        let r = client_call!(h.client.validate_resource_type_config(pb::validate_resource_type_config::Request {
            type_name: t(),
            config: v(),
            ..Default::default()
        }));
        answers.push(("ValidateResourceTypeConfig", r));
        let r = client_call!(h.client.read_resource(pb::read_resource::Request {
            type_name: t(),
            current_state: v(),
            ..Default::default()
        }));
        answers.push(("ReadResource", r));
        let r = client_call!(h.client.plan_resource_change(pb::plan_resource_change::Request {
            type_name: t(),
            config: v(),
            proposed_new_state: v(),
            ..Default::default()
        }));
        answers.push(("PlanResourceChange", r));
        let r = client_call!(h.client.apply_resource_change(pb::apply_resource_change::Request {
            type_name: t(),
            planned_state: v(),
            ..Default::default()
        }));
        answers.push(("ApplyResourceChange", r));
        let r = client_call!(h.client.import_resource_state(pb::import_resource_state::Request {
            type_name: t(),
            id: "/x".into(),
            ..Default::default()
        }));
        answers.push(("ImportResourceState", r));
        let r = client_call!(h.client.upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: t(),
            version: 0,
            raw_state: Some(pb::RawState { json: b"{}".to_vec(), flatmap: Default::default() }),
        }));
        answers.push(("UpgradeResourceState", r));
    }
    for type_name in ["nope", "hostile_thing" /* a resource, not a data source */] {
        let r = client_call!(h.client.validate_data_source_config(pb::validate_data_source_config::Request {
            type_name: type_name.into(),
            config: Some(value.clone()),
        }));
        answers.push(("ValidateDataSourceConfig", r));
        let r = client_call!(h.client.read_data_source(pb::read_data_source::Request {
            type_name: type_name.into(),
            config: Some(value.clone()),
            ..Default::default()
        }));
        answers.push(("ReadDataSource", r));
    }
    for type_name in ["nope", "hostile_info" /* a data source, not an ephemeral resource */] {
        let r = client_call!(h.client.validate_ephemeral_resource_config(
            pb::validate_ephemeral_resource_config::Request {
                type_name: type_name.into(),
                config: Some(value.clone())
            }
        ));
        answers.push(("ValidateEphemeralResourceConfig", r));
        let r = client_call!(h.client.open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: type_name.into(),
            config: Some(value.clone()),
            ..Default::default()
        }));
        answers.push(("OpenEphemeralResource", r));
        let r = client_call!(h.client.renew_ephemeral_resource(pb::renew_ephemeral_resource::Request {
            type_name: type_name.into(),
            private: Some(b"x".to_vec()),
        }));
        answers.push(("RenewEphemeralResource", r));
        let r = client_call!(h.client.close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: type_name.into(),
            private: None,
        }));
        answers.push(("CloseEphemeralResource", r));
    }
    for (rpc, answer) in answers {
        let diagnostics = answer.unwrap_or_else(|status| panic!("{rpc}: gRPC error {status:?}"));
        let summary = error_summaries(&diagnostics).unwrap_or_else(|| panic!("{rpc}: no error diagnostic"));
        assert!(summary.starts_with("Unknown"), "{rpc}: {summary}");
    }
    assert_eq!(h.calls.count(), 0, "no handler runs for an unknown type");
    assert_still_serving(&mut h.client).await;
}

#[tokio::test]
async fn hostile_import_ids_and_legacy_state_are_diagnostics() {
    let mut h = start().await;
    let long = "x".repeat(1 << 20);
    for id in ["", "no-leading-slash", "\u{0}\u{1}\u{7f}", "🦀/../..", long.as_str()] {
        let r = h
            .client
            .import_resource_state(pb::import_resource_state::Request {
                type_name: "hostile_thing".into(),
                id: id.into(),
                ..Default::default()
            })
            .await
            .expect("an OK response")
            .into_inner();
        assert!(error_summaries(&r.diagnostics).is_some(), "import of {:.20?}: {:?}", id, r.diagnostics);
        assert!(r.imported_resources.is_empty(), "nothing is imported on error");
    }
    let r = h
        .client
        .upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: "hostile_thing".into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: Vec::new(),
                flatmap: [("name".to_string(), "x".to_string())].into_iter().collect(),
            }),
        })
        .await
        .expect("an OK response")
        .into_inner();
    assert_eq!(error_summaries(&r.diagnostics).as_deref(), Some("Unsupported legacy state"));
    assert_still_serving(&mut h.client).await;
}

fn move_request(source_type_name: &str, json: &[u8], target_type_name: &str) -> pb::move_resource_state::Request {
    pb::move_resource_state::Request {
        source_provider_address: "registry.terraform.io/hostile/elsewhere".into(),
        source_type_name: source_type_name.into(),
        source_schema_version: 3,
        source_state: Some(pb::RawState { json: json.to_vec(), flatmap: Default::default() }),
        target_type_name: target_type_name.into(),
        source_private: b"\xff\x00 not json".to_vec(),
        ..Default::default()
    }
}

#[tokio::test]
async fn hostile_moved_state_is_an_error_diagnostic_and_never_a_target_state() {
    let mut h = start().await;
    let schema = h.client.get_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
    assert!(schema.server_capabilities.unwrap().move_resource_state, "announced: hostile_thing takes moves");
    let deep = nested(100_000, b'[', b"");
    let long_name = format!(r#"{{"name": "{}", "capacity": "twelve"}}"#, "x".repeat(1 << 20));
    let mut cases: Vec<(&str, pb::move_resource_state::Request)> = vec![
        ("no JSON at all", move_request("legacy", b"", "hostile_thing")),
        ("JSON garbage", move_request("legacy", b"{not json", "hostile_thing")),
        ("JSON array", move_request("legacy", b"[1, 2, 3]", "hostile_thing")),
        ("JSON null", move_request("legacy", b"null", "hostile_thing")),
        ("JSON deeply nested", move_request("legacy", &deep, "hostile_thing")),
        ("invalid UTF-8", move_request("legacy", b"{\"name\": \"\xff\xfe\"}", "hostile_thing")),
        ("wrong attribute type", move_request("legacy", br#"{"name": {"a": 1}}"#, "hostile_thing")),
        ("a megabyte name and a wrong number", move_request("legacy", long_name.as_bytes(), "hostile_thing")),
        ("required attribute missing", move_request("legacy", br#"{"tags": {}}"#, "hostile_thing")),
        ("a panic in the resource", move_request(PANIC_NAME, br#"{"name": "ok"}"#, "hostile_thing")),
        ("an unknown value from the resource", move_request("buggy", br#"{"name": "ok"}"#, "hostile_thing")),
    ];
    let mut flatmap_only = move_request("legacy", b"", "hostile_thing");
    flatmap_only.source_state =
        Some(pb::RawState { json: Vec::new(), flatmap: [("name".to_string(), "x".to_string())].into_iter().collect() });
    cases.push(("pre-0.12 flatmap state", flatmap_only));
    let mut no_state = move_request("legacy", b"", "hostile_thing");
    no_state.source_state = None;
    cases.push(("no source state", no_state));
    let mut failures = Vec::new();
    for (what, request) in cases {
        match h.client.move_resource_state(request).await {
            Err(status) => failures.push(format!("{what}: gRPC error {status:?}")),
            Ok(r) => {
                let r = r.into_inner();
                if error_summaries(&r.diagnostics).is_none() {
                    failures.push(format!("{what}: no error diagnostic"));
                }
                if r.target_state.is_some() {
                    failures.push(format!("{what}: a target state came back next to the error"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));

    let before = h.calls.count();
    for target in ["nope", "", "hostile_info" /* a data source */, "hostile_thing\0"] {
        let r = h.client.move_resource_state(move_request("legacy", br#"{"name": "ok"}"#, target)).await;
        let r = r.expect("an OK response").into_inner();
        assert_eq!(error_summaries(&r.diagnostics).as_deref(), Some("Unknown resource type"), "{target:?}");
    }
    assert_eq!(h.calls.count(), before, "no handler runs for an unknown target type");

    // And a good move still works afterwards.
    let r = h.client.move_resource_state(move_request("legacy", br#"{"name": "ok"}"#, "hostile_thing")).await;
    let r = r.expect("an OK response").into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let moved = msgpack::decode(&r.target_state.expect("a state").msgpack, &resource_block().value_type()).unwrap();
    assert_eq!(moved.get("name").as_str(), Some("ok"));
    assert_still_serving(&mut h.client).await;
}

#[tokio::test]
async fn a_panic_in_any_handler_is_a_diagnostic_and_the_server_survives() {
    // grpc_in_process.rs covers a panic in PlanResourceChange; this covers every other handler.
    let mut h = start().await;
    let panicking = |ty: &Type| Some(msgpack_dv(object_named(ty, PANIC_NAME)));
    let provider = panicking(&provider_block().value_type());
    let resource = panicking(&resource_block().value_type());
    let data = panicking(&data_source_block().value_type());
    let state_json = br#"{"name": "panic"}"#.to_vec();
    let mut answers: Vec<(&str, Result<Vec<pb::Diagnostic>, tonic::Status>)> = vec![
        (
            "PrepareProviderConfig",
            client_call!(
                h.client.prepare_provider_config(pb::prepare_provider_config::Request { config: provider.clone() })
            ),
        ),
        (
            "Configure",
            client_call!(h.client.configure(pb::configure::Request { config: provider, ..Default::default() })),
        ),
        (
            "ValidateResourceTypeConfig",
            client_call!(h.client.validate_resource_type_config(pb::validate_resource_type_config::Request {
                type_name: "hostile_thing".into(),
                config: resource.clone(),
                ..Default::default()
            })),
        ),
        (
            "ReadResource",
            client_call!(h.client.read_resource(pb::read_resource::Request {
                type_name: "hostile_thing".into(),
                current_state: resource.clone(),
                ..Default::default()
            })),
        ),
        (
            "ApplyResourceChange",
            client_call!(h.client.apply_resource_change(pb::apply_resource_change::Request {
                type_name: "hostile_thing".into(),
                planned_state: resource.clone(),
                config: resource,
                ..Default::default()
            })),
        ),
        (
            "ImportResourceState",
            client_call!(h.client.import_resource_state(pb::import_resource_state::Request {
                type_name: "hostile_thing".into(),
                id: PANIC_NAME.into(),
                ..Default::default()
            })),
        ),
        (
            "UpgradeResourceState",
            client_call!(h.client.upgrade_resource_state(pb::upgrade_resource_state::Request {
                type_name: "hostile_thing".into(),
                version: 0,
                raw_state: Some(pb::RawState { json: state_json, flatmap: Default::default() }),
            })),
        ),
        (
            "ValidateDataSourceConfig",
            client_call!(h.client.validate_data_source_config(pb::validate_data_source_config::Request {
                type_name: "hostile_info".into(),
                config: data.clone(),
            })),
        ),
    ];
    answers.push((
        "ReadDataSource",
        client_call!(h.client.read_data_source(pb::read_data_source::Request {
            type_name: "hostile_info".into(),
            config: data.clone(),
            ..Default::default()
        })),
    ));
    answers.push((
        "ValidateEphemeralResourceConfig",
        client_call!(h.client.validate_ephemeral_resource_config(pb::validate_ephemeral_resource_config::Request {
            type_name: "hostile_secret".into(),
            config: data.clone(),
        })),
    ));
    answers.push((
        "OpenEphemeralResource",
        client_call!(h.client.open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: "hostile_secret".into(),
            config: data,
            ..Default::default()
        })),
    ));
    answers.push((
        "RenewEphemeralResource",
        client_call!(h.client.renew_ephemeral_resource(pb::renew_ephemeral_resource::Request {
            type_name: "hostile_secret".into(),
            private: Some(PANIC_NAME.as_bytes().to_vec()),
        })),
    ));
    answers.push((
        "CloseEphemeralResource",
        client_call!(h.client.close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: "hostile_secret".into(),
            private: Some(PANIC_NAME.as_bytes().to_vec()),
        })),
    ));
    for (rpc, answer) in answers {
        let diagnostics = answer.unwrap_or_else(|status| panic!("{rpc}: gRPC error {status:?}"));
        let d = diagnostics.first().unwrap_or_else(|| panic!("{rpc}: no diagnostic"));
        assert_eq!(d.summary, "Provider internal error", "{rpc}");
        assert!(d.detail.contains("deliberate panic"), "{rpc}: {}", d.detail);
        assert!(d.detail.contains(rpc), "{rpc}: the diagnostic names the RPC: {}", d.detail);
    }
    assert_still_serving(&mut h.client).await;
}

/// The arguments of `greet`, encoded by the crate's own codec.
fn greet_arguments(name: &str, count: i64) -> Vec<pb::DynamicValue> {
    let thing = Value::object([("name", Value::string(name)), ("tags", Value::Null)]);
    vec![
        msgpack_dv(msgpack::encode(&thing, &thing_type()).unwrap()),
        msgpack_dv(msgpack::encode(&Value::int(count), &Type::Number).unwrap()),
    ]
}

async fn call(
    client: &mut ProviderClient<Channel>,
    name: &str,
    arguments: Vec<pb::DynamicValue>,
) -> pb::call_function::Response {
    client
        .call_function(pb::call_function::Request { name: name.into(), arguments })
        .await
        .expect("CallFunction answers OK, errors travel in FunctionError")
        .into_inner()
}

#[tokio::test]
async fn malformed_function_arguments_are_errors_on_that_argument_before_the_function_runs() {
    let mut h = start().await;
    let good = greet_arguments("ok", 2);
    let r = call(&mut h.client, "greet", good.clone()).await;
    assert!(r.error.is_none(), "{:?}", r.error);
    let calls_before = h.calls.count();
    let mut failures = Vec::new();
    // Every malformed value in each argument slot, the other valid.
    for slot in 0..2 {
        let ty = if slot == 0 { thing_type() } else { Type::Number };
        let mut cases = malformed(&thing_type());
        cases.push(("a number as text that is no number", msgpack_dv(mp_bytes(&Mp::from("12abc")))));
        for (what, value) in cases {
            if slot == 1 && matches!(what, "wrong attribute type" | "extra attribute" | "invalid UTF-8 key") {
                continue; // objects, only meaningful in the object slot
            }
            let mut arguments = good.clone();
            arguments[slot] = value;
            let r = call(&mut h.client, "greet", arguments).await;
            match r.error {
                Some(e) if e.function_argument == Some(slot as i64) && r.result.is_none() => {}
                other => failures.push(format!("slot {slot} ({ty}) / {what}: {other:?}")),
            }
        }
    }
    // A variadic argument is decoded with the variadic type.
    let mut arguments = good.clone();
    arguments.push(msgpack_dv(mp_bytes(&Mp::from(7))));
    let r = call(&mut h.client, "greet", arguments).await;
    assert_eq!(r.error.map(|e| e.function_argument), Some(Some(2)), "a number where the variadic string belongs");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(h.calls.count(), calls_before, "undecodable arguments never reach the function");

    // Too few arguments and unknown functions are errors on the call; a function's own argument error keeps its index.
    let r = call(&mut h.client, "greet", good[..1].to_vec()).await;
    let e = r.error.expect("too few arguments");
    assert_eq!((e.function_argument, e.text.contains("takes 2 arguments")), (None, true), "{}", e.text);
    for name in ["nope", "", "greet\0"] {
        let e = call(&mut h.client, name, good.clone()).await.error.expect("unknown function");
        assert!(e.text.contains("no function"), "{name:?}: {}", e.text);
    }
    let e = call(&mut h.client, "greet", greet_arguments("ok", -1)).await.error.expect("negative count");
    assert_eq!(e.function_argument, Some(1));
    assert_still_serving(&mut h.client).await;
}

#[tokio::test]
async fn a_panic_in_a_function_is_a_function_error_and_the_server_survives() {
    let mut h = start().await;
    let r = call(&mut h.client, "greet", greet_arguments(PANIC_NAME, 1)).await;
    let e = r.error.expect("an error");
    assert!(r.result.is_none());
    assert!(e.text.starts_with("Provider internal error"), "{}", e.text);
    assert!(e.text.contains("deliberate panic") && e.text.contains("CallFunction"), "{}", e.text);
    assert_eq!(e.function_argument, None);
    let r = call(&mut h.client, "greet", greet_arguments("after", 1)).await;
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_still_serving(&mut h.client).await;
}

/// The events of one ListResource call of `hostile_thing`.
async fn list_events(
    client: &mut ProviderClient<Channel>,
    type_name: &str,
    config: Option<pb::DynamicValue>,
) -> Result<Vec<pb::list_resource::Event>, tonic::Status> {
    let request =
        pb::list_resource::Request { type_name: type_name.into(), config, include_resource_object: true, limit: 10 };
    let stream = client.list_resource(request).await?.into_inner();
    stream.collect::<Vec<_>>().await.into_iter().collect()
}

/// The diagnostics of a listing that must fail at once: exactly one event, with no object.
fn single_event_diagnostics(
    events: Result<Vec<pb::list_resource::Event>, tonic::Status>,
) -> Result<Vec<pb::Diagnostic>, tonic::Status> {
    let events = events?;
    match events.as_slice() {
        [event] if event.identity.is_none() && event.resource_object.is_none() => Ok(event.diagnostic.clone()),
        _ => Ok(Vec::new()), // reported as "no error diagnostic" with the rest
    }
}

fn identity_data(value: pb::DynamicValue) -> Option<pb::ResourceIdentityData> {
    Some(pb::ResourceIdentityData { identity_data: Some(value) })
}

#[tokio::test]
async fn malformed_identities_and_list_configurations_are_refused_before_the_provider_sees_them() {
    let mut h = start().await;
    let state = || Some(msgpack_dv(valid(&resource_block().value_type())));
    let mut failures = Vec::new();
    let cases = malformed(&identity_type()).into_iter().map(|(what, value)| (what, value, "identity"));
    let list_cases = malformed(&model_block().value_type()).into_iter().map(|(what, value)| (what, value, "list"));
    for (what, value, slot) in cases.chain(list_cases) {
        let before = h.calls.count();
        let v = || Some(value.clone());
        let t = || "hostile_thing".to_string();
        let mut answers: Vec<(&str, Result<Vec<pb::Diagnostic>, tonic::Status>)> = Vec::new();
        if slot == "identity" {
            let r = client_call!(h.client.read_resource(pb::read_resource::Request {
                type_name: t(),
                current_state: state(),
                current_identity: identity_data(value.clone()),
                ..Default::default()
            }));
            answers.push(("ReadResource(current_identity)", r));
            let r = client_call!(h.client.plan_resource_change(pb::plan_resource_change::Request {
                type_name: t(),
                prior_state: state(),
                proposed_new_state: state(),
                config: state(),
                prior_identity: identity_data(value.clone()),
                ..Default::default()
            }));
            answers.push(("PlanResourceChange(prior_identity)", r));
            let r = client_call!(h.client.apply_resource_change(pb::apply_resource_change::Request {
                type_name: t(),
                prior_state: state(),
                planned_state: state(),
                config: state(),
                planned_identity: identity_data(value.clone()),
                ..Default::default()
            }));
            answers.push(("ApplyResourceChange(planned_identity)", r));
            let r = client_call!(h.client.import_resource_state(pb::import_resource_state::Request {
                type_name: t(),
                identity: identity_data(value.clone()),
                ..Default::default()
            }));
            answers.push(("ImportResourceState(identity)", r));
            // Stored identities come as JSON: the JSON bytes, or the msgpack bytes as if they were JSON.
            let raw = if value.json.is_empty() { value.msgpack.clone() } else { value.json.clone() };
            let r = client_call!(h.client.upgrade_resource_identity(pb::upgrade_resource_identity::Request {
                type_name: t(),
                version: 0,
                raw_identity: Some(pb::RawState { json: raw, flatmap: Default::default() }),
            }));
            // By design: a stored identity may hold attributes a newer identity schema dropped.
            if what != "json field with extra attribute" {
                answers.push(("UpgradeResourceIdentity", r));
            }
        } else {
            let r = client_call!(h.client.validate_list_resource_config(pb::validate_list_resource_config::Request {
                type_name: t(),
                config: v(),
                ..Default::default()
            }));
            answers.push(("ValidateListResourceConfig", r));
            answers.push((
                "ListResource",
                single_event_diagnostics(list_events(&mut h.client, "hostile_thing", v()).await),
            ));
        }
        for (rpc, answer) in answers {
            match answer {
                Err(status) => failures.push(format!("{what}: {rpc}: gRPC error {status:?}")),
                Ok(diagnostics) if error_summaries(&diagnostics).is_none() => {
                    failures.push(format!("{what}: {rpc}: no error diagnostic ({diagnostics:?})"))
                }
                Ok(_) => {}
            }
        }
        if h.calls.count() != before {
            failures.push(format!("{what}: an undecodable {slot} reached the provider"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_still_serving(&mut h.client).await;
}

#[tokio::test]
async fn unknown_type_names_are_diagnostics_on_the_identity_and_list_rpcs() {
    let mut h = start().await;
    let config = || Some(msgpack_dv(valid(&model_block().value_type())));
    let mut answers: Vec<(&str, Result<Vec<pb::Diagnostic>, tonic::Status>)> = Vec::new();
    for type_name in ["nope", "", "hostile_thing\0", "hostile_info" /* a data source */] {
        let r = client_call!(h.client.upgrade_resource_identity(pb::upgrade_resource_identity::Request {
            type_name: type_name.into(),
            version: 0,
            raw_identity: Some(pb::RawState { json: br#"{"name":"x"}"#.to_vec(), flatmap: Default::default() }),
        }));
        answers.push(("UpgradeResourceIdentity", r));
        let r = client_call!(h.client.validate_list_resource_config(pb::validate_list_resource_config::Request {
            type_name: type_name.into(),
            config: config(),
            ..Default::default()
        }));
        answers.push(("ValidateListResourceConfig", r));
        answers.push(("ListResource", single_event_diagnostics(list_events(&mut h.client, type_name, config()).await)));
    }
    for (rpc, answer) in answers {
        let diagnostics = answer.unwrap_or_else(|status| panic!("{rpc}: gRPC error {status:?}"));
        let summary = error_summaries(&diagnostics).unwrap_or_else(|| panic!("{rpc}: no error diagnostic"));
        assert!(summary.starts_with("Unknown"), "{rpc}: {summary}");
    }
    assert_eq!(h.calls.count(), 0, "no handler runs for an unknown type");
    assert_still_serving(&mut h.client).await;
}

#[tokio::test]
async fn a_panic_in_import_by_identity_or_in_a_listing_is_a_diagnostic_and_the_server_survives() {
    let mut h = start().await;
    let named = |name: &str, ty: &Type| msgpack_dv(object_named(ty, name));
    let import = client_call!(h.client.import_resource_state(pb::import_resource_state::Request {
        type_name: "hostile_thing".into(),
        identity: identity_data(named(PANIC_NAME, &identity_type())),
        ..Default::default()
    }));
    let mut answers = vec![("ImportResourceState", import)];
    for name in [PANIC_NAME, "panic-later"] {
        let events = list_events(&mut h.client, "hostile_thing", Some(named(name, &model_block().value_type()))).await;
        answers.push(("ListResource", single_event_diagnostics(events)));
    }
    for (rpc, answer) in answers {
        let diagnostics = answer.unwrap_or_else(|status| panic!("{rpc}: gRPC error {status:?}"));
        let d = diagnostics.first().unwrap_or_else(|| panic!("{rpc}: no diagnostic"));
        assert_eq!(d.summary, "Provider internal error", "{rpc}");
        assert!(d.detail.contains("deliberate panic") && d.detail.contains(rpc), "{rpc}: {}", d.detail);
    }
    // A listing that works still does, with identity and object.
    let events = list_events(&mut h.client, "hostile_thing", Some(named("fine", &model_block().value_type()))).await;
    let events = events.expect("a stream");
    assert_eq!(events.len(), 1);
    assert!(events[0].identity.is_some() && events[0].resource_object.is_some(), "{events:?}");
    assert_still_serving(&mut h.client).await;
}
