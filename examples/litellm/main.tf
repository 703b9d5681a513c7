# A LiteLLM gateway in front of a model router, configured from the router's own outputs: the deployment name is
# the model LiteLLM calls, the account endpoint its api_base. Write the file with
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

variable "gateway_model_name" {
  description = "The model name clients of the gateway ask for."
  type        = string
  default     = "azure-model-router"
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
  litellm_config = {
    model_list = [
      {
        model_name = var.gateway_model_name
        litellm_params = {
          # LiteLLM's Azure AI Foundry provider; the deployment name is the model the router is called by.
          model    = "azure_ai/${modelrouter_deployment.gateway.name}"
          api_base = "${trimsuffix(modelrouter_deployment.gateway.endpoint, "/")}/openai/v1/"
          # Read by LiteLLM from its own environment; never put the key into Terraform state.
          api_key = "os.environ/AZURE_MODEL_ROUTER_API_KEY"
        }
        model_info = {
          # For reference in the gateway's UI: what the router may answer with. Cost is attributed by LiteLLM to
          # the model named in each response.
          routed_models = [for m in modelrouter_deployment.gateway.routed_models : m.name]
          mode          = modelrouter_deployment.gateway.routing.mode
        }
      },
    ]
  }
}

output "litellm_config_yaml" {
  description = "LiteLLM proxy config.yaml for the router."
  value       = yamlencode(local.litellm_config)
}
