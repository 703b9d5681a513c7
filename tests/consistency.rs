//! Terraform's consistency rules as a property test: generated configurations of both resources — valid and invalid,
//! with whitespace, case and alias variants, unknown values, `strict_catalog` on and off, with and without subsets —
//! go through validate → plan → apply → read → plan against the in-process emulator (with its read quirks switched
//! at random), and every answer is checked the way Terraform core checks it (`support::consistency`).
//!
//! Both resources also get generated `tags` (with unknown values at plan), `deployment_state` and `service_tier`,
//! under provider `default_tags` that change between steps; a third step keeps the resource's configuration and
//! changes only the default tags.
//!
//! Per case: a plan that fails wrote nothing and names an attribute; a plan that succeeds applies, the applied
//! object is compatible with the plan, the read equals the applied state, and the next plan is a no-op without
//! warnings. Each case also applies a second, generated configuration to the same deployment (update in place or
//! replacement), then destroys it.
//!
//! `CONSISTENCY_CASES` sets the number of cases per resource (default 48); `CONSISTENCY_SEED` (hex, 32 bytes)
//! replays a run. A failure prints the seed and the failing case.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use support::consistency::{compatible, complete, plan_valid, proposed_new, same, unknown_paths};
use support::{ACCOUNT, TOKEN, TestEmulator};
use terraform_provider_modelrouter::ModelRouterProvider;
use tf_provider::{
    ApplyRequest, AttributePath, ConfigureRequest, Diagnostics, PlanRequest, Provider, ReadRequest, Resource, Severity,
    Value,
};

// ---- Generated configurations -----------------------------------------------------------------------------------

/// One of `choices`, each as likely as its weight: good values are common, the edge cases users type rarer, so that
/// most cases get past the plan and still every edge is visited.
fn pick(choices: &[(u32, &'static str)]) -> impl Strategy<Value = &'static str> + use<> {
    let pool: Vec<&'static str> = choices.iter().flat_map(|(w, v)| std::iter::repeat_n(*v, *w as usize)).collect();
    prop::sample::select(pool)
}

/// One routing `model` block: name, format, version.
type ModelSpec = (&'static str, Option<&'static str>, Option<&'static str>);
/// The `routing` block: mode and model blocks.
type RoutingSpec = (Option<&'static str>, Vec<ModelSpec>);

#[derive(Debug, Clone)]
struct RouterSpec {
    name_padding: bool,
    router_version: Option<&'static str>,
    sku_name: Option<&'static str>,
    capacity: Option<i64>,
    routing: Option<RoutingSpec>,
    rai_policy_name: Option<&'static str>,
    version_upgrade_option: Option<&'static str>,
    min_context_window: Option<i64>,
}

fn router_spec() -> impl Strategy<Value = RouterSpec> {
    let model = (
        pick(&[
            (4, "gpt-5-mini"),
            (2, "GPT-5-Mini"),
            (4, "gpt-5"),
            (4, "gpt-4.1"),
            (3, "gpt-4o"),
            (3, "gpt-5-nano"),
            (2, "grok-4"),
            (1, "gpt-4.0"),
            (1, " gpt-5-mini"),
            (1, "gpt-4.1 "),
            (2, "gpt-7-preview"),
        ]),
        prop::option::weighted(0.15, pick(&[(3, "OpenAI"), (1, "openai"), (1, "xAI"), (1, " OpenAI")])),
        prop::option::weighted(0.1, pick(&[(2, "2025-08-07"), (2, "2025-04-14"), (1, "1"), (1, "2099-01-01")])),
    );
    let routing = (
        prop::option::of(pick(&[(3, "balanced"), (3, "quality"), (3, "cost"), (1, "Quality"), (1, " cost")])),
        prop::collection::vec(model, 0..4),
    );
    (
        prop::bool::weighted(0.03),
        prop::option::weighted(
            0.5,
            pick(&[(6, "2025-11-18"), (1, "2025-08-07"), (1, "2025-11-18 "), (2, "2026-04-01")]),
        ),
        prop::option::weighted(
            0.4,
            pick(&[(4, "GlobalStandard"), (3, "DataZoneStandard"), (1, "globalstandard"), (1, " GlobalStandard")]),
        ),
        prop::option::of(prop_oneof![12 => 1i64..400, 1 => Just(0i64)]),
        prop::option::weighted(0.75, routing),
        prop::option::weighted(
            0.3,
            pick(&[(4, "Microsoft.DefaultV2"), (3, "Microsoft.Nil"), (1, " Microsoft.DefaultV2 "), (1, "")]),
        ),
        prop::option::weighted(
            0.2,
            pick(&[(3, "NoAutoUpgrade"), (3, "OnceCurrentVersionExpired"), (1, "noautoupgrade")]),
        ),
        prop::option::weighted(0.15, prop::sample::select(vec![1000i64, 128_000, 5_000_000])),
    )
        .prop_map(
            |(
                name_padding,
                router_version,
                sku_name,
                capacity,
                routing,
                rai_policy_name,
                version_upgrade_option,
                min,
            )| {
                RouterSpec {
                    name_padding,
                    router_version,
                    sku_name,
                    capacity,
                    routing,
                    rai_policy_name,
                    version_upgrade_option,
                    min_context_window: min,
                }
            },
        )
}

impl RouterSpec {
    fn sparse(&self, name: &str) -> Value {
        let name = if self.name_padding { format!("{name} ") } else { name.to_owned() };
        let mut pairs = vec![
            ("name", Value::string(name)),
            ("cognitive_account_id", Value::string(ACCOUNT)),
            ("router_version", Value::opt_string(self.router_version)),
            ("rai_policy_name", Value::opt_string(self.rai_policy_name)),
            ("version_upgrade_option", Value::opt_string(self.version_upgrade_option)),
            ("min_context_window", Value::opt_int(self.min_context_window)),
            (
                "sku",
                Value::object([
                    ("name", Value::opt_string(self.sku_name)),
                    ("capacity", Value::opt_int(self.capacity)),
                ]),
            ),
        ];
        if let Some((mode, models)) = &self.routing {
            let models = models.iter().map(|(name, format, version)| {
                Value::object([
                    ("name", Value::string(*name)),
                    ("format", Value::opt_string(*format)),
                    ("version", Value::opt_string(*version)),
                ])
            });
            pairs.push((
                "routing",
                Value::object([("mode", Value::opt_string(*mode)), ("model", Value::Set(dedup(models)))]),
            ));
        }
        Value::object(pairs)
    }

    /// Whether the configuration types a string with stray whitespace (which must fail at plan).
    fn has_stray_whitespace(&self) -> bool {
        let padded = |s: &str| s.trim() != s;
        self.name_padding
            || [self.router_version, self.sku_name, self.rai_policy_name, self.version_upgrade_option]
                .into_iter()
                .flatten()
                .any(|s| padded(s) && !s.trim().is_empty())
            || self.routing.as_ref().is_some_and(|(mode, models)| {
                mode.is_some_and(padded)
                    || models.iter().any(|(n, f, v)| padded(n) || f.is_some_and(padded) || v.is_some_and(padded))
            })
    }
}

#[derive(Debug, Clone)]
struct ClaudeSpec {
    model: &'static str,
    version: Option<&'static str>,
    name: Option<&'static str>,
    capacity: Option<i64>,
    organization_name: &'static str,
    country_code: &'static str,
    industry: &'static str,
}

fn claude_spec() -> impl Strategy<Value = ClaudeSpec> {
    (
        pick(&[
            (8, "claude-haiku-4-5"),
            (3, "Claude-Haiku-4-5"),
            (1, " claude-haiku-4-5"),
            (2, "claude-future-9"),
            (1, "gpt-5"),
        ]),
        prop::option::weighted(0.4, pick(&[(4, "20251001"), (2, "1"), (1, "20251001 ")])),
        prop::option::weighted(0.4, pick(&[(3, "haiku"), (2, "Haiku-Prod"), (1, " haiku")])),
        prop::option::of(1i64..50),
        pick(&[(6, "Contoso"), (3, "Contoso Ltd"), (1, " Contoso")]),
        pick(&[(6, "US"), (3, "DK"), (1, "us"), (1, "UK")]),
        pick(&[(6, "technology"), (3, "Technology"), (3, "finance"), (1, " retail"), (1, "space")]),
    )
        .prop_map(|(model, version, name, capacity, organization_name, country_code, industry)| ClaudeSpec {
            model,
            version,
            name,
            capacity,
            organization_name,
            country_code,
            industry,
        })
}

impl ClaudeSpec {
    fn sparse(&self, unique: &str) -> Value {
        // A configured name gets the case's suffix; a defaulted one is the model name (cases run one after another
        // and each destroys what it created, so the shared account never holds two).
        let name = self.name.map(|n| format!("{n}-{unique}"));
        Value::object([
            ("cognitive_account_id", Value::string(ACCOUNT)),
            ("model", Value::string(self.model)),
            ("version", Value::opt_string(self.version)),
            ("name", Value::opt_string(name)),
            ("sku", Value::object([("name", Value::Null), ("capacity", Value::opt_int(self.capacity))])),
            (
                "model_provider_data",
                Value::object([
                    ("organization_name", Value::string(self.organization_name)),
                    ("country_code", Value::string(self.country_code)),
                    ("industry", Value::string(self.industry)),
                ]),
            ),
        ])
    }

    fn has_stray_whitespace(&self) -> bool {
        let padded = |s: &str| s.trim() != s;
        padded(self.model)
            || self.version.is_some_and(padded)
            || self.name.is_some_and(padded)
            || padded(self.organization_name)
            || padded(self.industry)
    }
}

/// What both resources take besides their own settings: tags, deployment state and service tier.
#[derive(Debug, Clone)]
struct ServingSpec {
    tags: Option<Vec<(&'static str, &'static str)>>,
    deployment_state: Option<&'static str>,
    service_tier: Option<&'static str>,
}

/// Tags as users type them: common keys, an empty value, and a name Azure refuses.
fn tag_pairs() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    let key = pick(&[(4, "team"), (3, "env"), (3, "cost-center"), (1, "a/b")]);
    let value = pick(&[(4, "search"), (3, "prod"), (1, ""), (2, "42")]);
    prop::collection::vec((key, value), 0..3)
}

fn serving_spec() -> impl Strategy<Value = ServingSpec> {
    (
        prop::option::weighted(0.5, tag_pairs()),
        prop::option::weighted(0.3, pick(&[(5, "Running"), (4, "Paused"), (1, "paused")])),
        prop::option::weighted(0.3, pick(&[(5, "Default"), (4, "Priority"), (1, " Priority")])),
    )
        .prop_map(|(tags, deployment_state, service_tier)| ServingSpec { tags, deployment_state, service_tier })
}

/// The provider's `default_tags` for one step (none, or a map).
fn default_tags() -> impl Strategy<Value = Option<Vec<(&'static str, &'static str)>>> {
    prop::option::weighted(
        0.6,
        tag_pairs().prop_filter("a provider block Azure accepts", |pairs| pairs.iter().all(|(k, _)| *k != "a/b")),
    )
}

fn tag_map(pairs: &[(&'static str, &'static str)]) -> Value {
    Value::map(pairs.iter().map(|(k, v)| (*k, Value::string(*v))))
}

impl ServingSpec {
    fn add_to(&self, mut config: Value) -> Value {
        config.set_attr("tags", self.tags.as_deref().map_or(Value::Null, tag_map));
        config.set_attr("deployment_state", Value::opt_string(self.deployment_state));
        config.set_attr("service_tier", Value::opt_string(self.service_tier));
        config
    }

    /// Whether a value here must fail at plan.
    fn is_invalid(&self) -> bool {
        self.tags.as_ref().is_some_and(|t| t.iter().any(|(k, _)| *k == "a/b"))
            || self.deployment_state == Some("paused")
            || self.service_tier == Some(" Priority")
    }
}

/// Terraform merges identical blocks of a set before the provider sees them.
fn dedup(values: impl Iterator<Item = Value>) -> Vec<Value> {
    let mut unique: Vec<Value> = Vec::new();
    for value in values {
        if !unique.iter().any(|u| same(u, &value)) {
            unique.push(value);
        }
    }
    unique
}

#[derive(Debug, Clone)]
struct Quirks {
    resourcegroups_lowercase: bool,
    reverse_models: bool,
    capitalize_mode: bool,
    echo_model_provider_data: bool,
}

fn quirks() -> impl Strategy<Value = Quirks> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(a, b, c, d)| Quirks {
        resourcegroups_lowercase: a,
        reverse_models: b,
        capitalize_mode: c,
        echo_model_provider_data: d,
    })
}

/// How a case hides part of the configuration at plan time (as a reference to an unapplied resource would).
#[derive(Debug, Clone, Copy)]
enum UnknownAtPlan {
    Nothing,
    RouterVersion,
    Subset,
    Name,
    /// One tag's value (e.g. from another resource's attribute).
    TagValue,
}

// ---- The driver ---------------------------------------------------------------------------------------------------

struct Harness {
    emulator: TestEmulator,
    runtime: tokio::runtime::Runtime,
    cases: AtomicUsize,
    /// Steps whose plan succeeded and applied, and steps whose plan failed (as it should for bad input).
    applied: AtomicUsize,
    refused: AtomicUsize,
}

impl Harness {
    fn new() -> Harness {
        Harness {
            // The generated router versions include one Azure offers but the catalog does not know.
            emulator: TestEmulator::offering_router_version("2026-04-01"),
            runtime: tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime"),
            cases: AtomicUsize::new(0),
            applied: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
        }
    }

    /// A clean emulator (a failed case, or its shrinking, may leave deployments behind) with these read quirks.
    fn start_case(&self, q: &Quirks) {
        self.emulator.emulator.reset();
        self.emulator.emulator.update_settings(|s| {
            s.quirks.resourcegroups_lowercase = q.resourcegroups_lowercase;
            s.quirks.reverse_models = q.reverse_models;
            s.quirks.capitalize_mode = q.capitalize_mode;
            s.quirks.echo_model_provider_data = q.echo_model_provider_data;
        });
    }

    /// A configured provider, as Terraform's plan and apply walks have one, and the resource type under test.
    fn resource(
        &self,
        type_name: &str,
        strict_catalog: bool,
        default_tags: &Option<Vec<(&'static str, &'static str)>>,
    ) -> Arc<dyn Resource> {
        let provider = ModelRouterProvider::new();
        let schema = provider.schema();
        let config = complete(
            &schema.block,
            &Value::object([
                ("resource_manager_endpoint", Value::string(self.emulator.emulator.base_url())),
                ("access_token", Value::string(TOKEN)),
                ("strict_catalog", Value::Bool(strict_catalog)),
                ("default_tags", default_tags.as_deref().map_or(Value::Null, tag_map)),
            ]),
        );
        let diags =
            self.runtime.block_on(provider.configure(ConfigureRequest { terraform_version: "1.11.4".into(), config }));
        assert!(!diags.has_errors(), "{diags:?}");
        // The resources share the provider's configured state, so they outlive the provider value itself.
        provider.resources().into_iter().find(|r| r.type_name() == type_name).expect("resource type")
    }

    fn writes(&self) -> usize {
        self.emulator.writes().len()
    }
}

/// One resource instance as Terraform tracks it between commands.
struct Instance {
    state: Value,
    private: Vec<u8>,
}

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

fn errors(diags: &Diagnostics) -> Vec<String> {
    diags.iter().filter(|d| d.severity == Severity::Error).map(ToString::to_string).collect()
}

fn warnings(diags: &Diagnostics) -> Vec<String> {
    diags.iter().filter(|d| d.severity == Severity::Warning).map(ToString::to_string).collect()
}

/// Replaces the value at a top-level or nested attribute path with unknown.
fn hide(config: &Value, path: &[&str]) -> Value {
    let mut out = config.clone();
    match path {
        [attr] => out.set_attr(attr, Value::unknown()),
        [block, attr] if !config.get(block).is_null() => {
            let mut inner = config.get(block).clone();
            inner.set_attr(attr, Value::unknown());
            out.set_attr(block, inner);
        }
        _ => {}
    }
    out
}

/// Plans `config` against the instance; on success applies it and checks everything Terraform checks.
/// Returns whether the plan succeeded.
fn converge(
    harness: &Harness,
    resource: &Arc<dyn Resource>,
    instance: &mut Instance,
    config: &Value,
    unknown: UnknownAtPlan,
) -> Result<bool, TestCaseError> {
    let block = resource.schema().block;
    let rt = &harness.runtime;
    let writes_before = harness.writes();

    // What `terraform validate` sees: variables unknown.
    let hidden = match unknown {
        UnknownAtPlan::Nothing => config.clone(),
        UnknownAtPlan::RouterVersion => hide(config, &["router_version"]),
        UnknownAtPlan::Subset => hide(config, &["routing", "model"]),
        UnknownAtPlan::Name => hide(config, &["name"]),
        UnknownAtPlan::TagValue => match config.get("tags").entries().and_then(|tags| tags.keys().next()) {
            Some(key) => {
                let mut tags = config.get("tags").clone();
                if let Value::Map(entries) = &mut tags {
                    entries.insert(key.clone(), Value::unknown());
                }
                let mut hidden = config.clone();
                hidden.set_attr("tags", tags);
                hidden
            }
            None => config.clone(),
        },
    };
    let validate_diags = resource.validate(&hidden);
    let plan = |prior: &Value, prior_private: &[u8], config: &Value| {
        rt.block_on(resource.plan(PlanRequest {
            prior_state: prior.clone(),
            proposed_new_state: proposed_new(&block, prior, config),
            config: config.clone(),
            prior_private: prior_private.to_vec(),
        }))
    };

    // The plan walk, with what is unknown hidden, then the apply walk's final plan with everything known.
    let first = plan(&instance.state, &instance.private, &hidden);
    let final_plan = plan(&instance.state, &instance.private, config);
    for (label, response, cfg) in [("plan", &first, &hidden), ("final plan", &final_plan, config)] {
        if response.diagnostics.has_errors() {
            continue;
        }
        let violations = plan_valid(&block, &instance.state, cfg, &response.planned_state);
        if !violations.is_empty() {
            return Err(fail(format!("{label}: Provider produced invalid plan: {violations:#?}")));
        }
    }
    if validate_diags.has_errors() && !first.diagnostics.has_errors() {
        return Err(fail(format!("validate failed but plan succeeded: {:?}", errors(&validate_diags))));
    }
    let response = if first.diagnostics.has_errors() { &first } else { &final_plan };
    if !first.diagnostics.has_errors() && !final_plan.diagnostics.has_errors() {
        let violations = compatible(&block, &first.planned_state, &final_plan.planned_state);
        if !violations.is_empty() {
            return Err(fail(format!("Provider produced inconsistent final plan: {violations:#?}")));
        }
    }
    if response.diagnostics.has_errors() {
        if harness.writes() != writes_before {
            return Err(fail("a failed plan wrote to Azure".into()));
        }
        if let Some(d) = response.diagnostics.iter().find(|d| d.is_error() && d.attribute.is_none()) {
            return Err(fail(format!("error without an attribute: {d}")));
        }
        harness.refused.fetch_add(1, Ordering::Relaxed);
        return Ok(false);
    }
    let planned = response.planned_state.clone();
    if same(&planned, &instance.state) {
        return Ok(true); // no-op
    }

    // A replacement: Terraform destroys, then plans and applies a create.
    let replace = !instance.state.is_null()
        && response.requires_replace.iter().any(|path| !same(at(&instance.state, path), at(&planned, path)));
    let (prior, planned, planned_private) = if replace {
        destroy(harness, resource, instance)?;
        let created = plan(&Value::Null, &[], config);
        if created.diagnostics.has_errors() {
            return Err(fail(format!("re-plan as create failed: {:?}", errors(&created.diagnostics))));
        }
        (Value::Null, created.planned_state, created.planned_private)
    } else {
        (instance.state.clone(), planned, response.planned_private.clone())
    };

    let applied = rt.block_on(resource.apply(ApplyRequest {
        prior_state: prior.clone(),
        planned_state: planned.clone(),
        config: config.clone(),
        planned_private,
    }));
    if applied.diagnostics.has_errors() {
        return Err(fail(format!("a successful plan failed to apply: {:?}", errors(&applied.diagnostics))));
    }
    let unknowns = unknown_paths(&applied.new_state);
    if !unknowns.is_empty() {
        return Err(fail(format!("Provider returned invalid result object after apply: unknown {unknowns:?}")));
    }
    let violations = compatible(&block, &planned, &applied.new_state);
    if !violations.is_empty() {
        return Err(fail(format!("Provider produced inconsistent result after apply: {violations:#?}")));
    }

    // Refresh: what Azure reports must be what apply stored (else refresh-only shows a change that is none).
    let read =
        rt.block_on(resource.read(ReadRequest { current_state: applied.new_state.clone(), private: applied.private }));
    if read.diagnostics.has_errors() {
        return Err(fail(format!("read after apply failed: {:?}", errors(&read.diagnostics))));
    }
    if !same(&read.new_state, &applied.new_state) {
        return Err(fail(format!(
            "read differs from the applied state:\n applied {:?}\n read    {:?}",
            applied.new_state, read.new_state
        )));
    }

    // The next plan is empty and quiet.
    let again = plan(&read.new_state, &read.private, config);
    if again.diagnostics.has_errors() {
        return Err(fail(format!("second plan failed: {:?}", errors(&again.diagnostics))));
    }
    if !same(&again.planned_state, &read.new_state) {
        return Err(fail(format!(
            "second plan is not empty:\n prior   {:?}\n planned {:?}",
            read.new_state, again.planned_state
        )));
    }
    let noise = warnings(&again.diagnostics);
    if !noise.is_empty() {
        return Err(fail(format!("warnings in a no-op plan: {noise:?}")));
    }
    instance.state = read.new_state;
    instance.private = read.private;
    harness.applied.fetch_add(1, Ordering::Relaxed);
    Ok(true)
}

fn at<'v>(value: &'v Value, path: &AttributePath) -> &'v Value {
    path.steps().iter().fold(value, |v, step| match step {
        tf_provider::PathStep::Attribute(name) => v.get(name),
        _ => v,
    })
}

fn destroy(harness: &Harness, resource: &Arc<dyn Resource>, instance: &mut Instance) -> Result<(), TestCaseError> {
    if instance.state.is_null() {
        return Ok(());
    }
    let response = harness.runtime.block_on(resource.apply(ApplyRequest {
        prior_state: instance.state.clone(),
        planned_state: Value::Null,
        config: Value::Null,
        planned_private: instance.private.clone(),
    }));
    if response.diagnostics.has_errors() || !response.new_state.is_null() {
        return Err(fail(format!("destroy failed: {:?}", errors(&response.diagnostics))));
    }
    instance.state = Value::Null;
    instance.private = Vec::new();
    Ok(())
}

fn seed() -> [u8; 32] {
    match std::env::var("CONSISTENCY_SEED") {
        Ok(hex) => {
            let mut seed = [0u8; 32];
            for (i, byte) in seed.iter_mut().enumerate() {
                *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2).expect("64 hex digits"), 16).expect("hex seed");
            }
            seed
        }
        Err(_) => {
            let mut seed = [0u8; 32];
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
            for (i, byte) in seed.iter_mut().enumerate() {
                *byte = (nanos.rotate_left(i as u32 * 5) as u8) ^ (i as u8).wrapping_mul(151);
            }
            seed
        }
    }
}

fn run<S: Strategy>(harness: &Harness, name: &str, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let cases: u32 = std::env::var("CONSISTENCY_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48);
    let seed = seed();
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 64, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let started = std::time::Instant::now();
    if let Err(error) = runner.run(&strategy, check) {
        panic!("{name}: {error}\nreplay with CONSISTENCY_SEED={hex}");
    }
    let (applied, refused) = (harness.applied.load(Ordering::Relaxed), harness.refused.load(Ordering::Relaxed));
    eprintln!(
        "{name}: {cases} cases ({applied} steps applied, {refused} refused at plan) in {:.1?} (seed {hex})",
        started.elapsed()
    );
    // A generator that only ever produced bad input (or only good input) would test half the invariant.
    assert!(
        applied * 4 >= cases as usize && refused > 0,
        "{name}: degenerate generator ({applied} applied, {refused} refused)"
    );
}

#[test]
fn router_configurations_plan_what_they_apply() {
    let harness = Harness::new();
    let router = || (router_spec(), serving_spec(), default_tags());
    let strategy = (router(), router(), default_tags(), any::<bool>(), quirks(), 0..7u8);
    run(&harness, "modelrouter_deployment", strategy, |(create, update, later_defaults, strict, quirks, unknown)| {
        let unknown = match unknown {
            1 => UnknownAtPlan::RouterVersion,
            2 => UnknownAtPlan::Subset,
            3 => UnknownAtPlan::Name,
            4 => UnknownAtPlan::TagValue,
            _ => UnknownAtPlan::Nothing,
        };
        harness.start_case(&quirks);
        let name = format!("router-{}", harness.cases.fetch_add(1, Ordering::Relaxed));
        let mut instance = Instance { state: Value::Null, private: Vec::new() };
        // The third step changes only the provider's default tags under the updated resource.
        let steps = [
            ("create", &create),
            ("update", &update),
            ("default tags change", &(update.0.clone(), update.1.clone(), later_defaults)),
        ];
        for (step, (spec, serving, defaults)) in steps {
            let resource = harness.resource("modelrouter_deployment", strict, defaults);
            let block = resource.schema().block;
            let config = complete(&block, &serving.add_to(spec.sparse(&name)));
            let applied = converge(&harness, &resource, &mut instance, &config, unknown)
                .map_err(|e| fail(format!("{step}: {e}")))?;
            if applied && (spec.has_stray_whitespace() || serving.is_invalid()) {
                return Err(fail(format!("{step}: a bad value was accepted: {spec:?} {serving:?}")));
            }
        }
        destroy(&harness, &harness.resource("modelrouter_deployment", strict, &None), &mut instance)
    });
}

#[test]
fn claude_dependency_configurations_plan_what_they_apply() {
    let harness = Harness::new();
    let claude = || (claude_spec(), serving_spec(), default_tags());
    let strategy = (claude(), claude(), default_tags(), any::<bool>(), quirks(), any::<bool>());
    run(
        &harness,
        "modelrouter_claude_dependency",
        strategy,
        |(create, update, later_defaults, strict, quirks, hide_tag)| {
            harness.start_case(&quirks);
            let unique = format!("c{}", harness.cases.fetch_add(1, Ordering::Relaxed));
            let mut instance = Instance { state: Value::Null, private: Vec::new() };
            // Same deployment across the steps: a defaulted name is the model's, so keep the first step's name.
            let mut update = update;
            if create.0.name.is_none() || update.0.name.is_none() {
                update.0.name = create.0.name;
            }
            let unknown = if hide_tag { UnknownAtPlan::TagValue } else { UnknownAtPlan::Nothing };
            let steps = [
                ("create", &create),
                ("update", &update),
                ("default tags change", &(update.0.clone(), update.1.clone(), later_defaults)),
            ];
            for (step, (spec, serving, defaults)) in steps {
                let resource = harness.resource("modelrouter_claude_dependency", strict, defaults);
                let block = resource.schema().block;
                let config = complete(&block, &serving.add_to(spec.sparse(&unique)));
                let applied = converge(&harness, &resource, &mut instance, &config, unknown)
                    .map_err(|e| fail(format!("{step}: {e}")))?;
                if applied && (spec.has_stray_whitespace() || serving.is_invalid()) {
                    return Err(fail(format!("{step}: a bad value was accepted: {spec:?} {serving:?}")));
                }
            }
            destroy(&harness, &harness.resource("modelrouter_claude_dependency", strict, &None), &mut instance)
        },
    );
}

/// The checker itself catches the defect this test exists for: a set element whose name the provider trimmed.
#[test]
fn the_checker_rejects_a_trimmed_set_element() {
    let block = ModelRouterProvider::new()
        .resources()
        .into_iter()
        .find(|r| r.type_name() == "modelrouter_deployment")
        .unwrap()
        .schema()
        .block;
    let with = |name: &str| {
        complete(
            &block,
            &Value::object([(
                "routing",
                Value::object([
                    ("mode", Value::string("balanced")),
                    ("model", Value::Set(vec![Value::object([("name", Value::string(name))])])),
                ]),
            )]),
        )
    };
    assert!(
        compatible(&block, &with(" gpt-5-mini"), &with("gpt-5-mini")).iter().any(|v| v.contains("does not correlate"))
    );
    assert!(compatible(&block, &with("gpt-5-mini"), &with("gpt-5-mini")).is_empty());
    let mut config = with("gpt-5");
    config.set_attr("name", Value::string("router"));
    let mut planned = config.clone();
    planned.set_attr("name", Value::string("router "));
    assert!(plan_valid(&block, &Value::Null, &config, &planned).iter().any(|v| v.starts_with("name:")));
    assert!(plan_valid(&block, &Value::Null, &config, &config).is_empty());
}
