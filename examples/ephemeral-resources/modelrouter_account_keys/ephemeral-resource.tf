ephemeral "modelrouter_account_keys" "foundry" {
  cognitive_account_id = var.cognitive_account_id
}

resource "terraform_data" "gateway_smoke_test" {
  triggers_replace = [var.cognitive_account_id]

  provisioner "local-exec" {
    command = "scripts/gateway-smoke-test.sh"
    environment = {
      # The variable name the LiteLLM entries of provider::modelrouter::litellm_model_list refer to.
      AZURE_MODEL_ROUTER_API_KEY = ephemeral.modelrouter_account_keys.foundry.key1
    }
  }
}
