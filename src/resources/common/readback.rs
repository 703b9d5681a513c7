//! The read-back check after a write: what was asked of Azure against what Azure kept, one line per setting that
//! did not stick. Each resource adds its own settings (the router its routing) to the shared ones here.

use modelrouter_arm::Deployment;

use super::sku;

/// SKU name and capacity, and the model version (shown under `version_attribute`, the name the user knows).
pub fn common_mismatches(asked: &Deployment, got: &Deployment, version_attribute: &str) -> Vec<String> {
    let mut problems = Vec::new();
    sku::mismatches(asked.sku.as_ref(), got.sku.as_ref(), &mut problems);
    let version = |d: &Deployment| d.properties.model.as_ref().and_then(|m| m.version.clone());
    if version(asked) != version(got) {
        let show = |v: Option<String>| v.map_or_else(|| "nothing".to_owned(), |v| format!("{v:?}"));
        problems.push(format!(
            "{version_attribute}: asked for {}, Azure kept {}",
            show(version(asked)),
            show(version(got))
        ));
    }
    problems
}
