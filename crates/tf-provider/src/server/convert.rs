//! Conversions between this crate's types and the generated protocol messages.

use crate::diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
use crate::function::{Parameter, Signature};
use crate::identity::IdentitySchema;
use crate::proto::tfplugin5 as pb;
use crate::schema::{Attribute, Block, NestedBlock, Nesting, Schema};
use crate::value::{DecodeError, EncodeError, Type, Value, json, msgpack};

use pb::schema::nested_block::NestingMode;

/// A schema as Terraform expects it. Attribute types are JSON type constraints as bytes.
pub fn schema_to_proto(schema: &Schema) -> pb::Schema {
    pb::Schema { version: schema.version, block: Some(block_to_proto(&schema.block)) }
}

/// An identity schema as Terraform expects it (types as JSON type constraints, like attributes).
pub fn identity_schema_to_proto(schema: &IdentitySchema) -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: schema.version,
        identity_attributes: schema
            .attributes
            .iter()
            .map(|attribute| pb::resource_identity_schema::IdentityAttribute {
                name: attribute.name.clone(),
                r#type: attribute.ty.to_json().to_string().into_bytes(),
                required_for_import: attribute.required_for_import,
                optional_for_import: !attribute.required_for_import,
                description: attribute.description.clone(),
            })
            .collect(),
    }
}

/// A function signature as Terraform expects it (types as JSON type constraints, like attributes).
pub fn function_to_proto(signature: &Signature) -> pb::Function {
    pb::Function {
        parameters: signature.parameters.iter().map(parameter_to_proto).collect(),
        variadic_parameter: signature.variadic.as_ref().map(parameter_to_proto),
        r#return: Some(pb::function::Return { r#type: signature.return_type.to_json().to_string().into_bytes() }),
        summary: signature.summary.clone(),
        description: signature.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecation_message: signature.deprecation_message.clone(),
    }
}

fn parameter_to_proto(parameter: &Parameter) -> pb::function::Parameter {
    pb::function::Parameter {
        name: parameter.name.clone(),
        r#type: parameter.ty.to_json().to_string().into_bytes(),
        allow_null_value: parameter.allow_null,
        allow_unknown_values: parameter.allow_unknown,
        description: parameter.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
    }
}

fn block_to_proto(block: &Block) -> pb::schema::Block {
    pb::schema::Block {
        version: 0,
        attributes: block.attributes.iter().map(attribute_to_proto).collect(),
        block_types: block.blocks.iter().map(nested_block_to_proto).collect(),
        description: block.description.clone(),
        // Descriptions are Markdown (`code`, links): registry docs and language servers render them.
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: block.deprecated,
    }
}

fn attribute_to_proto(attribute: &Attribute) -> pb::schema::Attribute {
    pb::schema::Attribute {
        name: attribute.name.clone(),
        r#type: attribute.ty.to_json().to_string().into_bytes(),
        description: attribute.description.clone(),
        required: attribute.required,
        optional: attribute.optional,
        computed: attribute.computed,
        sensitive: attribute.sensitive,
        // Descriptions are Markdown (`code`, links): registry docs and language servers render them.
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: attribute.deprecated,
        write_only: false,
    }
}

fn nested_block_to_proto(nested: &NestedBlock) -> pb::schema::NestedBlock {
    let nesting = match nested.nesting {
        Nesting::Single => NestingMode::Single,
        Nesting::List => NestingMode::List,
        Nesting::Set => NestingMode::Set,
        Nesting::Map => NestingMode::Map,
        Nesting::Group => NestingMode::Group,
    };
    pb::schema::NestedBlock {
        type_name: nested.type_name.clone(),
        block: Some(block_to_proto(&nested.block)),
        nesting: nesting as i32,
        min_items: nested.min_items,
        max_items: nested.max_items,
    }
}

pub fn path_to_proto(path: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: path
            .steps()
            .iter()
            .map(|step| pb::attribute_path::Step {
                selector: Some(match step {
                    PathStep::Attribute(name) => Selector::AttributeName(name.clone()),
                    PathStep::ElementKeyString(key) => Selector::ElementKeyString(key.clone()),
                    PathStep::ElementKeyInt(index) => Selector::ElementKeyInt(*index),
                }),
            })
            .collect(),
    }
}

pub fn diagnostic_to_proto(diagnostic: &Diagnostic) -> pb::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => pb::diagnostic::Severity::Error,
        Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: diagnostic.summary.clone(),
        detail: diagnostic.detail.clone(),
        // An empty path means "the whole block": leave it out.
        attribute: diagnostic.attribute.as_ref().filter(|p| !p.is_root()).map(path_to_proto),
    }
}

pub fn diagnostics_to_proto(diagnostics: &Diagnostics) -> Vec<pb::Diagnostic> {
    diagnostics.iter().map(diagnostic_to_proto).collect()
}

/// Decodes a DynamicValue; absent or empty means null (as Terraform does). msgpack wins over JSON.
pub fn decode_dynamic(value: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, DecodeError> {
    match value {
        None => Ok(Value::Null),
        Some(dv) if !dv.msgpack.is_empty() => msgpack::decode(&dv.msgpack, ty),
        Some(dv) if !dv.json.is_empty() => json::decode(&dv.json, ty, false),
        Some(_) => Ok(Value::Null),
    }
}

/// Encodes as msgpack; null becomes the msgpack nil byte.
pub fn encode_dynamic(value: &Value, ty: &Type) -> Result<pb::DynamicValue, EncodeError> {
    Ok(pb::DynamicValue { msgpack: msgpack::encode(value, ty)?, json: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_to_proto_with_nested_blocks() {
        let schema = Schema::new(
            Block::new()
                .describe("top")
                .attribute(Attribute::required("name", Type::String).describe("the name"))
                .attribute(Attribute::optional("tags", Type::map(Type::String)).computed().sensitive())
                .attribute(Attribute::computed_only(
                    "obj",
                    Type::object([("a", Type::Number), ("b", Type::list(Type::Bool))]),
                ))
                .block(
                    NestedBlock::list("model", Block::new().attribute(Attribute::required("id", Type::String)))
                        .min_items(1)
                        .max_items(3),
                )
                .block(NestedBlock::single("timeouts", Block::new())),
        )
        .with_version(2);
        let p = schema_to_proto(&schema);
        assert_eq!(p.version, 2);
        let block = p.block.unwrap();
        assert_eq!(block.description, "top");
        assert_eq!(block.attributes.len(), 3);
        let name = &block.attributes[0];
        assert_eq!((name.name.as_str(), name.r#type.as_slice()), ("name", br#""string""#.as_slice()));
        assert!(name.required && !name.optional && !name.computed);
        assert_eq!(name.description, "the name");
        let tags = &block.attributes[1];
        assert_eq!(tags.r#type, br#"["map","string"]"#.to_vec());
        assert!(tags.optional && tags.computed && tags.sensitive);
        assert_eq!(block.attributes[2].r#type, br#"["object",{"a":"number","b":["list","bool"]}]"#.to_vec());
        let model = &block.block_types[0];
        assert_eq!(model.type_name, "model");
        assert_eq!(model.nesting, NestingMode::List as i32);
        assert_eq!((model.min_items, model.max_items), (1, 3));
        assert_eq!(model.block.as_ref().unwrap().attributes[0].name, "id");
        assert_eq!(block.block_types[1].nesting, NestingMode::Single as i32);
    }

    #[test]
    fn diagnostic_paths_convert_step_by_step() {
        use pb::attribute_path::step::Selector;
        let d = Diagnostic::error("bad", "worse").at(AttributePath::new("routing").attr("model").index(2).key("k"));
        let p = diagnostic_to_proto(&d);
        assert_eq!(p.severity, pb::diagnostic::Severity::Error as i32);
        let steps: Vec<_> = p.attribute.unwrap().steps.into_iter().map(|s| s.selector.unwrap()).collect();
        assert_eq!(
            steps,
            vec![
                Selector::AttributeName("routing".into()),
                Selector::AttributeName("model".into()),
                Selector::ElementKeyInt(2),
                Selector::ElementKeyString("k".into()),
            ]
        );
        let w = diagnostic_to_proto(&Diagnostic::warning("w", "").at(AttributePath::root()));
        assert_eq!(w.severity, pb::diagnostic::Severity::Warning as i32);
        assert!(w.attribute.is_none());
    }

    #[test]
    fn empty_dynamic_value_is_null() {
        let ty = Type::object([("a", Type::String)]);
        assert_eq!(decode_dynamic(None, &ty).unwrap(), Value::Null);
        assert_eq!(decode_dynamic(Some(&pb::DynamicValue::default()), &ty).unwrap(), Value::Null);
        let json = pb::DynamicValue { msgpack: vec![], json: br#"{"a":"x"}"#.to_vec() };
        assert_eq!(decode_dynamic(Some(&json), &ty).unwrap().get("a").as_str(), Some("x"));
        assert_eq!(encode_dynamic(&Value::Null, &ty).unwrap().msgpack, vec![0xc0]);
    }
}
