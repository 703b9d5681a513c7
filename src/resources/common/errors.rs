//! Turning ARM client errors into diagnostics a platform engineer can act on: what was being done, what Azure
//! said (code, message, details, correlation id for a support ticket) and, for the errors people hit most, what
//! to do about it.

use modelrouter_arm::{ArmError, ArmErrorKind};
use tf_provider::Diagnostic;

/// An error diagnostic for `error`, raised while trying to `action` (e.g. "create <id>").
pub fn arm_error_diagnostic(action: &str, error: &ArmError) -> Diagnostic {
    let summary = match &error.kind {
        ArmErrorKind::Cancelled => "Interrupted".to_owned(),
        ArmErrorKind::DeadlineExceeded { .. } => "Timed out waiting for Azure".to_owned(),
        ArmErrorKind::Auth(_) => "Could not authenticate to Azure".to_owned(),
        ArmErrorKind::Unreachable { .. } => "Cannot reach Azure".to_owned(),
        ArmErrorKind::OperationFailed { state, .. } => format!("Azure operation {state}"),
        _ => match error.code() {
            Some(code) => format!("Azure refused the request: {code}"),
            None => "Azure request failed".to_owned(),
        },
    };
    let mut detail = format!("Could not {action}: {error}");
    if let Some(hint) = hint(error) {
        detail.push_str("\n\n");
        detail.push_str(hint);
    }
    Diagnostic::error(summary, detail)
}

fn hint(error: &ArmError) -> Option<&'static str> {
    match &error.kind {
        ArmErrorKind::Cancelled => Some(
            "Terraform was interrupted (Ctrl-C). A deployment whose creation Azure had accepted stays in state as \
             tainted, so nothing is orphaned and the next apply does not create it twice.",
        ),
        ArmErrorKind::DeadlineExceeded { .. } => Some(
            "Raise the operation's limit in the resource's timeouts block (defaults: create/update/delete 30m, \
             read 5m) if Azure is known to be slow.",
        ),
        ArmErrorKind::Unreachable { .. } => Some(
            "No connection could be made, so retrying longer would not help: check resource_manager_endpoint \
             (ARM_RESOURCE_MANAGER_ENDPOINT), the environment, DNS, proxies and the trusted CA certificates.",
        ),
        ArmErrorKind::Auth(_) => Some(
            "Check the provider's credentials: access_token, client_id/client_secret/tenant_id, use_oidc, use_msi \
             or an Azure CLI login (ARM_* environment variables work as for azurerm).",
        ),
        _ => match error.code()? {
            "InsufficientQuota" | "715-123420" => Some(
                "The subscription lacks quota for this model and SKU in the account's region: lower sku.capacity, \
                 free quota elsewhere, or request more in the Azure portal (Quotas).",
            ),
            "RequestConflict" => Some(
                "Another operation kept the account busy for the whole timeout. Writes from this provider are \
                 serialised per account; check for other tools or pipelines writing to the same account.",
            ),
            "InvalidModelProviderData" => Some(
                "Claude deployments need model_provider_data { organization_name, country_code, industry } \
                 (industry lowercase).",
            ),
            "AuthorizationFailed" => {
                Some("The identity needs a role such as 'Cognitive Services Contributor' on the account.")
            }
            _ => None,
        },
    }
}
