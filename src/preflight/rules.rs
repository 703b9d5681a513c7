//! The preflight rules as pure functions over what ARM answered, so each can be tested without a network.
//!
//! Evidence only: Microsoft documents no `model-router` entry in the models list and no router usage name, so
//! what the region does not list is a warning saying what was not checked, never an error.

use modelrouter_arm::{CapacityViolation, LocationModel, ModelSku, OfferedModel, Usage};

use super::finding::{Finding, Rule, Target};
use super::request::{DeploymentKind, PreflightRequest};

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn list(items: &[String]) -> String {
    if items.is_empty() { "none".to_string() } else { items.join(", ") }
}

/// The account's kind can host the deployment.
pub fn account_kind(request: &PreflightRequest, kind: Option<&str>) -> Option<Finding> {
    let kind = kind?;
    let hosting = request.kind.hosting_kinds();
    if hosting.iter().any(|k| same(k, kind)) {
        return None;
    }
    Some(Finding::error(
        Target::Account,
        Rule::AccountKind,
        format!("Account of kind {kind} cannot host {}", request.model_name),
        format!(
            "The Cognitive Services account {} is of kind `{kind}`; {} deployments need an account of kind {}.",
            request.account,
            request.model_name,
            hosting.join(" or ")
        ),
    ))
}

/// What the region's models list says about the planned model: findings, and the SKU entry that applies (for
/// the quota check) when the list offers the planned version and SKU.
pub fn offer(
    request: &PreflightRequest,
    location: &str,
    account_kind: Option<&str>,
    models: &[LocationModel],
) -> (Vec<Finding>, Option<ModelSku>) {
    let mut findings = Vec::new();
    let matching: Vec<&LocationModel> = models
        .iter()
        .filter(|m| {
            m.model.as_ref().is_some_and(|model| {
                same(&model.name, &request.model_name)
                    && model.format.as_deref().is_none_or(|f| same(f, &request.format))
            })
        })
        .collect();
    if matching.is_empty() {
        findings.push(Finding::warning(
            Target::Version,
            Rule::NotChecked,
            format!("Region offer of {} not checked", request.model_name),
            format!(
                "The models list of region {location} has no entry for {}, so the version, sku.name and \
                 sku.capacity limits, and the remaining quota, were not checked before the write.",
                request.model_name
            ),
        ));
        return (findings, None);
    }
    // Entries for this account's kind; when the list names kinds and none is this one, that is evidence too.
    let for_kind: Vec<&OfferedModel> = matching
        .iter()
        .filter(|m| match (account_kind, m.kind.as_deref()) {
            (Some(account), Some(entry)) => same(account, entry),
            _ => true,
        })
        .filter_map(|m| m.model.as_ref())
        .collect();
    if for_kind.is_empty() {
        let kinds: Vec<String> = matching.iter().filter_map(|m| m.kind.clone()).collect();
        findings.push(Finding::error(
            Target::Account,
            Rule::AccountKind,
            format!("Region {location} offers {} only to other account kinds", request.model_name),
            format!(
                "The models list of region {location} offers {} to accounts of kind {}; {} is of kind `{}`.",
                request.model_name,
                list(&kinds),
                request.account,
                account_kind.unwrap_or_default()
            ),
        ));
        return (findings, None);
    }
    let mut versions: Vec<String> = for_kind.iter().filter_map(|m| m.version.clone()).collect();
    versions.sort();
    versions.dedup();
    if request.kind == DeploymentKind::Router
        && let Some(newest_known) = &request.newest_catalog_version
        && let Some(newest_listed) = versions.last().filter(|v| v.as_str() > newest_known.as_str())
    {
        findings.push(Finding::warning(
            Target::Version,
            Rule::NewerRouterVersion,
            format!("Region {location} offers model router {newest_listed}, newer than this provider knows"),
            format!(
                "The newest router version in this provider's catalog is {newest_known}; region {location} lists \
                 {newest_listed}. To deploy it before a provider release that knows it, set router_version = \
                 \"{newest_listed}\" and strict_catalog = false in the provider block."
            ),
        ));
    }
    let version_attr = Target::Version.name(request.kind);
    let candidates: Vec<&OfferedModel> = match &request.version {
        Some(version) => {
            let listed: Vec<&OfferedModel> =
                for_kind.iter().copied().filter(|m| m.version.as_deref().is_some_and(|v| same(v, version))).collect();
            if listed.is_empty() {
                findings.push(Finding::error(
                    Target::Version,
                    Rule::VersionNotOffered,
                    format!("Region {location} does not offer {} version {version}", request.model_name),
                    format!(
                        "{version_attr} = \"{version}\" is not in the models list of region {location}, which offers \
                         {} versions: {}.",
                        request.model_name,
                        list(&versions)
                    ),
                ));
                return (findings, None);
            }
            listed
        }
        None => for_kind.clone(),
    };
    let sku = candidates.iter().flat_map(|m| m.skus.iter()).find(|s| same(&s.name, &request.sku_name)).cloned();
    let Some(sku) = sku else {
        let mut offered: Vec<String> = candidates.iter().flat_map(|m| m.skus.iter()).map(|s| s.name.clone()).collect();
        offered.sort();
        offered.dedup();
        let which = request.version.as_deref().map(|v| format!(" version {v}")).unwrap_or_default();
        findings.push(Finding::error(
            Target::SkuName,
            Rule::SkuNotOffered,
            format!("Region {location} does not offer {}{which} with SKU {}", request.model_name, request.sku_name),
            format!(
                "sku.name = \"{}\" is not offered for {}{which} in region {location}; it offers: {}.",
                request.sku_name,
                request.model_name,
                list(&offered)
            ),
        ));
        return (findings, None);
    };
    if let Some(limits) = &sku.capacity
        && let Err(violation) = limits.check(request.capacity)
    {
        let why = match violation {
            CapacityViolation::NotAllowed => "is not one of the allowed values".to_string(),
            CapacityViolation::BelowMinimum(min) => format!("is below the minimum {min}"),
            CapacityViolation::AboveMaximum(max) => format!("is above the maximum {max}"),
            CapacityViolation::OffStep { step, base } => format!("is not {base} plus a multiple of {step}"),
        };
        findings.push(Finding::error(
            Target::SkuCapacity,
            Rule::CapacityLimits,
            format!("sku.capacity {} is outside the limits of {} {}", request.capacity, request.model_name, sku.name),
            format!(
                "sku.capacity = {} {why}: region {location} allows {} {} capacity {}.",
                request.capacity,
                request.model_name,
                sku.name,
                limits.describe()
            ),
        ));
    }
    (findings, Some(sku))
}

/// The subscription's remaining quota for the SKU's usage name covers what the write needs.
pub fn quota(request: &PreflightRequest, location: &str, sku: &ModelSku, usages: &[Usage]) -> Option<Finding> {
    let needed = request.needed_quota();
    if needed == 0 {
        return None;
    }
    let Some(usage_name) = sku.usage_name.as_deref().filter(|u| !u.is_empty()) else {
        return Some(Finding::warning(
            Target::SkuCapacity,
            Rule::NotChecked,
            "Quota not checked",
            format!(
                "The models list of region {location} names no usage (quota) for {} {}, so the remaining quota \
                 was not checked before the write.",
                request.model_name, sku.name
            ),
        ));
    };
    let Some(usage) = usages.iter().find(|u| same(&u.name.value, usage_name)) else {
        return Some(Finding::warning(
            Target::SkuCapacity,
            Rule::NotChecked,
            "Quota not checked",
            format!(
                "The usages of region {location} have no entry named {usage_name} (the usage of {} {}), so the \
                 remaining quota was not checked before the write.",
                request.model_name, sku.name
            ),
        ));
    };
    let remaining = usage.remaining();
    if (needed as f64) <= remaining {
        return None;
    }
    let shown =
        usage.name.localized_value.as_deref().map(|l| format!("{usage_name} ({l})")).unwrap_or(usage_name.into());
    let held = if request.held_capacity > 0 {
        format!(" ({} planned minus {} this deployment already holds)", request.capacity, request.held_capacity)
    } else {
        String::new()
    };
    Some(Finding::error(
        Target::SkuCapacity,
        Rule::Quota,
        format!("Not enough quota for sku.capacity {}", request.capacity),
        format!(
            "The write needs {needed} units{held} of {shown}, but the subscription has {} of {} in use in region \
             {location}, leaving {}. Lower sku.capacity, free quota elsewhere, or request more (Azure portal, \
             Quotas).",
            fmt_units(usage.current_value),
            fmt_units(usage.limit),
            fmt_units(remaining)
        ),
    ))
}

fn fmt_units(value: f64) -> String {
    if value.fract() == 0.0 { format!("{}", value as i64) } else { format!("{value}") }
}
