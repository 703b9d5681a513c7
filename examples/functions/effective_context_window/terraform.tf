# Makes this example a complete configuration for `terraform validate`; the example itself is in the other file.
terraform {
  required_version = ">= 1.8"

  required_providers {
    modelrouter = {
      source = "modelrouter/modelrouter"
    }
  }
}
