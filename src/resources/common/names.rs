//! Rules for deployment names, shared by both resources (Azure applies one pattern to every deployment).

/// Longest deployment name Azure accepts.
pub const MAX_NAME_LEN: usize = 64;

/// `^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`, at most 64 characters.
pub fn check_deployment_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Err("a deployment name cannot be empty".into()),
        Some(first) if !first.is_ascii_alphanumeric() => {
            return Err(format!("a deployment name must start with a letter or digit, not {first:?}"));
        }
        Some(_) => {}
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
        return Err(format!(
            "{bad:?} is not allowed; a deployment name may hold letters, digits, '_', '.' and '-' \
             (pattern ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$)"
        ));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(format!("{} characters is too long; at most {MAX_NAME_LEN} are allowed", name.chars().count()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_azure_pattern() {
        for ok in ["model-router-prod", "a", "R1_v2.0", &"x".repeat(64)] {
            assert!(check_deployment_name(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_with_a_reason() {
        assert!(check_deployment_name("").unwrap_err().contains("empty"));
        assert!(check_deployment_name("-x").unwrap_err().contains("start"));
        assert!(check_deployment_name("a b").unwrap_err().contains("' '"));
        assert!(check_deployment_name("router/1").unwrap_err().contains("'/'"));
        assert!(check_deployment_name(&"x".repeat(65)).unwrap_err().contains("65"));
    }
}
