# The key examples, offline: examples/quickstart and examples/litellm as they are, pointed at the ARM emulator
# (no Azure account, no credential). Start the emulator on the port below, from the repository root:
#
#   cargo run --bin modelrouter-emulator -- --port 8911 --token demo-token
#
# then, with the provider from scripts/install-local.sh: terraform init && terraform apply.

terraform {
  required_providers {
    modelrouter = {
      source = "modelrouter/modelrouter"
    }
  }
}

variable "emulator_url" {
  description = "The base URL the emulator prints when it starts."
  type        = string
  default     = "http://127.0.0.1:8911"
}

variable "emulator_token" {
  description = "The emulator's --token."
  type        = string
  default     = "demo-token"
  sensitive   = true
}

variable "cognitive_account_id" {
  description = "An account the emulator serves: by default, the demo account it serves without --account."
  type        = string
  default     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-modelrouter-demo/providers/Microsoft.CognitiveServices/accounts/foundry-demo"
}

module "quickstart" {
  source = "../quickstart"

  cognitive_account_id      = var.cognitive_account_id
  resource_manager_endpoint = var.emulator_url
  access_token              = var.emulator_token
}

module "litellm" {
  source = "../litellm"

  cognitive_account_id      = var.cognitive_account_id
  resource_manager_endpoint = var.emulator_url
  access_token              = var.emulator_token
}

output "quickstart" {
  value = module.quickstart
}

output "litellm_config_yaml" {
  value = module.litellm.litellm_config_yaml
}
