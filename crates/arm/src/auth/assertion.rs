//! Client assertions for federated (OIDC) credentials: a static token, a token file, or the GitHub Actions
//! token request.

use std::path::PathBuf;

use azure_core::http::ClientMethodOptions;
use azure_identity::ClientAssertion;
use url::Url;

use super::certificate::CertificateAssertion;
use super::settings::{AuthError, Secret};

/// The audience GitHub Actions and Entra ID agree on for federated credentials.
const FEDERATED_AUDIENCE: &str = "api://AzureADTokenExchange";

/// `ACTIONS_ID_TOKEN_REQUEST_URL` plus the `audience` GitHub needs for Entra ID federation.
pub(super) fn github_request_url(raw: &str) -> Result<Url, AuthError> {
    let mut url = Url::parse(raw)
        .map_err(|e| AuthError::InvalidSetting { setting: "oidc_request_url", reason: format!("not a URL: {e}") })?;
    if !url.query_pairs().any(|(k, _)| k == "audience") {
        url.query_pairs_mut().append_pair("audience", FEDERATED_AUDIENCE);
    }
    Ok(url)
}

/// The Azure DevOps api-version of the pipeline OIDC token request.
const AZURE_DEVOPS_OIDC_API_VERSION: &str = "7.1";

/// `SYSTEM_OIDCREQUESTURI` plus the api-version and the service connection whose token is wanted.
pub(super) fn azure_devops_request_url(raw: &str, service_connection_id: &str) -> Result<Url, AuthError> {
    let mut url = Url::parse(raw)
        .map_err(|e| AuthError::InvalidSetting { setting: "oidc_request_url", reason: format!("not a URL: {e}") })?;
    url.query_pairs_mut()
        .append_pair("api-version", AZURE_DEVOPS_OIDC_API_VERSION)
        .append_pair("serviceConnectionId", service_connection_id);
    Ok(url)
}

/// Sources of a federated (OIDC) client assertion.
#[derive(Debug)]
pub(super) enum Assertion {
    Static(Secret),
    /// Read on every token request: Kubernetes rotates the projected token file.
    File(PathBuf),
    GitHubActions {
        url: Url,
        token: Secret,
        http: reqwest::Client,
    },
    /// Azure DevOps: `POST` to the pipeline's OIDC endpoint with the job's access token, a fresh token each time.
    AzureDevOps {
        url: Url,
        token: Secret,
        http: reqwest::Client,
    },
    /// Signed with the service principal's certificate, fresh for every token request.
    Certificate(CertificateAssertion),
}

fn assertion_error(message: String) -> azure_core::Error {
    azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, message)
}

#[async_trait::async_trait]
impl ClientAssertion for Assertion {
    async fn secret(&self, _options: Option<ClientMethodOptions<'_>>) -> azure_core::Result<String> {
        match self {
            Assertion::Static(token) => Ok(token.expose().to_string()),
            Assertion::Certificate(certificate) => certificate.assertion().map_err(assertion_error),
            Assertion::File(path) => {
                let text = tokio::fs::read_to_string(path)
                    .await
                    .map_err(|e| assertion_error(format!("reading the OIDC token file {}: {e}", path.display())))?;
                let token = text.trim();
                if token.is_empty() {
                    return Err(assertion_error(format!("the OIDC token file {} is empty", path.display())));
                }
                Ok(token.to_string())
            }
            Assertion::GitHubActions { url, token, http } => {
                let request = http.get(url.clone());
                request_assertion(request, url, token, "value", "GitHub Actions").await
            }
            Assertion::AzureDevOps { url, token, http } => {
                // Suppress the sign-in redirect so a bad token is a 401, not an HTML page.
                let request = http.post(url.clone()).header("X-TFS-FedAuthRedirect", "Suppress").body("");
                request_assertion(request, url, token, "oidcToken", "Azure DevOps").await
            }
        }
    }
}

/// Requests a federated token from a CI system's OIDC endpoint with its job token; the answer's `field` is it.
async fn request_assertion(
    request: reqwest::RequestBuilder,
    url: &Url,
    token: &Secret,
    field: &str,
    source: &str,
) -> azure_core::Result<String> {
    let endpoint = format!("{}{}", url.origin().ascii_serialization(), url.path());
    let response = request
        .bearer_auth(token.expose())
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| assertion_error(format!("requesting the {source} OIDC token from {endpoint}: {e}")))?;
    let status = response.status();
    if !status.is_success() {
        return Err(assertion_error(format!(
            "the {source} OIDC token request to {endpoint} answered HTTP {}",
            status.as_u16()
        )));
    }
    let answer: serde_json::Value = response
        .json()
        .await
        .map_err(|e| assertion_error(format!("decoding the {source} OIDC token answer from {endpoint}: {e}")))?;
    answer
        .get(field)
        .and_then(serde_json::Value::as_str)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .ok_or_else(|| assertion_error(format!("the {source} OIDC token answer from {endpoint} has no `{field}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_devops_request_url_names_the_service_connection() {
        let u = azure_devops_request_url("https://dev.azure.com/o/_apis/oidctoken", "sc-1").unwrap();
        assert_eq!(u.query(), Some("api-version=7.1&serviceConnectionId=sc-1"));
        assert!(azure_devops_request_url("not a url", "sc").is_err());
    }

    #[test]
    fn github_request_url_gets_the_federation_audience() {
        let u = github_request_url("https://gh.example/token?api-version=2.0").unwrap();
        assert_eq!(u.as_str(), "https://gh.example/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange");
        let u = github_request_url("http://127.0.0.1:1/github/oidc?audience=custom").unwrap();
        assert_eq!(u.query(), Some("audience=custom"));
    }
}
