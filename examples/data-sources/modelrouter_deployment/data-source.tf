# A gateway stack reads the router another stack manages, by account and name (or by `id`).
data "modelrouter_deployment" "shared" {
  cognitive_account_id = var.cognitive_account_id
  name                 = "model-router-prod"
}

output "router_endpoint" {
  value = data.modelrouter_deployment.shared.endpoint
}

output "routed_model_names" {
  value = [for m in data.modelrouter_deployment.shared.routed_models : m.name]
}
