"""Drives a model router deployment with the official `openai` package, the way Microsoft's model router how-to
does: an `AzureOpenAI` client (endpoint + api-version) and an `OpenAI` client (base URL `<endpoint>openai/v1/`,
the account key as its API key). Prints one JSON object of what each client observed; tests/openai_sdk.rs asserts
on it.

Environment: ENDPOINT (the account's endpoint, ending in `/`), API_KEY, DEPLOYMENT, API_VERSION; EXPECT_PAUSED=1
to only check that every call is refused with 423.
"""

import json
import os
import sys

import openai

ENDPOINT = os.environ["ENDPOINT"]
KEY = os.environ["API_KEY"]
DEPLOYMENT = os.environ["DEPLOYMENT"]
API_VERSION = os.environ["API_VERSION"]

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The current weather at a place",
        "parameters": {
            "type": "object",
            "properties": {"location": {"type": "string"}},
            "required": ["location"],
        },
    },
}


def clients(key=KEY):
    return {
        "azure": openai.AzureOpenAI(azure_endpoint=ENDPOINT, api_key=key, api_version=API_VERSION, max_retries=0),
        "v1": openai.OpenAI(base_url=ENDPOINT + "openai/v1/", api_key=key, max_retries=0),
    }


def chat(client):
    answers = []
    for prompt in ["Summarise this contract.", "hi", "Prove that there are infinitely many primes.", "Plan a trip."]:
        response = client.chat.completions.create(
            model=DEPLOYMENT, messages=[{"role": "user", "content": prompt}], reasoning_effort="low"
        )
        usage = response.usage
        answers.append({
            "model": response.model,
            "text": response.choices[0].message.content,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens,
            "cached_tokens": usage.prompt_tokens_details.cached_tokens,
            "reasoning_tokens": usage.completion_tokens_details.reasoning_tokens,
        })
    return answers


def stream(client):
    chunks = list(client.chat.completions.create(
        model=DEPLOYMENT,
        messages=[{"role": "user", "content": "Write a haiku about routers."}],
        stream=True,
        stream_options={"include_usage": True},
    ))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    last = chunks[-1]
    return {
        "models": sorted({c.model for c in chunks}),
        "text": text,
        "usage_chunk_has_no_choices": last.choices == [],
        "total_tokens": last.usage.total_tokens,
    }


def tool_round_trip(client):
    messages = [{"role": "user", "content": "What is the weather in Paris?"}]
    first = client.chat.completions.create(model=DEPLOYMENT, messages=messages, tools=[WEATHER_TOOL])
    call = first.choices[0].message.tool_calls[0]
    messages.append(first.choices[0].message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": "18 degrees and sunny"})
    second = client.chat.completions.create(model=DEPLOYMENT, messages=messages, tools=[WEATHER_TOOL])
    return {
        "finish_reason": first.choices[0].finish_reason,
        "function": call.function.name,
        "arguments": json.loads(call.function.arguments),
        "models": [first.model, second.model],
        "final_finish_reason": second.choices[0].finish_reason,
        "final_text": second.choices[0].message.content,
    }


def responses(client):
    whole = client.responses.create(model=DEPLOYMENT, input="Summarise the Q3 plan.", reasoning={"effort": "low"})
    events = list(client.responses.create(model=DEPLOYMENT, input="Write a haiku.", stream=True))
    completed = events[-1].response
    return {
        "model": whole.model,
        "output_text": whole.output_text,
        "input_tokens": whole.usage.input_tokens,
        "cached_tokens": whole.usage.input_tokens_details.cached_tokens,
        "reasoning_tokens": whole.usage.output_tokens_details.reasoning_tokens,
        "stream_events": [e.type for e in events],
        "stream_model": completed.model,
        "stream_text": "".join(e.delta for e in events if e.type == "response.output_text.delta"),
        "stream_output_text": completed.output_text,
    }


def refusal(call):
    try:
        call()
    except openai.APIStatusError as error:
        body = error.body if isinstance(error.body, dict) else {}
        return {"status": error.status_code, "code": body.get("code"), "type": type(error).__name__}
    return {"status": 200}


def errors(name, client):
    wrong_key = clients(key="0123456789abcdef0123456789abcdef")[name]
    hi = [{"role": "user", "content": "hi"}]
    return {
        "wrong_key": refusal(lambda: wrong_key.chat.completions.create(model=DEPLOYMENT, messages=hi)),
        "unknown_deployment": refusal(lambda: client.chat.completions.create(model="no-such-router", messages=hi)),
    }


def paused(client):
    hi = [{"role": "user", "content": "hi"}]
    return {
        "chat": refusal(lambda: client.chat.completions.create(model=DEPLOYMENT, messages=hi)),
        "responses": refusal(lambda: client.responses.create(model=DEPLOYMENT, input="hi")),
    }


def main():
    report = {"openai_version": openai.__version__}
    for name, client in clients().items():
        if os.environ.get("EXPECT_PAUSED") == "1":
            report[name] = paused(client)
            continue
        report[name] = {
            "chat": chat(client),
            "stream": stream(client),
            "tool": tool_round_trip(client),
            "responses": responses(client),
            "errors": errors(name, client),
        }
    json.dump(report, sys.stdout)
    print()


if __name__ == "__main__":
    main()
