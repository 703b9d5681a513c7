//! Tags: a resource's `tags` (exactly its configuration), the provider's `default_tags`, and the computed
//! `tags_all`, what Azure holds. The merge of the two is [`merge`], the one function the plan and the PUT body use,
//! so what is planned is what is sent.
//!
//! Drift: a read keeps `tags` (the configuration's) and sets `tags_all` from Azure, so a tag changed, added or
//! removed outside Terraform shows in `tags_all` and the next plan writes the merge back.

use std::collections::BTreeMap;

use modelrouter_arm::Deployment;
use tf_provider::{Attribute, AttributePath, Block, Diagnostics, Type, Value};

use super::field::Field;

pub mod attr {
    pub const TAGS: &str = "tags";
    pub const TAGS_ALL: &str = "tags_all";
    /// The provider block's argument.
    pub const DEFAULT_TAGS: &str = "default_tags";
}

pub type TagMap = BTreeMap<String, String>;

/// Azure's limits on a resource's tags.
const MAX_TAGS: usize = 50;
const MAX_NAME_LENGTH: usize = 512;
const MAX_VALUE_LENGTH: usize = 256;
/// Characters Azure Resource Manager refuses in a tag name.
const FORBIDDEN_NAME_CHARACTERS: [char; 7] = ['<', '>', '%', '&', '\\', '?', '/'];

/// A resource's `tags` and `tags_all`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tags {
    /// As configured, unknown values included (Terraform requires the plan to equal the configuration).
    pub tags: Value,
    pub tags_all: Field<TagMap>,
}

impl Default for Tags {
    fn default() -> Tags {
        Tags { tags: Value::Null, tags_all: Field::Null }
    }
}

/// Adds `tags` and `tags_all` to a resource's schema.
pub fn add_attributes(block: Block) -> Block {
    block
        .attribute(Attribute::optional(attr::TAGS, Type::map(Type::String)).describe(
            "Tags of the deployment, exactly as configured. Merged over the provider's `default_tags` (a key set \
             here wins) into `tags_all`, which is what Azure gets. Updated in place; removing them removes them \
             from Azure.",
        ))
        .attribute(Attribute::computed_only(attr::TAGS_ALL, Type::map(Type::String)).describe(
            "The tags Azure holds: the provider's `default_tags` merged with `tags`. A tag changed outside \
             Terraform shows here as drift, and apply writes the merge back.",
        ))
}

/// The provider block's `default_tags` argument.
pub fn default_tags_attribute() -> Attribute {
    Attribute::optional(attr::DEFAULT_TAGS, Type::map(Type::String)).describe(
        "Tags every deployment this provider writes carries (cost attribution, policy), merged under each \
         resource's own `tags`: a key the resource sets wins. Changing them updates every deployment in place.",
    )
}

/// A map of strings when wholly known; `Unknown` when it or any value is not known yet; `Null` when absent.
pub fn parse_map(value: &Value) -> Field<TagMap> {
    if value.is_null() {
        return Field::Null;
    }
    if !value.is_wholly_known() {
        return Field::Unknown;
    }
    Field::Known(
        value
            .entries()
            .map(|entries| entries.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned()))).collect())
            .unwrap_or_default(),
    )
}

fn map_value(map: &TagMap) -> Value {
    Value::map(map.iter().map(|(k, v)| (k.clone(), Value::string(v))))
}

/// `default_tags` merged with `tags`, the resource winning on a key; unknown while either is not wholly known.
pub fn merge(default_tags: &Field<TagMap>, tags: &Value) -> Field<TagMap> {
    let defaults = match default_tags {
        Field::Unknown => return Field::Unknown,
        Field::Null => TagMap::new(),
        Field::Known(map) => map.clone(),
    };
    match parse_map(tags) {
        Field::Unknown => Field::Unknown,
        Field::Null => Field::Known(defaults),
        Field::Known(own) => Field::Known(defaults.into_iter().chain(own).collect()),
    }
}

/// Tag names and values Azure would refuse, reported on the attribute (known entries only).
pub fn validate(tags: &Value, path: AttributePath, diags: &mut Diagnostics) {
    let Some(entries) = tags.entries() else {
        return;
    };
    if entries.len() > MAX_TAGS {
        diags.error_at(
            path.clone(),
            "Too many tags",
            format!("{} tags are configured; Azure allows at most {MAX_TAGS} on a resource.", entries.len()),
        );
    }
    for (name, value) in entries {
        let problem = if name.trim().is_empty() {
            Some("a tag name must not be empty".to_owned())
        } else if name.chars().count() > MAX_NAME_LENGTH {
            Some(format!("a tag name has at most {MAX_NAME_LENGTH} characters"))
        } else if let Some(c) = name.chars().find(|c| FORBIDDEN_NAME_CHARACTERS.contains(c)) {
            Some(format!(
                "a tag name must not contain {c:?} (Azure refuses {})",
                FORBIDDEN_NAME_CHARACTERS.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(" ")
            ))
        } else {
            value
                .as_str()
                .filter(|v| v.chars().count() > MAX_VALUE_LENGTH)
                .map(|_| format!("a tag value has at most {MAX_VALUE_LENGTH} characters"))
        };
        if let Some(problem) = problem {
            diags.error_at(path.clone(), "Invalid tag", format!("{path}[{name:?}]: {problem}."));
        }
    }
}

impl Tags {
    pub fn parse(value: &Value) -> Tags {
        Tags { tags: value.get(attr::TAGS).clone(), tags_all: parse_map(value.get(attr::TAGS_ALL)) }
    }

    pub fn attributes(&self) -> [(&'static str, Value); 2] {
        let tags_all = match &self.tags_all {
            Field::Null => Value::Null,
            Field::Unknown => Value::unknown(),
            Field::Known(map) => map_value(map),
        };
        [(attr::TAGS, self.tags.clone()), (attr::TAGS_ALL, tags_all)]
    }

    /// The planned tags: `tags` as configured, `tags_all` the merge with the provider's defaults.
    pub fn plan(config: &Tags, default_tags: &Field<TagMap>) -> Tags {
        Tags { tags: config.tags.clone(), tags_all: merge(default_tags, &config.tags) }
    }

    /// The state's tags for what Azure holds: `tags` stays as configured, `tags_all` is Azure's.
    pub fn from_arm(base: &Tags, deployment: &Deployment) -> Tags {
        Tags { tags: base.tags.clone(), tags_all: Field::Known(deployment.tags_or_empty()) }
    }

    /// Writes the planned merge into a PUT body. No tags are sent when there are none to set and none to clear.
    pub fn apply_to_body(&self, body: &mut Deployment) {
        let Some(merged) = self.tags_all.known() else {
            return;
        };
        let holds_some = body.tags.as_ref().is_some_and(|t| !t.is_empty());
        body.tags = (!merged.is_empty() || holds_some).then(|| merged.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (*k, v.clone())))
    }

    fn known(pairs: &[(&str, &str)]) -> Field<TagMap> {
        Field::Known(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn the_resource_wins_over_the_defaults() {
        let defaults = known(&[("cost-center", "42"), ("env", "dev")]);
        let own = tags(&[("env", Value::string("prod")), ("team", Value::string("search"))]);
        assert_eq!(merge(&defaults, &own), known(&[("cost-center", "42"), ("env", "prod"), ("team", "search")]));
        assert_eq!(merge(&defaults, &Value::Null), defaults);
        assert_eq!(merge(&Field::Null, &Value::Null), known(&[]));
    }

    #[test]
    fn unknown_anywhere_makes_the_merge_unknown_and_keeps_the_configuration() {
        let partly = tags(&[("env", Value::unknown()), ("team", Value::string("search"))]);
        assert_eq!(merge(&known(&[]), &partly), Field::Unknown);
        assert_eq!(merge(&Field::Unknown, &Value::Null), Field::Unknown);
        let planned = Tags::plan(&Tags { tags: partly.clone(), tags_all: Field::Null }, &known(&[]));
        assert_eq!(planned.tags, partly, "tags is planned exactly as configured");
    }

    #[test]
    fn the_body_clears_tags_only_when_azure_holds_some() {
        let planned = Tags { tags: Value::Null, tags_all: known(&[]) };
        let mut body = Deployment::default();
        planned.apply_to_body(&mut body);
        assert_eq!(body.tags, None, "nothing to set, nothing to clear");
        body.tags = Some(TagMap::from([("old".into(), "x".into())]));
        planned.apply_to_body(&mut body);
        assert_eq!(body.tags, Some(TagMap::new()), "removal is sent");
    }

    #[test]
    fn invalid_names_and_values_are_reported_on_the_attribute() {
        let mut diags = Diagnostics::new();
        let long = "v".repeat(MAX_VALUE_LENGTH + 1);
        validate(
            &tags(&[("a/b", Value::string("x")), ("ok", Value::string(&long)), ("fine", Value::unknown())]),
            AttributePath::root().attr("tags"),
            &mut diags,
        );
        let details: Vec<_> = diags.iter().map(|d| d.detail.clone()).collect();
        assert_eq!(details.len(), 2, "{details:?}");
        assert!(details[0].contains("\"a/b\"") && details[0].contains("'/'"), "{}", details[0]);
        assert!(details[1].contains("256 characters"), "{}", details[1]);
    }
}
