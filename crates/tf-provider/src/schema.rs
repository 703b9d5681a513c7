//! Provider, resource and data source schemas.
//!
//! A schema is what Terraform validates configuration against and what both sides derive the value type
//! from ([`Block::value_type`]), so it is built once by the provider code and cached by the server.
//! Builders keep resource definitions short:
//!
//! ```
//! use tf_provider::schema::{Attribute, Block, NestedBlock, Nesting, Schema};
//! use tf_provider::value::Type;
//! let schema = Schema::new(Block::new()
//!     .attribute(Attribute::required("name", Type::String).describe("Deployment name."))
//!     .attribute(Attribute::computed_only("id", Type::String))
//!     .block(NestedBlock::list("model", Block::new()
//!         .attribute(Attribute::required("name", Type::String))).min_items(1)));
//! assert!(matches!(schema.block.value_type(), Type::Object(_)));
//! ```

use std::collections::BTreeMap;

use crate::value::{Type, Value};

/// A versioned schema: the top-level block of a provider, resource or data source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// Resource schema version stored in state; bump it when the stored shape changes.
    pub version: i64,
    pub block: Block,
}

impl Schema {
    /// A version-0 schema.
    pub fn new(block: Block) -> Schema {
        Schema { version: 0, block }
    }

    pub fn with_version(mut self, version: i64) -> Schema {
        self.version = version;
        self
    }
}

/// A configuration block: attributes plus nested block types.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub description: String,
    pub deprecated: bool,
}

impl Block {
    pub fn new() -> Block {
        Block::default()
    }

    pub fn attribute(mut self, attribute: Attribute) -> Block {
        self.attributes.push(attribute);
        self
    }

    pub fn block(mut self, block: NestedBlock) -> Block {
        self.blocks.push(block);
        self
    }

    pub fn describe(mut self, description: impl Into<String>) -> Block {
        self.description = description.into();
        self
    }

    pub fn deprecated(mut self) -> Block {
        self.deprecated = true;
        self
    }

    /// The object type of this block's values: one attribute per attribute and per nested block type
    /// (LIST -> list of objects, SET -> set, MAP -> map, SINGLE and GROUP -> object).
    pub fn value_type(&self) -> Type {
        let mut attrs = BTreeMap::new();
        for a in &self.attributes {
            attrs.insert(a.name.clone(), a.ty.clone());
        }
        for b in &self.blocks {
            let inner = b.block.value_type();
            let ty = match b.nesting {
                Nesting::Single | Nesting::Group => inner,
                Nesting::List => Type::list(inner),
                Nesting::Set => Type::set(inner),
                Nesting::Map => Type::map(inner),
            };
            attrs.insert(b.type_name.clone(), ty);
        }
        Type::Object(attrs)
    }

    /// Makes a value fit Terraform's rules for absent nested blocks: LIST and SET blocks become empty
    /// lists/sets and MAP blocks empty maps instead of null, and an absent GROUP block becomes an object of
    /// nulls. Recurses into present blocks. Null and unknown values themselves are left alone. The server
    /// applies this to every object a resource or data source returns.
    pub fn fill_absent_blocks(&self, value: &mut Value) {
        let Value::Object(attrs) = value else {
            if let Value::Dynamic(_, inner) = value {
                self.fill_absent_blocks(inner);
            }
            return;
        };
        for nested in &self.blocks {
            let slot = attrs.entry(nested.type_name.clone()).or_insert(Value::Null);
            match (nested.nesting, &mut *slot) {
                (Nesting::List, Value::Null) => *slot = Value::List(Vec::new()),
                (Nesting::Set, Value::Null) => *slot = Value::Set(Vec::new()),
                (Nesting::Map, Value::Null) => *slot = Value::Map(BTreeMap::new()),
                (Nesting::Group, Value::Null) => *slot = Value::Object(BTreeMap::new()),
                _ => {}
            }
            match slot {
                Value::List(items) | Value::Set(items) => {
                    items.iter_mut().for_each(|item| nested.block.fill_absent_blocks(item))
                }
                Value::Map(items) => items.values_mut().for_each(|item| nested.block.fill_absent_blocks(item)),
                single @ Value::Object(_) => nested.block.fill_absent_blocks(single),
                _ => {}
            }
        }
    }

    /// The attribute with this name, if any.
    pub fn find_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The nested block type with this name, if any.
    pub fn find_block(&self, type_name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.type_name == type_name)
    }
}

/// One attribute. At least one of required/optional/computed is set; the constructors guarantee it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
}

impl Attribute {
    fn base(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute {
            name: name.into(),
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            deprecated: false,
        }
    }

    /// Must be set in configuration.
    pub fn required(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute { required: true, ..Attribute::base(name, ty) }
    }

    /// May be set in configuration; add [`Attribute::computed`] when the provider fills in a default.
    pub fn optional(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute { optional: true, ..Attribute::base(name, ty) }
    }

    /// Set only by the provider.
    pub fn computed_only(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute { computed: true, ..Attribute::base(name, ty) }
    }

    /// Also computed by the provider (optional + computed).
    pub fn computed(mut self) -> Attribute {
        self.computed = true;
        self
    }

    /// Terraform hides the value in plans and output.
    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }

    pub fn deprecated(mut self) -> Attribute {
        self.deprecated = true;
        self
    }

    pub fn describe(mut self, description: impl Into<String>) -> Attribute {
        self.description = description.into();
        self
    }
}

/// How a nested block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// At most one block; null when absent.
    Single,
    /// Ordered blocks; an empty list (never null) when absent.
    List,
    /// Unordered blocks; an empty set when absent.
    Set,
    /// Labelled blocks; an empty map when absent.
    Map,
    /// Exactly one block, all-null attributes when absent.
    Group,
}

/// A nested block type inside a [`Block`].
#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub nesting: Nesting,
    pub block: Block,
    pub min_items: i64,
    pub max_items: i64,
}

impl NestedBlock {
    pub fn new(type_name: impl Into<String>, nesting: Nesting, block: Block) -> NestedBlock {
        NestedBlock { type_name: type_name.into(), nesting, block, min_items: 0, max_items: 0 }
    }

    pub fn single(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::Single, block)
    }

    pub fn list(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::List, block)
    }

    pub fn set(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::Set, block)
    }

    pub fn map(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::Map, block)
    }

    pub fn group(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::Group, block)
    }

    /// Minimum block count (LIST/SET; SINGLE uses 1 to make the block required).
    pub fn min_items(mut self, n: i64) -> NestedBlock {
        self.min_items = n;
        self
    }

    /// Maximum block count (LIST/SET; 0 = unlimited; SINGLE uses 1 together with min_items 1).
    pub fn max_items(mut self, n: i64) -> NestedBlock {
        self.max_items = n;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_type_includes_nested_blocks_by_nesting() {
        let inner = Block::new().attribute(Attribute::required("name", Type::String));
        let block = Block::new()
            .attribute(Attribute::optional("tags", Type::map(Type::String)).computed())
            .block(NestedBlock::list("l", inner.clone()))
            .block(NestedBlock::set("s", inner.clone()))
            .block(NestedBlock::map("m", inner.clone()))
            .block(NestedBlock::single("one", inner.clone()))
            .block(NestedBlock::group("g", inner.clone()));
        let obj = inner.value_type();
        assert_eq!(obj, Type::object([("name", Type::String)]));
        assert_eq!(
            block.value_type(),
            Type::object([
                ("tags", Type::map(Type::String)),
                ("l", Type::list(obj.clone())),
                ("s", Type::set(obj.clone())),
                ("m", Type::map(obj.clone())),
                ("one", obj.clone()),
                ("g", obj),
            ])
        );
    }

    #[test]
    fn absent_nested_blocks_become_empty_collections() {
        let leaf = Block::new()
            .attribute(Attribute::optional("x", Type::String))
            .block(NestedBlock::list("deep", Block::new()));
        let block = Block::new()
            .attribute(Attribute::required("name", Type::String))
            .block(NestedBlock::list("l", leaf.clone()))
            .block(NestedBlock::set("s", leaf.clone()))
            .block(NestedBlock::map("m", leaf.clone()))
            .block(NestedBlock::single("one", leaf.clone()))
            .block(NestedBlock::group("g", leaf.clone()));
        let mut v = Value::object([
            ("name", Value::string("n")),
            ("l", Value::list([Value::object([("x", Value::string("a"))])])),
            ("s", Value::unknown()),
        ]);
        block.fill_absent_blocks(&mut v);
        assert_eq!(v.get("l").elements()[0].get("deep"), &Value::List(vec![]));
        assert!(v.get("s").is_unknown());
        assert_eq!(v.get("m"), &Value::Map(BTreeMap::new()));
        assert!(v.get("one").is_null());
        assert_eq!(v.get("g").get("deep"), &Value::List(vec![]));
        assert!(v.get("g").get("x").is_null());
        let mut null = Value::Null;
        block.fill_absent_blocks(&mut null);
        assert!(null.is_null());
    }

    #[test]
    fn builders_set_flags() {
        let a = Attribute::optional("x", Type::String).computed().sensitive().describe("d");
        assert!(a.optional && a.computed && a.sensitive && !a.required);
        assert_eq!(a.description, "d");
        let r = Attribute::required("y", Type::Bool);
        assert!(r.required && !r.optional && !r.computed);
        let c = Attribute::computed_only("z", Type::Number);
        assert!(c.computed && !c.optional && !c.required);
        let nb = NestedBlock::list("m", Block::new()).min_items(1).max_items(5);
        assert_eq!((nb.min_items, nb.max_items, nb.nesting), (1, 5, Nesting::List));
        assert_eq!(Schema::new(Block::new()).with_version(2).version, 2);
    }
}
