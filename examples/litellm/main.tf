# A LiteLLM gateway in front of a model router, its configuration rendered by the provider function
# litellm_model_list from the router itself. No key is in Terraform: LiteLLM reads it from its environment.
# Write the file with
#
#   terraform output -raw litellm_config_yaml > config.yaml && litellm --config config.yaml

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
  description = "A bearer token; null to use the usual Azure credentials."
  type        = string
  default     = null
  sensitive   = true
}

provider "modelrouter" {
  resource_manager_endpoint = var.resource_manager_endpoint
  access_token              = var.access_token
}

resource "modelrouter_deployment" "gateway" {
  name                 = "model-router-gateway"
  cognitive_account_id = var.cognitive_account_id

  routing {
    mode = "balanced"
    model { name = "gpt-5-mini" }
    model { name = "gpt-5" }
    model { name = "gpt-4.1" }
  }
}

locals {
  # One model_list entry per router, as LiteLLM documents for Azure model routers
  # (azure_ai/model_router/<deployment>): LiteLLM then prices each request by the model that answered it.
  litellm_config = {
    model_list = provider::modelrouter::litellm_model_list([modelrouter_deployment.gateway], {
      api_key_env = "AZURE_MODEL_ROUTER_API_KEY"
    })
  }
}

output "litellm_config_yaml" {
  description = "LiteLLM proxy config.yaml for the router."
  value       = yamlencode(local.litellm_config)
}

output "routed_model_names" {
  description = "The models the router may answer with (response.model is one of them, with its version)."
  value       = [for m in modelrouter_deployment.gateway.routed_models : m.name]
}
