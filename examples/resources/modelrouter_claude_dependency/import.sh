# A Claude deployment is imported by its ARM id; only an Anthropic deployment can be imported.
terraform import modelrouter_claude_dependency.sonnet /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/foundry-prod/deployments/claude-sonnet-4-5
