//! A tiny provider used by the tests and by `examples/fake_provider.rs`: one resource (`fake_thing`),
//! one data source (`fake_info`). Planning a `fake_thing` named "panic" panics on purpose.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tf_provider::{
    ApplyRequest, ApplyResponse, Attribute, AttributePath, Block, ConfigureRequest, DataSource, DataSourceReadResponse,
    Diagnostics, ImportRequest, ImportResponse, NestedBlock, PlanRequest, PlanResponse, Provider, ReadRequest,
    ReadResponse, Resource, Schema, Type, Value, async_trait,
};

#[derive(Default)]
pub struct FakeProvider {
    pub configured_with: Mutex<Option<(String, Value)>>,
    pub stopped: Arc<AtomicBool>,
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
        vec![Arc::new(FakeThing)]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(FakeInfo)]
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }
}

pub struct FakeThing;

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

    async fn import(&self, req: ImportRequest) -> ImportResponse {
        ImportResponse {
            // The absent "rule" block is left out on purpose: the server fills it in as an empty list.
            state: Value::object([("id", Value::string(req.id))]),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
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
