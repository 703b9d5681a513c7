# Makes this example a complete configuration for `terraform validate`; the example itself is in the other file.
terraform {
  required_version = ">= 1.8"

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
