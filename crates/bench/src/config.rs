//! The Terraform configurations under test: N model routers spread over accounts, and the same N
//! `terraform_data` resources as the floor (Terraform core alone, no plugin process).

/// The bearer token the bench's emulators accept.
pub const TOKEN: &str = "bench-token";

/// Account ids `count` accounts named `foundry-bench-<i>`, in one subscription and resource group.
pub fn account_ids(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            format!(
                "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-bench/providers/\
                 Microsoft.CognitiveServices/accounts/foundry-bench-{i}"
            )
        })
        .collect()
}

fn accounts_local(accounts: &[String]) -> String {
    let list = accounts.iter().map(|a| format!("    \"{a}\",")).collect::<Vec<_>>().join("\n");
    format!("locals {{\n  accounts = [\n{list}\n  ]\n}}\n")
}

const CAPACITY_VARIABLE: &str = "variable \"capacity\" {\n  type    = number\n  default = 10\n}\n";

/// `count` routers named `router-<i>`, round-robin over `accounts`, with a routing subset (the common case).
pub fn routers(endpoint: &str, accounts: &[String], count: usize) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    modelrouter = {{
      source = "modelrouter/modelrouter"
    }}
  }}
}}

provider "modelrouter" {{
  resource_manager_endpoint = "{endpoint}"
  access_token              = "{TOKEN}"
}}

{CAPACITY_VARIABLE}
{accounts}
resource "modelrouter_deployment" "r" {{
  count                = {count}
  name                 = "router-${{count.index}}"
  cognitive_account_id = local.accounts[count.index % length(local.accounts)]

  sku {{
    capacity = var.capacity
  }}

  routing {{
    mode = "quality"
    model {{ name = "gpt-5-mini" }}
    model {{ name = "gpt-5.2" }}
    model {{ name = "DeepSeek-V3.2" }}
  }}
}}
"#,
        accounts = accounts_local(accounts),
    )
}

/// The floor: the same count and shape of values, held by `terraform_data` (built into Terraform).
pub fn floor(accounts: &[String], count: usize) -> String {
    format!(
        r#"{CAPACITY_VARIABLE}
{accounts}
resource "terraform_data" "r" {{
  count = {count}
  input = {{
    name                 = "router-${{count.index}}"
    cognitive_account_id = local.accounts[count.index % length(local.accounts)]
    capacity             = var.capacity
    mode                 = "quality"
    models               = ["gpt-5-mini", "gpt-5.2", "DeepSeek-V3.2"]
  }}
}}
"#,
        accounts = accounts_local(accounts),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configurations_name_every_account_and_the_count() {
        let accounts = account_ids(3);
        let ours = routers("http://127.0.0.1:1", &accounts, 50);
        assert!(ours.contains("count                = 50"));
        assert!(ours.contains("foundry-bench-2"));
        assert!(ours.contains("resource_manager_endpoint = \"http://127.0.0.1:1\""));
        let floor = floor(&accounts, 50);
        assert!(floor.contains("count = 50") && floor.contains("foundry-bench-0"));
        assert!(!floor.contains("modelrouter"), "the floor needs no plugin");
    }
}
