locals {
  subset = ["gpt-5-mini", "gpt-5.2", "claude-sonnet-4-5"]
}

output "subset_context_window" {
  value = provider::modelrouter::effective_context_window("2025-11-18", local.subset)
}

check "prompt_budget" {
  assert {
    condition     = provider::modelrouter::effective_context_window("2025-11-18", local.subset) >= 128000
    error_message = "The routing subset cannot take 128K-token prompts."
  }
}
