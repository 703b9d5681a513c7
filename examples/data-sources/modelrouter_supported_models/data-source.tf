data "modelrouter_supported_models" "latest" {}

locals {
  # Every generally available OpenAI model of the newest router version with a documented context window of at
  # least 200K tokens that is not past its retirement date (a retired model would fail, and one retiring within
  # 30 days warns, at every plan).
  large_openai = [
    for m in data.modelrouter_supported_models.latest.models : m.name
    if m.format == "OpenAI" && !m.preview && !m.requires_registration && coalesce(m.context_window, 0) >= 200000
    && timecmp("${coalesce(m.retirement_date, "9999-12-31")}T00:00:00Z", timeadd(plantimestamp(), "720h")) > 0
  ]
}

resource "modelrouter_deployment" "large_context" {
  name                 = "model-router-large-context"
  cognitive_account_id = var.cognitive_account_id
  router_version       = data.modelrouter_supported_models.latest.router_version

  routing {
    mode = "balanced"
    dynamic "model" {
      for_each = toset(local.large_openai)
      content {
        name = model.value
      }
    }
  }
}

output "router_versions" {
  value = data.modelrouter_supported_models.latest.router_versions
}
