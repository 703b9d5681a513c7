resource "modelrouter_claude_dependency" "sonnet" {
  cognitive_account_id = var.cognitive_account_id
  model                = "claude-sonnet-4-5"
  # version defaults to the one the router catalog routes to (20250929)

  sku {
    name     = "GlobalStandard" # must equal the routers' sku.name
    capacity = 1
  }

  model_provider_data {
    organization_name = "Contoso"
    country_code      = "US"
    industry          = "technology"
  }
}

resource "modelrouter_deployment" "router" {
  name                 = "model-router"
  cognitive_account_id = var.cognitive_account_id

  routing {
    mode = "quality"
    model { name = "gpt-5" }
    model { name = "claude-sonnet-4-5" }
  }

  depends_on = [modelrouter_claude_dependency.sonnet]
}
