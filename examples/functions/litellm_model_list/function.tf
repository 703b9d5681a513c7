resource "modelrouter_deployment" "prod" {
  name                 = "model-router-prod"
  cognitive_account_id = var.cognitive_account_id
}

# A router another stack manages.
data "modelrouter_deployment" "shared" {
  cognitive_account_id = var.cognitive_account_id
  name                 = "model-router-shared"
}

# LiteLLM proxy config.yaml: `terraform output -raw litellm_config_yaml > config.yaml`.
output "litellm_config_yaml" {
  value = yamlencode({
    model_list = provider::modelrouter::litellm_model_list(
      [modelrouter_deployment.prod, data.modelrouter_deployment.shared],
      { model_name_prefix = "azure-" },
    )
  })
}
