terraform {
  required_providers {
    modelrouter = {
      source = "modelrouter/modelrouter"
    }
  }
}

# Credentials as for azurerm: ARM_* environment variables, OIDC, managed identity or the Azure CLI login.
provider "modelrouter" {}
