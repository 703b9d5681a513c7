//! `terraform-provider-modelrouter`: the plugin binary Terraform starts.
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let provider = Arc::new(terraform_provider_modelrouter::ModelRouterProvider::new());
    tf_provider::serve(
        provider,
        tf_provider::ServeOptions { provider_name: "modelrouter", version: env!("CARGO_PKG_VERSION") },
    )
}
