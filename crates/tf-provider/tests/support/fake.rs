//! A tiny provider used by the tests and by `examples/fake_provider.rs`: one resource (`fake_thing`, with an
//! identity `{id}` and a list resource), one data source (`fake_info`), one function (`join_name`) and one
//! ephemeral resource (`fake_token`). Planning a `fake_thing` named "panic" panics on purpose, and so does listing
//! with the prefix "panic" (after the first result). `fake_thing` takes state moved from `fake_legacy_thing`
//! (`{"label": ...}`, schema version 1) unless the provider is built `without_moves`.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use std::time::{Duration, SystemTime};

use futures::stream::{self, BoxStream, StreamExt as _};
use tf_provider::{
    ApplyRequest, ApplyResponse, Attribute, AttributePath, Block, CloseRequest, ConfigureRequest, DataSource,
    DataSourceReadResponse, Diagnostic, Diagnostics, EphemeralResource, Function, FunctionError, IdentityAttribute,
    IdentitySchema, ImportRequest, ImportResponse, ListItem, ListRequest, ListResource, ListResult, MoveRequest,
    MoveResponse, NestedBlock, OpenRequest, OpenResponse, Parameter, PlanRequest, PlanResponse, Provider, ReadRequest,
    ReadResponse, RenewRequest, RenewResponse, Resource, ResourceIdentity, Schema, Signature, Type, Value, async_trait,
};

#[derive(Default)]
pub struct FakeProvider {
    pub configured_with: Mutex<Option<(String, Value)>>,
    pub stopped: Arc<AtomicBool>,
    /// The private bytes `fake_token` was closed with.
    pub closed_with: Arc<Mutex<Vec<Vec<u8>>>>,
    /// `fake_thing` does not take moves: the server must not announce the capability.
    pub without_moves: bool,
}

#[async_trait]
impl Provider for FakeProvider {
    fn schema(&self) -> Schema {
        Schema::new(Block::new().attribute(Attribute::optional("endpoint", Type::String)))
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if config.get("endpoint").as_str() == Some("bad") {
            diagnostics.error_at(AttributePath::new("endpoint"), "Invalid endpoint", "\"bad\" is not allowed");
        }
        diagnostics
    }

    async fn configure(&self, req: ConfigureRequest) -> Diagnostics {
        if let Ok(mut slot) = self.configured_with.lock() {
            *slot = Some((req.terraform_version, req.config));
        }
        Diagnostics::new()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(FakeThing { accepts_moves: !self.without_moves })]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(FakeInfo)]
    }

    fn functions(&self) -> Vec<Arc<dyn Function>> {
        vec![Arc::new(JoinName)]
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![Arc::new(FakeToken { closed_with: self.closed_with.clone() })]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(FakeThings)]
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }
}

pub struct FakeThing {
    pub accepts_moves: bool,
}

impl FakeThing {
    pub fn schema_block() -> Block {
        Block::new()
            .attribute(Attribute::computed_only("id", Type::String))
            .attribute(Attribute::required("name", Type::String))
            .attribute(Attribute::optional("size", Type::Number).computed())
            .attribute(Attribute::optional("tags", Type::map(Type::String)))
            .block(NestedBlock::list("rule", Block::new().attribute(Attribute::required("key", Type::String))))
    }
}

#[async_trait]
impl Resource for FakeThing {
    fn type_name(&self) -> &'static str {
        "fake_thing"
    }

    fn schema(&self) -> Schema {
        Schema::new(FakeThing::schema_block())
    }

    async fn plan(&self, req: PlanRequest) -> PlanResponse {
        if req.config.get("name").as_str() == Some("panic") {
            panic!("deliberate panic for the test");
        }
        let mut plan = PlanResponse::accept(&req);
        if req.prior_state.is_null() && !req.proposed_new_state.is_null() {
            plan.planned_state.set_attr("id", Value::unknown());
            if req.config.get("size").is_null() {
                plan.planned_state.set_attr("size", Value::unknown_not_null());
            }
        }
        plan.requires_replace.push(AttributePath::new("name"));
        plan
    }

    async fn apply(&self, req: ApplyRequest) -> ApplyResponse {
        let mut new_state = req.planned_state.clone();
        if !new_state.is_null() {
            let name = new_state.get("name").as_str().unwrap_or_default().to_string();
            new_state.set_attr("id", Value::string(format!("id-{name}")));
            if new_state.get("size").is_unknown() {
                new_state.set_attr("size", Value::int(1));
            }
        }
        ApplyResponse { new_state, private: b"private-bytes".to_vec(), diagnostics: Diagnostics::new() }
    }

    async fn read(&self, req: ReadRequest) -> ReadResponse {
        ReadResponse { new_state: req.current_state, private: req.private, diagnostics: Diagnostics::new() }
    }

    fn accepts_moves(&self) -> bool {
        self.accepts_moves
    }

    async fn move_state(&self, req: MoveRequest) -> MoveResponse {
        let mut diagnostics = Diagnostics::new();
        if !self.accepts_moves {
            diagnostics.error("Move not supported", "fake_thing is built without moves");
        }
        if req.source_type_name != "fake_legacy_thing" || req.source_schema_version != 1 {
            diagnostics.error(
                "Unsupported move source",
                format!("{} v{} cannot become a fake_thing", req.source_type_name, req.source_schema_version),
            );
        }
        let label = serde_json::from_slice::<serde_json::Value>(&req.source_state)
            .ok()
            .and_then(|state| state.get("label").and_then(|l| l.as_str()).map(str::to_owned));
        let Some(label) = label.filter(|_| !diagnostics.has_errors()) else {
            diagnostics.error("Unreadable source state", "expected an object with a string label");
            return MoveResponse { target_state: Value::Null, target_private: Vec::new(), diagnostics };
        };
        let target_state = Value::object([
            ("id", Value::string(format!("id-{label}"))),
            ("name", Value::string(label)),
            ("size", Value::int(1)),
            ("tags", Value::Null),
        ]);
        MoveResponse { target_state, target_private: req.source_private, diagnostics }
    }

    async fn import(&self, req: ImportRequest) -> ImportResponse {
        ImportResponse {
            // The absent "rule" block is left out on purpose: the server fills it in as an empty list.
            state: Value::object([("id", Value::string(req.id))]),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    fn identity(&self) -> Option<&dyn ResourceIdentity> {
        Some(&FakeThingIdentity)
    }
}

/// `fake_thing`'s identity: its `id`.
pub struct FakeThingIdentity;

impl ResourceIdentity for FakeThingIdentity {
    fn schema(&self) -> IdentitySchema {
        IdentitySchema::new(vec![IdentityAttribute::required("id", Type::String).describe("The thing's id.")])
    }

    fn of_state(&self, state: &Value) -> Value {
        if state.is_null() {
            return Value::Null;
        }
        Value::object([("id", state.get("id").clone())])
    }

    fn import_id(&self, identity: &Value) -> Result<String, Diagnostics> {
        match identity.get("id").as_str() {
            Some("") => {
                Err(Diagnostic::error("Empty id", "the identity's id is empty").at(AttributePath::new("id")).into())
            }
            Some(id) => Ok(id.to_owned()),
            None => Err(Diagnostic::error("No id", "the identity has no id").into()),
        }
    }
}

/// `list "fake_thing" { config { prefix = "p", count = 3 } }`: things `p-1` to `p-<count>` (default 3). The
/// prefix "fail" ends with an error after the first thing; "panic" panics there.
pub struct FakeThings;

impl FakeThings {
    pub fn config_block() -> Block {
        Block::new()
            .attribute(Attribute::required("prefix", Type::String))
            .attribute(Attribute::optional("count", Type::Number))
    }

    /// The state of the listed thing `name`, as a read after its import would have it.
    pub fn thing(name: &str, size: i64) -> Value {
        Value::object([
            ("id", Value::string(format!("id-{name}"))),
            ("name", Value::string(name)),
            ("size", Value::int(size)),
            ("tags", Value::Null),
            ("rule", Value::list([])),
        ])
    }
}

#[async_trait]
impl ListResource for FakeThings {
    fn type_name(&self) -> &'static str {
        "fake_thing"
    }

    fn schema(&self) -> Schema {
        Schema::new(FakeThings::config_block())
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if config.get("prefix").as_str() == Some("") {
            diagnostics.error_at(AttributePath::new("prefix"), "Empty prefix", "prefix = \"\": give a prefix");
        }
        if config.get("count").as_i64().is_some_and(|count| count < 0) {
            diagnostics.error_at(AttributePath::new("count"), "Negative count", "count must be 0 or more");
        }
        diagnostics
    }

    async fn list(&self, request: ListRequest) -> BoxStream<'static, ListItem> {
        let prefix = request.config.get("prefix").as_str().unwrap_or_default().to_owned();
        let count = request.config.get("count").as_i64().unwrap_or(3);
        let things = (1..=count).map(move |i| {
            let name = format!("{prefix}-{i}");
            if i == 2 && prefix == "panic" {
                panic!("deliberate panic while listing");
            }
            if i == 2 && prefix == "fail" {
                return Err(Diagnostic::error("Listing failed", "the second thing could not be read").into());
            }
            Ok(ListResult {
                display_name: name.clone(),
                state: FakeThings::thing(&name, i),
                diagnostics: Diagnostics::new(),
            })
        });
        stream::iter(things).boxed()
    }
}

pub struct FakeInfo;

#[async_trait]
impl DataSource for FakeInfo {
    fn type_name(&self) -> &'static str {
        "fake_info"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new()
                .attribute(Attribute::required("name", Type::String))
                .attribute(Attribute::computed_only("greeting", Type::String)),
        )
    }

    async fn read(&self, config: Value) -> DataSourceReadResponse {
        let name = config.get("name").as_str().unwrap_or("nobody").to_string();
        DataSourceReadResponse {
            state: Value::object([
                ("name", Value::string(name.clone())),
                ("greeting", Value::string(format!("hello {name}"))),
            ]),
            diagnostics: Diagnostics::new(),
        }
    }
}

/// `join_name(parts, separator)`: joins a list of strings; an empty part is an error on `parts`.
pub struct JoinName;

impl Function for JoinName {
    fn name(&self) -> &'static str {
        "join_name"
    }

    fn signature(&self) -> Signature {
        Signature::new(Type::String)
            .parameter(Parameter::new("parts", Type::list(Type::String)).describe("The parts."))
            .parameter(Parameter::new("separator", Type::String).allow_null())
            .summary("Joins name parts.")
            .describe("Joins `parts` with `separator` (default `-`).")
    }

    fn call(&self, arguments: Vec<Value>) -> Result<Value, FunctionError> {
        let parts: Vec<&str> = arguments[0].elements().iter().filter_map(Value::as_str).collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(FunctionError::argument(0, "parts must not be empty strings"));
        }
        let separator = arguments[1].as_str().unwrap_or("-");
        Ok(Value::string(parts.join(separator)))
    }
}

/// `fake_token { audience }`: a token derived from the audience, renewed once, closed with its handle.
pub struct FakeToken {
    pub closed_with: Arc<Mutex<Vec<Vec<u8>>>>,
}

#[async_trait]
impl EphemeralResource for FakeToken {
    fn type_name(&self) -> &'static str {
        "fake_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new()
                .attribute(Attribute::required("audience", Type::String))
                .attribute(Attribute::computed_only("token", Type::String).sensitive())
                .attribute(Attribute::computed_only("ttl", Type::Number)),
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        if config.get("audience").as_str() == Some("") {
            diagnostics.error_at(AttributePath::new("audience"), "Empty audience", "audience must not be empty");
        }
        diagnostics
    }

    async fn open(&self, req: OpenRequest) -> OpenResponse {
        let audience = req.config.get("audience").as_str().unwrap_or_default().to_owned();
        let mut result = req.config.clone();
        result.set_attr("token", Value::string(format!("token-for-{audience}")));
        result.set_attr("ttl", Value::int(60));
        OpenResponse {
            result,
            private: format!("handle-{audience}").into_bytes(),
            renew_at: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000)),
            diagnostics: Diagnostics::new(),
        }
    }

    async fn renew(&self, req: RenewRequest) -> RenewResponse {
        let mut private = req.private;
        private.extend_from_slice(b"+renewed");
        RenewResponse { private, renew_at: None, diagnostics: Diagnostics::new() }
    }

    async fn close(&self, req: CloseRequest) -> Diagnostics {
        if let Ok(mut closed) = self.closed_with.lock() {
            closed.push(req.private);
        }
        Diagnostics::new()
    }
}
