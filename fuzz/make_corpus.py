#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ (re-run after changing it; the files are committed).

Seeds are realistic inputs: the msgpack Terraform sends for a resource shaped like the provider's (unknowns,
refinements, dynamic values), raw state JSON, ARM answer bodies as documented in shared/reference/arm-api.md,
ARM ids and model names. Each value-decoder seed starts with the type selector byte of fuzz/src/lib.rs::types().
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def mp(v):
    """A minimal msgpack encoder (enough for seeds)."""
    if v is None:
        return b"\xc0"
    if v is True:
        return b"\xc3"
    if v is False:
        return b"\xc2"
    if isinstance(v, Ext):
        return v.encode()
    if isinstance(v, int):
        if 0 <= v < 128:
            return bytes([v])
        if -32 <= v < 0:
            return struct.pack("b", v)
        if 0 <= v < 2**64 and v >= 2**63:
            return b"\xcf" + struct.pack(">Q", v)
        return b"\xd3" + struct.pack(">q", v)
    if isinstance(v, float):
        return b"\xcb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        if len(b) < 32:
            return bytes([0xA0 | len(b)]) + b
        return b"\xd9" + bytes([len(b)]) + b if len(b) < 256 else b"\xda" + struct.pack(">H", len(b)) + b
    if isinstance(v, bytes):
        return b"\xc4" + bytes([len(v)]) + v
    if isinstance(v, list):
        head = bytes([0x90 | len(v)]) if len(v) < 16 else b"\xdc" + struct.pack(">H", len(v))
        return head + b"".join(mp(x) for x in v)
    if isinstance(v, dict):
        head = bytes([0x80 | len(v)]) if len(v) < 16 else b"\xde" + struct.pack(">H", len(v))
        return head + b"".join(mp(k) + mp(x) for k, x in sorted(v.items()))
    raise TypeError(v)


class Ext:
    def __init__(self, kind, payload):
        self.kind, self.payload = kind, payload

    def encode(self):
        if len(self.payload) == 1:
            return b"\xd4" + bytes([self.kind]) + self.payload
        return b"\xc7" + bytes([len(self.payload), self.kind]) + self.payload


UNKNOWN = Ext(0, b"\x00")
# Refined unknown: not null, string prefix "gpt-".
REFINED = Ext(12, b"\x82\x01\xc2\x02\xa4gpt-")
REFINED_LEN = Ext(12, b"\x83\x05\x01\x06\x03\x63\xc3")


def dyn(type_json, value):
    return [json.dumps(type_json, separators=(",", ":")).encode(), value]


MODEL = {"name": "gpt-5-mini", "format": "OpenAI", "version": "2025-08-07"}
RESOURCE = {
    "name": "router",
    "account_id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct",
    "id": None,
    "enabled": True,
    "tags": {"env": "prod"},
    "client_secret": None,
    "extra": dyn(["object", {"a": "number"}], {"a": 3}),
    "context_window": None,
    "routing": {"mode": "balanced", "model": [MODEL, {"name": "claude-sonnet-4-5", "format": "Anthropic", "version": "20250929"}]},
    "sku": [{"name": "GlobalStandard", "capacity": 10}],
    "rule": [MODEL],
    "named": {"first": MODEL},
    "timeouts": None,
}
PLANNED = dict(RESOURCE, id=UNKNOWN, context_window=REFINED_LEN, routing={"mode": REFINED, "model": UNKNOWN})


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def value_msgpack():
    seeds = {
        "resource_config": (0, RESOURCE),
        "resource_planned_unknowns": (0, PLANNED),
        "resource_null": (0, None),
        "resource_unknown": (0, UNKNOWN),
        "dynamic_string": (1, dyn("string", "hello")),
        "dynamic_list": (1, dyn(["list", "number"], [1, 2.5, "12345678901234567890"])),
        "dynamic_tuple": (1, dyn(["tuple", ["string", "bool"]], ["a", True])),
        "string": (2, "model-router"),
        "number_big": (3, 2**64 - 1),
        "number_decimal_text": (3, "0.1000000000000000055511"),
        "number_negative": (3, -5),
        "number_float": (3, 1.5),
        "bool": (4, False),
        "list_strings": (5, ["a", "b", UNKNOWN]),
        "set_numbers": (6, [1, 2, 3]),
        "map_dynamic": (7, {"k": dyn("bool", True), "u": UNKNOWN}),
        "tuple": (8, ["x", 7, [True, False]]),
        "nested_object": (9, {"a": [{"b": {"x": 1}}], "d": dyn(["map", "string"], {"a": "b"})}),
    }
    for name, (selector, value) in seeds.items():
        write("value_msgpack", name, bytes([selector]) + mp(value))
    # Hostile shapes: truncated, huge declared lengths, deep nesting, invalid UTF-8.
    write("value_msgpack", "truncated", bytes([0]) + mp(RESOURCE)[:40])
    write("value_msgpack", "huge_array_len", bytes([5]) + b"\xdd\xff\xff\xff\xff")
    write("value_msgpack", "huge_map_len", bytes([7]) + b"\xdf\xff\xff\xff\xff")
    write("value_msgpack", "huge_str_len", bytes([2]) + b"\xdb\xff\xff\xff\xf0abc")
    write("value_msgpack", "deep_arrays", bytes([1]) + b"\x92\xc4\x08\"dynamic\"" + b"\x91" * 200 + b"\xc0")
    write("value_msgpack", "invalid_utf8", bytes([2]) + b"\xa2\xff\xfe")
    # Numbers are encoded as decimal strings: a NaN float (no decimal text, no cty number) must be refused on decode.
    write("value_msgpack", "regression_number_nan", bytes([3]) + b"\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00")


def value_json():
    state = {k: v for k, v in RESOURCE.items()}
    state["extra"] = {"value": {"a": 3}, "type": ["object", {"a": "number"}]}
    write("value_json", "resource_state", bytes([0]) + json.dumps(state).encode())
    write("value_json", "resource_state_extra_attr", bytes([0]) + json.dumps(dict(state, removed_attr=1)).encode())
    write("value_json", "type_object", bytes([1]) + json.dumps(["object", {"a": "string", "b": ["list", "number"]}, ["b"]]).encode())
    write("value_json", "type_tuple", bytes([1]) + json.dumps(["tuple", ["string", ["map", "bool"]]]).encode())
    write("value_json", "dynamic", bytes([1]) + json.dumps({"value": [1, 2], "type": ["list", "number"]}).encode())
    write("value_json", "string", bytes([2]) + b'"model-router"')
    write("value_json", "number", bytes([3]) + b"123456789012345678901234567890")
    write("value_json", "float", bytes([3]) + b"-1.5e300")
    write("value_json", "tuple", bytes([8]) + b'["x", 1, [true]]')
    write("value_json", "nested", bytes([9]) + json.dumps({"a": [{"b": {"x": 1}}], "d": {"value": "s", "type": "string"}}).encode())
    write("value_json", "deep", bytes([1]) + b"[" * 300)
    # Found by fuzzing: decimal text that is not a bare JSON number must still encode to valid JSON.
    write("value_json", "regression_number_text_04", bytes([0x3F]) + b'"04"')


ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/my-foundry"
DEPLOYMENT = {
    "id": ID + "/deployments/router",
    "name": "router",
    "type": "Microsoft.CognitiveServices/accounts/deployments",
    "etag": '"abc"',
    "tags": {"env": "prod"},
    "systemData": {"createdBy": "someone", "createdAt": "2025-11-18T00:00:00Z"},
    "sku": {"name": "GlobalStandard", "capacity": 10},
    "properties": {
        "model": {"format": "OpenAI", "name": "model-router", "version": "2025-11-18"},
        "raiPolicyName": "Microsoft.DefaultV2",
        "versionUpgradeOption": "OnceNewDefaultVersionAvailable",
        "provisioningState": "Succeeded",
        "serviceTier": "Default",
        "capabilities": {"chatCompletion": "true"},
        "routing": {"mode": "quality", "models": [{"format": "OpenAI", "name": "gpt-5-mini", "version": "2025-08-07"}]},
        "modelProviderData": {"organizationName": "Contoso", "countryCode": "US", "industry": "technology"},
    },
}


def arm_response():
    # Selector byte: 0 deployment, 1 account, 2 page, 3 error (2 status bytes follow), 4 operation, 5 location.
    j = lambda v: json.dumps(v).encode()
    write("arm_response", "deployment_get", b"\x00" + j(DEPLOYMENT))
    creating = json.loads(json.dumps(DEPLOYMENT))
    creating["properties"]["provisioningState"] = "Accepted"
    write("arm_response", "deployment_put_201", b"\x00" + j(creating))
    failed = json.loads(json.dumps(DEPLOYMENT))
    failed["properties"]["provisioningState"] = "Failed"
    failed["properties"]["error"] = {"code": "AnthropicOrganizationCreationFailed", "message": "industry must be lowercase"}
    write("arm_response", "deployment_failed", b"\x00" + j(failed))
    write("arm_response", "deployment_minimal", b"\x00{}")
    write("arm_response", "account", b"\x01" + j({"id": ID, "name": "my-foundry", "kind": "AIServices", "location": "eastus2",
                                                "sku": {"name": "S0"}, "properties": {"endpoint": "https://my-foundry.cognitiveservices.azure.com/",
                                                "provisioningState": "Succeeded", "allowProjectManagement": True}}))
    write("arm_response", "page_with_next", b"\x02" + j({"value": [DEPLOYMENT, creating], "nextLink": "https://management.azure.com" + ID + "/deployments?api-version=2025-10-01-preview&$skiptoken=abc"}))
    write("arm_response", "page_last", b"\x02" + j({"value": []}))
    for name, status, body in [
        ("error_conflict", 409, {"error": {"code": "RequestConflict", "message": "Another operation is being performed on the parent resource '" + ID + "'. Please try again later."}}),
        ("error_quota", 400, {"error": {"code": "InsufficientQuota", "message": "This operation require 10 new capacity in quota Tokens Per Minute (thousands) - gpt-4o, which is bigger than the current available capacity 0."}}),
        ("error_policy", 403, {"error": {"code": "RequestDisallowedByPolicy", "message": "denied", "target": "x",
                                         "details": [{"code": "Inner", "message": "m", "details": [{"code": "Deeper", "message": "d"}]}],
                                         "additionalInfo": [{"type": "PolicyViolation", "info": {"policyDefinitionName": "p"}}]}}),
        ("error_flat", 400, {"code": "InvalidModelProviderData", "message": "ModelProviderData is required"}),
        ("error_status_shape", 500, {"status": "Failed", "error": {"code": "InternalServerError", "message": "boom"}}),
    ]:
        write("arm_response", name, b"\x03" + struct.pack("<H", status) + j(body))
    # Found by fuzzing: a blank code must not become the error's code.
    write("arm_response", "regression_blank_error_code", b"\x03" + struct.pack("<H", 500) + b'{"status": "Failed", "error": {"code": ""}}')
    write("arm_response", "error_html", b"\x03" + struct.pack("<H", 502) + b"<html><body>Bad Gateway</body></html>")
    write("arm_response", "error_empty", b"\x03" + struct.pack("<H", 503))
    write("arm_response", "operation_running", b"\x04" + j({"id": "op", "name": "op", "status": "InProgress", "startTime": "2025-11-18T00:00:00Z", "percentComplete": 40}))
    write("arm_response", "operation_succeeded", b"\x04" + j({"status": "Succeeded", "endTime": "2025-11-18T00:01:00Z"}))
    write("arm_response", "operation_failed", b"\x04" + j({"status": "Failed", "error": {"code": "InvalidResourceProperties", "message": "The specified SKU 'Standard' of account deployment is not supported by the model 'gpt-5' version: '2025-08-07'."}}))
    write("arm_response", "operation_canceled_props", b"\x04" + j({"properties": {"provisioningState": "Canceled"}}))
    write("arm_response", "location_final_failed", b"\x05" + j({"status": "Failed", "error": {"code": "Conflict", "message": "x"}}))
    write("arm_response", "location_final_resource", b"\x05" + j(DEPLOYMENT))


def arm_id():
    seeds = {
        "account": ID,
        "deployment": ID + "/deployments/router",
        "lowercase_keywords": ID.replace("resourceGroups", "resourcegroups").replace("Microsoft.CognitiveServices", "microsoft.cognitiveservices") + "/deployments/claude-sonnet-4-5",
        "trailing_slash": ID + "/",
        "double_slash": ID.replace("/providers", "//providers"),
        "whitespace": ID + "/deployments/ router",
        "unicode_name": ID + "/deployments/r\u00e9sum\u00e9",
        "no_leading_slash": ID[1:],
        "other_provider": ID.replace("CognitiveServices", "Storage"),
    }
    for name, text in seeds.items():
        write("arm_id", name, text)


def catalog_lookup():
    # The target reads a tuple (name, version, format) with `arbitrary`: length-prefixed strings, the last one
    # taking the rest. Raw text seeds still reach it; a few names the catalog knows and near misses.
    for i, name in enumerate(["gpt-5-mini", "GPT-4.0", "claude-sonet-4-5", "gpt5-mini", "claude-sonnet", "DeepSeek-V3.1",
                              "gpt-5-mini,claude-sonnet-4-5,gpt-4o", "o4-mini", "Grok-4", "\u00e9\u00e9\u00e9"]):
        for version in ["2025-11-18", "2025-08-07"]:
            write("catalog_lookup", f"seed_{i}_{version}", name.encode() + b"\x00" + version.encode() + b"\x00OpenAI")


if __name__ == "__main__":
    value_msgpack()
    value_json()
    arm_response()
    arm_id()
    catalog_lookup()
