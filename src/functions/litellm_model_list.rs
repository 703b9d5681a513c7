//! `provider::modelrouter::litellm_model_list(routers, options)`: LiteLLM proxy `model_list` entries for model
//! router deployments, ready for `yamlencode`.
//!
//! The entry shape follows LiteLLM's Azure Model Router page
//! (<https://docs.litellm.ai/docs/providers/azure_ai/azure_model_router>): the model as
//! `azure_ai/model_router/<deployment name>` (LiteLLM strips `model_router/` and sends the deployment name,
//! and keeps the full name to price each request by the model Azure reports in the response, plus the
//! router fee), `api_base` as the account's OpenAI v1 endpoint, the key as `os.environ/<variable>`.

use crate::resources::deployment::schema::attr as router_attr;
use tf_provider::function::{Parameter, Signature};
use tf_provider::{Function, FunctionError, Type, Value};

pub struct LitellmModelList;

const ROUTERS: usize = 0;
const OPTIONS: usize = 1;

/// The environment variable LiteLLM reads the key from when `options` names none.
pub const DEFAULT_API_KEY_ENV: &str = "AZURE_MODEL_ROUTER_API_KEY";

/// LiteLLM's provider route for Azure model routers.
const MODEL_PREFIX: &str = "azure_ai/model_router/";

const OPTION_KEYS: [&str; 2] = ["api_key_env", "model_name_prefix"];

fn entry_type() -> Type {
    Type::object([
        ("model_name", Type::String),
        (
            "litellm_params",
            Type::object([("model", Type::String), ("api_base", Type::String), ("api_key", Type::String)]),
        ),
        ("model_info", Type::object([("base_model", Type::String), ("max_input_tokens", Type::Number)])),
    ])
}

/// The settings `options` may change.
#[derive(Debug, PartialEq)]
struct Options {
    api_key_env: String,
    model_name_prefix: String,
}

fn options(value: Option<&Value>) -> Result<Options, FunctionError> {
    let mut options = Options { api_key_env: DEFAULT_API_KEY_ENV.to_owned(), model_name_prefix: String::new() };
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(options);
    };
    let attributes = match value.inner() {
        Value::Object(attributes) | Value::Map(attributes) => attributes,
        _ => {
            return Err(FunctionError::argument(
                OPTIONS,
                format!("options must be an object with the optional attributes {}.", OPTION_KEYS.join(" and ")),
            ));
        }
    };
    for (key, setting) in attributes {
        let text = match setting.inner() {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            _ => return Err(FunctionError::argument(OPTIONS, format!("options.{key} must be a string."))),
        };
        match key.as_str() {
            "api_key_env" => {
                if !is_env_name(&text) {
                    return Err(FunctionError::argument(
                        OPTIONS,
                        format!(
                            "options.api_key_env {text:?} is not an environment variable name (letters, digits and \
                             underscores, not starting with a digit)."
                        ),
                    ));
                }
                options.api_key_env = text;
            }
            "model_name_prefix" => options.model_name_prefix = text,
            other => {
                return Err(FunctionError::argument(
                    OPTIONS,
                    format!("options has no attribute {other:?}; allowed: {}.", OPTION_KEYS.join(", ")),
                ));
            }
        }
    }
    Ok(options)
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One router's attribute as a non-empty string, or an error on `routers` naming the element and attribute.
fn router_string(router: &Value, position: usize, attribute: &str) -> Result<String, FunctionError> {
    match router.get(attribute).inner() {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        Value::Null if router.entries().is_some_and(|e| !e.contains_key(attribute)) => Err(FunctionError::argument(
            ROUTERS,
            format!(
                "routers[{position}] has no attribute {attribute:?}; pass a modelrouter_deployment resource or data source, or an object with name, endpoint, routed_models and effective_context_window."
            ),
        )),
        Value::Null => Err(FunctionError::argument(ROUTERS, format!("routers[{position}].{attribute} is null."))),
        _ => Err(FunctionError::argument(
            ROUTERS,
            format!("routers[{position}].{attribute} must be a non-empty string."),
        )),
    }
}

/// The OpenAI v1 base URL of an account endpoint (`https://x.cognitiveservices.azure.com/` →
/// `https://x.cognitiveservices.azure.com/openai/v1/`).
fn api_base(endpoint: &str, position: usize) -> Result<String, FunctionError> {
    let host = endpoint.strip_prefix("https://").or_else(|| endpoint.strip_prefix("http://")).unwrap_or_default();
    let host = host.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(FunctionError::argument(
            ROUTERS,
            format!("routers[{position}].endpoint {endpoint:?} is not an http(s) URL."),
        ));
    }
    Ok(format!("{}/openai/v1/", endpoint.trim_end_matches('/')))
}

fn entry(router: &Value, position: usize, options: &Options) -> Result<Value, FunctionError> {
    if router.entries().is_none() {
        return Err(FunctionError::argument(ROUTERS, format!("routers[{position}] must be an object.")));
    }
    let name = router_string(router, position, router_attr::NAME)?;
    let endpoint = router_string(router, position, router_attr::ENDPOINT)?;
    if !router.entries().is_some_and(|e| e.contains_key(router_attr::ROUTED_MODELS)) {
        // Not read, but its absence means this is not a router object (the contract's minimum shape).
        router_string(router, position, router_attr::ROUTED_MODELS)?;
    }
    let window = router.get(router_attr::EFFECTIVE_CONTEXT_WINDOW);
    let max_input_tokens = match window.inner() {
        Value::Null => Value::Null,
        Value::Number(n) if n.as_i64().is_some_and(|t| t > 0) => Value::Number(n.clone()),
        _ => {
            return Err(FunctionError::argument(
                ROUTERS,
                format!("routers[{position}].effective_context_window must be a positive whole number or null."),
            ));
        }
    };
    let model = format!("{MODEL_PREFIX}{name}");
    Ok(Value::object([
        ("model_name", Value::string(format!("{}{name}", options.model_name_prefix))),
        (
            "litellm_params",
            Value::object([
                ("model", Value::string(&model)),
                ("api_base", Value::string(api_base(&endpoint, position)?)),
                ("api_key", Value::string(format!("os.environ/{}", options.api_key_env))),
            ]),
        ),
        ("model_info", Value::object([("base_model", Value::string(model)), ("max_input_tokens", max_input_tokens)])),
    ]))
}

impl Function for LitellmModelList {
    fn name(&self) -> &'static str {
        "litellm_model_list"
    }

    fn signature(&self) -> Signature {
        Signature::new(Type::list(entry_type()))
            .parameter(Parameter::new("routers", Type::Dynamic).describe(
                "A list of model router deployments: `modelrouter_deployment` resources or data sources as they \
                 are, or objects with at least `name`, `endpoint`, `routed_models` and `effective_context_window`.",
            ))
            .parameter(Parameter::new("options", Type::Dynamic).allow_null().describe(
                "An object with optional `api_key_env` (the environment variable LiteLLM reads the key from, default \
                 `AZURE_MODEL_ROUTER_API_KEY`) and `model_name_prefix` (prepended to each deployment name to form \
                 `model_name`, default none); `{}` or null for the defaults.",
            ))
            .summary("LiteLLM proxy model_list entries for model router deployments.")
            .describe(
                "Returns one LiteLLM proxy `model_list` entry per router, in input order, ready for `yamlencode`: \
                 `model_name` (the prefix plus the deployment name), `litellm_params.model` = \
                 `azure_ai/model_router/<deployment name>`, `litellm_params.api_base` = the account endpoint's \
                 `/openai/v1/` URL, `litellm_params.api_key` = `os.environ/<api_key_env>` (the key itself never \
                 enters the configuration), `model_info.base_model` = the same `azure_ai/model_router/...` name and \
                 `model_info.max_input_tokens` = the router's effective context window (null when the catalog \
                 documents none). This is the pattern of LiteLLM's Azure Model Router page \
                 (https://docs.litellm.ai/docs/providers/azure_ai/azure_model_router), under which LiteLLM prices \
                 each request by the model that served it (the `model` of Azure's response) plus the router fee. \
                 A router that is not an object with those attributes is an error on `routers` naming the element.",
            )
    }

    fn call(&self, arguments: Vec<Value>) -> Result<Value, FunctionError> {
        let routers = arguments.get(ROUTERS).unwrap_or(&Value::Null);
        let options = options(arguments.get(OPTIONS))?;
        let list = match routers.inner() {
            Value::List(items) | Value::Tuple(items) | Value::Set(items) => items,
            Value::Object(attributes) if attributes.contains_key(router_attr::ENDPOINT) => {
                return Err(FunctionError::argument(
                    ROUTERS,
                    "routers must be a list; wrap a single router in brackets: [modelrouter_deployment.x].",
                ));
            }
            Value::Object(_) | Value::Map(_) => {
                return Err(FunctionError::argument(
                    ROUTERS,
                    "routers must be a list; for routers created with for_each, pass values(modelrouter_deployment.x).",
                ));
            }
            _ => return Err(FunctionError::argument(ROUTERS, "routers must be a list of router objects.")),
        };
        let entries =
            list.iter().enumerate().map(|(i, router)| entry(router, i, &options)).collect::<Result<_, _>>()?;
        Ok(Value::List(entries))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use tf_provider::value::msgpack;

    /// The entries by model name.
    fn by_model_name(result: &Value) -> BTreeMap<String, Value> {
        result
            .elements()
            .iter()
            .map(|e| (e.get("model_name").as_str().unwrap_or_default().to_owned(), e.clone()))
            .collect()
    }

    /// A router object shaped like a `modelrouter_deployment` (extra attributes included), wrapped as Terraform
    /// sends a `dynamic` argument: with its concrete type.
    fn router(name: &str, endpoint: &str, window: Option<i64>) -> (Type, Value) {
        let ty = Type::object([
            ("id", Type::String),
            ("name", Type::String),
            ("endpoint", Type::String),
            ("effective_context_window", Type::Number),
            ("routed_models", Type::list(Type::object([("name", Type::String)]))),
            ("sku", Type::object([("capacity", Type::Number)])),
        ]);
        let value = Value::object([
            ("id", Value::string(format!("/subscriptions/s/resourceGroups/g/providers/x/{name}"))),
            ("name", Value::string(name)),
            ("endpoint", Value::string(endpoint)),
            ("effective_context_window", Value::opt_int(window)),
            ("routed_models", Value::list([Value::object([("name", Value::string("gpt-5-mini"))])])),
            ("sku", Value::object([("capacity", Value::int(10))])),
        ]);
        (ty, value)
    }

    fn routers(items: Vec<(Type, Value)>) -> Value {
        let (types, values): (Vec<_>, Vec<_>) = items.into_iter().unzip();
        Value::Dynamic(Type::Tuple(types), Box::new(Value::Tuple(values)))
    }

    fn options_value(pairs: &[(&str, &str)]) -> Value {
        let ty = Type::object(pairs.iter().map(|(k, _)| (*k, Type::String)));
        Value::Dynamic(ty, Box::new(Value::object(pairs.iter().map(|(k, v)| (*k, Value::string(*v))))))
    }

    fn two_routers() -> Value {
        routers(vec![
            router("router-prod", "https://prod.cognitiveservices.azure.com/", Some(128000)),
            router("router-dev", "https://dev.cognitiveservices.azure.com", None),
        ])
    }

    #[test]
    fn two_routers_give_the_documented_entries() {
        let result = LitellmModelList.call(vec![two_routers(), Value::Null]).unwrap();
        let entries = by_model_name(&result);
        assert_eq!(entries.len(), 2);
        let prod = &entries["router-prod"];
        assert_eq!(prod.get("litellm_params").get("model").as_str(), Some("azure_ai/model_router/router-prod"));
        assert_eq!(
            prod.get("litellm_params").get("api_base").as_str(),
            Some("https://prod.cognitiveservices.azure.com/openai/v1/")
        );
        assert_eq!(prod.get("litellm_params").get("api_key").as_str(), Some("os.environ/AZURE_MODEL_ROUTER_API_KEY"));
        assert_eq!(prod.get("model_info").get("base_model").as_str(), Some("azure_ai/model_router/router-prod"));
        assert_eq!(prod.get("model_info").get("max_input_tokens").as_i64(), Some(128000));
        let dev = &entries["router-dev"];
        assert_eq!(
            dev.get("litellm_params").get("api_base").as_str(),
            Some("https://dev.cognitiveservices.azure.com/openai/v1/")
        );
        assert!(dev.get("model_info").get("max_input_tokens").is_null());
        // Input order is kept, and the result encodes with the declared return type.
        assert_eq!(result.elements()[0].get("model_name").as_str(), Some("router-prod"));
        msgpack::encode(&result, &LitellmModelList.signature().return_type).unwrap();
    }

    #[test]
    fn options_change_the_key_variable_and_the_name() {
        let options = options_value(&[("api_key_env", "GATEWAY_KEY"), ("model_name_prefix", "azure-")]);
        let result = LitellmModelList.call(vec![two_routers(), options]).unwrap();
        let first = &result.elements()[0];
        assert_eq!(first.get("model_name").as_str(), Some("azure-router-prod"));
        assert_eq!(first.get("litellm_params").get("api_key").as_str(), Some("os.environ/GATEWAY_KEY"));
        // The model stays the deployment: LiteLLM sends that name to Azure.
        assert_eq!(first.get("litellm_params").get("model").as_str(), Some("azure_ai/model_router/router-prod"));
        let empty = Value::Dynamic(
            Type::object(Vec::<(String, Type)>::new()),
            Box::new(Value::object(Vec::<(String, Value)>::new())),
        );
        assert_eq!(
            LitellmModelList.call(vec![two_routers(), empty]).unwrap(),
            LitellmModelList.call(vec![two_routers(), Value::Null]).unwrap()
        );
    }

    #[test]
    fn calls_are_deterministic() {
        let a = LitellmModelList.call(vec![two_routers(), Value::Null]).unwrap();
        let b = LitellmModelList.call(vec![two_routers(), Value::Null]).unwrap();
        let ty = LitellmModelList.signature().return_type;
        assert_eq!(msgpack::encode(&a, &ty).unwrap(), msgpack::encode(&b, &ty).unwrap());
    }

    #[test]
    fn bad_routers_are_errors_on_the_first_argument() {
        let cases: Vec<(Value, &str)> = vec![
            (Value::Dynamic(Type::String, Box::new(Value::string("x"))), "must be a list"),
            (router("r", "https://a.example", None).1, "wrap a single router in brackets"),
            (routers(vec![router("r", "not a url", None)]), "routers[0].endpoint \"not a url\" is not an http(s) URL"),
            (routers(vec![router("", "https://a.example", None)]), "routers[0].name must be a non-empty string"),
            (routers(vec![router("r", "https://a.example", Some(-5))]), "effective_context_window must be a positive"),
            (
                routers(vec![(Type::object([("name", Type::String)]), Value::object([("name", Value::string("r"))]))]),
                "routers[0] has no attribute \"endpoint\"",
            ),
        ];
        for (value, expected) in cases {
            let err = LitellmModelList.call(vec![value, Value::Null]).unwrap_err();
            assert_eq!(err.argument, Some(ROUTERS), "{}", err.text);
            assert!(err.text.contains(expected), "{:?} lacks {expected:?}", err.text);
        }
    }

    #[test]
    fn bad_options_are_errors_on_the_second_argument() {
        for (options, expected) in [
            (options_value(&[("api_key", "x")]), "no attribute \"api_key\"; allowed: api_key_env, model_name_prefix"),
            (options_value(&[("api_key_env", "1BAD-NAME")]), "is not an environment variable name"),
            (Value::Dynamic(Type::String, Box::new(Value::string("x"))), "must be an object"),
        ] {
            let err = LitellmModelList.call(vec![two_routers(), options]).unwrap_err();
            assert_eq!(err.argument, Some(OPTIONS), "{}", err.text);
            assert!(err.text.contains(expected), "{:?} lacks {expected:?}", err.text);
        }
    }
}
