//! `provider::modelrouter::effective_context_window(router_version, models)`: the smallest context window of
//! the named models for that router version, as `modelrouter_deployment.effective_context_window` computes it.

use modelrouter_catalog::{ModelEntry, catalog, effective_context_window};
use tf_provider::function::{Parameter, Signature};
use tf_provider::{Function, FunctionError, Type, Value};

use super::arguments::{element_string, string};

pub struct EffectiveContextWindow;

const ROUTER_VERSION: usize = 0;
const MODELS: usize = 1;

impl Function for EffectiveContextWindow {
    fn name(&self) -> &'static str {
        "effective_context_window"
    }

    fn signature(&self) -> Signature {
        Signature::new(Type::Number)
            .parameter(
                Parameter::new("router_version", Type::String)
                    .describe("A router version of the embedded catalog, e.g. `2025-11-18`."),
            )
            .parameter(Parameter::new("models", Type::list(Type::String)).describe(
                "Model names of that router version (the routing subset). An empty list means the router's whole \
                 default set, as a `routing` block without `model` blocks.",
            ))
            .summary("The effective context window of a routing subset: its smallest model's.")
            .describe(
                "Returns the smallest context window, in tokens, of the given models for that router version, from \
                 the catalog embedded in the provider: the figure `modelrouter_deployment` reports as \
                 `effective_context_window` for the same subset when the catalog documents every model's window. \
                 When it does not document the window of one of the models, the result is null: the smallest of the \
                 other models' windows could be larger than the real limit, and a gateway's `max_input_tokens` set \
                 from it would let prompts through that the router then fails (check with `coalesce(..., N)` or a \
                 `check` block). An unknown router version or model is an error on that argument, naming the allowed \
                 values or the closest model names.",
            )
    }

    fn call(&self, arguments: Vec<Value>) -> Result<Value, FunctionError> {
        let version = string(&arguments, ROUTER_VERSION, "router_version")?;
        let router = catalog().router_version(&version).ok_or_else(|| {
            FunctionError::argument(
                ROUTER_VERSION,
                format!(
                    "Router version {version:?} is not in the catalog; allowed values: {}.",
                    catalog().version_names().join(", ")
                ),
            )
        })?;
        let names = arguments.get(MODELS).map(Value::elements).unwrap_or_default();
        let mut entries: Vec<&ModelEntry> = Vec::new();
        for (position, element) in names.iter().enumerate() {
            let name = element_string(element, MODELS, &format!("models[{position}]"))?;
            let entry = router.find_model(&name).ok_or_else(|| {
                let suggestions = router.suggest(&name);
                let hint = if suggestions.is_empty() {
                    String::new()
                } else {
                    format!(" Did you mean {}?", suggestions.join(", "))
                };
                FunctionError::argument(
                    MODELS,
                    format!("models[{position}]: router version {} does not route to {name:?}.{hint}", router.version),
                )
            })?;
            if entries.iter().any(|e| std::ptr::eq(*e, entry)) {
                return Err(FunctionError::argument(MODELS, format!("models[{position}]: {name:?} is listed twice.")));
            }
            entries.push(entry);
        }
        if entries.is_empty() {
            entries.extend(router.default_set());
        }
        let window = effective_context_window(entries);
        // A figure for fewer models than asked for may be too high: null says "not documented" instead.
        if !window.unknown_models.is_empty() {
            return Ok(Value::Null);
        }
        Ok(window.tokens.map_or(Value::Null, |t| Value::int(t as i64)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(version: &str, models: &[&str]) -> Result<Value, FunctionError> {
        EffectiveContextWindow.call(vec![Value::string(version), Value::list(models.iter().map(|m| Value::string(*m)))])
    }

    /// The smallest documented window of these models, straight from the catalog.
    fn expected(version: &str, models: &[&str]) -> Option<i64> {
        let router = catalog().router_version(version).unwrap();
        models.iter().filter_map(|m| router.find_model(m).unwrap().context_window).min().map(|w| w as i64)
    }

    #[test]
    fn smallest_documented_window_of_the_subset() {
        let version = catalog().default_router_version().version.clone();
        let router = catalog().router_version(&version).unwrap();
        let documented: Vec<&str> =
            router.models.iter().filter(|m| m.context_window.is_some()).take(3).map(|m| m.name.as_str()).collect();
        assert_eq!(documented.len(), 3, "the default router version documents at least three windows");
        let result = call(&version, &documented).unwrap();
        assert_eq!(result.as_i64(), expected(&version, &documented));
        // Names compare case-insensitively.
        let upper: Vec<String> = documented.iter().map(|m| m.to_uppercase()).collect();
        let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
        assert_eq!(call(&version, &upper).unwrap(), result);
    }

    #[test]
    fn an_empty_subset_is_the_default_set() {
        let router = catalog().default_router_version();
        let all: Vec<&str> = router.default_set().iter().map(|m| m.name.as_str()).collect();
        assert_eq!(call(&router.version, &[]).unwrap(), call(&router.version, &all).unwrap());
    }

    #[test]
    fn one_undocumented_window_gives_null_never_the_figure_of_the_others() {
        let router = catalog().default_router_version();
        let undocumented = router.models.iter().find(|m| m.context_window.is_none()).expect("an undocumented model");
        let documented = router.models.iter().find(|m| m.context_window.is_some()).expect("a documented model");
        assert_eq!(call(&router.version, &[&undocumented.name]).unwrap(), Value::Null);
        assert_eq!(call(&router.version, &[&documented.name, &undocumented.name]).unwrap(), Value::Null);
        assert!(call(&router.version, &[&documented.name]).unwrap().as_i64().is_some());
    }

    #[test]
    fn errors_point_at_the_argument() {
        let err = call("2020-01-01", &["gpt-5-mini"]).unwrap_err();
        assert_eq!(err.argument, Some(ROUTER_VERSION));
        assert!(err.text.contains("2025-11-18"), "{}", err.text);
        let version = catalog().default_router_version().version.clone();
        let err = call(&version, &["gpt-5-mini", "gpt-5-mnii"]).unwrap_err();
        assert_eq!(err.argument, Some(MODELS));
        assert!(err.text.contains("models[1]") && err.text.contains("Did you mean gpt-5-mini"), "{}", err.text);
        let err = call(&version, &["gpt-5-mini", "GPT-5-MINI"]).unwrap_err();
        assert_eq!(err.argument, Some(MODELS));
        assert!(err.text.contains("twice"), "{}", err.text);
        let err = EffectiveContextWindow.call(vec![Value::string(&version), Value::list([Value::Null])]).unwrap_err();
        assert_eq!((err.argument, err.text.as_str()), (Some(MODELS), "models[0] is null."));
    }
}
