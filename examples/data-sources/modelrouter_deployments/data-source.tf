# Every deployment of an account, from one list read.
data "modelrouter_deployments" "account" {
  cognitive_account_id = var.cognitive_account_id
}

output "router_names" {
  value = data.modelrouter_deployments.account.routers[*].name
}

output "claude_models" {
  value = { for c in data.modelrouter_deployments.account.claude_dependencies : c.name => c.model }
}

output "other_deployments" {
  value = [for d in data.modelrouter_deployments.account.other_deployments : "${d.name} (${d.model_name})"]
}
