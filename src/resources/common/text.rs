//! Rules for the strings users type, shared by every attribute: how a value with stray whitespace is treated, and
//! how allowed values are listed in diagnostics.
//!
//! The rule (interface.md, "Revision 2"): a user-typed string that Azure stores is never trimmed silently. Trimming
//! would send one value and plan another, which is exactly how "Provider produced inconsistent result after apply"
//! and replace loops happen. Leading or trailing whitespace is therefore an error at plan, on the attribute, quoting
//! the value and the trimmed spelling to write instead. (Durations in `timeouts` are the one exception: they never
//! leave the provider, are stored as written, and are parsed leniently.)

use tf_provider::{AttributePath, Diagnostics};

use super::field::Field;

/// `"a", "b", "c"`: allowed values as a diagnostic lists them.
pub fn quoted_list(values: &[&str]) -> String {
    values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
}

/// Reports leading or trailing whitespace in a known string; `false` when it found some (so callers skip rules
/// that would only repeat the problem).
pub fn check_trimmed(field: &Field<String>, path: &AttributePath, diags: &mut Diagnostics) -> bool {
    let Some(value) = field.as_deref() else {
        return true;
    };
    if value.trim() == value {
        return true;
    }
    let suggestion = if value.trim().is_empty() {
        "remove the attribute or give it a value".to_owned()
    } else {
        format!("write {:?}", value.trim())
    };
    diags.error_at(
        path.clone(),
        "Leading or trailing whitespace",
        format!(
            "{path} = {value:?} has leading or trailing whitespace, which Azure would store as part of the value: \
             {suggestion}."
        ),
    );
    false
}

/// Reports a known string that is not one of `allowed` (exact spelling), with a hint when it differs only in case.
pub fn check_one_of(
    field: &Field<String>,
    path: &AttributePath,
    what: &str,
    allowed: &[&str],
    diags: &mut Diagnostics,
) {
    let Some(value) = field.as_deref() else {
        return;
    };
    if allowed.contains(&value) {
        return;
    }
    let hint = match allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        Some(exact) => format!(" Write it as {exact:?} (the spelling is case-sensitive)."),
        None => String::new(),
    };
    diags.error_at(
        path.clone(),
        format!("Unsupported {what}"),
        format!("{path} = {value:?} is not a supported {what}. Allowed values: {}.{hint}", quoted_list(allowed)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_an_error_quoting_value_and_fix() {
        let mut diags = Diagnostics::new();
        let path = AttributePath::root().attr("router_version");
        assert!(!check_trimmed(&Field::string("2025-11-18 "), &path, &mut diags));
        let diag = diags.iter().next().expect("a diagnostic");
        assert_eq!(diag.attribute.as_ref().unwrap().to_string(), "router_version");
        assert!(diag.detail.contains("\"2025-11-18 \"") && diag.detail.contains("write \"2025-11-18\""));
        assert!(check_trimmed(&Field::Unknown, &path, &mut diags));
        assert!(check_trimmed(&Field::string("x"), &path, &mut diags));
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn one_of_hints_at_the_case() {
        let mut diags = Diagnostics::new();
        let path = AttributePath::root().attr("routing").attr("mode");
        check_one_of(&Field::string("Quality"), &path, "routing mode", &["balanced", "quality", "cost"], &mut diags);
        let diag = diags.iter().next().expect("a diagnostic");
        assert!(diag.detail.contains("\"Quality\"") && diag.detail.contains("Write it as \"quality\""));
        assert!(diag.detail.contains("\"balanced\", \"quality\", \"cost\""));
    }
}
