//! Stand-ins for the providers users migrate from, for the acceptance tests of `moved` blocks: `azapi_resource` of
//! Azure/azapi (schema version 2 as in azapi 2.x, or schema version 1 as in azapi 1.13 to 1.15 when started as a 1.x
//! release) and `azurerm_cognitive_deployment` of hashicorp/azurerm (schema version 0), with those providers' attribute
//! names, so the state they write is shaped like the real providers' state.
//! They reach nothing: a create stores the configuration (plus the id and the defaults the real providers fill in),
//! a read returns the state. The deployment itself is created out of band in the emulator.
//!
//! One binary serves both; it picks the provider from the name it was started as (`terraform-provider-azapi_v*` or
//! `terraform-provider-azurerm_v*`, the file names the test's filesystem mirror links it under). Test-only: an
//! example of this crate, never part of the modelrouter provider binary.

use std::process::ExitCode;
use std::sync::Arc;

use tf_provider::{
    ApplyRequest, ApplyResponse, Attribute, Block, ConfigureRequest, DataSource, Diagnostics, NestedBlock, Nesting,
    PlanRequest, PlanResponse, Provider, ReadRequest, ReadResponse, Resource, Schema, ServeOptions, Type, Value,
    async_trait,
};

/// Which real provider this process stands in for.
#[derive(Clone, Copy)]
enum Source {
    /// azapi 2.x.
    Azapi,
    /// azapi 1.13 to 1.15.
    Azapi1,
    Azurerm,
}

impl Source {
    /// The provider and its version from the file name, `terraform-provider-<type>_v<version>`.
    fn from_program_name() -> Option<(Source, String)> {
        let program = std::env::args().next()?;
        let file = std::path::Path::new(&program).file_name()?.to_str()?.to_owned();
        let (provider, version) = file.strip_prefix("terraform-provider-")?.split_once("_v")?;
        let source = match provider {
            "azapi" if version.starts_with("1.") => Source::Azapi1,
            "azapi" => Source::Azapi,
            "azurerm" => Source::Azurerm,
            _ => return None,
        };
        Some((source, version.to_owned()))
    }
}

struct StandIn(Source);

#[async_trait]
impl Provider for StandIn {
    fn schema(&self) -> Schema {
        match self.0 {
            Source::Azapi | Source::Azapi1 => Schema::new(Block::new()),
            // azurerm requires `features {}`.
            Source::Azurerm => {
                Schema::new(Block::new().block(NestedBlock::new("features", Nesting::List, Block::new())))
            }
        }
    }

    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    async fn configure(&self, _req: ConfigureRequest) -> Diagnostics {
        Diagnostics::new()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        match self.0 {
            Source::Azapi => vec![Arc::new(Echo { kind: Kind::AzapiResource })],
            Source::Azapi1 => vec![Arc::new(Echo { kind: Kind::AzapiResourceV1 })],
            Source::Azurerm => vec![Arc::new(Echo { kind: Kind::AzurermCognitiveDeployment })],
        }
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }

    fn stop(&self) {}
}

#[derive(Clone, Copy)]
enum Kind {
    AzapiResource,
    AzapiResourceV1,
    AzurermCognitiveDeployment,
}

fn string_map() -> Type {
    Type::map(Type::String)
}

fn timeouts(operations: &[&str]) -> NestedBlock {
    let block = operations.iter().fold(Block::new(), |b, op| b.attribute(Attribute::optional(*op, Type::String)));
    NestedBlock::new("timeouts", Nesting::Single, block)
}

/// azapi 2.x `azapi_resource` (internal/services/azapi_resource.go), without the write-only `sensitive_body` this
/// plugin crate cannot declare.
fn azapi_schema() -> Schema {
    let query_parameters = Type::map(Type::list(Type::String));
    let identity = Block::new()
        .attribute(Attribute::required("type", Type::String))
        .attribute(Attribute::optional("identity_ids", Type::list(Type::String)))
        .attribute(Attribute::computed_only("principal_id", Type::String))
        .attribute(Attribute::computed_only("tenant_id", Type::String));
    let block = Block::new()
        .attribute(Attribute::computed_only("id", Type::String))
        .attribute(Attribute::optional("name", Type::String).computed())
        .attribute(Attribute::optional("parent_id", Type::String).computed())
        .attribute(Attribute::required("type", Type::String))
        .attribute(Attribute::optional("location", Type::String).computed())
        .attribute(Attribute::optional("body", Type::Dynamic).computed())
        .attribute(Attribute::optional("sensitive_body_version", string_map()))
        .attribute(Attribute::optional("replace_triggers_external_values", Type::Dynamic))
        .attribute(Attribute::optional("replace_triggers_refs", Type::list(Type::String)))
        .attribute(Attribute::optional("ignore_casing", Type::Bool).computed())
        .attribute(Attribute::optional("ignore_missing_property", Type::Bool).computed())
        .attribute(Attribute::optional("ignore_null_property", Type::Bool).computed())
        .attribute(Attribute::optional("list_unique_id_property", string_map()))
        .attribute(Attribute::optional("ignore_other_items_in_list", Type::list(Type::String)))
        .attribute(Attribute::optional("response_export_values", Type::Dynamic))
        .attribute(Attribute::optional("locks", Type::list(Type::String)))
        .attribute(Attribute::optional("schema_validation_enabled", Type::Bool).computed())
        .attribute(Attribute::computed_only("output", Type::Dynamic))
        .attribute(Attribute::optional("tags", string_map()).computed())
        .attribute(Attribute::optional("create_headers", string_map()))
        .attribute(Attribute::optional("create_query_parameters", query_parameters.clone()))
        .attribute(Attribute::optional("update_headers", string_map()))
        .attribute(Attribute::optional("update_query_parameters", query_parameters.clone()))
        .attribute(Attribute::optional("delete_headers", string_map()))
        .attribute(Attribute::optional("delete_query_parameters", query_parameters.clone()))
        .attribute(Attribute::optional("read_headers", string_map()))
        .attribute(Attribute::optional("read_query_parameters", query_parameters))
        .block(NestedBlock::list("identity", identity))
        .block(timeouts(&["create", "update", "read", "delete"]));
    Schema::new(block).with_version(2)
}

/// azapi 1.13 to 1.15 `azapi_resource` (the prior schema of internal/services/migration/
/// azapi_resource_migration_v1_to_v2.go): `body` already dynamic, usually JSON text from `jsonencode`.
fn azapi_v1_schema() -> Schema {
    let identity = Block::new()
        .attribute(Attribute::required("type", Type::String))
        .attribute(Attribute::optional("identity_ids", Type::list(Type::String)))
        .attribute(Attribute::computed_only("principal_id", Type::String))
        .attribute(Attribute::computed_only("tenant_id", Type::String));
    let block = Block::new()
        .attribute(Attribute::computed_only("id", Type::String))
        .attribute(Attribute::optional("name", Type::String).computed())
        .attribute(Attribute::optional("removing_special_chars", Type::Bool).computed())
        .attribute(Attribute::optional("parent_id", Type::String).computed())
        .attribute(Attribute::required("type", Type::String))
        .attribute(Attribute::optional("location", Type::String).computed())
        .attribute(Attribute::optional("body", Type::Dynamic))
        .attribute(Attribute::optional("ignore_body_changes", Type::list(Type::String)))
        .attribute(Attribute::optional("ignore_casing", Type::Bool).computed())
        .attribute(Attribute::optional("ignore_missing_property", Type::Bool).computed())
        .attribute(Attribute::optional("response_export_values", Type::list(Type::String)))
        .attribute(Attribute::optional("locks", Type::list(Type::String)))
        .attribute(Attribute::optional("schema_validation_enabled", Type::Bool).computed())
        .attribute(Attribute::computed_only("output", Type::Dynamic))
        .attribute(Attribute::optional("tags", string_map()).computed())
        .block(NestedBlock::list("identity", identity))
        .block(timeouts(&["create", "update", "read", "delete"]));
    Schema::new(block).with_version(1)
}

/// azurerm 4.x `azurerm_cognitive_deployment` (internal/services/cognitive/cognitive_deployment_resource.go).
fn azurerm_schema() -> Schema {
    let model = Block::new()
        .attribute(Attribute::required("format", Type::String))
        .attribute(Attribute::required("name", Type::String))
        .attribute(Attribute::optional("version", Type::String).computed());
    let sku = Block::new()
        .attribute(Attribute::required("name", Type::String))
        .attribute(Attribute::optional("tier", Type::String))
        .attribute(Attribute::optional("size", Type::String))
        .attribute(Attribute::optional("family", Type::String))
        .attribute(Attribute::optional("capacity", Type::Number).computed());
    let block = Block::new()
        .attribute(Attribute::computed_only("id", Type::String))
        .attribute(Attribute::required("name", Type::String))
        .attribute(Attribute::required("cognitive_account_id", Type::String))
        .attribute(Attribute::optional("dynamic_throttling_enabled", Type::Bool))
        .attribute(Attribute::optional("rai_policy_name", Type::String).computed())
        .attribute(Attribute::optional("version_upgrade_option", Type::String).computed())
        .block(NestedBlock::list("model", model).min_items(1).max_items(1))
        .block(NestedBlock::list("sku", sku).min_items(1).max_items(1))
        .block(timeouts(&["create", "read", "update", "delete"]));
    Schema::new(block)
}

/// `{}` in a dynamic attribute: azapi's default body and its output when nothing is exported.
fn empty_dynamic_object() -> Value {
    Value::Dynamic(Type::object(Vec::<(String, Type)>::new()), Box::new(Value::object(Vec::<(String, Value)>::new())))
}

/// A resource that stores what it is given.
struct Echo {
    kind: Kind,
}

impl Echo {
    /// The id both real providers give a deployment: the account's id and `/deployments/<name>`.
    fn id(&self, planned: &Value) -> Value {
        let (account, name) = match self.kind {
            Kind::AzapiResource | Kind::AzapiResourceV1 => (planned.get("parent_id"), planned.get("name")),
            Kind::AzurermCognitiveDeployment => (planned.get("cognitive_account_id"), planned.get("name")),
        };
        match (account.as_str(), name.as_str()) {
            (Some(account), Some(name)) => Value::string(format!("{account}/deployments/{name}")),
            _ => Value::unknown(),
        }
    }

    /// What the real provider fills in when the configuration leaves an optional+computed attribute out.
    fn defaults(&self) -> Vec<(&'static str, Value)> {
        match self.kind {
            Kind::AzapiResource => vec![
                ("location", Value::string("")),
                ("body", empty_dynamic_object()),
                ("ignore_casing", Value::bool(false)),
                ("ignore_missing_property", Value::bool(true)),
                ("ignore_null_property", Value::bool(false)),
                ("schema_validation_enabled", Value::bool(true)),
                ("tags", Value::map(Vec::<(String, Value)>::new())),
            ],
            Kind::AzapiResourceV1 => vec![
                ("location", Value::string("")),
                ("removing_special_chars", Value::bool(false)),
                ("ignore_casing", Value::bool(false)),
                ("ignore_missing_property", Value::bool(true)),
                ("schema_validation_enabled", Value::bool(true)),
                ("tags", Value::map(Vec::<(String, Value)>::new())),
            ],
            Kind::AzurermCognitiveDeployment => vec![
                ("rai_policy_name", Value::string("Microsoft.DefaultV2")),
                ("version_upgrade_option", Value::string("OnceNewDefaultVersionAvailable")),
            ],
        }
    }
}

#[async_trait]
impl Resource for Echo {
    fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::AzapiResource | Kind::AzapiResourceV1 => "azapi_resource",
            Kind::AzurermCognitiveDeployment => "azurerm_cognitive_deployment",
        }
    }

    fn schema(&self) -> Schema {
        match self.kind {
            Kind::AzapiResource => azapi_schema(),
            Kind::AzapiResourceV1 => azapi_v1_schema(),
            Kind::AzurermCognitiveDeployment => azurerm_schema(),
        }
    }

    async fn plan(&self, req: PlanRequest) -> PlanResponse {
        let mut plan = PlanResponse::accept(&req);
        if !req.prior_state.is_null() || req.proposed_new_state.is_null() {
            return plan;
        }
        let planned = &mut plan.planned_state;
        // What azurerm reads back from Azure for a deployment left without a content filter: Azure gives Claude
        // deployments none, so azurerm stores its empty string for them.
        let anthropic = matches!(planned.get("model"), Value::List(models)
            if models.iter().any(|m| m.get("format") == &Value::string("Anthropic")));
        if anthropic && planned.get("rai_policy_name").is_null() {
            planned.set_attr("rai_policy_name", Value::string(""));
        }
        for (attribute, default) in self.defaults() {
            if planned.get(attribute).is_null() {
                planned.set_attr(attribute, default);
            }
        }
        if let Kind::AzapiResource | Kind::AzapiResourceV1 = self.kind {
            planned.set_attr("output", Value::unknown());
        }
        if let Kind::AzurermCognitiveDeployment = self.kind {
            // Inside the one-element blocks: the version Azure picks (unknown until created) and capacity 1.
            if let Value::List(models) = planned.get("model").clone() {
                let models = models
                    .into_iter()
                    .map(|mut m| {
                        if m.get("version").is_null() {
                            m.set_attr("version", Value::string(""));
                        }
                        m
                    })
                    .collect::<Vec<_>>();
                planned.set_attr("model", Value::List(models));
            }
            if let Value::List(skus) = planned.get("sku").clone() {
                let skus = skus
                    .into_iter()
                    .map(|mut s| {
                        if s.get("capacity").is_null() {
                            s.set_attr("capacity", Value::int(1));
                        }
                        s
                    })
                    .collect::<Vec<_>>();
                planned.set_attr("sku", Value::List(skus));
            }
        }
        let id = self.id(planned);
        planned.set_attr("id", id);
        plan
    }

    async fn apply(&self, req: ApplyRequest) -> ApplyResponse {
        let mut new_state = req.planned_state;
        if !new_state.is_null() && new_state.get("output").is_unknown() {
            new_state.set_attr("output", empty_dynamic_object());
        }
        ApplyResponse { new_state, private: Vec::new(), diagnostics: Diagnostics::new() }
    }

    async fn read(&self, req: ReadRequest) -> ReadResponse {
        ReadResponse { new_state: req.current_state, private: req.private, diagnostics: Diagnostics::new() }
    }
}

fn main() -> ExitCode {
    let Some((source, version)) = Source::from_program_name() else {
        eprintln!(
            "stand_in_source_provider: start me as terraform-provider-azapi_v<version> or \
             terraform-provider-azurerm_v<version> (link me under that name in a filesystem mirror)"
        );
        return ExitCode::FAILURE;
    };
    let provider_name = match source {
        Source::Azapi | Source::Azapi1 => "azapi",
        Source::Azurerm => "azurerm",
    };
    // Served once per process: leaking the version string is the simplest way to make it 'static.
    let version: &'static str = Box::leak(version.into_boxed_str());
    tf_provider::serve(Arc::new(StandIn(source)), ServeOptions { provider_name, version })
}
