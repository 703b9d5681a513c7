//! The argument and attribute reference in docs/ is generated from the provider's schema (its descriptions are the
//! one source of truth) and checked here: every attribute and block of the provider, of every resource, data source
//! and ephemeral resource is documented with its type, its required/optional/computed/sensitive flags and its exact
//! description; every provider function with its signature, parameters and descriptions; and the schema Terraform
//! itself sees (`terraform providers schema -json`) is the one documented.
//!
//! Regenerate the generated sections after a schema change with
//!
//! ```sh
//! UPDATE_DOCS=1 cargo test --test docs_sync
//! ```
//!
//! The generated text sits between the markers below in each page; everything around them is written by hand.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use terraform_provider_modelrouter::ModelRouterProvider;
use terraform_provider_modelrouter::resources::common::lifecycle::DeploymentKind;
use terraform_provider_modelrouter::resources::{claude_dependency, deployment};
use tf_provider::{Attribute, Block, NestedBlock, Nesting, Provider, Signature, Type};

const BEGIN: &str = "<!-- schema:begin — generated from the provider schema by tests/docs_sync.rs; \
                     regenerate with: UPDATE_DOCS=1 cargo test --test docs_sync -->";
const END: &str = "<!-- schema:end -->";
const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --test docs_sync";

/// One documented object: its page and its schema.
struct Page {
    title: String,
    path: PathBuf,
    block: Block,
    /// Dotted paths whose change replaces the resource (from the resource's own `requires_replace`).
    replace: BTreeSet<String>,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every object the provider serves, with the page that documents it. A new resource or data source without a
/// page fails the sync test (its page does not exist).
fn pages() -> Vec<Page> {
    let provider = ModelRouterProvider::new();
    let short = |type_name: &str| type_name.strip_prefix("modelrouter_").unwrap_or(type_name).to_owned();
    let mut pages = vec![Page {
        title: "provider".into(),
        path: repo().join("docs/index.md"),
        block: provider.schema().block,
        replace: BTreeSet::new(),
    }];
    for resource in provider.resources() {
        pages.push(Page {
            title: resource.type_name().to_owned(),
            path: repo().join("docs/resources").join(format!("{}.md", short(resource.type_name()))),
            block: resource.schema().block,
            replace: replacing_paths(resource.type_name()),
        });
    }
    for data_source in provider.data_sources() {
        pages.push(Page {
            title: data_source.type_name().to_owned(),
            path: repo().join("docs/data-sources").join(format!("{}.md", short(data_source.type_name()))),
            block: data_source.schema().block,
            replace: BTreeSet::new(),
        });
    }
    for ephemeral in provider.ephemeral_resources() {
        pages.push(Page {
            title: ephemeral.type_name().to_owned(),
            path: repo().join("docs/ephemeral-resources").join(format!("{}.md", short(ephemeral.type_name()))),
            block: ephemeral.schema().block,
            replace: BTreeSet::new(),
        });
    }
    pages
}

/// One documented provider function: its page and its signature.
struct FunctionPage {
    name: String,
    path: PathBuf,
    signature: Signature,
}

/// Every provider function, with the page that documents it (`docs/functions/<name>.md`).
fn function_pages() -> Vec<FunctionPage> {
    ModelRouterProvider::new()
        .functions()
        .into_iter()
        .map(|function| FunctionPage {
            name: function.name().to_owned(),
            path: repo().join("docs/functions").join(format!("{}.md", function.name())),
            signature: function.signature(),
        })
        .collect()
}

/// The generated reference of a function: its call shape, its arguments in order, its return type.
fn render_function(name: &str, signature: &Signature) -> String {
    let label = |ty: &Type| match ty {
        Type::Dynamic => "any".to_owned(),
        other => type_label(other).to_lowercase(),
    };
    let parameters: Vec<String> = signature.parameters.iter().map(|p| format!("{} {}", p.name, label(&p.ty))).collect();
    let mut out = vec![
        "## Signature".to_owned(),
        String::new(),
        "```text".to_owned(),
        format!("provider::modelrouter::{name}({}) {}", parameters.join(", "), label(&signature.return_type)),
        "```".to_owned(),
        String::new(),
        signature.description.clone(),
        String::new(),
        "## Arguments".to_owned(),
        String::new(),
    ];
    for (index, parameter) in signature.parameters.iter().enumerate() {
        let nullable = if parameter.allow_null { ", may be null" } else { "" };
        out.push(format!(
            "{}. `{}` ({}{nullable}) {}",
            index + 1,
            parameter.name,
            label(&parameter.ty),
            parameter.description
        ));
    }
    out.join("\n")
}

/// The attributes whose change forces a new resource, as the resource itself tells Terraform at plan time.
fn replacing_paths(type_name: &str) -> BTreeSet<String> {
    let paths = match type_name {
        deployment::TYPE_NAME => deployment::Router.requires_replace(),
        claude_dependency::TYPE_NAME => claude_dependency::ClaudeDependency.requires_replace(),
        other => panic!("{other}: tell the docs generator which of its attributes force replacement"),
    };
    paths.iter().map(|p| p.to_string()).collect()
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() { name.to_owned() } else { format!("{parent}.{name}") }
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

fn type_label(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Bool".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(element) => format!("List of {}", type_label(element)),
        Type::Set(element) => format!("Set of {}", type_label(element)),
        Type::Map(element) => format!("Map of {}", type_label(element)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

/// The fields of an object type, or of the objects a collection holds.
fn object_fields(ty: &Type) -> Option<&BTreeMap<String, Type>> {
    match ty {
        Type::Object(fields) => Some(fields),
        Type::List(element) | Type::Set(element) | Type::Map(element) => object_fields(element),
        _ => None,
    }
}

fn attribute_tags(attribute: &Attribute, forces_replacement: bool) -> Vec<String> {
    let mut tags = vec![type_label(&attribute.ty)];
    if attribute.required {
        tags.push("Required".into());
    }
    if attribute.optional {
        tags.push("Optional".into());
    }
    // A computed-only attribute is listed under "Attribute Reference"; the tag is for optional + computed.
    if attribute.computed && (attribute.required || attribute.optional) {
        tags.push("Computed".into());
    }
    if attribute.sensitive {
        tags.push("Sensitive".into());
    }
    if forces_replacement {
        tags.push("Forces replacement".into());
    }
    if attribute.deprecated {
        tags.push("Deprecated".into());
    }
    tags
}

fn block_tags(nested: &NestedBlock) -> Vec<String> {
    let mut tags = vec![
        match nested.nesting {
            Nesting::Single | Nesting::Group => "Block",
            Nesting::List => "List of blocks",
            Nesting::Set => "Set of blocks",
            Nesting::Map => "Map of blocks",
        }
        .to_owned(),
    ];
    tags.push(if nested.min_items > 0 { "Required" } else { "Optional" }.into());
    if nested.nesting == Nesting::Group {
        tags.push("always present".into());
    }
    if matches!(nested.nesting, Nesting::List | Nesting::Set) {
        if nested.min_items > 0 {
            tags.push(format!("at least {}", nested.min_items));
        }
        if nested.max_items > 0 {
            tags.push(format!("at most {}", nested.max_items));
        }
    }
    if nested.block.deprecated {
        tags.push("Deprecated".into());
    }
    tags
}

fn entry(name: &str, tags: &[String], description: &str) -> String {
    if description.is_empty() {
        format!("- `{name}` ({})", tags.join(", "))
    } else {
        format!("- `{name}` ({}) {description}", tags.join(", "))
    }
}

fn attribute_entry(attribute: &Attribute, parent: &str, replace: &BTreeSet<String>, out: &mut Vec<String>) {
    let forces_replacement = replace.contains(&join(parent, &attribute.name));
    out.push(entry(&attribute.name, &attribute_tags(attribute, forces_replacement), &attribute.description));
    if let Some(fields) = object_fields(&attribute.ty) {
        for (name, ty) in fields {
            out.push(format!("  - `{name}` ({})", type_label(ty)));
        }
    }
}

fn is_argument(attribute: &Attribute) -> bool {
    attribute.required || attribute.optional
}

fn nested_heading(path: &str) -> String {
    format!("### Nested block `{path}`")
}

/// The generated reference of one object: arguments (required first), nested blocks, then read-only attributes.
fn render(block: &Block, replace: &BTreeSet<String>) -> String {
    let mut out = vec![
        "## Argument Reference".to_owned(),
        String::new(),
        "*Computed* on an argument means that when it is left out, the provider or Azure fills it in and state \
         shows the value."
            .to_owned(),
        String::new(),
    ];
    let arguments: Vec<&Attribute> = block.attributes.iter().filter(|a| is_argument(a)).collect();
    for attribute in arguments.iter().filter(|a| a.required).chain(arguments.iter().filter(|a| !a.required)) {
        attribute_entry(attribute, "", replace, &mut out);
    }
    for nested in &block.blocks {
        out.push(entry(&nested.type_name, &block_tags(nested), &nested.block.description));
    }
    render_nested_blocks(&block.blocks, "", replace, &mut out);

    let read_only: Vec<&Attribute> = block.attributes.iter().filter(|a| !is_argument(a)).collect();
    if !read_only.is_empty() {
        out.extend(["".into(), "## Attribute Reference".into(), "".into()]);
        out.push("In addition to the arguments above, these attributes are exported:".into());
        out.push(String::new());
        for attribute in read_only {
            attribute_entry(attribute, "", replace, &mut out);
        }
    }
    out.join("\n")
}

fn render_nested_blocks(blocks: &[NestedBlock], parent: &str, replace: &BTreeSet<String>, out: &mut Vec<String>) {
    for nested in blocks {
        let path = join(parent, &nested.type_name);
        out.extend([String::new(), nested_heading(&path), String::new()]);
        for attribute in nested.block.attributes.iter().filter(|a| a.required) {
            attribute_entry(attribute, &path, replace, out);
        }
        for attribute in nested.block.attributes.iter().filter(|a| !a.required) {
            attribute_entry(attribute, &path, replace, out);
        }
        for inner in &nested.block.blocks {
            out.push(entry(&inner.type_name, &block_tags(inner), &inner.block.description));
        }
        render_nested_blocks(&nested.block.blocks, &path, replace, out);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the pages

/// The text between the markers, or why there is none.
fn generated_section(page: &str) -> Result<(usize, usize), String> {
    let start = page.find(BEGIN).ok_or("the begin marker is missing")? + BEGIN.len();
    let end = page[start..].find(END).ok_or("the end marker is missing")? + start;
    Ok((start, end))
}

/// What a generated section documents: (block path, name) -> (tags, description). Parsed independently of the
/// renderer so a schema/doc disagreement is reported attribute by attribute.
fn parse_entries(section: &str) -> BTreeMap<(String, String), (Vec<String>, String)> {
    let mut entries = BTreeMap::new();
    let mut path = String::new();
    for line in section.lines() {
        if let Some(rest) = line.strip_prefix("### Nested block `") {
            path = rest.trim_end_matches('`').to_owned();
            continue;
        }
        if line.starts_with("## ") {
            path.clear();
            continue;
        }
        let Some(rest) = line.strip_prefix("- `") else { continue };
        let Some((name, rest)) = rest.split_once("` (") else { continue };
        let Some((tags, description)) = rest.split_once(')') else { continue };
        let tags = tags.split(", ").map(str::to_owned).collect();
        entries.insert((path.clone(), name.to_owned()), (tags, description.trim_start().to_owned()));
    }
    entries
}

/// Every attribute and block of a schema as (block path, name) -> (expected flags, description).
fn schema_entries(
    block: &Block,
    parent: &str,
    replace: &BTreeSet<String>,
    out: &mut BTreeMap<(String, String), (Vec<String>, String)>,
) {
    for attribute in &block.attributes {
        let forces_replacement = replace.contains(&join(parent, &attribute.name));
        out.insert(
            (parent.to_owned(), attribute.name.clone()),
            (attribute_tags(attribute, forces_replacement), attribute.description.clone()),
        );
    }
    for nested in &block.blocks {
        out.insert(
            (parent.to_owned(), nested.type_name.clone()),
            (block_tags(nested), nested.block.description.clone()),
        );
        schema_entries(&nested.block, &join(parent, &nested.type_name), replace, out);
    }
}

fn display(path: &str, name: &str) -> String {
    if path.is_empty() { format!("`{name}`") } else { format!("`{path}.{name}`") }
}

/// Disagreements between a page's generated section and the schema, one line each.
fn disagreements(page: &Page, text: &str) -> Vec<String> {
    let (start, end) = match generated_section(text) {
        Ok(range) => range,
        Err(problem) => return vec![format!("{problem} (add `{BEGIN}` and `{END}`)")],
    };
    let documented = parse_entries(&text[start..end]);
    let mut expected = BTreeMap::new();
    schema_entries(&page.block, "", &page.replace, &mut expected);
    let mut problems = Vec::new();
    for ((path, name), (tags, description)) in &expected {
        match documented.get(&(path.clone(), name.clone())) {
            None => problems.push(format!("{} is not documented", display(path, name))),
            Some((doc_tags, _)) if doc_tags != tags => problems.push(format!(
                "{} is documented as ({}) but the schema says ({})",
                display(path, name),
                doc_tags.join(", "),
                tags.join(", ")
            )),
            Some((_, doc_description)) if doc_description != description => problems.push(format!(
                "{}: the documented description differs from the schema's:\n    docs:   {doc_description}\n    schema: \
                 {description}",
                display(path, name)
            )),
            Some(_) => {}
        }
    }
    for (path, name) in documented.keys() {
        if !expected.contains_key(&(path.clone(), name.clone())) {
            problems.push(format!("{} is documented but not in the schema", display(path, name)));
        }
    }
    let rendered = format!("\n{}\n", render(&page.block, &page.replace));
    if problems.is_empty() && text[start..end] != rendered {
        problems.push("the generated section is not what the schema renders to (layout or order changed)".into());
    }
    problems
}

fn write_generated(page: &Page, text: &str) -> Result<(), String> {
    let (start, end) = generated_section(text)?;
    let updated = format!("{}\n{}\n{}", &text[..start], render(&page.block, &page.replace), &text[end..]);
    let path = &page.path;
    // Write beside and rename, so a test reading the page meanwhile never sees half a file.
    let temporary = path.with_extension("md.tmp");
    std::fs::write(&temporary, updated)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------------------------
// Tests

#[test]
fn docs_match_the_schema_of_every_object() {
    let update = std::env::var_os("UPDATE_DOCS").is_some_and(|v| v != "0");
    let mut report = Vec::new();
    for page in pages() {
        let relative = page.path.strip_prefix(repo()).unwrap_or(&page.path).display().to_string();
        let text = match std::fs::read_to_string(&page.path) {
            Ok(text) => text,
            Err(e) => {
                report.push(format!("{relative} ({}): cannot read the page: {e}", page.title));
                continue;
            }
        };
        if update {
            if let Err(problem) = write_generated(&page, &text) {
                report.push(format!("{relative}: {problem}"));
            }
            continue;
        }
        for problem in disagreements(&page, &text) {
            report.push(format!("{relative} ({}): {problem}", page.title));
        }
    }
    for page in function_pages() {
        let relative = page.path.strip_prefix(repo()).unwrap_or(&page.path).display().to_string();
        let text = match std::fs::read_to_string(&page.path) {
            Ok(text) => text,
            Err(e) => {
                report.push(format!("{relative} (function {}): cannot read the page: {e}", page.name));
                continue;
            }
        };
        let rendered = render_function(&page.name, &page.signature);
        match generated_section(&text) {
            Err(problem) => report.push(format!("{relative}: {problem}")),
            Ok((start, end)) if update => {
                let updated = format!("{}\n{rendered}\n{}", &text[..start], &text[end..]);
                if let Err(e) = std::fs::write(&page.path, updated) {
                    report.push(format!("{relative}: cannot write: {e}"));
                }
            }
            Ok((start, end)) if text[start..end] != format!("\n{rendered}\n") => report.push(format!(
                "{relative} (function {}): the signature, description or arguments differ from the function's",
                page.name
            )),
            Ok(_) => {}
        }
    }
    assert!(
        report.is_empty(),
        "docs/ and the provider schema disagree:\n  {}\n\nThe argument reference is generated from the schema \
         descriptions; regenerate it with:\n  {REGENERATE}",
        report.join("\n  ")
    );
}

#[test]
fn every_page_has_the_registry_sections_written_by_hand() {
    for page in pages() {
        if page.title == "provider" {
            continue;
        }
        let text = std::fs::read_to_string(&page.path).unwrap_or_else(|e| panic!("{}: {e}", page.path.display()));
        assert!(text.starts_with("---\n"), "{}: registry front matter", page.path.display());
        assert!(text.contains("## Example Usage"), "{}: example usage", page.path.display());
        if page.path.starts_with(repo().join("docs/resources")) {
            for section in ["## Timeouts", "## Import"] {
                assert!(text.contains(section), "{}: {section}", page.path.display());
            }
            assert!(text.contains(&format!("terraform import {}.", page.title)), "{}", page.path.display());
        }
    }
}

#[test]
fn every_function_page_has_front_matter_an_example_and_documented_parameters() {
    let pages = function_pages();
    assert_eq!(pages.len(), 2, "both functions have a page");
    for page in pages {
        let text = std::fs::read_to_string(&page.path).unwrap_or_else(|e| panic!("{}: {e}", page.path.display()));
        assert!(text.starts_with("---\n"), "{}: registry front matter", page.path.display());
        assert!(text.contains("## Example Usage"), "{}: example usage", page.path.display());
        assert!(text.contains(&format!("provider::modelrouter::{}(", page.name)), "{}: a call", page.path.display());
        assert!(!page.signature.summary.is_empty() && !page.signature.description.is_empty(), "{}", page.name);
        for parameter in &page.signature.parameters {
            assert!(!parameter.description.is_empty(), "{}: `{}` has no description", page.name, parameter.name);
        }
    }
}

#[test]
fn the_renderer_documents_every_attribute_and_block() {
    for page in pages() {
        let rendered = format!("{BEGIN}\n{}\n{END}", render(&page.block, &page.replace));
        assert_eq!(disagreements(&page, &rendered), Vec::<String>::new(), "{}", page.title);
        let mut expected = BTreeMap::new();
        schema_entries(&page.block, "", &page.replace, &mut expected);
        assert_eq!(parse_entries(&rendered).len(), expected.len(), "{}", page.title);
        for ((_, name), (_, description)) in &expected {
            assert!(!description.contains('\n'), "{}: the description of `{name}` spans lines", page.title);
            assert!(!description.is_empty(), "{}: `{name}` has no description to document", page.title);
        }
    }
}

#[test]
fn a_changed_description_or_flag_is_reported_with_the_attribute_path() {
    let page = pages().into_iter().find(|p| p.title == "modelrouter_deployment").expect("deployment page");
    let good = format!("{BEGIN}\n{}\n{END}", render(&page.block, &page.replace));
    let mut changed = page.block.clone();
    let sku = changed.blocks.iter_mut().find(|b| b.type_name == "sku").expect("sku block");
    let capacity = sku.block.attributes.iter_mut().find(|a| a.name == "capacity").expect("capacity");
    capacity.description.push_str(" Extra.");
    capacity.computed = false;
    changed.attributes.push(Attribute::optional("new_argument", Type::Bool).describe("New."));
    let mut replace = page.replace.clone();
    replace.remove("name");
    let changed = Page { title: page.title.clone(), path: page.path.clone(), block: changed, replace };
    let problems = disagreements(&changed, &good);
    assert!(problems.iter().any(|p| p.starts_with("`sku.capacity` is documented as (Number, Optional, Computed)")));
    assert!(problems.iter().any(|p| p == "`new_argument` is not documented"), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.starts_with("`name` is documented as (String, Required, Forces replacement)")),
        "{problems:?}"
    );
    let missing_markers = disagreements(&page, "no markers here");
    assert!(missing_markers[0].contains("begin marker is missing"));
}

/// The schema Terraform receives over the plugin protocol is the schema documented here.
#[test]
fn terraform_sees_the_documented_schema() {
    let wd = support::Workdir::new(support::REQUIRED_PROVIDERS);
    wd.init();
    let json = wd.json(&["providers", "schema", "-json"]);
    let served = &json["provider_schemas"]["registry.terraform.io/modelrouter/modelrouter"];
    for page in pages() {
        let block = match page.title.as_str() {
            "provider" => &served["provider"]["block"],
            name if page.path.starts_with(repo().join("docs/resources")) => &served["resource_schemas"][name]["block"],
            name if page.path.starts_with(repo().join("docs/ephemeral-resources")) => {
                &served["ephemeral_resource_schemas"][name]["block"]
            }
            name => &served["data_source_schemas"][name]["block"],
        };
        let mut problems = Vec::new();
        compare_served(&page.block, block, "", &mut problems);
        assert!(problems.is_empty(), "{}: {}", page.title, problems.join("\n"));
    }
    for page in function_pages() {
        let function = &served["functions"][&page.name];
        assert_eq!(function["summary"], page.signature.summary.as_str(), "{}", page.name);
        assert_eq!(function["description"], page.signature.description.as_str(), "{}", page.name);
        let served_parameters = function["parameters"].as_array().cloned().unwrap_or_default();
        assert_eq!(served_parameters.len(), page.signature.parameters.len(), "{}", page.name);
        for (served, parameter) in served_parameters.iter().zip(&page.signature.parameters) {
            assert_eq!(served["name"], parameter.name.as_str(), "{}", page.name);
            assert_eq!(served["description"], parameter.description.as_str(), "{}.{}", page.name, parameter.name);
        }
    }
}

fn compare_served(block: &Block, served: &serde_json::Value, parent: &str, problems: &mut Vec<String>) {
    let flag = |v: &serde_json::Value, key: &str| v[key].as_bool().unwrap_or(false);
    let served_attributes: BTreeSet<&str> =
        served["attributes"].as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
    let ours: BTreeSet<&str> = block.attributes.iter().map(|a| a.name.as_str()).collect();
    if served_attributes != ours {
        problems.push(format!("{parent}: attributes {served_attributes:?} served, {ours:?} in the schema"));
    }
    for attribute in &block.attributes {
        let s = &served["attributes"][&attribute.name];
        let got = (
            flag(s, "required"),
            flag(s, "optional"),
            flag(s, "computed"),
            flag(s, "sensitive"),
            s["description"].as_str().unwrap_or(""),
        );
        let want = (
            attribute.required,
            attribute.optional,
            attribute.computed,
            attribute.sensitive,
            attribute.description.as_str(),
        );
        if got != want {
            problems.push(format!("{}: served {got:?}, schema {want:?}", display(parent, &attribute.name)));
        }
    }
    for nested in &block.blocks {
        let s = &served["block_types"][&nested.type_name];
        if s.is_null() {
            problems.push(format!("{} is not served", display(parent, &nested.type_name)));
            continue;
        }
        let path = join(parent, &nested.type_name);
        compare_served(&nested.block, &s["block"], &path, problems);
    }
}

#[test]
fn the_query_guide_documents_the_identity_and_the_list_arguments_of_both_resources() {
    let guide = std::fs::read_to_string(repo().join("docs/guides/query-and-import-by-identity.md")).unwrap();
    let provider = ModelRouterProvider::new();
    let mut missing = Vec::new();
    for resource in provider.resources() {
        let identity = resource.identity().expect("every resource has an identity").schema();
        for attribute in identity.attributes {
            let row = format!("| `{}` | {} |", attribute.name, attribute.description);
            if !guide.contains(&row) {
                missing.push(format!("{}: identity row {row}", resource.type_name()));
            }
        }
        if !guide.contains(&format!("list \"{}\"", resource.type_name())) {
            missing.push(format!("{}: no list block example", resource.type_name()));
        }
    }
    for list in provider.list_resources() {
        for attribute in list.schema().block.attributes {
            let flag = if attribute.required { "Required" } else { "Optional" };
            let row = format!("| `{}` ({flag}) |", attribute.name);
            if !guide.contains(&row) {
                missing.push(format!("{}: list argument row {row}", list.type_name()));
            }
        }
    }
    assert!(missing.is_empty(), "docs/guides/query-and-import-by-identity.md is missing:\n{}", missing.join("\n"));
}
