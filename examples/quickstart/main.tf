# Quickstart: a model router in quality mode over a three-model subset, one of them a Claude model with the
# Claude deployment it needs. Runs against Azure, or offline against the emulator (scripts/demo.sh).

terraform {
  required_providers {
    modelrouter = {
      source = "modelrouter/modelrouter"
    }
  }
}

variable "cognitive_account_id" {
  description = "ARM id of the Azure AI Foundry account."
  type        = string
}

variable "resource_manager_endpoint" {
  description = "ARM endpoint; null for the public cloud, the emulator's URL for an offline run."
  type        = string
  default     = null
}

variable "access_token" {
  description = "A bearer token; null to use the usual Azure credentials (ARM_* variables, OIDC, MSI, az CLI)."
  type        = string
  default     = null
  sensitive   = true
}

provider "modelrouter" {
  resource_manager_endpoint = var.resource_manager_endpoint
  access_token              = var.access_token
}

# Claude models are not deployed by the router: each one in the subset needs its own deployment in the same
# account, with the same SKU name, before the router is created.
resource "modelrouter_claude_dependency" "sonnet" {
  cognitive_account_id = var.cognitive_account_id
  model                = "claude-sonnet-4-5"

  sku {
    name     = "GlobalStandard"
    capacity = 1
  }

  model_provider_data {
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }
}

resource "modelrouter_deployment" "quality" {
  name                 = "model-router-quality"
  cognitive_account_id = var.cognitive_account_id
  router_version       = "2025-11-18"

  sku {
    name     = "GlobalStandard" # must match the Claude deployment's sku.name
    capacity = 50
  }

  routing {
    mode = "quality"
    model { name = "gpt-5-mini" }
    model { name = "gpt-5.2" }
    model { name = "claude-sonnet-4-5" }
  }

  # Guardrail: fail the plan if the subset's smallest context window drops below this.
  min_context_window = 128000

  depends_on = [modelrouter_claude_dependency.sonnet]
}

output "deployment_id" {
  value = modelrouter_deployment.quality.id
}

output "claude_deployment_id" {
  value = modelrouter_claude_dependency.sonnet.id
}

output "effective_context_window" {
  value = modelrouter_deployment.quality.effective_context_window
}

output "routed_models" {
  value = [for m in modelrouter_deployment.quality.routed_models : "${m.format}/${m.name}@${m.version}"]
}

output "endpoint" {
  value = modelrouter_deployment.quality.endpoint
}
