"""Send a prompt through the rendered gateway entry with LiteLLM's SDK and log which model served it.

The router answers with the model that actually served the prompt in `response.model` (for example
gpt-5-mini-2025-08-07), not with the router's name: log it with the token counts and attribute the cost to it.

    terraform output -raw litellm_config_yaml > config.yaml
    AZURE_MODEL_ROUTER_API_KEY=... python log_served_model.py "Summarise this contract."
"""

import logging
import os
import sys

import litellm
import yaml

logging.basicConfig(format="%(message)s")
log = logging.getLogger("model-router-cost")
log.setLevel(logging.INFO)

with open("config.yaml", encoding="utf-8") as config:
    entry = yaml.safe_load(config)["model_list"][0]
params = dict(entry["litellm_params"])
api_key = params.pop("api_key")
if api_key.startswith("os.environ/"):
    api_key = os.environ[api_key.removeprefix("os.environ/")]

prompt = sys.argv[1] if len(sys.argv) > 1 else "Which model are you?"
response = litellm.completion(api_key=api_key, messages=[{"role": "user", "content": prompt}], **params)

usage = response.usage
log.info(
    "router=%s served_by=%s prompt_tokens=%d completion_tokens=%d",
    entry["model_name"],
    response.model,
    usage.prompt_tokens,
    usage.completion_tokens,
)
