//! Shared pieces of the fuzz targets: the cty types the value decoders are exercised against.

use tf_provider::Type;
use tf_provider::schema::{Attribute, Block, NestedBlock};

/// A block shaped like the provider's resources: primitives, a map, a sensitive string, a dynamic attribute and
/// nested blocks of every nesting mode (with a block nested two levels deep).
pub fn resource_block() -> Block {
    let model = Block::new()
        .attribute(Attribute::required("name", Type::String))
        .attribute(Attribute::optional("format", Type::String))
        .attribute(Attribute::optional("version", Type::String));
    let routing = Block::new()
        .attribute(Attribute::optional("mode", Type::String))
        .block(NestedBlock::list("model", model.clone()).max_items(20));
    let sku = Block::new()
        .attribute(Attribute::optional("name", Type::String))
        .attribute(Attribute::optional("capacity", Type::Number));
    let timeouts = Block::new()
        .attribute(Attribute::optional("create", Type::String))
        .attribute(Attribute::optional("delete", Type::String));
    Block::new()
        .attribute(Attribute::required("name", Type::String))
        .attribute(Attribute::required("account_id", Type::String))
        .attribute(Attribute::computed_only("id", Type::String))
        .attribute(Attribute::optional("enabled", Type::Bool))
        .attribute(Attribute::optional("tags", Type::map(Type::String)))
        .attribute(Attribute::optional("client_secret", Type::String).sensitive())
        .attribute(Attribute::optional("extra", Type::Dynamic))
        .attribute(Attribute::computed_only("context_window", Type::Number))
        .block(NestedBlock::single("routing", routing))
        .block(NestedBlock::list("sku", sku).max_items(1))
        .block(NestedBlock::set("rule", model.clone()))
        .block(NestedBlock::map("named", model))
        .block(NestedBlock::single("timeouts", timeouts))
}

/// The types a fuzz input is decoded against; the first input byte picks one.
pub fn types() -> Vec<Type> {
    vec![
        resource_block().value_type(),
        Type::Dynamic,
        Type::String,
        Type::Number,
        Type::Bool,
        Type::list(Type::String),
        Type::set(Type::Number),
        Type::map(Type::Dynamic),
        Type::Tuple(vec![Type::String, Type::Number, Type::list(Type::Bool)]),
        Type::object([("a", Type::list(Type::object([("b", Type::map(Type::Number))]))), ("d", Type::Dynamic)]),
    ]
}

/// Splits a fuzz input into the type it targets and the bytes to decode.
pub fn pick_type(data: &[u8]) -> Option<(Type, &[u8])> {
    let (&selector, rest) = data.split_first()?;
    let types = types();
    let ty = types[usize::from(selector) % types.len()].clone();
    Some((ty, rest))
}
