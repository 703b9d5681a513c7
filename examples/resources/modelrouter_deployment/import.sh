# A model router deployment is imported by its ARM id.
terraform import modelrouter_deployment.prod /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/foundry-prod/deployments/model-router-prod
