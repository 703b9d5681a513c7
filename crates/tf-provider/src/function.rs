//! Provider-defined functions (protocol 5.5, Terraform >= 1.8): `provider::<name>::<function>(...)`.
//!
//! Terraform learns the functions from GetProviderSchema (1.11 never calls GetFunctions; the server answers both
//! with the same map) and calls them on a provider instance that is **never configured**, during validate, plan,
//! apply and console alike. It records each result in the plan and fails the apply if a call gives a different
//! one, so a function must be pure: its result depends on its arguments only.

use crate::value::{Type, Value};

/// One provider-defined function.
pub trait Function: Send + Sync + 'static {
    /// The name after `provider::<local name>::`; a valid HCL identifier.
    fn name(&self) -> &'static str;

    fn signature(&self) -> Signature;

    /// Calls the function. Every argument was decoded with its parameter's type (variadic ones with the
    /// variadic parameter's type); unless a parameter allows them, no argument is null or unknown (Terraform
    /// checks before calling). A `dynamic` return type needs a [`Value::Dynamic`] result.
    fn call(&self, arguments: Vec<Value>) -> Result<Value, FunctionError>;
}

/// What Terraform shows for a function and checks its calls against.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub parameters: Vec<Parameter>,
    /// Accepts any number of further arguments of this parameter's type.
    pub variadic: Option<Parameter>,
    pub return_type: Type,
    /// One line.
    pub summary: String,
    /// Markdown.
    pub description: String,
    /// Non-empty to mark the function deprecated.
    pub deprecation_message: String,
}

impl Signature {
    pub fn new(return_type: Type) -> Signature {
        Signature {
            parameters: Vec::new(),
            variadic: None,
            return_type,
            summary: String::new(),
            description: String::new(),
            deprecation_message: String::new(),
        }
    }

    pub fn parameter(mut self, parameter: Parameter) -> Signature {
        self.parameters.push(parameter);
        self
    }

    pub fn variadic(mut self, parameter: Parameter) -> Signature {
        self.variadic = Some(parameter);
        self
    }

    pub fn summary(mut self, summary: impl Into<String>) -> Signature {
        self.summary = summary.into();
        self
    }

    pub fn describe(mut self, description: impl Into<String>) -> Signature {
        self.description = description.into();
        self
    }

    /// The type argument `index` is decoded with, or `None` when the call has too many arguments.
    pub fn argument_type(&self, index: usize) -> Option<&Type> {
        self.parameters.get(index).or(self.variadic.as_ref()).map(|p| &p.ty)
    }
}

/// One function parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// A valid HCL identifier, unique within the function.
    pub name: String,
    pub ty: Type,
    /// Lets a null argument through (otherwise Terraform rejects it before calling).
    pub allow_null: bool,
    /// Lets unknown values through (otherwise Terraform skips the call and the result is unknown).
    pub allow_unknown: bool,
    pub description: String,
}

impl Parameter {
    pub fn new(name: impl Into<String>, ty: Type) -> Parameter {
        Parameter { name: name.into(), ty, allow_null: false, allow_unknown: false, description: String::new() }
    }

    pub fn allow_null(mut self) -> Parameter {
        self.allow_null = true;
        self
    }

    pub fn describe(mut self, description: impl Into<String>) -> Parameter {
        self.description = description.into();
        self
    }
}

/// A failed call. With `argument`, Terraform reports the error on that argument's expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text}")]
pub struct FunctionError {
    pub text: String,
    /// 0-based index of the argument at fault.
    pub argument: Option<usize>,
}

impl FunctionError {
    /// An error about the call as a whole.
    pub fn new(text: impl Into<String>) -> FunctionError {
        FunctionError { text: text.into(), argument: None }
    }

    /// An error about argument `index` (0-based).
    pub fn argument(index: usize, text: impl Into<String>) -> FunctionError {
        FunctionError { text: text.into(), argument: Some(index) }
    }
}
