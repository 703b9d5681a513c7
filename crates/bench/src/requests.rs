//! (d) ARM requests per resource for create, refresh, update and delete, from the emulator's request log.

use std::collections::BTreeMap;

use modelrouter_emulator::RecordedRequest;

use crate::config;
use crate::emulator::BenchEmulator;
use crate::error::BenchError;
use crate::terraform::{Mirror, Workdir};

/// What one kind of request was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// GET of a deployment that answered 404: the create's "does it exist already" check, or the delete's
    /// "is it gone" confirmation.
    DeploymentGetMissing,
    /// GET of an existing deployment (refresh, read-modify-write, read-back after a write).
    DeploymentGet,
    DeploymentPut,
    DeploymentDelete,
    /// GET of an operation status (`Azure-AsyncOperation` / `Location` poll).
    OperationPoll,
    DeploymentList,
    AccountGet,
    /// The plan-time checks against the live account (preflight): the region's models list and usages.
    LocationModels,
    LocationUsages,
    /// Azure Resource Manager's template validation of a body at plan (`POST .../deployments/{name}/validate`).
    TemplateValidation,
    Other,
}

impl RequestKind {
    pub fn of(request: &RecordedRequest) -> RequestKind {
        let path = request.path.to_ascii_lowercase();
        let method = request.method.as_str();
        if path.starts_with("/operations/")
            || path.starts_with("/operationresults/")
            || path.starts_with("/validateresults/")
        {
            return RequestKind::OperationPoll;
        }
        if method == "POST" && path.ends_with("/validate") {
            return RequestKind::TemplateValidation;
        }
        if let Some((_, rest)) = path.split_once("/deployments") {
            let named = rest.trim_start_matches('/').split('/').next().is_some_and(|n| !n.is_empty());
            return match (method, named) {
                ("GET", false) => RequestKind::DeploymentList,
                ("GET", true) if request.status == 404 => RequestKind::DeploymentGetMissing,
                ("GET", true) => RequestKind::DeploymentGet,
                ("PUT", true) => RequestKind::DeploymentPut,
                ("DELETE", true) => RequestKind::DeploymentDelete,
                _ => RequestKind::Other,
            };
        }
        if method == "GET" && path.contains("/providers/microsoft.cognitiveservices/locations/") {
            if path.ends_with("/models") {
                return RequestKind::LocationModels;
            }
            if path.ends_with("/usages") {
                return RequestKind::LocationUsages;
            }
        }
        if method == "GET" && path.contains("/providers/microsoft.cognitiveservices/accounts/") {
            return RequestKind::AccountGet;
        }
        RequestKind::Other
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestKind::DeploymentGetMissing => "GET→404",
            RequestKind::DeploymentGet => "GET",
            RequestKind::DeploymentPut => "PUT",
            RequestKind::DeploymentDelete => "DELETE",
            RequestKind::OperationPoll => "poll",
            RequestKind::DeploymentList => "LIST",
            RequestKind::AccountGet => "account GET",
            RequestKind::LocationModels => "models list",
            RequestKind::LocationUsages => "usages list",
            RequestKind::TemplateValidation => "validate",
            RequestKind::Other => "other",
        }
    }
}

/// The requests of one lifecycle step.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StepRequests {
    pub step: &'static str,
    pub resources: usize,
    pub accounts: usize,
    /// Requests of each kind, in total.
    pub counts: BTreeMap<RequestKind, usize>,
    /// Requests per resource, account and region reads excluded (they are per account or region and provider
    /// process, reported in `account_gets` and `preflight_reads`).
    pub per_resource: f64,
    pub account_gets: usize,
    /// The region's models and usages lists the plan-time checks read (at most one each per region and process).
    pub preflight_reads: usize,
    /// Answers that were errors (4xx other than the expected 404s, 5xx, dropped).
    pub error_answers: usize,
}

impl StepRequests {
    fn from_log(step: &'static str, resources: usize, accounts: usize, log: &[RecordedRequest]) -> StepRequests {
        let mut counts = BTreeMap::new();
        let mut error_answers = 0;
        for request in log {
            let kind = RequestKind::of(request);
            *counts.entry(kind).or_insert(0) += 1;
            let expected_404 = matches!(kind, RequestKind::DeploymentGetMissing) || request.method == "DELETE";
            if request.status == 0 || request.status >= 500 || (request.status >= 400 && !expected_404) {
                error_answers += 1;
            }
        }
        let count = |kind: RequestKind| counts.get(&kind).copied().unwrap_or(0);
        let account_gets = count(RequestKind::AccountGet);
        let preflight_reads = count(RequestKind::LocationModels) + count(RequestKind::LocationUsages);
        let per_resource = (log.len() - account_gets - preflight_reads) as f64 / resources.max(1) as f64;
        StepRequests { step, resources, accounts, counts, per_resource, account_gets, preflight_reads, error_answers }
    }

    /// "GET 1, PUT 1, poll 1" per resource.
    pub fn breakdown(&self) -> String {
        self.counts
            .iter()
            .filter(|(kind, _)| {
                !matches!(kind, RequestKind::AccountGet | RequestKind::LocationModels | RequestKind::LocationUsages)
            })
            .map(|(kind, n)| format!("{} {}", kind.label(), trim_float(*n as f64 / self.resources.max(1) as f64)))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

pub fn trim_float(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Creates, refreshes, updates (capacity) and deletes `resources` routers over `accounts`; each step alone
/// (`-refresh=false` for update and delete, so that their own requests are counted, not a refresh's).
pub fn measure(
    mirror: &Mirror,
    emulator: &BenchEmulator,
    accounts: &[String],
    resources: usize,
) -> Result<Vec<StepRequests>, BenchError> {
    emulator.reset();
    let workdir = Workdir::new(mirror, &config::routers(&emulator.base_url(), accounts, resources))?;
    workdir.init()?;
    let steps: [(&'static str, Vec<&str>, i32); 4] = [
        ("create", vec!["apply", "-no-color", "-input=false", "-auto-approve"], 0),
        ("refresh", vec!["plan", "-no-color", "-input=false", "-detailed-exitcode"], 0),
        (
            "update",
            vec!["apply", "-no-color", "-input=false", "-auto-approve", "-refresh=false", "-var", "capacity=20"],
            0,
        ),
        (
            "delete",
            vec!["destroy", "-no-color", "-input=false", "-auto-approve", "-refresh=false", "-var", "capacity=20"],
            0,
        ),
    ];
    let mut out = Vec::new();
    for (step, args, code) in steps {
        emulator.clear_requests();
        workdir.expect(&args, &[code])?;
        out.push(StepRequests::from_log(step, resources, accounts.len(), &emulator.requests()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str, status: u16) -> RecordedRequest {
        RecordedRequest {
            method: method.into(),
            path: path.into(),
            query: "api-version=2025-06-01".into(),
            status,
            body: None,
            bearer_token: None,
            correlation_id: None,
            user_agent: None,
            precondition: None,
            read_only_fields: Vec::new(),
        }
    }

    const ACCOUNT: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a";

    #[test]
    fn classifies_each_kind_of_request() {
        let deployment = format!("{ACCOUNT}/deployments/router-1");
        assert_eq!(RequestKind::of(&request("GET", &deployment, 404)), RequestKind::DeploymentGetMissing);
        assert_eq!(RequestKind::of(&request("GET", &deployment, 200)), RequestKind::DeploymentGet);
        assert_eq!(RequestKind::of(&request("PUT", &deployment, 201)), RequestKind::DeploymentPut);
        assert_eq!(RequestKind::of(&request("DELETE", &deployment, 202)), RequestKind::DeploymentDelete);
        assert_eq!(
            RequestKind::of(&request("GET", &format!("{ACCOUNT}/deployments"), 200)),
            RequestKind::DeploymentList
        );
        assert_eq!(RequestKind::of(&request("GET", ACCOUNT, 200)), RequestKind::AccountGet);
        assert_eq!(RequestKind::of(&request("GET", "/operations/abc", 200)), RequestKind::OperationPoll);
        assert_eq!(RequestKind::of(&request("GET", "/operationResults/abc", 202)), RequestKind::OperationPoll);
        let location = "/subscriptions/s/providers/Microsoft.CognitiveServices/locations/eastus2";
        assert_eq!(RequestKind::of(&request("GET", &format!("{location}/models"), 200)), RequestKind::LocationModels);
        assert_eq!(RequestKind::of(&request("GET", &format!("{location}/usages"), 200)), RequestKind::LocationUsages);
    }

    #[test]
    fn per_resource_counts_leave_account_reads_apart() {
        let d = |n: u32| format!("{ACCOUNT}/deployments/router-{n}");
        let log = vec![
            request("GET", &d(1), 404),
            request("PUT", &d(1), 201),
            request("GET", "/operations/1", 200),
            request("GET", &d(1), 200),
            request("GET", ACCOUNT, 200),
            request("GET", &d(2), 404),
            request("PUT", &d(2), 409),
            request("PUT", &d(2), 201),
            request("GET", "/operations/2", 200),
            request("GET", &d(2), 200),
        ];
        let step = StepRequests::from_log("create", 2, 1, &log);
        assert_eq!(step.account_gets, 1);
        assert_eq!(step.per_resource, 4.5);
        assert_eq!(step.error_answers, 1, "the 409 is an error answer; the 404 exists-checks are not");
        assert_eq!(step.breakdown(), "GET→404 1 + GET 1 + PUT 1.5 + poll 1");
    }
}
