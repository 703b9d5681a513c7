# A router in quality mode over a curated subset. The Claude model needs its own deployment first.
resource "modelrouter_claude_dependency" "sonnet" {
  cognitive_account_id = var.cognitive_account_id
  model                = "claude-sonnet-4-5"

  model_provider_data {
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }
}

resource "modelrouter_deployment" "prod" {
  name                 = "model-router-prod"
  cognitive_account_id = var.cognitive_account_id
  router_version       = "2025-11-18"

  sku {
    name     = "GlobalStandard"
    capacity = 250
  }

  routing {
    mode = "quality"
    model { name = "gpt-5-mini" }
    model { name = "gpt-5.2" }
    model { name = "claude-sonnet-4-5" }
  }

  min_context_window = 128000

  timeouts {
    create = "45m"
  }

  depends_on = [modelrouter_claude_dependency.sonnet]
}

# The full default set of the newest router version, balanced.
resource "modelrouter_deployment" "default" {
  name                 = "model-router"
  cognitive_account_id = var.cognitive_account_id
}
